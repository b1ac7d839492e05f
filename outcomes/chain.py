"""The contribution chain of an outcome as readable steps, named for one reader.

"Ans's gift (cooking) → introduced to the coffee club → coffee club → outcome: …; 28 care
visits saved". Names come from `outcomes.names`, so a reader never sees a hidden one.

Builders read their own words (step notes, note steps, every initiative's name). A report
for residents or partners passes ``internal=False``: notes and note steps are left out, and
an initiative is named only when it chose to be public (``Initiative.public``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.urls import NoReverseMatch
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from neighbourhoods.models import Membership

from .models import Contribution, Outcome, StepKind
from .names import name_of, shown_to, shows_gifts, shows_name

CHAIN_RELATED = [
    "gift__person__neighbourhood",
    "connection__person",
    "connection__other_person",
    "connection__organisation",
    "initiative__neighbourhood",
    "conversation__person",
    "conversation__neighbourhood",
]


def chain_prefetch() -> Prefetch:
    """Prefetch for outcomes whose chains will be shown (a fixed number of queries)."""
    return Prefetch("contributions", queryset=Contribution.objects.select_related(*CHAIN_RELATED))


@dataclass(frozen=True)
class Step:
    kind: str
    label: str
    url: str | None = None


def plain_number(quantity: Decimal) -> str:
    """28.00 → "28", 2.50 → "2.5" (localised), 100 → "100" (never "1E+2")."""
    if quantity == quantity.to_integral():
        return number_format(quantity.quantize(Decimal(1)))
    return number_format(quantity.normalize())


def quantity_text(outcome: Outcome) -> str:
    """ "28 care visits saved", or "" when the outcome has no quantity."""
    if outcome.quantity is None:
        return ""
    return f"{plain_number(outcome.quantity)} {outcome.unit}".strip()


def _url(obj, with_links: bool) -> str | None:
    if not with_links or obj is None or not hasattr(obj, "get_absolute_url"):
        return None
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:
        return None


def step_label(step: Contribution, reader: Membership | None, *, internal: bool = True) -> str:
    """The words for one step, with names only where the reader may see them.

    Not ``internal``: without the builders' note, and "an initiative" for one that is not
    public. (A note step is only words; `steps_for` leaves it out then.)
    """
    kind = step.kind
    target = step.target
    if kind == StepKind.NOTE:
        return step.note if internal else ""
    if kind == StepKind.GIFT:
        gift = target
        if (
            gift is not None
            and shows_name(gift.person, reader)
            and shows_gifts(gift.person, reader)
        ):
            label = _("%(name)s's gift (%(gift)s)") % {"name": gift.person.name, "gift": gift.title}
        else:
            label = _("a resident's gift")
    elif kind == StepKind.CONNECTION:
        connection = target
        if connection is None:
            label = _("a connection")
        else:
            if not connection.organisation_id:
                other = name_of(connection.other_person, reader)
            elif shown_to(connection.organisation, reader):
                other = connection.organisation.name
            else:
                other = _("an organisation")
            label = _("%(one)s and %(other)s connected (%(origin)s)") % {
                "one": name_of(connection.person, reader),
                "other": other,
                "origin": connection.get_origin_display(),
            }
    elif kind == StepKind.INITIATIVE:
        named = target is not None and (internal or target.public)
        label = str(target) if named else _("an initiative")
    elif kind == StepKind.CONVERSATION:
        if target is None:
            label = _("a conversation")
        else:
            label = _("a kitchen-table conversation with %(name)s (%(date)s)") % {
                "name": name_of(target.person, reader),
                "date": date_format(target.held_on),
            }
    else:  # a kind this code does not know yet
        label = step.get_kind_display()
    if step.note and internal:
        label = f"{label} — {step.note}"
    return label


def _may_follow(kind: str, target, reader: Membership | None) -> bool:
    """Link a step only where the reader may open what it points to."""
    if target is None or reader is None:
        return False
    if kind == StepKind.GIFT:
        return shows_name(target.person, reader)
    if kind == StepKind.CONVERSATION:
        return target.status == "finished" or target.builder_id == reader.user_id
    return True


def steps_for(
    outcome: Outcome,
    reader: Membership | None,
    *,
    with_links: bool = False,
    internal: bool = True,
) -> list[Step]:
    """The chain's steps in order (uses prefetched contributions when present); not
    ``internal``: without note steps and notes (see `step_label`)."""
    steps = []
    for contribution in outcome.contributions.all():
        if not internal and contribution.kind == StepKind.NOTE:
            continue
        target = contribution.target
        show_link = with_links and _may_follow(contribution.kind, target, reader)
        steps.append(
            Step(
                kind=contribution.kind,
                label=step_label(contribution, reader, internal=internal),
                url=_url(target, show_link),
            )
        )
    return steps


def chain_text(
    outcome: Outcome,
    reader: Membership | None,
    *,
    title: str | None = None,
    internal: bool = True,
) -> str:
    """The whole chain as one line, ending with the outcome and its quantity."""
    parts = [step.label for step in steps_for(outcome, reader, internal=internal)]
    title = (title if title is not None else outcome.title).rstrip(" .")
    end = _("outcome: %(title)s") % {"title": title}
    quantity = quantity_text(outcome)
    if quantity:
        end = f"{end}; {quantity}"
    parts.append(end)
    return " → ".join(parts)


def with_chains(queryset: QuerySet[Outcome]) -> QuerySet[Outcome]:
    return queryset.prefetch_related(chain_prefetch(), "domain_rows")
