from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperatorsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "operators"
    verbose_name = _("organisations that run neighbourhoods")

    def ready(self) -> None:
        from . import reports  # noqa: F401  (job handlers)
