"""The leak hunt on the newer pages, for every role: the change log and the access logs, the
organisation pages under /o/<slug>/, the HSDS API and the downloads.

The markers and their categories are ``markers.build_hunt``'s (see ``test_leak_hunt``); the
hunt also writes the audit trail's "created" row of every tracked record it made, so the
change log carries markers, and it publishes a place (managed by H), an organisation (H a
member) and an initiative (H its initiator). Before the crawl, :func:`_fill_access_log` takes
data out as the app's users do: the coordinator downloads every export (and once with a
hidden neighbour's name in the address), a builder opens a hidden neighbour's page, the
organisation's admin downloads its reports. Then each role GETs every page of each group
below (as a page and as htmx) and follows its links and filter options:

``logs``
    /n/A/changes/ (its filters followed, every page of it), each person's history.
``access``
    /n/A/access-log/, /o/X/access-log/, /o/Y/access-log/ and the resident's /me/A/history/
    (who took out data about her): the access log is "free of the personal data it refers
    to", so no marker at all may appear on it, for anybody (the resident's own page: nothing
    hidden from her).
``downloads``
    Every export format (csv, csv-nl, xlsx of people, organisations and places; GeoJSON,
    HSDS ZIP and JSON, Kumu XLSX and JSON), the network measures CSV; ZIPs and XLSX unpacked.
``organisations``
    Every route under /o/X/ (A's organisation) and /o/Y/ (B's), and /o/.
``api``
    Every route under /api/hsds/A/ (published), with the published records' ids and the
    unpublished ones', and ``?search=LEAKqq`` on the lists.

Who may read what: the coordinator of A everything, except conversations' text in the change
log (it keeps only which fields changed) and anything in an access log; a builder of A
everything a builder may (every category) and none of the coordinator's pages; the resident R
nothing ``HIDDEN``; anonymous, the builder of B and the admins of both organisations only
``PUBLIC`` markers (the organisation pages are aggregates; the API only what the published
page shows).
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from exchange import exporting
from exchange.columns import ORGANISATIONS, PEOPLE, PLACES
from exchange.hsds import TAXONOMY_ID, stable_id, term_id
from jobs.models import Job, State
from operators.reports import PDF_KIND
from tests.operators.factories import OperatorSide, operator_sides

from .markers import HIDDEN, PREFIX, PUBLIC, Hunt
from .walk import Result, report, urls_of, walk

ORGANISATION_ROUTES = ("o/<slug:slug>/",)
API_ROUTES = ("api/hsds/<slug:slug>/",)
GROUPS = ("logs", "access", "downloads", "organisations", "api")


@pytest.fixture
def orgs(world):
    return operator_sides(world)


def _organisation_urls(side: OperatorSide) -> list[str]:
    objects = side.objects
    candidates = {
        "fmt": ["csv", "xlsx"],
        "token": [
            objects["job"].token,
            *([objects["report"].token] if "report" in objects else []),
        ],
        "membership_id": [objects["membership"].pk],
        "invitation_id": [objects["invitation"].pk],
    }
    return urls_of(ORGANISATION_ROUTES, side.slug, candidates)


def _api_urls(hunt: Hunt, slug: str) -> list[str]:
    o = hunt.objects
    nb = o["R"].neighbourhood

    def ids(kind: str, *names: str) -> list[str]:
        return [stable_id(nb, kind, o[n].pk, getattr(o[n], "external_id", "") or "") for n in names]

    candidates = {
        "hsds_service": ids("initiative", "public_initiative", "initiative"),
        "hsds_organization": ids("organisation", "public_organisation", "organisation"),
        "hsds_location": ids("place", "public_place", "place"),
        "hsds_service_at_location": ids("initiative-place", "public_initiative", "initiative"),
        "hsds_taxonomy": [TAXONOMY_ID],
        "hsds_taxonomy_term": [
            term_id("place", o["public_place"].kind),
            term_id("organisation", o["public_organisation"].kind),
        ],
    }
    urls = urls_of(API_ROUTES, slug, candidates)
    lists = [
        u for u in urls if not u.endswith("/") and u.rsplit("/", 1)[1].replace("_", "").isalpha()
    ]
    return urls + [f"{u}?search={PREFIX}" for u in lists]


def _unpublished_ids(hunt: Hunt) -> list[str]:
    o = hunt.objects
    nb = o["R"].neighbourhood
    return [
        stable_id(nb, "initiative", o["initiative"].pk),
        stable_id(nb, "organisation", o["organisation"].pk),
        stable_id(nb, "place", o["place"].pk),
        stable_id(nb, "initiative-place", o["initiative"].pk),
    ]


def _downloads(slug: str) -> list[str]:
    urls = []
    for fmt in exporting.FORMATS:
        base = reverse("exchange:export_download", args=[slug, fmt])
        if fmt in exporting.TABLE_FORMATS:
            urls += [f"{base}?what={what}" for what in (PEOPLE, ORGANISATIONS, PLACES)]
        else:
            urls.append(base)
    return [*urls, reverse("network:measures", args=[slug])]


def _pages(hunt: Hunt, world, orgs) -> dict[str, list[str]]:
    slug = world.a.slug
    o = hunt.objects
    changes = reverse("audit:changes", args=[slug])
    return {
        "logs": [
            changes,
            f"{changes}?action=update",
            f"{changes}?since=2020-01-01&until=2099-12-31",
            # one record's history, as the initiative page links it
            f"{changes}?kind=network.Initiative&record={o['initiative'].pk}",
            f"{changes}?kind=residents.Person&record={o['H'].pk}",
            *(
                reverse("audit:person_history", args=[slug, o[who].pk])
                for who in ("R", "V", "H", "H2")
            ),
        ],
        "access": [
            reverse("audit:access_log", args=[slug]),
            *(reverse("operators:access_log", args=[side.slug]) for side in orgs),
            reverse("me:history", args=[slug]),
        ],
        "downloads": _downloads(slug),
        "organisations": [
            reverse("operators_public:list"),
            *(url for side in orgs for url in _organisation_urls(side)),
        ],
        "api": _api_urls(hunt, slug),
    }


def _prefixes(group: str, pages: list[str], world, orgs) -> tuple[str, ...]:
    """Where the crawl of a group may follow links: within the group's own pages."""
    slug = world.a.slug
    return {
        "logs": (reverse("audit:changes", args=[slug]), *(u for u in pages if "/people/" in u)),
        "access": (
            reverse("audit:access_log", args=[slug]),
            *(reverse("operators:access_log", args=[side.slug]) for side in orgs),
        ),
        "downloads": (f"/n/{slug}/export/",),
        "organisations": tuple(f"/o/{side.slug}/" for side in orgs),
        "api": (f"/api/hsds/{slug}/",),
    }[group]


