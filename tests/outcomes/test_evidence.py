"""Evidence files: PDFs and photos only, 10 MB at most, served only after an access check."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from outcomes.models import Evidence, EvidenceKind

from .factories import PDF_BYTES, make_evidence, make_outcome, png_bytes


def _upload(client, side, outcome, upload, caption="proof"):
    return client.post(
        reverse("outcomes:evidence_add", args=[side.slug, outcome.pk]),
        {"file": upload, "caption": caption},
    )


def test_pdf_is_stored_under_a_random_name_and_served_as_attachment(world, client_for):
    outcome = make_outcome(world.a.neighbourhood)
    client = client_for(world.a.builder)
    response = _upload(
        client, world.a, outcome, SimpleUploadedFile("minutes <b>.pdf", PDF_BYTES, "text/html")
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.kind == EvidenceKind.PDF
    assert "minutes" not in evidence.file.name and evidence.file.name.endswith(".pdf")
    served = client.get(evidence.get_absolute_url())
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"
    assert served["Content-Disposition"].startswith("attachment;")
    assert served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served.streaming_content) == PDF_BYTES


def test_photo_is_re_encoded_without_metadata(world, client_for):
    outcome = make_outcome(world.a.neighbourhood)
    image = Image.new("RGB", (20, 10), (200, 10, 10))
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010E] = "secret description"
    image.save(out, "JPEG", exif=exif)
    client = client_for(world.a.builder)
    _upload(client, world.a, outcome, SimpleUploadedFile("wadi.jpg", out.getvalue(), "image/jpeg"))
    evidence = Evidence.objects.get()
    assert evidence.kind == EvidenceKind.IMAGE
    served = client.get(evidence.get_absolute_url())
    body = b"".join(served.streaming_content)
    assert served["Content-Type"] == "image/jpeg"
    assert b"secret description" not in body


def test_a_file_that_is_neither_pdf_nor_photo_is_refused(world, client_for):
    outcome = make_outcome(world.a.neighbourhood)
    fake = SimpleUploadedFile("report.pdf", b"<html><script>alert(1)</script>", "application/pdf")
    response = _upload(client_for(world.a.builder), world.a, outcome, fake, caption="keep me")
    body = response.content.decode()
    assert response.status_code == 422
    assert "Only PDF documents or JPEG, PNG or WebP photos" in body
    assert 'value="keep me"' in body
    assert not Evidence.objects.exists()


def test_a_broken_photo_is_refused_clearly(world, client_for):
    outcome = make_outcome(world.a.neighbourhood)
    broken = SimpleUploadedFile("x.png", png_bytes()[:30], "image/png")
    response = _upload(client_for(world.a.builder), world.a, outcome, broken)
    assert response.status_code == 422
    assert "could not be read" in response.content.decode()


def test_a_50_mb_upload_is_refused_with_its_size(world, client_for, tmp_path):
    outcome = make_outcome(world.a.neighbourhood)
    big = tmp_path / "big.pdf"
    with big.open("wb") as handle:
        handle.write(PDF_BYTES)
        handle.seek(50 * 1024 * 1024 - 1)
        handle.write(b"\n")
    with big.open("rb") as handle:
        response = _upload(client_for(world.a.builder), world.a, outcome, handle)
    body = response.content.decode()
    assert response.status_code == 422
    assert "This file is 50.0 MB; the limit is 10 MB." in body
    assert not Evidence.objects.exists()


def test_no_file_at_all(world, client_for):
    outcome = make_outcome(world.a.neighbourhood)
    response = client_for(world.a.builder).post(
        reverse("outcomes:evidence_add", args=[world.a.slug, outcome.pk])
    )
    assert response.status_code == 422
    assert "Choose a file to upload." in response.content.decode()


def test_evidence_is_not_served_to_residents_or_other_neighbourhoods(world, client_for):
    evidence = make_evidence(make_outcome(world.a.neighbourhood))
    url = evidence.get_absolute_url()
    assert client_for(world.a.resident).get(url).status_code == 403
    assert client_for(world.b.builder).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302


def test_evidence_of_another_outcome_is_404(world, client_for):
    evidence = make_evidence(make_outcome(world.a.neighbourhood))
    other = make_outcome(world.a.neighbourhood)
    url = reverse("outcomes:evidence", args=[world.a.slug, other.pk, evidence.pk])
    assert client_for(world.a.builder).get(url).status_code == 404


def test_removing_evidence_deletes_the_file(world, client_for, django_capture_on_commit_callbacks):
    evidence = make_evidence(make_outcome(world.a.neighbourhood))
    storage, name = evidence.file.storage, evidence.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.a.builder).post(
            reverse(
                "outcomes:evidence_remove", args=[world.a.slug, evidence.outcome_id, evidence.pk]
            )
        )
    assert not Evidence.objects.exists()
    assert not storage.exists(name)
