"""Access rules of the outcomes pages, and of the published page (public by design)."""

from neighbourhoods.models import Role
from network.models import Origin, connect
from outcomes.models import EvidenceKind, StepKind
from residents.models import Audience

from ..access_table import PUBLIC
from ..residents.factories import make_gift, make_person
from .factories import add_step, make_evidence, make_outcome, make_unit, publish

EXPECTED_ROLE = {
    "outcomes:list": Role.BUILDER,
    "outcomes:new": Role.BUILDER,
    "outcomes:detail": Role.BUILDER,
    "outcomes:edit": Role.BUILDER,
    "outcomes:delete": Role.COORDINATOR,
    "outcomes:status": Role.COORDINATOR,
    "outcomes:person_add": Role.BUILDER,
    "outcomes:person_remove": Role.BUILDER,
    "outcomes:step_add": Role.BUILDER,
    "outcomes:step_remove": Role.BUILDER,
    "outcomes:step_move": Role.BUILDER,
    "outcomes:evidence_add": Role.BUILDER,
    "outcomes:evidence": Role.BUILDER,
    "outcomes:evidence_remove": Role.BUILDER,
    "outcomes:units": Role.COORDINATOR,
    "outcomes:report_pdf_job": Role.COORDINATOR,
    "outcomes:unit_edit": Role.COORDINATOR,
    "outcomes:unit_delete": Role.COORDINATOR,
    "outcomes:dashboard": Role.BUILDER,
    "outcomes:report": Role.COORDINATOR,
    "outcomes:report_pdf": Role.COORDINATOR,
    "outcomes:publication": Role.COORDINATOR,
    "publication:page": PUBLIC,
}

KWARGS = {
    "outcome_id": lambda side: side.objects["outcomes_outcome"].pk,
    "beneficiary_id": lambda side: side.objects["outcomes_person"].pk,
    "step_id": lambda side: side.objects["outcomes_step"].pk,
    "evidence_id": lambda side: side.objects["outcomes_evidence"].pk,
    "unit_id": lambda side: side.objects["outcomes_unit"].pk,
}


def populate(side) -> None:
    """An outcome with a person, a gift step, a connection step and a PDF; side A publishes
    its page (``published``), side B does not, so the walk sees both states."""
    nb = side.neighbourhood
    person = make_person(nb, "Outcome Walker", shown=Audience.RESIDENTS)
    other = make_person(nb, "Outcome Friend", shown=Audience.RESIDENTS)
    gift = make_gift(person, "Walk cooking")
    unit = make_unit(nb, "walk visit saved", "45")
    outcome = make_outcome(nb, "Walk outcome", quantity=2, unit=unit.unit, value=90)
    outcome.for_whom_people.add(person)
    step = add_step(outcome, StepKind.GIFT, gift)
    add_step(outcome, StepKind.CONNECTION, connect(person, other, origin=Origin.INTRODUCED))
    side.objects.update(
        outcomes_outcome=outcome,
        outcomes_person=person,
        outcomes_step=step,
        outcomes_evidence=make_evidence(outcome, EvidenceKind.PDF),
        outcomes_unit=unit,
    )
    published = nb.name == "Populierenbuurt"  # side A of make_world()
    publish(nb, published=published)
    side.objects["published"] = published
