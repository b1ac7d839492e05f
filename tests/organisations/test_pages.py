"""Organisations: browse as a resident, create/edit/delete as a builder, others get 404."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisations.models import Organisation, OrganisationMember
from residents.models import Audience

from ..places.factories import make_place
from .factories import make_member, make_organisation, make_plain_person


def url(name, side, *args):
    return reverse(f"organisations:{name}", args=[side.slug, *args])


VALID = {
    "name": "Repair Café Populier",
    "kind": "informal",
    "description": "We repareren fietsen en lampen.",
    "contact": "Els",
    "email": "repair@example.org",
    "phone": "020 123 4567",
    "website": "https://repair.example.org",
    "street": "Lindenlaan",
    "house_number": "12a",
    "postcode": "1185 AB",
    "meeting_times": "zaterdag 13:00",
    "usual_place": "",
}


def test_builder_creates_edits_and_deletes(world, client_for):
    client = client_for(world.a.builder)
    place = make_place(world.a.neighbourhood, "Buurthuis")
    response = client.post(url("new", world.a), {**VALID, "usual_place": place.pk})
    organisation = Organisation.objects.get(name="Repair Café Populier")
    assert response.status_code == 302
    assert response["Location"] == url("detail", world.a, organisation.pk)
    assert organisation.neighbourhood == world.a.neighbourhood
    assert organisation.created_by == world.a.builder
    assert organisation.usual_place == place

    page = client.get(url("detail", world.a, organisation.pk))
    assert page.status_code == 200
    assert "We repareren fietsen en lampen." in page.text
    assert "Buurthuis" in page.text
    assert 'href="https://repair.example.org"' in page.text

    response = client.post(
        url("edit", world.a, organisation.pk),
        {**VALID, "name": "Repair Café", "kind": "association"},
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert (organisation.name, organisation.kind) == ("Repair Café", "association")
    assert organisation.updated_by == world.a.builder

    confirm = client.get(url("delete", world.a, organisation.pk))
    assert confirm.status_code == 200
    assert "Delete Repair Café?" in confirm.text
    assert Organisation.objects.filter(pk=organisation.pk).exists()
    response = client.post(url("delete", world.a, organisation.pk))
    assert response.status_code == 302
    assert response["Location"] == url("list", world.a)
    assert not Organisation.objects.filter(pk=organisation.pk).exists()


def test_coordinator_may_edit_too(world, client_for):
    organisation = make_organisation(world.a.neighbourhood, "Oud")
    response = client_for(world.a.coordinator).post(
        url("edit", world.a, organisation.pk), {**VALID, "name": "Nieuw"}
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Nieuw"


def test_shown_on_the_published_page_only_when_chosen(world, client_for):
    client = client_for(world.a.coordinator)
    form = client.get(url("new", world.a))
    assert 'name="public"' in form.text
    client.post(url("new", world.a), VALID)
    organisation = Organisation.objects.get(name="Repair Café Populier")
    assert organisation.public is False  # off unless someone chooses it
    detail = client.get(url("detail", world.a, organisation.pk))
    assert "on the published page" not in detail.text

    response = client.post(url("edit", world.a, organisation.pk), {**VALID, "public": "on"})
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.public is True
    for page in (url("detail", world.a, organisation.pk), url("list", world.a)):
        assert "on the published page" in client.get(page).text
    dutch = client_for(world.a.builder, language="nl").get(url("edit", world.a, organisation.pk))
    assert "tonen op de openbare pagina" in dutch.text.lower()


def test_resident_browses_but_cannot_change(world, client_for):
    organisation = make_organisation(world.a.neighbourhood, "Breiclub", description="Breien")
    client = client_for(world.a.resident)
    listing = client.get(url("list", world.a))
    assert listing.status_code == 200
    assert "Breiclub" in listing.text
    assert url("new", world.a) not in listing.text
    detail = client.get(url("detail", world.a, organisation.pk))
    assert detail.status_code == 200
    assert url("edit", world.a, organisation.pk) not in detail.text
    assert client.get(url("new", world.a)).status_code == 403
    assert client.post(url("new", world.a), VALID).status_code == 403
    assert client.post(url("edit", world.a, organisation.pk), VALID).status_code == 403
    assert client.post(url("delete", world.a, organisation.pk)).status_code == 403
    assert (
        client.post(url("edit", world.a, organisation.pk), {**VALID, "public": "on"}).status_code
        == 403
    )
    assert Organisation.objects.filter(pk=organisation.pk, name="Breiclub", public=False).exists()


def test_other_neighbourhood_gets_404(world, client_for):
    organisation = make_organisation(world.a.neighbourhood, "Alleen in A")
    for user in (world.b.builder, world.b.resident, world.stranger):
        client = client_for(user)
        assert client.get(url("detail", world.a, organisation.pk)).status_code == 404
        assert client.post(url("delete", world.a, organisation.pk)).status_code == 404
    # an id of A under B's slug is a 404 too, even for B's builder
    client = client_for(world.b.builder)
    assert client.get(url("detail", world.b, organisation.pk)).status_code == 404
    assert client.post(url("edit", world.b, organisation.pk), VALID).status_code == 404
    assert client.post(url("delete", world.b, organisation.pk)).status_code == 404
    assert Organisation.objects.filter(pk=organisation.pk).exists()
    assert "Alleen in A" not in client.get(url("list", world.b)).text


def test_anonymous_goes_to_login(world, client_for):
    response = client_for(None).get(url("list", world.a))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_list_filters_sorting_and_pagination(world, client_for):
    nb = world.a.neighbourhood
    make_organisation(nb, "Bakkerij Zon", kind="business")
    make_organisation(nb, "Bewonerscommissie", kind="association")
    for n in range(30):
        make_organisation(nb, f"Groep {n:02d}", kind="informal")
    client = client_for(world.a.resident)

    business = client.get(url("list", world.a), {"kind": "business"})
    assert "Bakkerij Zon" in business.text
    assert "Bewonerscommissie" not in business.text

    found = client.get(url("list", world.a), {"q": "commissie"})
    assert "Bewonerscommissie" in found.text and "Bakkerij" not in found.text

    first = client.get(url("list", world.a), {"kind": "informal", "sort": "-name"})
    assert "Groep 29" in first.text and "Groep 00" not in first.text
    second = client.get(url("list", world.a), {"kind": "informal", "sort": "-name", "page": 2})
    assert "Groep 00" in second.text
    # the page links keep the filters
    assert "kind=informal" in first.text and "sort=-name" in first.text and "page=2" in first.text

    # junk values do not break the page
    junk = client.get(url("list", world.a), {"kind": "spaceship", "sort": "x", "page": "zz"})
    assert junk.status_code == 200


def test_htmx_list_returns_only_the_results(world, client_for):
    make_organisation(world.a.neighbourhood, "Koffieclub")
    client = client_for(world.a.resident)
    response = client.get(url("list", world.a), {"q": "koffie"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="results">')
    assert "<html" not in response.text
    assert "Koffieclub" in response.text
    assert "HX-Request" in response["Vary"]
    # a history restore gets the whole page
    restore = client.get(
        url("list", world.a),
        {"q": "koffie"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in restore.text


def test_member_names_follow_visibility(world, client_for):
    nb = world.a.neighbourhood
    organisation = make_organisation(nb, "Moestuin")
    shown = make_plain_person(nb, "Zichtbare Zora", shown=Audience.RESIDENTS)
    hidden = make_plain_person(nb, "Verborgen Vera", shown=Audience.BUILDERS)
    make_member(organisation, shown, "voorzitter")
    make_member(organisation, hidden, "vrijwilliger")

    builder_page = client_for(world.a.builder).get(url("detail", world.a, organisation.pk))
    assert "Zichtbare Zora" in builder_page.text and "Verborgen Vera" in builder_page.text

    resident_page = client_for(world.a.resident).get(url("detail", world.a, organisation.pk))
    assert "Zichtbare Zora" in resident_page.text
    assert reverse("residents:person", args=[world.a.slug, shown.pk]) in resident_page.text
    assert reverse("residents:person", args=[world.a.slug, hidden.pk]) not in resident_page.text
    assert "voorzitter" in resident_page.text
    assert "Verborgen Vera" not in resident_page.text
    assert "1 member who does not show this membership" in resident_page.text.replace("\n", " ")

    # a resident always sees their own name
    hidden.user = world.a.resident
    hidden.save()
    own_page = client_for(world.a.resident).get(url("detail", world.a, organisation.pk))
    assert "Verborgen Vera" in own_page.text


def test_builder_adds_and_removes_members(world, client_for):
    nb = world.a.neighbourhood
    organisation = make_organisation(nb, "Harmonie")
    person = make_plain_person(nb, "Henk Hoorn")
    client = client_for(world.a.builder)

    detail = client.get(url("detail", world.a, organisation.pk))
    assert f'<option value="{person.pk}"' in detail.text

    response = client.post(
        url("member_add", world.a, organisation.pk),
        {"person": person.pk, "role": "voorzitter", "since": "2021-03-01"},
    )
    assert response.status_code == 302
    member = OrganisationMember.objects.get(organisation=organisation, person=person)
    assert member.role == "voorzitter"
    assert str(member.since) == "2021-03-01"

    # adding again changes the role, no duplicate row
    client.post(url("member_add", world.a, organisation.pk), {"person": person.pk, "role": "lid"})
    assert OrganisationMember.objects.get(organisation=organisation, person=person).role == "lid"

    # an existing member is not offered again
    detail = client.get(url("detail", world.a, organisation.pk))
    assert f'<option value="{person.pk}"' not in detail.text

    confirm = client.get(url("member_remove", world.a, organisation.pk, member.pk))
    assert "Henk Hoorn" in confirm.text
    response = client.post(url("member_remove", world.a, organisation.pk, member.pk))
    assert response.status_code == 302
    assert not OrganisationMember.objects.filter(pk=member.pk).exists()


def test_members_only_from_the_same_neighbourhood(world, client_for):
    organisation = make_organisation(world.a.neighbourhood, "Club A")
    outsider = make_plain_person(world.b.neighbourhood, "Buiten Bert")
    client = client_for(world.a.builder)
    response = client.post(
        url("member_add", world.a, organisation.pk), {"person": outsider.pk, "role": "lid"}
    )
    assert response.status_code == 422
    assert "Choose a person of this neighbourhood from the list." in response.text
    assert not OrganisationMember.objects.exists()
    detail = client.get(url("detail", world.a, organisation.pk))
    assert "Buiten Bert" not in detail.text


def test_member_of_another_organisation_url_is_404(world, client_for):
    nb = world.a.neighbourhood
    one, two = make_organisation(nb, "Een"), make_organisation(nb, "Twee")
    member = make_member(one, make_plain_person(nb))
    client = client_for(world.a.builder)
    assert client.post(url("member_remove", world.a, two.pk, member.pk)).status_code == 404
    assert OrganisationMember.objects.filter(pk=member.pk).exists()


def test_person_search_for_members_and_options(world, client_for):
    nb = world.a.neighbourhood
    organisation = make_organisation(nb, "Club")
    make_plain_person(nb, "Fatima Fietsen", street="Kastanjelaan")
    make_plain_person(nb, "Gerrit Groen")
    make_plain_person(world.b.neighbourhood, "Fenna Elders")
    client = client_for(world.a.builder)
    partial = client.get(
        url("detail", world.a, organisation.pk),
        {"person_q": "fiet"},
        headers={"HX-Request": "true"},
    )
    assert 'id="person-choices"' in partial.text
    assert "Fatima Fietsen" in partial.text and "Gerrit" not in partial.text
    assert "<html" not in partial.text

    options = client.get(url("person_options", world.a), {"q": "f", "empty": "1"})
    assert "Fatima Fietsen" in options.text
    assert "Fenna" not in options.text  # other neighbourhood
    assert options.text.startswith('<option value="">')


def test_dashboard_panel_counts_and_latest(world, client_for):
    make_organisation(world.a.neighbourhood, "Eerste club")
    make_organisation(world.a.neighbourhood, "Nieuwste club")
    make_organisation(world.b.neighbourhood, "Club in B")
    page = client_for(world.a.resident).get(
        reverse("neighbourhoods:dashboard", args=[world.a.slug])
    )
    panel = page.text[page.text.index('id="organisations-panel-heading"') :]
    assert ">2</a></dd>" in panel
    assert "Nieuwste club" in page.text
    assert "Club in B" not in page.text


def test_kept_list_shows_a_new_member_and_a_renamed_place_at_once(world, client_for):
    """The list's rows are kept (``freshness.partial``): the same list again runs none of
    their queries, and a change shows at once."""
    nb = world.a.neighbourhood
    place = make_place(nb, "Buurthuis")
    organisation = make_organisation(nb, "Repair Café", usual_place=place)
    client = client_for(world.a.resident)
    list_url = url("list", world.a)
    with CaptureQueriesContext(connection) as first:
        assert "0 members" in client.get(list_url).content.decode()
    with CaptureQueriesContext(connection) as again:
        assert "Buurthuis" in client.get(list_url).content.decode()
    assert len(again) < len(first)
    make_member(organisation, make_plain_person(nb, "Ans"))
    place.name = "De Populier"
    place.save()
    after = client.get(list_url).content.decode()
    assert "1 member" in after and "De Populier" in after and "Buurthuis" not in after
    htmx = client.get(list_url, {"q": "repair"}, headers={"HX-Request": "true"})
    assert htmx.content.decode().lstrip().startswith('<div id="results">')
