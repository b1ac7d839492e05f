"""What can be a step of a contribution chain, scoped to one neighbourhood and one reader.

Each kind has the queryset of objects a step may point to (only this neighbourhood's, only
what the reader may see), a search over them, and the words for a search result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Model, Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from conversations.models import Conversation
from neighbourhoods.models import Membership
from network.models import Connection, Initiative
from residents.disclosure import field_q, gift_q, person_q
from residents.models import Gift, Person

from .models import StepKind
from .names import name_of

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SEARCH_LIMIT = 20


@dataclass(frozen=True)
class StepSpec[M: Model]:
    label: StrOrPromise
    queryset: QuerySet[M] | None
    search: Callable[[QuerySet, str], QuerySet] | None = None
    describe: Callable[[M], str] | None = None


def people_for(membership: Membership) -> QuerySet[Person]:
    return Person.objects.in_neighbourhood(membership.neighbourhood).filter(person_q(membership))


def search_people(membership: Membership, text: str) -> list[Person]:
    text = text.strip()
    if not text:
        return []
    return list(people_for(membership).filter(name__icontains=text)[:SEARCH_LIMIT])


def step_kinds(membership: Membership) -> dict[str, StepSpec[Any]]:
    neighbourhood = membership.neighbourhood
    name_visible = field_q(membership, "name", "person__")

    gifts = (
        Gift.objects.in_neighbourhood(neighbourhood)
        .filter(gift_q(membership))
        .select_related("person")
    )

    def search_gifts(queryset: QuerySet, text: str) -> QuerySet:
        return queryset.filter(Q(title__icontains=text) | (Q(person__name__icontains=text)))

    def describe_gift(gift: Gift) -> str:
        return _("%(name)s — %(gift)s (%(kind)s)") % {
            "name": name_of(gift.person, membership),
            "gift": gift.title,
            "kind": gift.get_kind_display(),
        }

    connections = Connection.objects.in_neighbourhood(neighbourhood).select_related(
        "person", "other_person", "organisation"
    )

    def search_connections(queryset: QuerySet, text: str) -> QuerySet:
        other_visible = field_q(membership, "name", "other_person__")
        return queryset.filter(
            (Q(person__name__icontains=text) & name_visible)
            | (Q(other_person__name__icontains=text) & other_visible)
            | Q(organisation__name__icontains=text)
        )

    def describe_connection(connection: Connection) -> str:
        other = (
            connection.organisation.name
            if connection.organisation is not None
            else name_of(connection.other_person, membership)
        )
        text = f"{name_of(connection.person, membership)} – {other} ({connection.get_origin_display()})"
        if connection.since:
            text += " " + _("since %(date)s") % {"date": date_format(connection.since)}
        return text

    kinds: dict[str, StepSpec[Any]] = {
        StepKind.GIFT.value: StepSpec(StepKind.GIFT.label, gifts, search_gifts, describe_gift),
        StepKind.CONNECTION.value: StepSpec(
            StepKind.CONNECTION.label, connections, search_connections, describe_connection
        ),
    }
    kinds.update(_optional_kinds(membership))
    kinds[StepKind.NOTE.value] = StepSpec(StepKind.NOTE.label, None)
    return kinds


def _optional_kinds(membership: Membership) -> dict[str, StepSpec[Any]]:
    """Initiatives, and the conversations this builder may read."""
    neighbourhood = membership.neighbourhood
    initiatives = Initiative.objects.in_neighbourhood(neighbourhood)

    def search_initiatives(queryset: QuerySet, text: str) -> QuerySet:
        return queryset.filter(name__icontains=text)

    def describe_initiative(initiative: Initiative) -> str:
        return f"{initiative.name} ({initiative.get_status_display()})"

    conversations = (
        Conversation.objects.in_neighbourhood(neighbourhood)
        .visible_to(membership)
        .select_related("person")
    )

    def search_conversations(queryset: QuerySet, text: str) -> QuerySet:
        return queryset.filter(
            Q(person__name__icontains=text) & field_q(membership, "name", "person__")
        )

    def describe_conversation(conversation: Conversation) -> str:
        return _("conversation with %(name)s on %(date)s") % {
            "name": name_of(conversation.person, membership),
            "date": date_format(conversation.held_on),
        }

    return {
        StepKind.INITIATIVE.value: StepSpec(
            StepKind.INITIATIVE.label, initiatives, search_initiatives, describe_initiative
        ),
        StepKind.CONVERSATION.value: StepSpec(
            StepKind.CONVERSATION.label,
            conversations,
            search_conversations,
            describe_conversation,
        ),
    }


def search(spec: StepSpec[Any], text: str) -> list:
    text = text.strip()
    if spec.queryset is None or spec.search is None or not text:
        return []
    return list(spec.search(spec.queryset, text)[:SEARCH_LIMIT])
