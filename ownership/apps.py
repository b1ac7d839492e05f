from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OwnershipConfig(AppConfig):
    name = "ownership"
    verbose_name = _("Ownership and reflection")

    def ready(self) -> None:
        from . import panels  # noqa: F401  (register the panels)
