"""A neighbourhood whose every text field carries a marker, each marker with its rule.

:func:`build_hunt` creates one row of every kind of record around the resident of
``world.a`` (R), a visible neighbour (V), a hidden neighbour (H) and a second hidden person
(H2), then *walks the models* (``apps.get_models()`` of the project's own apps) and
overwrites every text field of every row it made with a distinct marker ``LEAKqq0001``...
The category of each marker decides who may read it (see the test module's docstring):

- ``HIDDEN``: nobody but builders: another person's hidden data, builders' writing.
- ``OWN``: the resident's own data (R may read it; B and anonymous may not).
- ``NEIGHBOUR``: V's fields whose audience is ``residents`` (R may read them).
- ``SHARED``: neighbourhood data a resident may read (places, organisations ...).
- ``PUBLIC``: what the published page shows (the intro, a published outcome's summary).

The walk overwrites with ``QuerySet.update()``, so no save() side effect (audit rows, tag
normalising) runs on the marker values; derived columns (``normalised``) are set to the
normalised marker of their source column.
"""

from __future__ import annotations

import datetime
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone

from audit import trail
from audit.models import AuditEntry
from conversations.models import FollowUp
from me.models import ClaimCodeAttempt, Invite, InviteKind, RetentionKeep
from network.models import Dismissal, Origin, connect
from outcomes.models import EvidenceKind, StepKind
from residents.models import Audience, ConsentHow, ConsentRecord, normalise
from tests.conversations.factories import (
    make_draft_gift,
    make_finished,
    make_follow_up,
    make_introduction,
    make_known,
)
from tests.exchange.factories import make_job
from tests.network import factories as nf
from tests.organisations.factories import make_member, make_organisation
from tests.outcomes.factories import add_step, make_evidence, make_outcome, make_unit, publish
from tests.ownership import factories as of
from tests.places.factories import make_photo, make_place
from tests.residents.factories import make_gift, make_person, visibility

HIDDEN = "hidden"
OWN = "own"
NEIGHBOUR = "neighbour"
SHARED = "shared"
PUBLIC = "public"

PREFIX = "LEAKqq"  # common to every marker: the resident is renamed to it in the second pass
MARKER_RE = re.compile(r"leakqq\d{4}", re.IGNORECASE)

# Models whose text is not about anyone: never filled, never required.
NOT_PERSONAL = {
    "neighbourhoods.Neighbourhood",
    # national reference prices and the price index shipped with the app
    "outcomes.ReferencePrice",
    "outcomes.PriceIndex",
    # Organisation-level records: shown only under /o/<slug>/ to that organisation's admins
    # (404 for every resident, tests/operators/test_access.py); no resident's text in them.
    "operators.Operator",
    "operators.CbsArea",
    "operators.OperatorNeighbourhood",
    "operators.Invitation",
    "jobs.Job",
    # figures computed from the data (jobs.figures): ids, counts, and in the suggestions'
    # reasons gift titles, shown to builders only; erasure deletes a neighbourhood's figures
    "jobs.Figure",
    # a team member's choice of follow-up reminders (frequency, day, language): no one's text
    "conversations.DigestSetting",
    # The access log: fixed descriptions ("people (csv-nl)") and roles, ids and counts only.
    "audit.AccessEntry",
}
# Columns holding secrets of the app, never shown (me.records.SECRET_WORDS).
SECRET_WORDS = ("hash", "password", "token", "secret")


def project_models() -> list[type[models.Model]]:
    """The models of the project's own apps (top-level folders of the checkout)."""
    base = Path(settings.BASE_DIR).resolve()
    labels = {
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).resolve().parent == base
    }
    return [m for m in apps.get_models() if m._meta.app_label in labels]


def text_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not f.primary_key
        and not f.choices
        and not any(word in f.name for word in SECRET_WORDS)
    ]


