from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from neighbourhoods import freshness

        from . import panels  # noqa: F401  (register the dashboard panel)
        from .models import Organisation, OrganisationMember

        freshness.track(Organisation)
        freshness.track(OrganisationMember)
