from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OwnershipConfig(AppConfig):
    name = "ownership"
    verbose_name = _("Ownership and reflection")

    def ready(self) -> None:
        from neighbourhoods import freshness

        from . import panels  # noqa: F401  (register the panels)
        from .models import Activity, CarrierPeriod, InitiativeStart, Reflection

        for model in (Activity, InitiativeStart, Reflection):
            freshness.track(model)
        freshness.track(CarrierPeriod, m2m=("people", "organisations"))
