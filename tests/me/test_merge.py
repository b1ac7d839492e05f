"""Merging two records of one person: everything moves to the record that stays (found by
walking the relations), doubles fold, consent is the narrower, one audit entry; erasure
still reaches everything afterwards."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEntry
from me.erasure import erase_person
from me.merge import MergeRefused, incoming, merge_people
from me.models import MergeProposal
from network.models import Connection, InitiativeMember, Origin, connect
from outcomes.models import Outcome
from residents.models import Audience, ConsentRecord, Gift, Person
from tests.conversations.factories import make_finished
from tests.network.factories import member
from tests.ownership.factories import period
from tests.residents.factories import make_gift, make_person

from .everywhere import EMAIL, NAME, PHONE, USERNAME
from .test_erasure import _hits


def _pointing_at(pk: int) -> list[str]:
    """Every row anywhere whose foreign key still points at person ``pk``."""
    found = []
    for fk in incoming(Person):
        for row_pk in fk.model._base_manager.filter(**{fk.attname: pk}).values_list(
            "pk", flat=True
        ):
            found.append(f"{fk.model._meta.label}.{fk.name} #{row_pk}")
    return found


def _duplicate(world, noor):
    """A second record of Noor, with overlapping data: a tie to the same Piet, the same
    initiative, a tie to Noor's first record, the same outcome."""
    nb = world.a.neighbourhood
    twin = make_person(
        nb,
        NAME,
        street="Populierenlaan",
        house_number="7",
        visibility={"name": Audience.PUBLIC, "street": Audience.BUILDERS, "gifts": "residents"},
    )
    make_gift(twin, "Fietsen repareren")
    early = timezone.localdate().replace(year=2024, month=3, day=1)
    connect(twin, noor["piet"], origin=Origin.KNEW, since=early)
    connect(twin, noor["person"], origin=Origin.KNEW)
    member(noor["club"], twin, joined=early)
    noor["outcome"].for_whom_people.add(twin)
    period(noor["club"], early, people=[twin, noor["person"]])
    make_finished(nb, world.a.builder, twin)
    ConsentRecord.objects.create(
        person=twin,
        fields=["name"],
        audience="public",
        text="ja",
        text_version="1",
        how="kitchen_table",
        given_at=timezone.now(),
    )
    return twin


def test_the_relation_walk_sees_every_kind_of_reference():
    labels = {fk.model._meta.label for fk in incoming(Person)}
    assert {
        "residents.Gift",
        "residents.ConsentRecord",
        "network.Connection",
        "network.InitiativeMember",
        "network.Dismissal",
        "organisations.OrganisationMember",
        "conversations.Conversation",
        "conversations.Introduction",
        "conversations.KnownRelation",
        "outcomes.Outcome_for_whom_people",
        "ownership.CarrierPeriod_people",
        "me.Invite",
        "me.MergeProposal",
        "places.Place",
    } <= labels


