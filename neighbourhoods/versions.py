"""One way to never overwrite a change someone has not seen: per field, who changed it.

A form or an autosave knows what each field held when the user started (``base``), what
the user typed now, and what is saved now. :func:`who_changed` tells the four cases apart;
person forms (``residents.forms``) and conversation autosave (``conversations.services``)
both decide with it, and both report a :class:`FieldConflict` the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

UNKNOWN = object()  # the base is not known: someone else may have changed the field


class Change(Enum):
    NONE = "none"  # typed and saved are the same: nothing to do
    MINE = "mine"  # only the user changed it: save what they typed
    THEIRS = "theirs"  # only someone else changed it: keep theirs
    BOTH = "both"  # both changed it (or unknown): a conflict to show


def who_changed(typed: object, saved: object, base: object = UNKNOWN) -> Change:
    if typed == saved:
        return Change.NONE
    if base is not UNKNOWN and base == saved:
        return Change.MINE
    if base is not UNKNOWN and base == typed:
        return Change.THEIRS
    return Change.BOTH


@dataclass
class FieldConflict:
    """A field someone else saved while this form was open: their value and the typed one."""

    field: str
    label: str
    theirs: str
    yours: str
    long: bool = False
    taken: bool = False  # only they changed it: their value is in the form now