def _fill_access_log(hunt: Hunt, world, orgs) -> str:
    """Take data out as the app's users do, so the access logs have entries; returns the
    hidden marker the coordinator put in the address of two exports."""
    a = world.a
    secret = hunt.objects["H"].name  # H's name: builders only
    coordinator = Client(raise_request_exception=False)
    coordinator.force_login(a.coordinator)
    for url in _downloads(a.slug):
        assert coordinator.get(url).status_code == 200, url
    for fmt in (exporting.GEOJSON, exporting.KUMU_JSON):
        url = reverse("exchange:export_download", args=[a.slug, fmt])
        assert coordinator.get(url, {"what": secret}).status_code == 200
    builder = Client(raise_request_exception=False)
    builder.force_login(a.builder)
    for who in ("H", "V"):
        url = reverse("residents:person", args=[a.slug, hunt.objects[who].pk])
        assert builder.get(url).status_code == 200, url
    for side in orgs:
        admin = Client(raise_request_exception=False)
        admin.force_login(side.admin)
        for url in _organisation_urls(side):
            if "/export/" in url or url.endswith("/download/"):
                assert admin.get(url).status_code == 200, url
        # the report as PDF (a job, run at once in tests): its page and file are crawled
        made = admin.post(reverse("operators:report_pdf", args=[side.slug]))
        assert made.status_code == 302, made.status_code
        job = Job.objects.filter(kind=PDF_KIND, created_by=side.admin).latest("pk")
        assert job.state == State.DONE, job.message
        side.objects["report"] = job
    return secret


def _crawl(hunt: Hunt, user, world, orgs, forbidden: dict[str, set[str]]) -> Result:
    """Every group's pages as ``user``, each with its own forbidden markers."""
    pages = _pages(hunt, world, orgs)
    total = Result()
    for group in GROUPS:
        part = walk(
            hunt,
            user,
            pages[group],
            forbidden[group],
            prefixes=_prefixes(group, pages[group], world, orgs),
            relative=True,
        )
        for (url, marker), context in part.findings.items():
            total.findings[(f"{group}: {url}", marker)] = context
        total.seen |= part.seen
        total.statuses.update(part.statuses)
        total.requests += part.requests
    return total


def _statuses(result: Result, urls, allowed: set[int]) -> list[str]:
    return [f"{u}: {result.statuses.get(u)}" for u in urls if result.statuses.get(u) not in allowed]


def _conversation_text(hunt: Hunt) -> set[str]:
    return {m for m in hunt.markers if hunt.where(m).startswith("conversations.Conversation.")}


def test_the_hunt_puts_markers_in_the_change_log(hunt, world):
    from audit.models import AuditEntry

    h = hunt.objects["H"]
    row = AuditEntry.objects.filter(model_label="residents.Person", object_id=str(h.pk)).latest(
        "pk"
    )
    assert row.changes["phone"] == [None, h.phone]
    talk = AuditEntry.objects.filter(
        model_label="conversations.Conversation", object_id=str(hunt.objects["conversation_h"].pk)
    ).latest("pk")
    assert talk.changes["private_notes"] is None  # only the field's name is kept


