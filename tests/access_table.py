"""Who may open which URL: the table the URL walk checks every pattern against.

Every named URL under ``/n/<slug>/`` and ``/me/`` must be listed with the lowest role that
may use it. Each feature's rules live in ``tests/<app>/access_rules.py`` with:

- ``EXPECTED_ROLE``: URL name → lowest `Role` (or ``SIGNED_IN`` for /me/ pages, or
  ``PUBLIC`` for a page without login that a neighbourhood may publish);
- ``KWARGS``: URL argument name → function(side) giving a value of that side;
- ``populate(side)`` (optional): creates the sample objects ``KWARGS`` reads, in
  ``side.objects``.

A new URL that is missing fails the walk, so no view can skip the rules.
"""

import importlib
import pkgutil
from pathlib import Path

from neighbourhoods.models import Role

SIGNED_IN = "signed-in"  # any logged-in user, not tied to a neighbourhood (e.g. /me/)
# Public by design (e.g. /n/<slug>/public/): every actor, anonymous too, when the side's
# populate() published it (``side.objects["published"]``), and 404 for everyone otherwise.
PUBLIC = "public"

EXPECTED_ROLE: dict[str, Role | str] = {
    "neighbourhoods:dashboard": Role.RESIDENT,
    "neighbourhoods:members": Role.COORDINATOR,
    "neighbourhoods:member_role": Role.COORDINATOR,
    "neighbourhoods:member_remove": Role.COORDINATOR,
}

KWARGS = {
    "membership_id": lambda side: side.membership(side.resident).pk,
}

POPULATORS = []

for _info in pkgutil.iter_modules([str(Path(__file__).parent)]):
    if not _info.ispkg:
        continue
    try:
        _module = importlib.import_module(f"tests.{_info.name}.access_rules")
    except ModuleNotFoundError as error:
        if error.name != f"tests.{_info.name}.access_rules":
            raise
        continue
    EXPECTED_ROLE.update(_module.EXPECTED_ROLE)
    KWARGS.update(getattr(_module, "KWARGS", {}))
    if hasattr(_module, "populate"):
        POPULATORS.append(_module.populate)


def populate(world) -> None:
    """Create every feature's sample objects in both sides of the world."""
    for side in (world.a, world.b):
        for populator in POPULATORS:
            populator(side)
