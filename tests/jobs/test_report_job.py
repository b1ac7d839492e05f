"""The outcomes report PDF of a long period is made by a job; short periods stay direct."""

import datetime

from django.urls import reverse

from jobs.models import Job, State
from outcomes.report_jobs import KIND


def test_a_long_period_pdf_is_made_in_the_background(world, client_for):
    client = client_for(world.a.coordinator)
    url = reverse("outcomes:report_pdf", args=[world.a.slug])
    short = client.get(url, {"from": "2026-01-01", "to": "2026-06-30"})
    assert short["Content-Type"] == "application/pdf"
    offer = client.get(url, {"from": "2020-01-01", "to": "2026-06-30", "audience": "internal"})
    assert offer["Content-Type"].startswith("text/html")
    assert "made in the background" in offer.content.decode()
    response = client.post(
        reverse("outcomes:report_pdf_job", args=[world.a.slug]),
        {"from": "2020-01-01", "to": "2026-06-30", "audience": "internal"},
    )
    job = Job.objects.get(kind=KIND)
    assert response["Location"] == reverse("jobs:job", args=[world.a.slug, job.token])
    assert job.state == State.DONE and job.params["start"] == "2020-01-01"
    page = client.get(response["Location"]).content.decode()
    assert "report-populierenbuurt-20200101-20260630.pdf" in page
    pdf = client.get(reverse("jobs:job_download", args=[world.a.slug, job.token]))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    # Another neighbourhood's coordinator (staff aside) never reaches it: 404 by the walk.
    assert client_for(world.b.builder).get(response["Location"]).status_code == 404


def test_a_report_job_of_someone_no_longer_coordinator_fails_clearly(world):
    from jobs import tasks

    world.a.membership(world.a.coordinator).delete()
    job = tasks.start(
        Job(
            kind=KIND,
            scope=f"neighbourhood:{world.a.neighbourhood.pk}",
            title="t",
            created_by=world.a.coordinator,
            params={
                "neighbourhood": world.a.neighbourhood.pk,
                "start": str(datetime.date(2020, 1, 1)),
                "end": "2026-06-30",
                "audience": "internal",
            },
        )
    )
    job.refresh_from_db()
    assert job.state == State.FAILED and "Only a coordinator" in job.message
    assert job.attempts == 1  # a refusal is not retried


def test_downloading_a_job_s_report_is_in_the_access_log(world, client_for):
    """Like the direct PDF: who, what (a fixed description), when and how many records; no
    names, no person ids, nothing from the title or the file name."""
    from audit.models import AccessAction, AccessEntry, AccessSubject
    from tests.outcomes.factories import make_outcome

    nb = world.a.neighbourhood
    for day in (datetime.date(2021, 5, 1), datetime.date(2024, 2, 3)):
        make_outcome(nb, "Meneer Zwaantje eet weer mee", happened_on=day)
    client = client_for(world.a.coordinator)
    period = {"from": "2020-01-01", "to": "2026-06-30", "audience": "internal"}
    client.post(reverse("outcomes:report_pdf_job", args=[world.a.slug]), period)
    job = Job.objects.get(kind=KIND)
    assert not AccessEntry.objects.exists()  # making it is not reading it
    url = reverse("jobs:job_download", args=[world.a.slug, job.token])
    b"".join(client.get(url).streaming_content)
    entry = AccessEntry.objects.get()
    assert (entry.actor, entry.role, entry.action, entry.neighbourhood) == (
        world.a.coordinator,
        "coordinator",
        AccessAction.REPORT,
        nb,
    )
    assert (entry.what, entry.count) == ("outcomes report (pdf, internal)", 2)
    assert not AccessSubject.objects.exists()
    assert "Zwaantje" not in entry.what and "populierenbuurt" not in entry.what
    # the same description and count as the report downloaded straight away
    client.get(
        reverse("outcomes:report_pdf", args=[world.a.slug]), {**period, "from": "2026-01-01"}
    )
    direct = AccessEntry.objects.latest("pk")
    assert direct.what == entry.what
    # a file not (yet) there is no download: nothing logged
    Job.objects.filter(pk=job.pk).update(file="")
    assert client.get(url).status_code == 404
    assert AccessEntry.objects.count() == 2
