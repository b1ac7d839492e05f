"""Access rules of the audit trail pages (person id: the residents app's sample person)."""

from neighbourhoods.models import Role

EXPECTED_ROLE = {
    "audit:person_history": Role.COORDINATOR,
    "audit:changes": Role.COORDINATOR,
    "audit:access_log": Role.COORDINATOR,
}
