from django.apps import AppConfig
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _


class NeighbourhoodsConfig(AppConfig):
    name = "neighbourhoods"
    verbose_name = _("Neighbourhoods")

    def ready(self) -> None:
        from django.db.models import AutoField, BigAutoField

        from . import freshness
        from .lookups import AnyOf
        from .models import Membership

        for field in (AutoField, BigAutoField):  # ``pk__any_of=[...]``
            field.register_lookup(AnyOf)

        # a new builder shows in the lists' builder filters, a role's change in what it sees
        freshness.track(Membership)
        freshness.track_users(get_user_model())

        from .dashboard import register_panel
        from .panels import team_panel

        # last, for every role
        register_panel("neighbourhoods/_team_panel.html", order=1000, cached=True)(team_panel)
