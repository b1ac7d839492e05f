"""A small registry of dashboard panels, so `neighbourhoods` imports no feature app.

A feature app registers a function in its ``AppConfig.ready``; the function gets the request
(with ``request.membership``) and returns a context dict for its template, or None to hide.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable[[HttpRequest], dict | None]
    order: int = 100


_panels: list[Panel] = []


def register_panel(template: str, order: int = 100):
    def decorator(func: Callable[[HttpRequest], dict | None]):
        _panels.append(Panel(template=template, context=func, order=order))
        _panels.sort(key=lambda panel: panel.order)
        return func

    return decorator


def panels_for(request: HttpRequest) -> list[tuple[str, dict]]:
    rendered = []
    for panel in _panels:
        context = panel.context(request)
        if context is not None:
            rendered.append((panel.template, context))
    return rendered
