"""Views of outcomes; every view under /n/<slug>/ is wrapped in neighbourhoods.access.require.

The one exception is :func:`public_page` (``/n/<slug>/public/``): public by design, it
shows only what the neighbourhood chose to publish, and answers 404 when it did not.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Max, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from audit import access
from jobs import figures as precomputed
from neighbourhoods import freshness
from neighbourhoods.access import get_in_neighbourhood, require
from neighbourhoods.dashboard import panels_for
from neighbourhoods.fields import is_id
from neighbourhoods.http import NeighbourhoodRequest, paginate, render_page, row_url
from neighbourhoods.images import serve_image
from neighbourhoods.models import Neighbourhood, Role
from residents.disclosure import see_people

from . import actions, report_jobs
from . import report as reports
from .chain import chain_text, quantity_text, steps_for, with_chains
from .figures import DAILY
from .forms import (
    EvidenceForm,
    OutcomeFilterForm,
    OutcomeForm,
    PeriodForm,
    PersonPickForm,
    PublicationForm,
    ReportForm,
    StatusForm,
    StepForm,
    UnitValueForm,
)
from .models import (
    Contribution,
    Evidence,
    EvidenceKind,
    Outcome,
    PublicationSettings,
    ReferencePrice,
    Status,
    StepKind,
    UnitValue,
)
from .names import ReportAudience
from .prices import ensure_loaded, index_years
from .prices import stamp as prices_stamp
from .public import public_context
from .steps import people_for, search, search_people, step_kinds
from .valuation import Indexer

PAGE_SIZE = 25


def _outcome(request: NeighbourhoodRequest, outcome_id: int) -> Outcome:
    return get_in_neighbourhood(Outcome, request.neighbourhood, pk=outcome_id)


# -- list, filters ----------------------------------------------------------------------


def _contributor_filter(request: NeighbourhoodRequest, queryset):
    """?gift=, ?connection=, ?initiative=, ?conversation=, ?person=: what it contributed to."""
    kinds = step_kinds(request.membership)
    for kind, spec in kinds.items():
        raw = request.GET.get(kind, "")
        if spec.queryset is None or not is_id(raw):
            continue
        target = spec.queryset.filter(pk=int(raw)).first()
        if target is None:
            raise Http404("Nothing to filter on.")
        return queryset.filter(contributions__kind=kind, **{f"contributions__{kind}": target}), (
            spec.describe(target) if spec.describe else str(target)
        )
    raw = request.GET.get("person", "")
    if is_id(raw):
        person = people_for(request.membership).filter(pk=int(raw)).first()
        if person is None:
            raise Http404("No such person.")
        involved = (
            Q(for_whom_people=person)
            | Q(contributions__gift__person=person)
            | Q(contributions__connection__person=person)
            | Q(contributions__connection__other_person=person)
            | Q(contributions__conversation__person=person)
        )
        return queryset.filter(involved), see_people([person], request.membership)[0]
    return queryset, None


@require(Role.BUILDER)
def outcome_list(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    filters = OutcomeFilterForm(request.GET or None)
    outcomes = Outcome.objects.in_neighbourhood(request.neighbourhood)
    outcomes, contributor = _contributor_filter(request, outcomes)

    def rows() -> dict:
        page = paginate(request, _filtered(outcomes, filters), PAGE_SIZE)
        page.object_list = list(page.object_list)
        for outcome in page.object_list:  # not a {% url %} a row (issue #19)
            outcome.link = row_url("outcomes:detail", request.neighbourhood.slug, outcome.pk)
        return {"page": page}

    context = {
        "filters": filters,
        "rows": freshness.partial(request, "outcomes", "outcomes/outcome_list.html#rows", rows),
        "contributor": contributor,
        "keep": [
            (key, request.GET[key])
            for key in ("gift", "connection", "initiative", "conversation", "person")
            if is_id(request.GET.get(key, ""))
        ],
    }
    return render_page(request, "outcomes/outcome_list.html", context, partial="rows")


def _filtered(outcomes, filters: OutcomeFilterForm):
    """The outcomes the list's filters leave, each with its domains."""
    if filters.is_valid():
        data = filters.cleaned_data
        if data["q"]:
            outcomes = outcomes.filter(
                Q(title__icontains=data["q"]) | Q(story__icontains=data["q"])
            )
        if data["domain"]:
            outcomes = outcomes.filter(domain_rows__domain=data["domain"])
        if data["status"]:
            outcomes = outcomes.filter(status=data["status"])
        outcomes = outcomes.between(data["from"], data["to"])
    return (
        outcomes.distinct()
        .prefetch_related("domain_rows")
        .select_related("neighbourhood")
        .defer("neighbourhood__boundary")
    )


