"""The upload page: preview with column mapping and errors by line, confirm, progress, cancel."""

import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from exchange import jobs
from exchange.models import ImportJob, JobStatus
from places.models import Place
from residents.models import Person

from .factories import PLACES_CSV, make_job


def upload(client, world, content: bytes, name="places.csv", **extra):
    url = reverse("exchange:import", args=[world.a.slug])
    return client.post(url, {"file": SimpleUploadedFile(name, content), **extra})


@pytest.fixture
def coordinator(world, client_for):
    return client_for(world.a.coordinator)


def test_upload_preview_confirm(world, coordinator):
    response = upload(coordinator, world, PLACES_CSV.encode())
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert default_storage.exists(job.stored_name)
    assert job.stored_name.startswith(f"imports/{job.token}/")
    preview = coordinator.get(job.get_absolute_url()).content.decode()
    assert "Read as CSV." in preview
    assert "<code>house_number</code>" in preview
    assert "Buurthuis De Populier" in preview
    assert "2 new" in preview
    assert not Place.objects.exists()  # nothing before the confirm
    response = coordinator.post(reverse("exchange:import_confirm", args=[world.a.slug, job.token]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.result["counts"]["places"]["created"] == 2
    assert Place.objects.count() == 2
    done = coordinator.get(job.get_absolute_url()).content.decode()
    assert "2 added, 0 updated, 0 unchanged" in done
    assert "hx-trigger" not in done
    # confirming twice does nothing more
    coordinator.post(reverse("exchange:import_confirm", args=[world.a.slug, job.token]))
    assert Place.objects.count() == 2


def test_bad_rows_are_listed_and_need_an_explicit_choice(world, coordinator):
    text = 'naam;soort;lat;lon\nGoed café;park;52,3;4,86\n;park;;\nVer;park;123;4\n=HYPERLINK("x");kasteel;;\n'
    upload(coordinator, world, text.encode("cp1252"))
    job = ImportJob.objects.get()
    preview = coordinator.get(job.get_absolute_url()).content.decode()
    assert "read as Latin-1" in preview
    assert "<strong>line 3</strong>: The name is missing." in preview
    assert "<strong>line 4</strong>: latitude 123 is not between -90 and 90." in preview
    assert "Unknown kind “kasteel”" in preview
    assert "Import only the valid rows" in preview
    confirm = reverse("exchange:import_confirm", args=[world.a.slug, job.token])
    refused = coordinator.post(confirm)
    assert refused.status_code == 422
    assert "Nothing was imported" in refused.content.decode()
    assert not Place.objects.exists()
    coordinator.post(confirm, {"valid_only": "on"})
    assert list(Place.objects.values_list("name", flat=True)) == ["Goed café"]
    job.refresh_from_db()
    assert job.result["skipped"] == 3


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "empty.csv", "The submitted file is empty."),
        (b"name,kind\n", "header.csv", "There is nothing to import in this file."),
        (b"\xef\xbb\xbf\n\n", "blank.csv", "The file is empty."),
        (b"hello,world\n1,2\n", "x.csv", "None of the columns is known"),
    ],
)
def test_empty_and_unknown_files_get_a_clear_message(world, coordinator, content, name, message):
    response = upload(coordinator, world, content, name)
    if response.status_code == 422:
        page = response.content.decode()
    else:
        page = coordinator.get(ImportJob.objects.get().get_absolute_url()).content.decode()
    assert message in page


def test_zip_that_is_not_a_data_package(world, coordinator):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    upload(coordinator, world, buffer.getvalue(), "package.zip")
    job = ImportJob.objects.get()
    page = coordinator.get(job.get_absolute_url())
    assert page.status_code == 200
    assert "not an HSDS data package: it has no datapackage.json" in page.content.decode()
    assert "Upload another file" in page.content.decode()
    response = coordinator.post(reverse("exchange:import_confirm", args=[world.a.slug, job.token]))
    assert response.status_code == 422


def test_a_50_mb_upload_is_refused_before_it_is_read(world, coordinator, tmp_path, monkeypatch):
    big = tmp_path / "big.csv"
    with big.open("wb") as handle:
        handle.write(b"name\n")
        handle.truncate(50 * 1024 * 1024)

    def never(*args):
        raise AssertionError("the upload was read")

    for handler in ("TemporaryFileUploadHandler", "MemoryFileUploadHandler"):
        monkeypatch.setattr(f"django.core.files.uploadhandler.{handler}.receive_data_chunk", never)
    with big.open("rb") as handle:
        response = coordinator.post(
            reverse("exchange:import", args=[world.a.slug]), {"file": handle}
        )
    assert response.status_code == 422
    assert (
        "The file is 50.0" in response.content.decode()
        and "the limit is 10" in response.content.decode()
    )
    assert not ImportJob.objects.exists()
    assert not default_storage.exists("imports")


