from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def _seed_tags_of_new_neighbourhood(sender, instance, created, raw=False, **kwargs) -> None:
    if created and not raw:
        from .tags import seed_default_tags

        seed_default_tags(instance)


class ResidentsConfig(AppConfig):
    name = "residents"
    verbose_name = _("Residents")

    def ready(self) -> None:
        from neighbourhoods import freshness
        from neighbourhoods.dashboard import register_panel

        from . import views
        from .models import ConsentRecord, Gift, Person, Tag

        for model in (Person, Tag, ConsentRecord):
            freshness.track(model)
        freshness.track(Gift, m2m=("tags",))

        register_panel("residents/_dashboard_panel.html", slot="dashboard", order=10, cached=True)(
            views.dashboard_panel
        )
        post_save.connect(
            _seed_tags_of_new_neighbourhood,
            sender="neighbourhoods.Neighbourhood",
            dispatch_uid="residents_default_tags",
        )