def test_merge_moves_everything_and_folds_doubles(world, noor):
    drop = noor["person"]
    keep = _duplicate(world, noor)
    assert _pointing_at(drop.pk)  # the walk can fail: before, plenty points at her
    gifts = Gift.objects.filter(person__in=[keep, drop]).count()

    report = merge_people(keep=keep, drop=drop, by=world.a.coordinator)

    assert not Person.objects.filter(pk=drop.pk).exists()
    assert _pointing_at(drop.pk) == []
    keep.refresh_from_db()
    assert keep.gifts.count() == gifts
    # the tie between the two records is gone; two ties to Piet are one, the earlier date
    piet_ties = Connection.objects.involving(keep).filter(
        person__in=[noor["piet"]]
    ) | Connection.objects.involving(keep).filter(other_person=noor["piet"])
    assert piet_ties.count() == 1
    assert piet_ties.get().since.year == 2024
    assert not Connection.objects.filter(person=keep, other_person=keep).exists()
    # one membership of the club, initiator as Noor's was, since the earlier date
    membership = InitiativeMember.objects.get(initiative=noor["club"], person=keep)
    assert membership.initiator and membership.joined.year == 2024
    assert list(Outcome.objects.get(pk=noor["outcome"].pk).for_whom_people.all()) == [keep]
    assert keep.conversations.count() == 2
    assert keep.consents.count() == 2
    assert keep.user.username == USERNAME  # her login moved along
    assert (keep.phone, keep.email, keep.house_number) == (PHONE, EMAIL, "7")
    # consent is the narrower: the name was public on one record, residents on the other
    assert keep.visibility["name"] == Audience.RESIDENTS
    assert keep.visibility["street"] == Audience.BUILDERS
    assert report.folded["network.Connection"] == 2
    # one audit entry; the history of the record that went is the kept one's now
    merged = AuditEntry.objects.filter(action=Action.MERGE)
    assert merged.count() == 1
    assert merged.get().person_id == keep.pk and merged.get().changes["merged"] == [
        drop.pk,
        keep.pk,
    ]
    assert not AuditEntry.objects.filter(person_id=drop.pk).exists()
    assert AuditEntry.objects.filter(person_id=keep.pk, action=Action.CREATE).count() >= 2
    # the access log holds one merge, naming only the kept person's id
    from audit.models import AccessAction, AccessEntry

    logged = AccessEntry.objects.get(action=AccessAction.MERGE)
    assert list(logged.subjects.values_list("person_id", flat=True)) == [keep.pk]


def test_erasure_reaches_everything_after_a_merge(
    world, noor, media, django_capture_on_commit_callbacks
):
    keep = _duplicate(world, noor)
    merge_people(keep=keep, drop=noor["person"], by=world.a.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        erase_person(Person.objects.get(pk=keep.pk), world.a.coordinator)
    assert _pointing_at(keep.pk) == []
    assert _hits([NAME, EMAIL, PHONE, USERNAME, *noor["photo_names"]]) == []
    assert not Gift.objects.filter(person_id=keep.pk).exists()


def test_merge_refuses_two_logins_and_other_neighbourhoods(world, noor):
    other = make_person(world.b.neighbourhood, NAME)
    try:
        merge_people(keep=noor["person"], drop=other, by=world.a.coordinator)
    except MergeRefused:
        pass
    else:  # pragma: no cover
        raise AssertionError("merged across neighbourhoods")
    assert Person.objects.filter(pk=other.pk).exists()


def test_builder_proposes_and_coordinator_merges_or_declines(world, client_for):
    nb = world.a.neighbourhood
    gerda = make_person(nb, "Gerda", street="Seringenlaan")
    twin = make_person(nb, "Gerda", street="Seringenlaan 12")
    url = reverse("privacy:merge", args=[world.a.slug, gerda.pk])
    builder = client_for(world.a.builder)
    page = builder.get(url)
    assert f"?other={twin.pk}" in page.content.decode()  # the twin is offered
    compare = builder.get(url + f"?other={twin.pk}")
    assert "Propose this merge" in compare.content.decode()
    builder.post(url, {"other": twin.pk, "keep": gerda.pk})
    assert Person.objects.filter(pk=twin.pk).exists()  # a builder only proposes
    proposal = MergeProposal.objects.get()
    coordinator = client_for(world.a.coordinator)
    listed = coordinator.get(reverse("privacy:merges", args=[world.a.slug]))
    assert f"?other={twin.pk}" in listed.content.decode()
    response = coordinator.post(url, {"other": twin.pk, "keep": gerda.pk})
    assert response.status_code == 302
    assert not Person.objects.filter(pk=twin.pk).exists()
    assert not MergeProposal.objects.filter(pk=proposal.pk).exists()  # folded with the merge

    # declining keeps both
    a, b = make_person(nb, "Kees"), make_person(nb, "Kees")
    declined = MergeProposal.objects.create(person=a, other_person=b, proposed_by=world.a.builder)
    coordinator.post(reverse("privacy:merge_decline", args=[world.a.slug, declined.pk]))
    declined.refresh_from_db()
    assert declined.declined_at is not None
    assert Person.objects.filter(pk__in=[a.pk, b.pk]).count() == 2