def test_cancel_removes_the_file(world, coordinator, django_capture_on_commit_callbacks):
    job = make_job(world.a.neighbourhood, world.a.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(
            reverse("exchange:import_cancel", args=[world.a.slug, job.token])
        )
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED
    assert not default_storage.exists(job.stored_name)


def test_jobs_of_another_neighbourhood_are_not_found(world, client_for):
    job = make_job(world.b.neighbourhood, world.b.builder)
    staff = client_for(world.staff)
    assert (
        staff.get(reverse("exchange:import_job", args=[world.b.slug, job.token])).status_code == 200
    )
    url = reverse("exchange:import_job", args=[world.a.slug, job.token])
    assert client_for(world.a.coordinator).get(url).status_code == 404


def test_progress_fragment_polls_while_running(world, coordinator):
    job = make_job(world.a.neighbourhood, world.a.coordinator)
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.CHECKING, total=2000, done=500)
    url = reverse("exchange:import_progress", args=[world.a.slug, job.token])
    html = coordinator.get(url, headers={"HX-Request": "true"}).content.decode()
    assert html.lstrip().startswith('<section id="import-status"')
    assert 'hx-trigger="every 1s"' in html
    assert '<progress id="import-progress" max="2000" value="500">' in html
    assert coordinator.get(url).status_code == 302  # without HTMX: the job page


def test_old_jobs_and_their_files_are_purged(world, django_capture_on_commit_callbacks):
    job = make_job(world.a.neighbourhood)
    ImportJob.objects.filter(pk=job.pk).update(created_at=job.created_at - jobs.KEEP * 2)
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.purge_old() == 1
    assert not default_storage.exists(job.stored_name)


def test_people_import_through_the_page(world, coordinator):
    upload(coordinator, world, b"name,street,gifts\nHenk,Laan,hands: koken\n", "people.csv")
    job = ImportJob.objects.get()
    assert "hands: koken" in coordinator.get(job.get_absolute_url()).content.decode()
    coordinator.post(reverse("exchange:import_confirm", args=[world.a.slug, job.token]))
    henk = Person.objects.get(name="Henk")
    assert henk.consents.get().recorded_by == world.a.coordinator
    assert henk.created_by == world.a.coordinator


@pytest.mark.django_db(transaction=True)
def test_the_worker_picks_up_an_import_queued_while_it_was_down(settings, client_for):
    """A confirmed import waits on the database queue until a worker runs, then imports once."""
    from django.core.management import call_command

    from exchange.tasks import run_import
    from tests.factories import make_world

    world = make_world()
    settings.ASSETMAP_TASK_BACKEND = "database"  # the real queue; no worker is running
    job = make_job(world.a.neighbourhood, world.a.coordinator)
    coordinator = client_for(world.a.coordinator)
    coordinator.post(reverse("exchange:import_confirm", args=[world.a.slug, job.token]))
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    assert "Waiting for a worker" in coordinator.get(job.get_absolute_url()).content.decode()
    assert not Place.objects.filter(neighbourhood=world.a.neighbourhood).exists()

    call_command(
        "db_worker", "--batch", "--backend", "database", "--no-startup-delay", "--no-reload"
    )

    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 1
    assert Place.objects.filter(neighbourhood=world.a.neighbourhood).count() == 2
    # The same task delivered again (a second worker, a replay) imports nothing.
    assert run_import.call(job.pk) == "skipped"
    assert Place.objects.filter(neighbourhood=world.a.neighbourhood).count() == 2


def test_an_import_that_fails_is_retried_then_reported_and_can_be_retried(
    world, coordinator, monkeypatch
):
    from exchange import importing

    real = importing.apply_plan
    calls = []

    def broken(*args, **kwargs):
        calls.append(1)
        raise RuntimeError("database went away")

    monkeypatch.setattr(importing, "apply_plan", broken)
    job = make_job(world.a.neighbourhood, world.a.coordinator)
    coordinator.post(reverse("exchange:import_confirm", args=[world.a.slug, job.token]))
    job.refresh_from_db()
    assert len(calls) == 3 and job.attempts == 3
    assert job.status == JobStatus.FAILED
    page = coordinator.get(job.get_absolute_url()).content.decode()
    assert "also after 3 tries; nothing was imported" in page
    assert "Try again" in page
    assert not Place.objects.filter(neighbourhood=world.a.neighbourhood).exists()

    monkeypatch.setattr(importing, "apply_plan", real)
    coordinator.post(reverse("exchange:import_retry", args=[world.a.slug, job.token]))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert Place.objects.filter(neighbourhood=world.a.neighbourhood).count() == 2
    # A retry of a finished import changes nothing.
    coordinator.post(reverse("exchange:import_retry", args=[world.a.slug, job.token]))
    assert Place.objects.filter(neighbourhood=world.a.neighbourhood).count() == 2
