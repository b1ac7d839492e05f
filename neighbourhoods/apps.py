from django.apps import AppConfig
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _


class NeighbourhoodsConfig(AppConfig):
    name = "neighbourhoods"
    verbose_name = _("Neighbourhoods")

    def ready(self) -> None:
        from . import freshness
        from .models import Membership

        # a new builder shows in the lists' builder filters, a role's change in what it sees
        freshness.track(Membership)
        freshness.track_users(get_user_model())
