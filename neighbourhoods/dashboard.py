"""Registries of page panels, so `neighbourhoods` and `residents` import no feature app.

A feature app registers a panel for a slot in its ``AppConfig.ready``::

    @register_panel("conversations/_dashboard_panel.html", slot="dashboard", order=20)
    def conversations_panel(request, **kwargs) -> dict | None: ...

``orders`` gives the panel another place for some roles (``{"builder": 0}``: first for
community builders, where the dashboard starts with what they do next); the role is the
viewer's own, so coordinators keep their figures first.

The function gets the request (with ``request.membership``) plus the slot's keyword
arguments (the "person" slot passes ``person=``) and returns the template's context, or None
to hide the panel. Pages render them with ``panels_for(request, slot, **kwargs)``.

``cached=True`` keeps a dashboard panel's rendered HTML in the results cache under the
neighbourhood's data version, the viewer kind and the language (``freshness.partial``): only
for panels that read nothing but models ``freshness.track`` follows, and whose template uses
nothing of the page around it (no query string; a form's CSRF token is kept as a mark that
each answer replaces). ``per_user=True`` adds the viewer (a panel that shows "mine"),
``per_day=True`` today's date (a panel that counts weeks or months up to today),
``work=True`` the builders' own work, which ``freshness`` does not count as data (the
neighbourhood's ``work_version``), ``stamp`` a short string from the request (a panel shown
from a job's stored figure: when that figure was computed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from django.http import HttpRequest

from neighbourhoods.http import NeighbourhoodRequest

from . import freshness


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable[..., dict | None]
    slot: str
    order: int
    orders: tuple[tuple[str, int], ...] = ()
    cached: bool = False
    per_user: bool = False
    per_day: bool = False
    stamp: Callable[[NeighbourhoodRequest], str] | None = None
    work: bool = False

    def order_for(self, role: str | None) -> int:
        return dict(self.orders).get(role or "", self.order)


_panels: list[Panel] = []


def register_panel(
    template: str,
    slot: str = "dashboard",
    order: int = 100,
    orders: dict[str, int] | None = None,
    *,
    cached: bool = False,
    per_user: bool = False,
    per_day: bool = False,
    stamp: Callable[[NeighbourhoodRequest], str] | None = None,
    work: bool = False,
):
    def decorator(func: Callable[..., dict | None]):
        panel = Panel(
            template,
            func,
            slot,
            order,
            tuple(sorted((orders or {}).items())),
            cached,
            per_user,
            per_day,
            stamp,
            work,
        )
        _panels.append(panel)
        _panels.sort(key=lambda panel: panel.order)
        return func

    return decorator


def panels_for(request: HttpRequest, slot: str = "dashboard", **kwargs) -> list[tuple[str, dict]]:
    membership = getattr(request, "membership", None)
    role = getattr(membership, "role", None)
    entries: list[Panel | tuple[str, dict]] = []  # a cached panel as itself, for now
    for panel in sorted(_panels, key=lambda panel: panel.order_for(role)):
        if panel.slot != slot:
            continue
        if panel.cached and not kwargs and getattr(request, "neighbourhood", None) is not None:
            entries.append(panel)
            continue
        context = panel.context(request, **kwargs)
        if context is not None:
            entries.append((panel.template, context))
    cached = [
        _part(cast(NeighbourhoodRequest, request), e) for e in entries if isinstance(e, Panel)
    ]
    # every cached panel from one read of the cache (a round trip each to a shared one)
    kept = iter(freshness.partials(cast(NeighbourhoodRequest, request), cached) if cached else ())
    rendered: list[tuple[str, dict]] = []
    for entry in entries:
        if not isinstance(entry, Panel):
            rendered.append(entry)
        elif html := next(kept):  # empty: the panel hides itself
            rendered.append((RENDERED, {"html": html}))
    return rendered


# The template that shows a cached panel's HTML (``{{ panel.html }}``).
RENDERED = "neighbourhoods/_rendered_panel.html"


def _part(request: NeighbourhoodRequest, panel: Panel) -> freshness.Part:
    """The panel rendered on its own (an empty string when it hides itself), from the cache
    when the data, viewer, language (and user or day, if the panel says so) are the same."""
    name = f"panel:{panel.template}"
    if panel.stamp is not None:
        name += f":{panel.stamp(request)}"

    def context() -> dict | None:
        shown = panel.context(request)
        return None if shown is None else {"panel": shown}

    return freshness.Part(
        name,
        panel.template,
        context,
        per_query=False,
        per_user=panel.per_user,
        per_day=panel.per_day,
        work=panel.work,
    )
