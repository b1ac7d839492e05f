"""CBS loading, starting a neighbourhood, invitations, the roll-up, privacy and report jobs."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from audit.models import AuditEntry
from conversations.models import Conversation
from jobs import tasks as job_tasks
from jobs.models import Job, State
from neighbourhoods.models import Membership, Role
from network.models import Connection, Initiative, InitiativeStatus, Street
from operators import reports
from operators.models import CbsArea, Invitation, OperatorNeighbourhood
from operators.rollup import rollup
from operators.services import create_neighbourhood, invite
from outcomes.models import Outcome, OutcomeDomain
from ownership.models import CarrierPeriod, Reflection, ReflectionKind
from residents.models import Person

from .factories import operator_sides

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)


@pytest.fixture
def cbs(db):
    call_command("load_cbs", stdout=io.StringIO())


def test_the_real_amstelveen_files_load(cbs):
    assert CbsArea.objects.filter(level="buurt").count() == 47
    assert CbsArea.objects.filter(level="wijk").count() == 14
    buurten = CbsArea.objects.filter(level="buurt", households__isnull=False)
    assert buurten.count() == 46
    assert sum(b.inhabitants for b in buurten) == 95_010
    assert sum(b.households for b in buurten) == 45_415
    wijken = CbsArea.objects.filter(level="wijk")
    assert sum(w.households or 0 for w in wijken) == 45_415
    stadshart = CbsArea.objects.get(code="BU03620401")
    assert stadshart.gemeente_name == "Amstelveen" and stadshart.wijk_code == "WK036204"
    # Loading again changes nothing.
    call_command("load_cbs", stdout=io.StringIO())
    assert CbsArea.objects.count() == 61


def test_orgadmin_starts_a_neighbourhood_from_a_cbs_buurt(world, cbs, client_for):
    x, _y = operator_sides(world)
    client = client_for(x.admin)
    form = client.get(reverse("operators:neighbourhood_new", args=[x.slug])).content.decode()
    assert "BU03620804" in form
    area = CbsArea.objects.get(code="BU03620804")
    response = client.post(
        reverse("operators:neighbourhood_new", args=[x.slug]),
        {"area": area.pk, "name": "", "streets": "Lindenlaan\nSportlaan\n", "coordinator": "on"},
    )
    assert response.status_code == 302
    link = OperatorNeighbourhood.objects.get(
        operator=x.operator, neighbourhood__cbs_code="BU03620804"
    )
    nb = link.neighbourhood
    assert nb.name == area.name and nb.municipality == "Amstelveen"
    assert nb.boundary["geometry"]["type"] == "Polygon" and nb.centre_lat and nb.centre_lon
    assert link.wijk_code == area.wijk_code and link.gemeente_code == "GM0362"
    assert Membership.objects.get(user=x.admin, neighbourhood=nb).role == Role.COORDINATOR
    assert AuditEntry.objects.filter(
        neighbourhood=nb, model_label="neighbourhoods.Membership"
    ).exists()
    assert set(Street.objects.filter(neighbourhood=nb).values_list("name", flat=True)) == {
        "Lindenlaan",
        "Sportlaan",
    }
    # Usable at once: its dashboard and coverage answer for the new coordinator.
    assert client.get(nb.get_absolute_url()).status_code == 200
    # The side-by-side page shows its households from CBS.
    page = client.get(reverse("operators:dashboard", args=[x.slug])).content.decode()
    assert area.name in page and f"of {area.households} households" in page


def test_a_wijk_and_a_village_without_code(world, cbs):
    x, _y = operator_sides(world)
    wijk = CbsArea.objects.get(code="WK036208")
    nb = create_neighbourhood(x.operator, by=x.admin, area=wijk)
    assert nb.cbs_code == "WK036208" and nb.boundary["geometry"]["type"] == "MultiPolygon"
    village = create_neighbourhood(x.operator, by=x.admin, name="Ons Dorp", coordinator=False)
    assert village.cbs_code == "" and village.boundary is None
    assert not Membership.objects.filter(neighbourhood=village).exists()


def test_invitation_gives_roles_once(world, client_for):
    x, _y = operator_sides(world)
    response = client_for(x.admin).post(
        reverse("operators:people", args=[x.slug]),
        {
            "email": "nieuw@example.org",
            "role": "builder",
            "neighbourhoods": [world.a.neighbourhood.pk],
        },
    )
    assert response.status_code == 302
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/invite/" in line)
    path = link[link.index("/invite/") :]
    anonymous = client_for(None)
    assert "Populierenbuurt" in anonymous.get(path).content.decode()
    response = anonymous.post(
        path,
        {
            "username": "nieuw",
            "password1": "een-lang-wachtwoord-9",
            "password2": "een-lang-wachtwoord-9",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__username="nieuw")
    assert membership.neighbourhood == world.a.neighbourhood and membership.role == Role.BUILDER
    assert AuditEntry.objects.filter(object_id=str(membership.pk), action="create").exists()
    # Reused: refused, nothing changes.
    again = client_for(None).get(path)
    assert again.status_code == 410 and "used already" in again.content.decode()


def test_expired_and_foreign_invitations_are_refused(world, client_for):
    x, _y = operator_sides(world)
    invited = invite(
        x.operator,
        by=x.admin,
        email="a@example.org",
        role="builder",
        neighbourhoods=[world.a.neighbourhood],
    )
    Invitation.objects.filter(pk=invited.invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    response = client_for(None).get(reverse("operators_public:accept", args=[invited.token]))
    assert response.status_code == 410 and "expired" in response.content.decode()
    assert (
        client_for(None).get(reverse("operators_public:accept", args=["nonsense"])).status_code
        == 404
    )
    # An admin of X cannot invite into Y's neighbourhood: not offered, and refused when posted.
    response = client_for(x.admin).post(
        reverse("operators:people", args=[x.slug]),
        {
            "email": "b@example.org",
            "role": "coordinator",
            "neighbourhoods": [world.b.neighbourhood.pk],
        },
    )
    assert response.status_code == 422
    assert not Invitation.objects.filter(email="b@example.org").exists()
    with pytest.raises(Exception, match="neighbourhoods of this organisation"):
        invite(
            x.operator,
            by=x.admin,
            email="c@example.org",
            role="builder",
            neighbourhoods=[world.b.neighbourhood],
        )


def test_signed_in_user_accepts_and_admin_removes(world, client_for):
    x, _y = operator_sides(world)
    invited = invite(
        x.operator,
        by=x.admin,
        email="s@example.org",
        role="builder",
        neighbourhoods=[world.a.neighbourhood],
    )
    response = client_for(world.stranger).post(
        reverse("operators_public:accept", args=[invited.token])
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=world.stranger, neighbourhood=world.a.neighbourhood)
    client_for(x.admin).post(reverse("operators:member_remove", args=[x.slug, membership.pk]))
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEntry.objects.filter(object_id=str(membership.pk), action="delete").exists()
    # The last coordinator stays.
    last = Membership.objects.get(user=world.a.coordinator, neighbourhood=world.a.neighbourhood)
    client_for(x.admin).post(reverse("operators:member_remove", args=[x.slug, last.pk]))
    assert Membership.objects.filter(pk=last.pk).exists()


def _person(nb, name, created):
    person = Person.objects.create(neighbourhood=nb, name=name, street="Laan")
    Person.objects.filter(pk=person.pk).update(
        created_at=timezone.make_aware(datetime.datetime.combine(created, datetime.time(12)))
    )
    return person


def crafted(world):
    """Neighbourhood A: 4 people (1 before the period), 2 ties (1 before), 3 conversations
    (2 finished in the period), 1 active initiative carried by 2 residents, 2 outcomes
    (care €100 + cohesion; care €50), reflections 2 strengthening, 1 harmful.
    Neighbourhood B: 2 people, 1 tie, nothing else."""
    a, b = world.a.neighbourhood, world.b.neighbourhood
    p = [
        _person(a, f"A{i}", d)
        for i, d in enumerate([datetime.date(2025, 12, 1), START, START, END])
    ]
    q = [_person(b, f"B{i}", START) for i in range(2)]
    Connection.objects.create(
        neighbourhood=a,
        person=p[0],
        other_person=p[1],
        origin="knew",
        since=datetime.date(2025, 12, 2),
    )
    Connection.objects.create(
        neighbourhood=a,
        person=p[2],
        other_person=p[3],
        origin="introduced",
        since=datetime.date(2026, 3, 1),
    )
    Connection.objects.create(
        neighbourhood=b,
        person=q[0],
        other_person=q[1],
        origin="knew",
        since=datetime.date(2026, 2, 1),
    )
    for held, status in (
        (datetime.date(2026, 2, 1), "finished"),
        (datetime.date(2026, 3, 1), "finished"),
        (datetime.date(2026, 3, 2), "draft"),
    ):
        Conversation.objects.create(
            neighbourhood=a, person=p[0], builder=world.a.builder, status=status, held_on=held
        )
    initiative = Initiative.objects.create(
        neighbourhood=a, name="Koffie", status=InitiativeStatus.ACTIVE
    )
    Initiative.objects.create(neighbourhood=a, name="Oud", status=InitiativeStatus.ENDED)
    old = CarrierPeriod.objects.create(initiative=initiative, since=datetime.date(2026, 1, 5))
    old.people.set([p[0]])
    current = CarrierPeriod.objects.create(initiative=initiative, since=datetime.date(2026, 4, 1))
    current.people.set([p[1], p[2]])
    one = Outcome.objects.create(
        neighbourhood=a,
        title="Zorg",
        happened_on=datetime.date(2026, 5, 1),
        value_low=Decimal(60),
        value_high=Decimal(100),
        value_year=2025,
    )
    OutcomeDomain.objects.create(outcome=one, domain="care")
    OutcomeDomain.objects.create(outcome=one, domain="cohesion")
    two = Outcome.objects.create(
        neighbourhood=a,
        title="Zorg 2",
        happened_on=datetime.date(2026, 6, 1),
        value_low=Decimal(30),
        value_high=Decimal(50),
        value_year=2025,
    )
    OutcomeDomain.objects.create(outcome=two, domain="care")
    Outcome.objects.create(
        neighbourhood=a,
        title="Te vroeg",
        happened_on=datetime.date(2025, 6, 1),
        value_low=Decimal(999),
        value_high=Decimal(999),
        value_year=2025,
    )
    for kind in (
        ReflectionKind.STRENGTHENING,
        ReflectionKind.STRENGTHENING,
        ReflectionKind.HARMFUL,
    ):
        Reflection.objects.create(
            neighbourhood=a,
            author=world.a.builder,
            kind=kind,
            initiative=initiative,
            why="x",
            written_on=datetime.date(2026, 2, 2),
        )


def test_rollup_matches_hand_computed_figures(world, cbs):
    x, _y = operator_sides(world)
    OperatorNeighbourhood.objects.filter(neighbourhood=world.b.neighbourhood).update(
        operator=x.operator
    )
    world.a.neighbourhood.cbs_code = "BU03620804"
    world.a.neighbourhood.save()
    households = CbsArea.objects.get(code="BU03620804").households
    crafted(world)
    result = rollup(x.operator, START, END)
    a = next(r for r in result.rows if r.slug == world.a.slug)
    b = next(r for r in result.rows if r.slug == world.b.slug)
    assert (a.people, a.people_start, a.new_people) == (4, 1, 3)
    assert a.households == households and a.coverage == pytest.approx(400 / households)
    assert a.conversations == 2
    assert (a.ties_start, a.ties) == (1, 2)
    assert a.density_start == 0.0  # one person before the period: no pair possible
    assert a.density == pytest.approx(2 * 2 / (4 * 3))
    assert a.initiatives == 1 and a.carriers == 2
    # values in euros of the index's latest year (2025 here, so unchanged)
    assert a.outcomes == 2 and (a.value_low, a.value_high) == (Decimal(90), Decimal(150))
    assert a.domains["care"] == [2, Decimal(90), Decimal(150)]
    assert a.domains["cohesion"] == [1, Decimal(60), Decimal(100)]
    assert (a.strengthening, a.harmful, a.neutral, a.balance) == (2, 1, 0, 1)
    assert (b.people, b.ties, b.density) == (2, 1, 1.0)
    total = result.total
    assert (total.people, total.ties, total.conversations, total.outcomes) == (6, 3, 2, 2)
    assert total.value_high == Decimal(150) and total.households is None  # B has no CBS figures
    assert total.density == pytest.approx((a.density + b.density) / 2)
    # Both in wijk WK036208: a wijk subtotal row.
    assert [r.level for r in result.rows] == ["neighbourhood", "neighbourhood", "wijk"]


def test_dashboard_queries_do_not_grow_with_neighbourhoods(
    world, client_for, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    x, _y = operator_sides(world)
    client = client_for(x.admin)
    url = reverse("operators:dashboard", args=[x.slug])
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for index in range(5):
        create_neighbourhood(x.operator, by=x.admin, name=f"Extra {index}")
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)


def test_no_names_at_organisation_level(world, client_for):
    x, _y = operator_sides(world)
    crafted(world)
    Person.objects.filter(neighbourhood=world.a.neighbourhood).update(name="Zwaantje Geheimnaam")
    client = client_for(x.admin)
    query = {"start": "2026-01-01", "end": "2026-06-30"}
    pages = [
        client.get(reverse("operators:dashboard", args=[x.slug]), query).content.decode(),
        client.get(reverse("operators:export", args=[x.slug, "csv"]), query).getvalue().decode(),
    ]
    xlsx = client.get(reverse("operators:export", args=[x.slug, "xlsx"]), query).getvalue()
    sheet = load_workbook(io.BytesIO(xlsx)).active
    pages.append(" ".join(str(c.value) for row in sheet.iter_rows() for c in row))
    result = rollup(x.operator, START, END)
    pages.append(
        "".join(page.extract_text() for page in PdfReader(io.BytesIO(reports.as_pdf(result))).pages)
    )
    for text in pages:
        assert "Geheimnaam" not in text and "Zwaantje" not in text
        assert "A0" not in text.split() and "Koffie" not in text
    assert "Populierenbuurt" in pages[0] and "Populierenbuurt" in pages[1]


def test_pdf_report_runs_as_a_job(world, client_for):
    x, _y = operator_sides(world)
    client = client_for(x.admin)
    response = client.post(
        reverse("operators:report_pdf", args=[x.slug]), {"start": "2026-01-01", "end": "2026-06-30"}
    )
    job = Job.objects.filter(scope=x.operator.scope, kind=reports.PDF_KIND).latest("pk")
    assert response["Location"] == reverse("operators:job", args=[x.slug, job.token])
    assert job.state == State.DONE and job.file_name.endswith(".pdf")
    download = client.get(reverse("operators:job_download", args=[x.slug, job.token]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    # in the access log like the CSV and Excel exports: what, and how many rows
    from audit.models import AccessEntry

    entry = AccessEntry.objects.latest("pk")
    rows = len(rollup(x.operator, datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)).rows)
    assert (entry.what, entry.count, entry.operator_id) == (
        "organisation report (pdf)",
        rows,
        x.operator.pk,
    )
    assert rows > 0


def test_a_failing_job_is_retried_reported_and_retryable(world, client_for, monkeypatch):
    x, _y = operator_sides(world)
    calls = []

    def broken(job, progress):
        calls.append(job.attempts)
        raise RuntimeError("boom")

    monkeypatch.setitem(job_tasks.HANDLERS, "broken", broken)
    job = job_tasks.start(Job(kind="broken", scope=x.operator.scope, title="t", created_by=x.admin))
    job.refresh_from_db()
    assert calls == [1, 2, 3] and job.state == State.FAILED
    page = (
        client_for(x.admin).get(reverse("operators:job", args=[x.slug, job.token])).content.decode()
    )
    assert "also after 3 tries" in page and "Try again" in page
    monkeypatch.setitem(
        job_tasks.HANDLERS, "broken", lambda job, progress: (b"ok", "ok.txt", "text/plain")
    )
    client_for(x.admin).post(reverse("operators:job_retry", args=[x.slug, job.token]))
    job.refresh_from_db()
    assert job.state == State.DONE and job.file_name == "ok.txt"
    # Delivered again: nothing runs twice.
    assert job_tasks.run_job.call(job.pk) == "skipped"


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_report_jobs_queued_while_it_was_down(settings):
    from tests.factories import make_world

    world = make_world()
    settings.ASSETMAP_TASK_BACKEND = "database"
    x, _y = operator_sides(world)
    job = job_tasks.start(
        Job(kind=reports.PDF_KIND, scope=x.operator.scope, title="t", created_by=x.admin,
            params={"operator": x.operator.pk, "start": "2026-01-01", "end": "2026-06-30"})
    )  # fmt: skip
    job.refresh_from_db()
    assert job.state == State.WAITING
    call_command(
        "db_worker", "--batch", "--backend", "database", "--no-startup-delay", "--no-reload"
    )
    job.refresh_from_db()
    assert job.state == State.DONE and job.attempts == 1


def test_demo_puts_the_demo_neighbourhoods_in_one_organisation(db):
    from neighbourhoods.demo import DemoWorld, seed_core
    from operators.demo import seed_operator, seed_scale

    world = DemoWorld(password="pw-demo-123", people=3)
    seed_core(world)
    seed_operator(world)
    operator = OperatorNeighbourhood.objects.get(neighbourhood__slug="populierenbuurt").operator
    assert operator.name == "Participe Amstelland" and operator.kind == "welfare"
    assert operator.links.count() == 2
    assert operator.admins.get().user.username == "orgadmin"
    made = seed_scale(3, 10)
    assert len(made) == 3 and Person.objects.filter(neighbourhood=made[0]).count() == 10
    assert seed_scale(3, 10) == []  # idempotent


def test_old_jobs_and_their_files_are_removed(world, django_capture_on_commit_callbacks):
    from django.core.files.storage import default_storage

    x, _y = operator_sides(world)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_tasks.start(
            Job(kind=reports.PDF_KIND, scope=x.operator.scope, title="t", created_by=x.admin,
                params={"operator": x.operator.pk, "start": "2026-01-01", "end": "2026-06-30"})
        )  # fmt: skip
    job.refresh_from_db()
    assert default_storage.exists(job.file)
    with django_capture_on_commit_callbacks(execute=True):
        assert job_tasks.purge_old(now=timezone.now() + datetime.timedelta(days=8)) >= 1
    assert not Job.objects.filter(pk=job.pk).exists()
    assert not default_storage.exists(job.file)
