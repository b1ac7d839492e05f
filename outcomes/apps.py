from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = _("Outcomes")

    def ready(self) -> None:
        from neighbourhoods import freshness
        from neighbourhoods.dashboard import register_panel

        from . import panels, report_jobs  # noqa: F401  (panels, job handler)
        from .models import Contribution, Outcome, OutcomeDomain, UnitValue

        freshness.track(Outcome, m2m=("for_whom_people",))
        for model in (OutcomeDomain, Contribution, UnitValue):
            freshness.track(model)

        # Cached by data version and day: totals are in today's euros (the price index).
        register_panel(
            "outcomes/_dashboard_panel.html", slot="dashboard", order=60, cached=True, per_day=True
        )(panels.dashboard_panel)
        register_panel("outcomes/_contributed_panel.html", slot="person", order=60)(
            panels.person_panel
        )
        register_panel("outcomes/_contributed_panel.html", slot="gift", order=60)(panels.gift_panel)
        register_panel("outcomes/_contributed_panel.html", slot="initiative", order=60)(
            panels.initiative_panel
        )
