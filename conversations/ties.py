"""How what a builder logs becomes a tie in the network.

Conversations sit below the network app (``network`` imports ``conversations`` to count
conversations and weigh open introductions; see ARCHITECTURE.md), so this app does not
import it. The network app registers the one function that makes (or finds) a tie, in its
``ready()``; finishing a conversation and marking an introduction call :func:`make_tie`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# The origins a conversation gives a tie (``network.models.Origin`` values).
KNEW = "knew"
INTRODUCED = "introduced"

_maker: Callable[..., Any] | None = None


def register(maker: Callable[..., Any]) -> None:
    """``maker(person, other=None, *, organisation=None, origin, **fields)`` → the tie."""
    global _maker
    _maker = maker


def make_tie(person: Any, other: Any = None, *, organisation: Any = None, origin: str, **fields):
    if _maker is None:  # pragma: no cover  (network is always installed)
        raise RuntimeError("The network app has not registered how ties are made.")
    return _maker(person, other, organisation=organisation, origin=origin, **fields)
