from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "places"
    verbose_name = _("Places")

    def ready(self) -> None:
        from neighbourhoods import freshness

        from . import panels, signals  # noqa: F401  (dashboard panel, file cleanup)
        from .models import Place, PlacePhoto

        freshness.track(Place)
        freshness.track(PlacePhoto)
