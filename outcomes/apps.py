from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = _("Outcomes")

    def ready(self) -> None:
        from neighbourhoods.dashboard import register_panel

        from . import panels, report_jobs  # noqa: F401  (panels, job handler)

        register_panel("outcomes/_dashboard_panel.html", slot="dashboard", order=60)(
            panels.dashboard_panel
        )
        register_panel("outcomes/_contributed_panel.html", slot="person", order=60)(
            panels.person_panel
        )
        register_panel("outcomes/_contributed_panel.html", slot="gift", order=60)(panels.gift_panel)
        register_panel("outcomes/_contributed_panel.html", slot="initiative", order=60)(
            panels.initiative_panel
        )
