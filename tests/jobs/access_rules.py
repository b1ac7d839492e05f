"""Who may open a neighbourhood's job pages (see tests/access_table.py)."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from jobs.models import Job, State
from jobs.views import scope_of
from neighbourhoods.models import Role

EXPECTED_ROLE = {
    "jobs:job": Role.COORDINATOR,
    "jobs:job_retry": Role.COORDINATOR,
    "jobs:job_download": Role.COORDINATOR,
}

KWARGS = {"job_token": lambda side: side.objects["job"].token}


def populate(side) -> None:
    name = default_storage.save(f"jobs/{side.slug}/r.pdf", ContentFile(b"%PDF-1.4"))
    side.objects["job"] = Job.objects.create(
        kind="outcomes-report-pdf",
        scope=scope_of(side.neighbourhood),
        title="r",
        state=State.DONE,
        file=name,
        file_name="r.pdf",
        content_type="application/pdf",
    )
