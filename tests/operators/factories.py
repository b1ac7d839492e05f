"""Operators for the test world: X runs neighbourhood A, Y runs B; each has an admin."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from jobs.models import Job, State
from neighbourhoods.models import Membership
from operators.models import Invitation, Kind, Operator, OperatorAdmin, OperatorNeighbourhood
from operators.services import invite
from tests.factories import World, make_user


@dataclass
class OperatorSide:
    operator: Operator
    admin: object
    side: object
    objects: dict

    @property
    def slug(self) -> str:
        return self.operator.slug


def make_operator(name: str, admin_name: str, *neighbourhoods) -> tuple[Operator, object]:
    operator = Operator.objects.create(
        name=name, slug=name.lower().replace(" ", "-"), kind=Kind.WELFARE
    )
    admin = make_user(admin_name)
    OperatorAdmin.objects.create(operator=operator, user=admin)
    for neighbourhood in neighbourhoods:
        OperatorNeighbourhood.objects.create(
            operator=operator,
            neighbourhood=neighbourhood,
            wijk_code="WK036208",
            gemeente_code="GM0362",
        )
    return operator, admin


def operator_sides(world: World) -> tuple[OperatorSide, OperatorSide]:
    x, admin_x = make_operator("Organisatie X", "orgadmin_x", world.a.neighbourhood)
    y, admin_y = make_operator("Organisatie Y", "orgadmin_y", world.b.neighbourhood)
    sides = []
    for operator, admin, side in ((x, admin_x, world.a), (y, admin_y, world.b)):
        job = Job.objects.create(
            kind="operator-report-pdf", scope=operator.scope, title="r", state=State.DONE,
            created_by=admin, file_name="r.pdf", content_type="application/pdf",
            file=default_storage.save(f"jobs/{operator.slug}/r.pdf", ContentFile(b"%PDF-1.4")),
        )  # fmt: skip
        invited = invite(
            operator, by=admin, email="new@example.org", role="builder",
            neighbourhoods=[side.neighbourhood],
        )  # fmt: skip
        sides.append(
            OperatorSide(
                operator,
                admin,
                side,
                {
                    "job": job,
                    "invitation": invited.invitation,
                    "membership": Membership.objects.get(
                        user=side.builder, neighbourhood=side.neighbourhood
                    ),
                },
            )
        )
    return sides[0], sides[1]


__all__ = ["Invitation", "OperatorSide", "make_operator", "operator_sides"]
