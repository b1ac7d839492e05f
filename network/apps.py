from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = _("Network")

    def ready(self) -> None:
        from conversations import ties
        from neighbourhoods import freshness

        from . import panels  # noqa: F401  (register the panels)
        from .models import (
            Connection,
            Dismissal,
            Initiative,
            InitiativeMember,
            Origin,
            Street,
            connect,
        )

        assert {ties.KNEW, ties.INTRODUCED} <= set(Origin.values)
        ties.register(connect)

        for model in (Connection, Dismissal, InitiativeMember, Street):
            freshness.track(model)
        freshness.track(Initiative, m2m=("gifts",))