# -- create, edit, delete, status -------------------------------------------------------


def _form_page(request: HttpRequest, form: OutcomeForm, outcome: Outcome | None) -> HttpResponse:
    status = 422 if form.is_bound and form.errors else 200
    context = {"form": form, "outcome": outcome}
    return render_page(request, "outcomes/outcome_form.html", context, status=status)


@require(Role.BUILDER)
def outcome_new(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    ensure_loaded()
    form = OutcomeForm(request.POST or None, neighbourhood=request.neighbourhood)
    if request.method == "POST" and form.is_valid():
        outcome = actions.save_outcome(form, by=request.user)
        messages.success(request, _("Outcome saved as a draft."))
        return redirect(outcome)
    return _form_page(request, form, None)


@require(Role.BUILDER)
def outcome_edit(request: NeighbourhoodRequest, slug: str, outcome_id: int) -> HttpResponse:
    outcome = _outcome(request, outcome_id)
    ensure_loaded()
    form = OutcomeForm(request.POST or None, instance=outcome, neighbourhood=request.neighbourhood)
    if request.method == "POST" and form.is_valid():
        outcome = actions.save_outcome(form, by=request.user)
        messages.success(request, _("Outcome saved."))
        return redirect(outcome)
    return _form_page(request, form, outcome)


@require(Role.COORDINATOR)
def outcome_delete(request: NeighbourhoodRequest, slug: str, outcome_id: int) -> HttpResponse:
    outcome = _outcome(request, outcome_id)
    if request.method == "POST":
        with transaction.atomic():
            files = [evidence.file for evidence in outcome.evidence_files.all()]
            outcome.delete()

            def delete_files() -> None:
                for f in files:
                    f.delete(save=False)

            transaction.on_commit(delete_files)
        messages.success(request, _("Outcome “%(title)s” deleted.") % {"title": outcome.title})
        return redirect("outcomes:list", slug)
    return render(request, "outcomes/outcome_delete.html", {"outcome": outcome})


@require(Role.COORDINATOR)
@require_POST
def outcome_status(request: NeighbourhoodRequest, slug: str, outcome_id: int) -> HttpResponse:
    outcome = _outcome(request, outcome_id)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose draft or substantiated."))
        return redirect(outcome)
    if form.cleaned_data["status"] == Status.SUBSTANTIATED:
        outcome.status = Status.SUBSTANTIATED
        outcome.substantiated_by = request.user
        outcome.substantiated_at = timezone.now()
        messages.success(request, _("Outcome marked as substantiated by you."))
    else:
        outcome.status = Status.DRAFT
        outcome.substantiated_by = None
        outcome.substantiated_at = None
        messages.success(request, _("Outcome is a draft again."))
    outcome.save(update_fields=["status", "substantiated_by", "substantiated_at", "updated_at"])
    return redirect(outcome)


# -- detail: for whom, chain, evidence --------------------------------------------------


def _detail_context(request: NeighbourhoodRequest, outcome: Outcome, **extra) -> dict:
    membership = request.membership
    kinds = step_kinds(membership)
    kind = request.GET.get("kind", "")
    spec = kinds.get(kind)
    step_query = request.GET.get("find", "")
    candidates = []
    if spec is not None and spec.queryset is not None and spec.describe is not None:
        candidates = [(obj.pk, spec.describe(obj)) for obj in search(spec, step_query)]
    person_query = request.GET.get("who", "")
    context = {
        "outcome": outcome,
        "people": see_people(
            outcome.for_whom_people.filter(pk__in=people_for(membership).values("pk")),
            membership,
        ),
        "hidden_people": outcome.for_whom_people.exclude(
            pk__in=people_for(membership).values("pk")
        ).count(),
        "steps": list(
            zip(
                outcome.contributions.all(),
                steps_for(outcome, membership, with_links=True),
                strict=True,
            )
        ),
        "chain": chain_text(outcome, membership),
        "quantity": quantity_text(outcome),
        "valuation": reports.valuation(outcome, Indexer({}, outcome.value_year)),
        "evidence": list(outcome.evidence_files.all()),
        "kinds": [(code, spec.label) for code, spec in kinds.items()],
        "chosen_kind": kind if spec else "",
        "chosen_needs_object": spec is not None and spec.queryset is not None,
        "step_query": step_query,
        "candidates": candidates,
        "person_query": person_query,
        "person_candidates": see_people(search_people(membership, person_query), membership),
        "step_form": extra.pop("step_form", None) or StepForm(kinds=kinds, initial={"kind": kind}),
        "person_form": extra.pop("person_form", None) or PersonPickForm(),
        "evidence_form": extra.pop("evidence_form", None) or EvidenceForm(),
        "status_choices": Status,
    }
    context.update(extra)
    return context


def _detail_queryset(request: HttpRequest):
    return with_chains(
        Outcome.objects.select_related(
            "place",
            "unit_value",
            "reference_price",
            "harvested_by",
            "substantiated_by",
            "neighbourhood",
        )
    )


@require(Role.BUILDER)
def outcome_detail(request: NeighbourhoodRequest, slug: str, outcome_id: int) -> HttpResponse:
    outcome = get_in_neighbourhood(_detail_queryset(request), request.neighbourhood, pk=outcome_id)
    return render_page(request, "outcomes/outcome_detail.html", _detail_context(request, outcome))


def _detail_error(request: NeighbourhoodRequest, outcome: Outcome, **forms) -> HttpResponse:
    outcome = get_in_neighbourhood(_detail_queryset(request), request.neighbourhood, pk=outcome.pk)
    context = _detail_context(request, outcome, **forms)
    return render_page(request, "outcomes/outcome_detail.html", context, status=422)


@require(Role.BUILDER)
@require_POST
def person_add(request: NeighbourhoodRequest, slug: str, outcome_id: int) -> HttpResponse:
    outcome = _outcome(request, outcome_id)
    form = PersonPickForm(request.POST)
    person = None
    if form.is_valid():
        person = people_for(request.membership).filter(pk=form.cleaned_data["person"]).first()
        if person is None:
            form.add_error("person", _("That person is not part of this neighbourhood."))
    if person is None:
        return _detail_error(request, outcome, person_form=form)
    outcome.for_whom_people.add(person)
    messages.success(request, _("Added to “for whom”."))
    return redirect(outcome)


@require(Role.BUILDER)
@require_POST
def person_remove(request: NeighbourhoodRequest, slug: str, outcome_id: int, beneficiary_id: int):
    outcome = _outcome(request, outcome_id)
    person = get_object_or_404(outcome.for_whom_people.all(), pk=beneficiary_id)
    outcome.for_whom_people.remove(person)
    messages.success(request, _("Removed from “for whom”."))
    return redirect(outcome)


@require(Role.BUILDER)
@require_POST
def step_add(request: NeighbourhoodRequest, slug: str, outcome_id: int) -> HttpResponse:
    outcome = _outcome(request, outcome_id)
    kinds = step_kinds(request.membership)
    form = StepForm(request.POST, kinds=kinds)
    if not form.is_valid():
        return _detail_error(request, outcome, step_form=form)
    kind = form.cleaned_data["kind"]
    with transaction.atomic():
        last = outcome.contributions.aggregate(last=Max("position"))["last"]
        step = Contribution(
            outcome=outcome,
            kind=kind,
            note=form.cleaned_data.get("note", "").strip(),
            position=0 if last is None else last + 1,
        )
        if kind != StepKind.NOTE:
            setattr(step, kind, form.cleaned_data["object"])
        step.save()
    messages.success(request, _("Step added to the contribution chain."))
    return redirect(outcome)


@require(Role.BUILDER)
@require_POST
def step_remove(request: NeighbourhoodRequest, slug: str, outcome_id: int, step_id: int):
    outcome = _outcome(request, outcome_id)
    get_object_or_404(outcome.contributions.all(), pk=step_id).delete()
    messages.success(request, _("Step removed from the contribution chain."))
    return redirect(outcome)


@require(Role.BUILDER)
@require_POST
def step_move(request: NeighbourhoodRequest, slug: str, outcome_id: int, step_id: int):
    outcome = _outcome(request, outcome_id)
    step = get_object_or_404(outcome.contributions.all(), pk=step_id)
    direction = request.POST.get("direction")
    with transaction.atomic():
        ordered = list(outcome.contributions.select_for_update().order_by("position", "pk"))
        index = next(i for i, s in enumerate(ordered) if s.pk == step.pk)
        other = index - 1 if direction == "up" else index + 1 if direction == "down" else index
        if 0 <= other < len(ordered) and other != index:
            ordered[index], ordered[other] = ordered[other], ordered[index]
            for position, item in enumerate(ordered):
                if item.position != position:
                    item.position = position
                    item.save(update_fields=["position"])
    return redirect(outcome)


@require(Role.BUILDER)
@require_POST
def evidence_add(request: NeighbourhoodRequest, slug: str, outcome_id: int) -> HttpResponse:
    outcome = _outcome(request, outcome_id)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail_error(request, outcome, evidence_form=form)
    upload = form.cleaned_data["file"]
    original = (getattr(request.FILES.get("file"), "name", "") or "")[-200:]
    suffix = ".pdf" if form.kind == EvidenceKind.PDF else "." + upload.name.rsplit(".", 1)[-1]
    evidence = Evidence(
        outcome=outcome,
        kind=form.kind,
        content_type=form.content_type,
        original_name=original,
        size=upload.size,
        caption=form.cleaned_data["caption"],
        uploaded_by=request.user,
    )
    evidence.file.save(f"evidence{suffix}", upload, save=False)
    evidence.save()
    messages.success(request, _("Evidence added."))
    return redirect(outcome)


@require(Role.BUILDER)
@require_safe
def evidence_file(request: NeighbourhoodRequest, slug: str, outcome_id: int, evidence_id: int):
    outcome = _outcome(request, outcome_id)
    evidence = get_object_or_404(outcome.evidence_files.all(), pk=evidence_id)
    if evidence.kind == EvidenceKind.IMAGE:
        return serve_image(evidence.file)
    file_name = evidence.file.name
    assert file_name is not None  # evidence is always stored with its file
    try:
        handle = evidence.file.storage.open(file_name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404("Evidence file is missing.") from exc
    name = evidence.original_name or "evidence.pdf"
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    response = FileResponse(
        handle, content_type="application/pdf", as_attachment=True, filename=name
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require(Role.BUILDER)
@require_POST
def evidence_remove(request: NeighbourhoodRequest, slug: str, outcome_id: int, evidence_id: int):
    outcome = _outcome(request, outcome_id)
    evidence = get_object_or_404(outcome.evidence_files.all(), pk=evidence_id)
    with transaction.atomic():
        evidence.delete()
        transaction.on_commit(lambda: evidence.file.delete(save=False))
    messages.success(request, _("Evidence removed."))
    return redirect(outcome)


# -- standard unit values ---------------------------------------------------------------


@require(Role.COORDINATOR)
def unit_list(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    form = UnitValueForm(request.POST or None, neighbourhood=request.neighbourhood)
    if request.method == "POST" and form.is_valid():
        unit = actions.save_unit(form, by=request.user)
        messages.success(request, _("“%(unit)s” added to the table.") % {"unit": unit.unit})
        return redirect("outcomes:units", slug)
    units = UnitValue.objects.in_neighbourhood(request.neighbourhood).annotate(
        used=Count("outcomes")
    )
    ensure_loaded()
    context = {
        "form": form,
        "units": units,
        "reference_prices": ReferencePrice.objects.filter(featured__isnull=False),
        "reference_count": ReferencePrice.objects.count(),
    }
    status = 422 if form.is_bound and form.errors else 200
    return render_page(request, "outcomes/units.html", context, status=status)


@require(Role.COORDINATOR)
def unit_edit(request: NeighbourhoodRequest, slug: str, unit_id: int) -> HttpResponse:
    unit = get_in_neighbourhood(UnitValue, request.neighbourhood, pk=unit_id)
    form = UnitValueForm(request.POST or None, instance=unit, neighbourhood=request.neighbourhood)
    if request.method == "POST" and form.is_valid():
        actions.save_unit(form, by=request.user)
        messages.success(
            request,
            _("“%(unit)s” saved. Outcomes keep the value they were saved with until edited.")
            % {"unit": unit.unit},
        )
        return redirect("outcomes:units", slug)
    status = 422 if form.is_bound and form.errors else 200
    return render_page(
        request, "outcomes/unit_form.html", {"form": form, "unit": unit}, status=status
    )


@require(Role.COORDINATOR)
@require_POST
def unit_delete(request: NeighbourhoodRequest, slug: str, unit_id: int) -> HttpResponse:
    unit = get_in_neighbourhood(UnitValue, request.neighbourhood, pk=unit_id)
    unit.delete()
    messages.success(
        request,
        _("“%(unit)s” removed from the table; outcomes keep their unit and value.")
        % {"unit": unit.unit},
    )
    return redirect("outcomes:units", slug)


# -- dashboard, report, publication -----------------------------------------------------


@require(Role.BUILDER)
def dashboard(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    context = reports.dashboard_context(request.neighbourhood, request.membership, start, end)
    context["form"] = form
    return render_page(request, "outcomes/dashboard.html", context)


@require(Role.COORDINATOR)
def report(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    ensure_loaded()
    form = ReportForm(request.GET or None, index_years=index_years())
    start, end = form.period()
    audience = form.audience_value()
    year = form.price_year(end)
    nb = request.neighbourhood

    def article() -> dict:
        context = reports.report_context(nb, start, end, audience, year)
        context["panels"] = panels_for(request, "report", start=start, end=end, audience=audience)
        return {
            "article": render_to_string("outcomes/_report_article.html", context, request),
            "internal": context["internal"],
            "without_summary": context["without_summary"],
        }

    # The report reads only tracked models and the stored daily figures, the same for every
    # coordinator: kept per data version, period, audience, price year, today and when the
    # daily figures were stored (at 20,000 people: 180 ms to count and render, issue #19).
    # Reference prices and the price index, loaded by a command, are in the key too.
    name = ":".join(
        (
            "report",
            start.isoformat(),
            end.isoformat(),
            audience,
            str(year),
            timezone.localdate().isoformat(),
            precomputed.stamp(nb, DAILY),
            prices_stamp(),
        )
    )
    kept = freshness.value(request, name, article, per_query=False)
    context = {
        **kept,
        "article": mark_safe(kept["article"]),  # rendered by our own template above
        "start": start,
        "end": end,
        "audience_label": ReportAudience(audience).label,
        "form": form,
        "pdf_url": reverse("outcomes:report_pdf", args=[slug])
        + "?"
        + reports.query_string(start, end, audience, year),
    }
    return render_page(request, "outcomes/report.html", context)


@require(Role.COORDINATOR)
def report_pdf(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    ensure_loaded()
    form = ReportForm(request.GET or None, index_years=index_years())
    start, end = form.period()
    audience = form.audience_value()
    year = form.price_year(end)
    if report_jobs.is_large(start, end):  # made by a background job (outcomes.report_jobs)
        return report_jobs.offer(request, start, end, audience, year)
    context = reports.report_context(request.neighbourhood, start, end, audience, year)
    context["panels"] = panels_for(request, "report", start=start, end=end, audience=audience)
    content = reports.render_pdf(context)
    access.record(
        request.user,
        access.AccessAction.REPORT,
        request.neighbourhood,
        sum(len(section.entries) for section in context["sections"]),
        what=reports.access_description(audience),
        role=request.membership.role,
    )
    filename = f"report-{request.neighbourhood.slug}-{start:%Y%m%d}-{end:%Y%m%d}.pdf"
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require(Role.COORDINATOR)
def publication(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    settings_row = _publication_settings(request.neighbourhood)
    form = PublicationForm(request.POST or None, instance=settings_row)
    if request.method == "POST" and form.is_valid():
        row = form.save(commit=False)
        row.updated_by = request.user
        row.save()
        messages.success(
            request,
            _("The public page is published.") if row.published else _("The public page is off."),
        )
        return redirect("outcomes:publication", slug)
    status = 422 if form.is_bound and form.errors else 200
    context = {
        "form": form,
        "public_url": reverse("publication:page", args=[slug]),
        "shareable": Outcome.objects.in_neighbourhood(request.neighbourhood).shareable().count(),
    }
    return render_page(request, "outcomes/publication.html", context, status=status)


def _publication_settings(neighbourhood: Neighbourhood) -> PublicationSettings:
    return PublicationSettings.objects.filter(neighbourhood=neighbourhood).first() or (
        PublicationSettings(neighbourhood=neighbourhood)
    )


def public_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The published page: no login, only what the neighbourhood chose; 404 when off."""
    neighbourhood = get_object_or_404(Neighbourhood, slug=slug)
    settings_row = PublicationSettings.objects.filter(
        neighbourhood=neighbourhood, published=True
    ).first()
    if settings_row is None:
        raise Http404("This neighbourhood has no published page.")
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    context = public_context(neighbourhood, settings_row)
    return render(request, "outcomes/public.html", context)
