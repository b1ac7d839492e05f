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

``cached=True`` keeps a dashboard panel's context in the results cache under the
neighbourhood's data version, the viewer kind and the language (``freshness.value``): only
for panels whose context depends on nothing else (no user of their own, no date, only models
that ``freshness.track`` follows).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest

from . import freshness


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable[..., dict | None]
    slot: str
    order: int
    orders: tuple[tuple[str, int], ...] = ()
    cached: bool = False

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
):
    def decorator(func: Callable[..., dict | None]):
        panel = Panel(template, func, slot, order, tuple(sorted((orders or {}).items())), cached)
        _panels.append(panel)
        _panels.sort(key=lambda panel: panel.order)
        return func

    return decorator


def panels_for(request: HttpRequest, slot: str = "dashboard", **kwargs) -> list[tuple[str, dict]]:
    membership = getattr(request, "membership", None)
    role = getattr(membership, "role", None)
    rendered = []
    for panel in sorted(_panels, key=lambda panel: panel.order_for(role)):
        if panel.slot != slot:
            continue
        if panel.cached and not kwargs and getattr(request, "neighbourhood", None) is not None:
            context = freshness.value(
                request,  # type: ignore[arg-type]
                f"panel:{panel.template}",
                functools.partial(panel.context, request),
                per_query=False,
            )
        else:
            context = panel.context(request, **kwargs)
        if context is not None:
            rendered.append((panel.template, context))
    return rendered
