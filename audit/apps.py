from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from jobs.signals import file_downloaded
        from residents.signals import people_merged, person_viewed

        from . import access, trail

        trail.connect()
        person_viewed.connect(access.on_person_viewed, dispatch_uid="access-person-viewed")
        people_merged.connect(access.on_people_merged, dispatch_uid="access-people-merged")
        file_downloaded.connect(
            access.on_job_file_downloaded, dispatch_uid="access-job-file-downloaded"
        )
