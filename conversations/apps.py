from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "conversations"
    verbose_name = _("Conversations")

    def ready(self) -> None:
        from neighbourhoods import freshness

        from . import panels  # noqa: F401  (register the panels)
        from .models import Conversation, DraftGift, FollowUp, Introduction, Status

        freshness.track(Introduction)
        # A draft (its autosave every few seconds) is the builders' work: their dashboard
        # panels (conversations.panels) and the conversation list. A finished conversation
        # (finishing it, deleting it) is data: figures, coverage and reports count it.
        freshness.track(
            Conversation,
            work=lambda row: isinstance(row, Conversation) and row.status == Status.DRAFT,
        )
        freshness.track(DraftGift, work=True)
        freshness.track(FollowUp, work=True)