def test_coordinator_reads_logs_without_conversation_text_and_access_logs_without_data(
    hunt, world, orgs
):
    _fill_access_log(hunt, world, orgs)
    everything = set(hunt.markers)
    forbidden = {
        "logs": _conversation_text(hunt),
        "access": everything,
        "downloads": set(),
        "organisations": set(),
        "api": set(),
    }
    result = _crawl(hunt, world.a.coordinator, world, orgs, forbidden)
    assert not result.findings, report(hunt, result)
    pages = _pages(hunt, world, orgs)
    assert _statuses(result, pages["logs"] + pages["downloads"], {200}) == []
    assert _statuses(result, pages["access"][:1], {200}) == []
    # the crawl read the hidden data where the coordinator may (else it proves nothing)
    logs = walk(hunt, world.a.coordinator, pages["logs"][:1], set(), prefixes=("/-",))
    assert logs.seen & hunt.of(HIDDEN), "the change log showed no value of a hidden field"
    assert result.seen & hunt.of(HIDDEN)
    # the filters were followed, pages beyond the first too
    changes = pages["logs"][0]
    assert any(u.startswith(f"{changes}?who=") for u in result.statuses)
    assert any(u.startswith(f"{changes}?kind=") for u in result.statuses)
    assert any("page=2" in u for u in result.statuses), "the change log's second page"


def test_builder_reads_no_coordinator_page_and_no_data_in_an_access_log(hunt, world, orgs):
    _fill_access_log(hunt, world, orgs)
    forbidden = {"logs": set(), "access": set(hunt.markers), "downloads": set()}
    forbidden |= {"organisations": set(), "api": set()}
    result = _crawl(hunt, world.a.builder, world, orgs, forbidden)
    assert not result.findings, report(hunt, result)
    pages = _pages(hunt, world, orgs)
    measures = reverse("network:measures", args=[world.a.slug])
    assert result.statuses[measures] == 200
    refused = [*pages["logs"], *pages["access"][:1], *pages["downloads"][:-1]]
    assert _statuses(result, refused, {403}) == []
    assert _statuses(result, pages["organisations"][1:], {404}) == []


def test_resident_reads_nothing_hidden_in_logs_downloads_or_her_history(hunt, world, orgs):
    secret = _fill_access_log(hunt, world, orgs)
    hidden = hunt.of(HIDDEN)
    forbidden = {group: hidden for group in GROUPS}
    result = _crawl(hunt, world.a.resident, world, orgs, forbidden)
    assert not result.findings, report(hunt, result)
    pages = _pages(hunt, world, orgs)
    history = reverse("me:history", args=[world.a.slug])
    assert result.statuses[history] == 200
    assert result.statuses[reverse("network:measures", args=[world.a.slug])] == 200
    assert _statuses(result, [*pages["logs"], *pages["downloads"][:-1]], {403}) == []
    assert secret not in "".join(str(c) for c in result.findings.values())


@pytest.mark.parametrize("who", ["builder_b", "orgadmin_x", "orgadmin_y", "anonymous"])
def test_nobody_outside_the_neighbourhood_reads_more_than_its_published_page(
    hunt, world, orgs, who
):
    _fill_access_log(hunt, world, orgs)
    x, y = orgs
    user = {
        "builder_b": world.b.builder,
        "orgadmin_x": x.admin,
        "orgadmin_y": y.admin,
        "anonymous": None,
    }[who]
    not_public = set(hunt.markers) - hunt.of(PUBLIC)
    forbidden = {group: not_public for group in GROUPS}
    if who == "orgadmin_x" or who == "orgadmin_y":
        forbidden["access"] = set(hunt.markers)
    result = _crawl(hunt, user, world, orgs, forbidden)
    assert not result.findings, report(hunt, result)
    pages = _pages(hunt, world, orgs)
    refused = {302, 404} if user is None else {404}
    neighbourhood_pages = [*pages["logs"], *pages["access"][:1], *pages["downloads"]]
    assert _statuses(result, neighbourhood_pages, refused) == []
    own = {"orgadmin_x": x, "orgadmin_y": y}.get(who)
    for side in orgs:
        urls = [u for u in pages["organisations"] if u.startswith(f"/o/{side.slug}/")]
        gets = [u for u in urls if not u.endswith(("/retry/", "/remove/", "/revoke/", "/pdf/"))]
        assert _statuses(result, gets, {200} if side is own else refused) == [], side.slug
    # The API answers everyone with the published records, and only those.
    api = pages["api"]
    unpublished = _unpublished_ids(hunt)
    hidden = [u for u in api if any(i in u for i in unpublished)]
    shown = [u for u in api if u not in hidden]
    assert hidden and shown
    assert _statuses(result, hidden, {404}) == []
    assert _statuses(result, shown, {200}) == []
    assert result.seen & hunt.of(PUBLIC), "the API showed none of the published records"
