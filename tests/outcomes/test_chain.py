"""The contribution chain: scoped to the neighbourhood, readable, and visibility-aware."""

from django.urls import reverse

from network.models import Origin, connect
from organisations.models import Organisation
from outcomes.chain import chain_text
from outcomes.models import Contribution, StepKind
from outcomes.names import ReportAudience, reader_for
from residents.models import Audience

from ..residents.factories import make_gift, make_person, visibility
from .factories import add_step, make_initiative, make_outcome


def _chain_world(world):
    nb = world.a.neighbourhood
    ans = make_person(nb, "Ans Visser", shown=Audience.PUBLIC)
    henk = make_person(nb, "Henk Hidden", shown=Audience.BUILDERS)
    outcome = make_outcome(
        nb,
        "Mr Jansen eats with others three times a week",
        quantity=28,
        unit="care visits saved",
        value="1260.00",
    )
    add_step(outcome, StepKind.GIFT, make_gift(ans, "cooking"))
    add_step(outcome, StepKind.NOTE, note="introduced to the coffee club")
    add_step(outcome, StepKind.CONNECTION, connect(ans, henk, origin=Origin.INTRODUCED))
    return outcome, ans, henk


def test_chain_reads_as_a_story_for_builders(world):
    outcome, _ans, _henk = _chain_world(world)
    builder = world.a.membership(world.a.builder)
    assert chain_text(outcome, builder) == (
        "Ans Visser's gift (cooking) → introduced to the coffee club → "
        "Ans Visser and Henk Hidden connected (introduced after a conversation) → "
        "outcome: Mr Jansen eats with others three times a week; 28 care visits saved"
    )


def test_chain_hides_names_the_reader_may_not_see(world):
    outcome, _ans, _henk = _chain_world(world)
    public = chain_text(outcome, reader_for(world.a.neighbourhood, ReportAudience.PARTNERS))
    assert "Ans Visser's gift (cooking)" in public
    assert "Henk" not in public
    assert "Ans Visser and a resident connected" in public


def test_chain_for_residents_and_partners_leaves_out_the_builders_words(world):
    outcome, ans, _henk = _chain_world(world)
    add_step(outcome, StepKind.GIFT, make_gift(ans, "baking"), note="Hanna asked her")
    nb = world.a.neighbourhood
    add_step(outcome, StepKind.INITIATIVE, make_initiative(nb, "Secret circle"))
    repair = make_initiative(nb, "Repair café", public=True)
    add_step(outcome, StepKind.INITIATIVE, repair, note="Otto's idea")
    builder = world.a.membership(world.a.builder)
    internal = chain_text(outcome, builder)
    assert "introduced to the coffee club" in internal and "Secret circle" in internal
    assert "Hanna asked her" in internal and "Otto's idea" in internal
    for audience in (ReportAudience.RESIDENTS, ReportAudience.PARTNERS):
        text = chain_text(outcome, reader_for(nb, audience), internal=False)
        assert text == (
            "Ans Visser's gift (cooking) → Ans Visser and a resident connected (introduced "
            "after a conversation) → Ans Visser's gift (baking) → an initiative → Repair café "
            "→ outcome: Mr Jansen eats with others three times a week; 28 care visits saved"
        )


def test_gift_of_a_person_who_hides_gifts_is_anonymous(world):
    nb = world.a.neighbourhood
    person = make_person(
        nb, "Gift Hider", visibility=visibility(Audience.PUBLIC, gifts=Audience.BUILDERS)
    )
    outcome = make_outcome(nb)
    add_step(outcome, StepKind.GIFT, make_gift(person, "secret recipe"))
    text = chain_text(outcome, reader_for(nb, ReportAudience.PARTNERS))
    assert "secret recipe" not in text and "Gift Hider" not in text
    assert text.startswith("a resident's gift →")


def test_an_erased_gift_leaves_an_anonymous_step(world):
    outcome, ans, _henk = _chain_world(world)
    ans.delete()  # erasure: person, gifts and connections go; the outcome stays
    assert Contribution.objects.filter(outcome=outcome).count() == 3
    text = chain_text(outcome, world.a.membership(world.a.builder))
    assert "Ans" not in text
    assert text.startswith("a resident's gift → introduced to the coffee club → a connection →")


def _add_step(client, side, outcome, **data):
    return client.post(reverse("outcomes:step_add", args=[side.slug, outcome.pk]), data)


