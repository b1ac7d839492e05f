"""Access rules of the resident's own pages (/me/) and the builders' privacy pages.

The person id of the privacy pages is the residents app's sample person (``person_id`` in
tests/residents/access_rules.py). The /claim/ pages are public by design and tested in
tests/me/test_claim.py.
"""

from me.models import MergeProposal
from neighbourhoods.models import Role
from tests.access_table import SIGNED_IN
from tests.residents.factories import make_person

from .factories import make_claimed

EXPECTED_ROLE = {
    "me:home": SIGNED_IN,
    "me:profile": SIGNED_IN,
    "me:details": SIGNED_IN,
    "me:gifts": SIGNED_IN,
    "me:visibility": SIGNED_IN,
    "me:consent": SIGNED_IN,
    "me:history": SIGNED_IN,
    "me:export": SIGNED_IN,
    "me:erase": SIGNED_IN,
    "privacy:invite": Role.BUILDER,
    "privacy:invite_revoke": Role.BUILDER,
    "privacy:erase": Role.COORDINATOR,
    "privacy:retention": Role.COORDINATOR,
    "privacy:retention_keep": Role.COORDINATOR,
    "privacy:merge": Role.BUILDER,
    "privacy:merges": Role.COORDINATOR,
    "privacy:merge_decline": Role.COORDINATOR,
}

KWARGS = {
    "proposal_id": lambda side: side.objects["me_merge_proposal"].pk,
}


def populate(side) -> None:
    # The side's resident owns a profile, so /me/<slug>/ pages show real data to them.
    side.objects["me_profile"] = make_claimed(side.neighbourhood, side.resident, "Walk Resident")
    one = make_person(side.neighbourhood, "Walk Twin", street="Walkstraat")
    two = make_person(side.neighbourhood, "Walk Twin", street="Walkstraat 2")
    side.objects["me_merge_proposal"] = MergeProposal.objects.create(person=one, other_person=two)