@dataclass
class Hunt:
    world: object
    markers: dict[str, tuple[str, str]] = field(default_factory=dict)  # marker → (where, cat)
    filled: set[str] = field(default_factory=set)  # "app.Model.field" that got a marker
    objects: dict[str, models.Model] = field(default_factory=dict)
    _seq: itertools.count = field(default_factory=lambda: itertools.count(1))

    def category(self, marker: str) -> str:
        return self.markers[marker.upper().replace("LEAKQQ", PREFIX)][1]

    def where(self, marker: str) -> str:
        return self.markers[marker.upper().replace("LEAKQQ", PREFIX)][0]

    def of(self, *categories: str) -> set[str]:
        return {m for m, (_w, c) in self.markers.items() if c in categories}

    def fill(self, role: str, obj: models.Model, category: str, **override: str) -> dict:
        """Give every text field of ``obj`` its own marker; ``override``: field → category."""
        model = type(obj)
        label = model._meta.label
        values: dict[str, str] = {}
        marks: dict[str, str] = {}
        derived = []
        for f in text_fields(model):
            if f.name == "normalised":
                derived.append(f)
                continue
            marker = f"{PREFIX}{next(self._seq):04d}"
            if isinstance(f, models.EmailField):
                value = f"{marker.lower()}@example.org"
            elif isinstance(f, models.URLField):
                value = f"https://{marker.lower()}.example.org/"
            elif isinstance(f, models.SlugField):
                value = marker.lower()
            else:
                value = marker
            if f.max_length and len(value) > f.max_length:
                raise AssertionError(f"{label}.{f.name} is too short for a marker")
            values[f.name] = value
            marks[f.name] = marker
            cat = override.get(f.name, category)
            self.markers[marker] = (f"{label}.{f.name} of {role} [{cat}]", cat)
            self.filled.add(f"{label}.{f.name}")
        for f in derived:
            source = "name" if "name" in values else next(iter(values))
            values[f.name] = normalise(values[source])
            self.filled.add(f"{label}.{f.name}")
        model._base_manager.filter(pk=obj.pk).update(**values)
        obj.refresh_from_db()
        self.objects[role] = obj
        return marks

    def uncovered(self) -> list[str]:
        """Text fields of project models that no row of this hunt carries a marker in."""
        missing = []
        for model in project_models():
            if model._meta.label in NOT_PERSONAL:
                continue
            for f in text_fields(model):
                if f"{model._meta.label}.{f.name}" not in self.filled:
                    missing.append(f"{model._meta.label}.{f.name}")
        return missing


def _person_follow_up(person, assignee):
    return FollowUp.objects.create(
        neighbourhood=person.neighbourhood,
        person=person,
        what="x",
        assignee=assignee,
        due_on=timezone.localdate(),
    )


def trail_row(obj: models.Model) -> None:
    """The audit trail's "created" row of ``obj`` with its current (marker) values, written
    by the trail's own handler (the hunt fills with ``update()``, which sends no signal)."""
    obj.refresh_from_db()
    trail._after_save(type(obj), obj, created=True)


