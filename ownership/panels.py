"""Panels of ownership (see neighbourhoods.dashboard).

- "initiative" slot: the history sentence and the activity summary (everyone who may open
  the initiative); the quick meeting form, recent notes and the verdict (builders); the
  reflections on the initiative (builders and coordinators only, else no panel at all).
- "dashboard" slot: who carries the initiatives (builders and coordinators), and the
  balance of reflections (coordinators: everyone's; builders: their own).
- "report" slot (the outcomes report): who carries the initiatives at the end of the period,
  and for the internal audience only the builders' reflections of the period.
"""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from neighbourhoods.dashboard import register_panel
from network.models import Initiative

from . import reflections as refl
from . import services
from .forms import ActivityForm, QuickReflectionForm
from .models import Activity, Reflection, ReflectionKind

DASHBOARD_MONTHS = 3
LATEST = 3
REPORT_SENTENCES = 60
INTERNAL = "internal"


def _membership(request: HttpRequest):
    return getattr(request, "membership", None)


@register_panel("ownership/_initiative_panel.html", slot="initiative", order=20)
def initiative_panel(request: HttpRequest, initiative=None, **kwargs) -> dict | None:
    membership = _membership(request)
    if initiative is None or membership is None:
        return None
    ownership = services.of_initiative(initiative)
    context = {
        "initiative": initiative,
        "ownership": ownership,
        "stall_weeks": services.stall_weeks(),
        "is_builder": membership.is_builder,
    }
    if membership.is_builder:
        context["recent"] = list(
            Activity.objects.in_neighbourhood(membership.neighbourhood)
            .filter(initiative=initiative)
            .order_by("-held_on", "-pk")[:LATEST]
        )
        context["form"] = ActivityForm(auto_id="id_activity_%s")
        context["next"] = f"{initiative.get_absolute_url()}#ownership-activity"
    return context


@register_panel("ownership/_initiative_reflections_panel.html", slot="initiative", order=21)
def initiative_reflections_panel(request: HttpRequest, initiative=None, **kwargs) -> dict | None:
    membership = _membership(request)
    if initiative is None or membership is None or not membership.is_builder:
        return None
    reflections = (
        Reflection.objects.in_neighbourhood(membership.neighbourhood)
        .visible_to(membership)
        .filter(initiative=initiative)
        .select_related("author")
    )
    return {
        "initiative": initiative,
        "reflections": list(reflections[:5]),
        "form": QuickReflectionForm(auto_id="id_reflection_%s"),
        "subject": f"initiative:{initiative.pk}",
        "next": f"{initiative.get_absolute_url()}#ownership-reflections",
    }


@register_panel(
    "ownership/_dashboard_panel.html", slot="dashboard", order=45, cached=True, per_day=True
)
def dashboard_panel(request: HttpRequest, **kwargs) -> dict | None:
    membership = _membership(request)
    if membership is None or not membership.is_builder:
        return None
    items = services.overview(Initiative.objects.in_neighbourhood(membership.neighbourhood))
    groups = services.grouped(items)
    return {
        "groups": groups,
        "residents_carry": [i for i in items if i.judgement.residents_carry],
        "stall_weeks": services.stall_weeks(),
        "overview_url": reverse("ownership:overview", args=[membership.neighbourhood.slug]),
    }


@register_panel(
    "ownership/_reflections_panel.html",
    slot="dashboard",
    order=46,
    cached=True,
    per_user=True,
    per_day=True,
    work=True,  # a reflection names its conversation's date, a draft's is the builders' work
)
def reflections_panel(request: HttpRequest, **kwargs) -> dict | None:
    membership = _membership(request)
    if membership is None or not membership.is_builder:
        return None
    scoped = Reflection.objects.in_neighbourhood(membership.neighbourhood).visible_to(membership)
    if not membership.is_coordinator:
        scoped = scoped.filter(author=membership.user)
    months = refl.month_starts(timezone.localdate(), DASHBOARD_MONTHS)
    return {
        "balance": refl.balance(scoped, months),
        "latest": [
            {"reflection": r, "about": refl.subject_text(r)}
            for r in refl.with_subjects(scoped)[:LATEST]
        ],
        "everyone": membership.is_coordinator,
        "list_url": reverse("ownership:reflections", args=[membership.neighbourhood.slug]),
        "new_url": reverse("ownership:reflection_new", args=[membership.neighbourhood.slug]),
    }


@register_panel("ownership/_report_panel.html", slot="report", order=50)
def report_panel(
    request: HttpRequest,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    audience: str | None = None,
    **kwargs,
) -> dict | None:
    """For the outcomes report. Reflections only for the internal audience (never in a
    report for residents or partners); without an audience, none either."""
    membership = _membership(request)
    if membership is None or not membership.is_coordinator:
        return None
    today = timezone.localdate()
    end = min(end or today, today)
    start = start or end - datetime.timedelta(days=365)
    nb = membership.neighbourhood
    items = services.overview(Initiative.objects.in_neighbourhood(nb).order_by("name"), end)
    groups = services.grouped(items)
    context = {
        "end": end,
        "groups": groups,
        "residents_carry": [i for i in items if i.judgement.residents_carry],
        "stall_weeks": services.stall_weeks(),
        "internal": audience == INTERNAL,
    }
    if context["internal"]:
        scoped = Reflection.objects.in_neighbourhood(nb).filter(
            written_on__gte=start, written_on__lte=end
        )
        months = refl.months_between(start, end)[-24:]
        context["balance"] = refl.balance(scoped, months)
        context["sentences"] = [
            {"reflection": r, "about": refl.subject_text(r, names=False)}
            for r in refl.with_subjects(scoped).order_by("written_on", "pk")[:REPORT_SENTENCES]
        ]
    context["pdf"] = pdf_sections(context)
    return context


def _names(items) -> str:
    return ", ".join(item.initiative.name for item in items) or "—"


def pdf_sections(context: dict) -> list[tuple[str, list[str]]]:
    """The same content as plain lines, for a PDF: [(heading, [line, ...]), ...]."""
    groups = context["groups"]
    lines = [
        _("Residents carry it themselves: %(names)s")
        % {"names": _names(context["residents_carry"])},
        _("Kept going after a hand-over: %(names)s") % {"names": _names(groups["lasted"])},
        _("Stopped when the professional left: %(names)s") % {"names": _names(groups["flagged"])},
    ]
    sections = [(_("Who carries the initiatives"), lines)]
    if context.get("internal"):
        total = context["balance"].total
        lines = [
            _("Strengthening %(s)s · harmful %(h)s · neutral %(n)s")
            % {"s": total.strengthening, "h": total.harmful, "n": total.neutral}
        ]
        labels = dict(ReflectionKind.choices)
        for row in context["sentences"]:
            reflection = row["reflection"]
            lines.append(
                f"{date_format(reflection.written_on)} · {labels[reflection.kind]} · "
                f"{refl.builder_name(reflection.author)} · {row['about']}: {reflection.why}"
            )
        sections.append((_("Builders' reflections"), lines))
    return sections
