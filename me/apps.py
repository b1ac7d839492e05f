from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeConfig(AppConfig):
    name = "me"
    verbose_name = _("My data")

    def ready(self) -> None:
        from neighbourhoods.dashboard import register_panel

        from . import panels

        register_panel("me/_person_panel.html", slot="person", order=90)(panels.person_panel)
        # kept per viewer: whether they have a profile here is data (a claim, an erasure)
        register_panel(
            "me/_dashboard_panel.html", slot="dashboard", order=90, cached=True, per_user=True
        )(panels.dashboard_panel)