def build_hunt(world) -> Hunt:
    """R (world.a.resident's profile), V, H, H2 and a record of every kind around them."""
    hunt = Hunt(world)
    a = world.a
    nb = a.neighbourhood
    builder = a.builder

    # People -------------------------------------------------------------------------
    r = make_person(
        nb,
        "R",
        user=a.resident,
        visibility=visibility(Audience.BUILDERS, name=Audience.RESIDENTS),
    )
    v = make_person(
        nb,
        "V",
        visibility=visibility(
            Audience.BUILDERS,
            name=Audience.RESIDENTS,
            street=Audience.RESIDENTS,
            gifts=Audience.RESIDENTS,
        ),
    )
    h = make_person(nb, "H")  # every field builders-only
    h2 = make_person(nb, "H2")
    hunt.fill("R", r, OWN)
    hunt.fill("V", v, HIDDEN, name=NEIGHBOUR, street=NEIGHBOUR)
    hunt.fill("H", h, HIDDEN)
    hunt.fill("H2", h2, HIDDEN)
    # R's login account (not a project model): its names are hers too, e.g. as the "by" of
    # changes she made herself.
    hunt.fill("R's account", a.resident, OWN)

    # Gifts and tags: each tag exists on one person's gifts only ----------------------
    r_gift = make_gift(r, "r gift", tags=["r-tag"])
    v_gift = make_gift(v, "v gift", tags=["v-tag"])
    h_gift = make_gift(h, "h gift", tags=["h-tag"])
    hunt.fill("R's gift", r_gift, OWN)
    hunt.fill("V's gift", v_gift, NEIGHBOUR)
    hunt.fill("H's gift", h_gift, HIDDEN)
    hunt.fill("R's tag", r_gift.tags.get(), OWN)
    hunt.fill("V's tag", v_gift.tags.get(), NEIGHBOUR)
    hunt.fill("H's tag (only on H's gift)", h_gift.tags.get(), HIDDEN)

    # Consent records -----------------------------------------------------------------
    for role, person, cat in (("R", r, OWN), ("H", h, HIDDEN)):
        consent = ConsentRecord.objects.create(
            person=person,
            fields=["name"],
            audience=Audience.BUILDERS,
            text="x",
            text_version="x",
            how=ConsentHow.KITCHEN_TABLE,
            given_at=timezone.now(),
            recorded_by=builder,
        )
        hunt.fill(f"{role}'s consent", consent, cat)

    # Shared places of the neighbourhood (not published) -------------------------------
    place = make_place(nb, "p", managed_by_person=h, public=False)
    hunt.fill("place managed by H", place, SHARED)
    r_place = make_place(nb, "rp", managed_by_person=r, public=False)
    hunt.fill("place managed by R", r_place, SHARED)
    hunt.fill("photo of a place", make_photo(place, "c"), SHARED)
    organisation = make_organisation(nb, "o", public=False, usual_place=place)
    hunt.fill("organisation", organisation, SHARED)
    hunt.fill("R's organisation membership", make_member(organisation, r, "x"), OWN)
    hunt.fill("H's organisation membership", make_member(organisation, h, "x"), HIDDEN)

    # Published places, organisations and initiatives (the public page, the HSDS API) ----
    # H manages the place, is a member of the organisation and started the initiative; only
    # the columns the published page shows are PUBLIC (outcomes.public), the rest SHARED.
    public_place = make_place(nb, "pp", managed_by_person=h, public=True)
    hunt.fill(
        "published place managed by H",
        public_place,
        SHARED,
        name=PUBLIC,
        street=PUBLIC,
        description=PUBLIC,
    )
    public_organisation = make_organisation(nb, "po", public=True, usual_place=public_place)
    hunt.fill(
        "published organisation",
        public_organisation,
        SHARED,
        name=PUBLIC,
        description=PUBLIC,
        website=PUBLIC,
        meeting_times=PUBLIC,
    )
    hunt.fill(
        "H's membership of the published organisation",
        make_member(public_organisation, h, "x"),
        HIDDEN,
    )
    public_club = nf.initiative(nb, "pi", meeting_place=public_place, public=True)
    hunt.fill("published initiative", public_club, PUBLIC)
    nf.member(public_club, h, initiator=True)

    # Conversations: with R (her own, builders' notes included) and with H --------------
    c_r = make_finished(nb, builder, r)
    hunt.fill("conversation with R", c_r, OWN)
    hunt.fill("draft gift of R's conversation", make_draft_gift(c_r), OWN)
    known = make_known(c_r, h)
    hunt.fill("follow-up of R's conversation", make_follow_up(c_r, builder), OWN)
    intro_r = make_introduction(c_r, to_person=h)
    hunt.fill("introduction R → H (reason)", intro_r, HIDDEN)
    c_h = make_finished(nb, builder, h)
    hunt.fill("conversation with H", c_h, HIDDEN)
    hunt.fill("draft gift of H's conversation", make_draft_gift(c_h), HIDDEN)
    make_known(c_h, r)
    hunt.fill("follow-up of H's conversation", make_follow_up(c_h, builder), HIDDEN)
    hunt.fill("introduction H → V (reason)", make_introduction(c_h, to_person=v), HIDDEN)
    # follow-ups added on a person's page, without a conversation
    hunt.fill("follow-up for R (person page)", _person_follow_up(r, builder), OWN)
    hunt.fill("follow-up for H (person page)", _person_follow_up(h, builder), HIDDEN)

    # Connections: R–H, R–V, H–H2 (origin notes are builders' writing) -----------------
    r_h = connect(r, h, origin=Origin.INTRODUCED, since=datetime.date(2025, 2, 1))
    hunt.fill("connection R–H (origin note)", r_h, HIDDEN)
    r_v = connect(r, v, origin=Origin.KNEW, since=datetime.date(2025, 2, 2))
    hunt.fill("connection R–V (origin note)", r_v, HIDDEN)
    h_h2 = connect(h, h2, origin=Origin.KNEW, since=datetime.date(2025, 2, 3))
    hunt.fill("connection H–H2 (origin note)", h_h2, HIDDEN)
    intro_r.connection = r_h
    intro_r.save(update_fields=["connection"])
    known.connection = r_h
    known.save(update_fields=["connection"])
    Dismissal.objects.create(neighbourhood=nb, person=r, other_person=h2, dismissed_by=builder)

    # Initiatives and ownership ---------------------------------------------------------
    club = nf.initiative(nb, "i", meeting_place=place)
    hunt.fill("initiative", club, SHARED)
    club.gifts.add(h_gift, r_gift)
    nf.member(club, r)
    nf.member(club, h, initiator=True)
    hunt.fill("carrier period of H", of.period(club, datetime.date(2025, 2, 1), [h]), HIDDEN)
    hunt.fill("meeting note", of.meeting(club, datetime.date(2025, 3, 1), note="n"), HIDDEN)
    hunt.fill(
        "reflection on R's conversation", of.reflection(nb, builder, conversation=c_r), HIDDEN
    )
    hunt.fill("reflection on the initiative", of.reflection(nb, builder, initiative=club), HIDDEN)
    hunt.fill("coverage street", nf.street(nb, "s"), SHARED)

    # Outcomes ----------------------------------------------------------------------------
    unit = make_unit(nb, "u", "45")
    hunt.fill("unit value", unit, SHARED)
    linked = make_outcome(nb, "t", publish=True, public_summary="s", quantity=2, unit="u")
    linked.for_whom_people.add(r, h)
    hunt.fill(
        "outcome linking R",
        linked,
        HIDDEN,
        title=OWN,
        public_summary=PUBLIC,
        where=SHARED,
        unit=PUBLIC,  # the published page shows it (quantity text)
    )
    step = add_step(linked, StepKind.GIFT, r_gift, note="n")
    hunt.fill("step of the outcome linking R (note)", step, HIDDEN)
    hunt.fill(
        "step on the R–H connection (note)", add_step(linked, StepKind.CONNECTION, r_h), HIDDEN
    )
    hunt.fill("evidence of the outcome linking R", make_evidence(linked, EvidenceKind.PDF), HIDDEN)
    unlinked = make_outcome(nb, "t2", publish=False)
    marks = hunt.fill("outcome NOT linking R (story names her)", unlinked, HIDDEN)
    hunt.fill("step of an outcome about H", add_step(unlinked, StepKind.GIFT, h_gift), HIDDEN)
    # Its story names the resident; it still is not hers (no link).
    type(unlinked).objects.filter(pk=unlinked.pk).update(story=f"{marks['story']} {r.name}")
    hunt.fill("publication settings", publish(nb, published=True, intro="x"), HIDDEN, intro=PUBLIC)

    # Invites, retention, audit, imports, claim attempts -------------------------------------
    Invite.make(r, InviteKind.CODE, builder)
    Invite.make(h, InviteKind.CODE, builder)
    RetentionKeep.objects.create(person=h, kept_by=a.coordinator)
    for role, person, cat in (("R", r, OWN), ("H", h, HIDDEN)):
        entry = AuditEntry.objects.create(
            neighbourhood=nb,
            actor=builder,
            action="update",
            model_label="residents.Person",
            object_id=str(person.pk),
            person_id=person.pk,
            changes={},
            note="x",
        )
        hunt.fill(f"audit entry about {role}", entry, cat)
    hunt.fill("import job", make_job(nb, a.coordinator), HIDDEN)
    hunt.fill("claim code attempt", ClaimCodeAttempt.objects.create(address="x"), HIDDEN)

    for role, obj in (("R", r), ("V", v), ("H", h), ("H2", h2)):
        obj.refresh_from_db()
        hunt.objects[role] = obj

    # The change log: the trail's row of every tracked record, as the signal handlers write
    # it when the record is made with these values (markers inside ``changes``; values of
    # conversations are not kept, only the field names).
    with trail.acting_as(builder):
        for obj in (
            r, v, h, h2, r_gift, v_gift, h_gift, place, r_place, public_place, organisation,
            public_organisation, club, public_club, c_r, c_h,
        ):  # fmt: skip
            trail_row(obj)
    hunt.objects.update(
        public_place=public_place,
        public_organisation=public_organisation,
        public_initiative=public_club,
        conversation_r=c_r,
        conversation_h=c_h,
        r_gift=r_gift,
        v_gift=v_gift,
        h_gift=h_gift,
        place=place,
        organisation=organisation,
        initiative=club,
        linked_outcome=linked,
        connection=r_h,
    )
    return hunt