def test_builder_adds_steps_by_search_and_choice(world, client_for):
    nb = world.a.neighbourhood
    gift = make_gift(make_person(nb, "Ans Visser"), "cooking")
    outcome = make_outcome(nb)
    client = client_for(world.a.builder)
    page = client.get(outcome.get_absolute_url(), {"kind": "gift", "find": "cook"})
    assert f'value="{gift.pk}"' in page.content.decode()
    response = _add_step(client, world.a, outcome, kind="gift", target=gift.pk, note="cooks")
    assert response.status_code == 302
    response = _add_step(client, world.a, outcome, kind="note", note="coffee club started")
    assert [s.kind for s in outcome.contributions.all()] == ["gift", "note"]
    page = client.get(outcome.get_absolute_url()).content.decode()
    assert "Ans Visser&#x27;s gift (cooking) — cooks" in page


def test_steps_may_only_point_into_the_same_neighbourhood(world, client_for):
    foreign_gift = make_gift(make_person(world.b.neighbourhood, "Bea Elsewhere"), "baking")
    outcome = make_outcome(world.a.neighbourhood)
    client = client_for(world.a.builder)
    page = client.get(outcome.get_absolute_url(), {"kind": "gift", "find": "bak"}).content.decode()
    assert "Bea Elsewhere" not in page
    response = _add_step(client, world.a, outcome, kind="gift", target=foreign_gift.pk)
    assert response.status_code == 422
    assert "That one is not part of this neighbourhood." in response.content.decode()
    assert not outcome.contributions.exists()


def test_step_without_choice_or_words_is_refused(world, client_for):
    outcome = make_outcome(world.a.neighbourhood)
    client = client_for(world.a.builder)
    assert (
        "Search and choose one" in _add_step(client, world.a, outcome, kind="gift").content.decode()
    )
    assert "Describe the step" in _add_step(client, world.a, outcome, kind="note").content.decode()
    assert _add_step(client, world.a, outcome).status_code == 422


def test_steps_move_and_remove(world, client_for):
    outcome = make_outcome(world.a.neighbourhood)
    first = add_step(outcome, note="first")
    second = add_step(outcome, note="second")
    client = client_for(world.a.builder)
    client.post(
        reverse("outcomes:step_move", args=[world.a.slug, outcome.pk, second.pk]),
        {"direction": "up"},
    )
    assert [s.note for s in outcome.contributions.all()] == ["second", "first"]
    client.post(reverse("outcomes:step_remove", args=[world.a.slug, outcome.pk, first.pk]))
    assert [s.note for s in outcome.contributions.all()] == ["second"]


def test_for_whom_people_are_scoped_and_removable(world, client_for):
    outcome = make_outcome(world.a.neighbourhood)
    own = make_person(world.a.neighbourhood, "Mr Jansen")
    foreign = make_person(world.b.neighbourhood, "Mr Elsewhere")
    client = client_for(world.a.builder)
    url = reverse("outcomes:person_add", args=[world.a.slug, outcome.pk])
    assert client.post(url, {"person": foreign.pk}).status_code == 422
    assert client.post(url, {"person": own.pk}).status_code == 302
    assert list(outcome.for_whom_people.all()) == [own]
    page = client.get(outcome.get_absolute_url(), {"who": "Elsewhere"}).content.decode()
    assert "Mr Elsewhere" not in page
    client.post(reverse("outcomes:person_remove", args=[world.a.slug, outcome.pk, own.pk]))
    assert not outcome.for_whom_people.exists()


def test_partners_read_an_organisation_off_the_published_page_as_an_organisation(world):
    nb = world.a.neighbourhood
    ans = make_person(nb, "Ans Visser", shown=Audience.PUBLIC)
    group = Organisation.objects.create(neighbourhood=nb, name="WhatsApp-groep Lindenlaan")
    outcome = make_outcome(nb, "Together")
    add_step(outcome, StepKind.CONNECTION, connect(ans, organisation=group, origin=Origin.KNEW))
    partners = chain_text(outcome, reader_for(nb, ReportAudience.PARTNERS), internal=False)
    residents = chain_text(outcome, reader_for(nb, ReportAudience.RESIDENTS), internal=False)
    assert "WhatsApp-groep" not in partners and "an organisation" in partners
    assert "WhatsApp-groep Lindenlaan" in residents
    group.public = True
    group.save()
    outcome = type(outcome).objects.get(pk=outcome.pk)
    partners = chain_text(outcome, reader_for(nb, ReportAudience.PARTNERS), internal=False)
    assert "WhatsApp-groep Lindenlaan" in partners
