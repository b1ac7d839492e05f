"""Who may open which URL: the table the URL walk checks every pattern against.

Every named URL under ``/n/<slug>/`` and ``/me/`` must be listed here with the lowest role
that may use it. A new URL that is missing fails the walk, so no view can skip the rules.
``KWARGS`` says how to fill each URL argument (other than ``slug``) from a side of the world.
"""

from neighbourhoods.models import Role

SIGNED_IN = "signed-in"  # any logged-in user, not tied to a neighbourhood (e.g. /me/)

EXPECTED_ROLE: dict[str, Role | str] = {
    "neighbourhoods:dashboard": Role.RESIDENT,
    "neighbourhoods:members": Role.COORDINATOR,
    "neighbourhoods:member_role": Role.COORDINATOR,
    "neighbourhoods:member_remove": Role.COORDINATOR,
}

KWARGS = {
    "membership_id": lambda side: side.objects["membership"].pk,
}
