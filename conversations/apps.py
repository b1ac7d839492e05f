from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "conversations"
    verbose_name = _("Conversations")

    def ready(self) -> None:
        from neighbourhoods import freshness

        from . import panels  # noqa: F401  (register the panels)
        from .models import Conversation, DraftGift, FollowUp, Introduction

        freshness.track(Introduction)
        # the builders' dashboard panels (conversations.panels) and the conversation list
        freshness.track(Conversation, work=True)
        freshness.track(DraftGift, work=True)
        freshness.track(FollowUp, work=True)
