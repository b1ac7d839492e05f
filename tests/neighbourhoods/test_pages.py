from django.test import Client, override_settings
from django.urls import reverse

from neighbourhoods.models import Membership, Role


def test_home_redirects_to_the_only_neighbourhood(world, client_for):
    response = client_for(world.a.builder).get("/")
    assert response.status_code == 302
    assert response["Location"] == f"/n/{world.a.slug}/"


def test_home_lists_several_neighbourhoods(world, client_for):
    Membership.objects.create(
        user=world.a.builder, neighbourhood=world.b.neighbourhood, role=Role.RESIDENT
    )
    response = client_for(world.a.builder).get("/")
    assert response.status_code == 200
    assert world.a.neighbourhood.name in response.text
    assert world.b.neighbourhood.name in response.text


def test_home_without_membership_explains(world, client_for):
    response = client_for(world.stranger).get("/")
    assert response.status_code == 200
    assert world.a.neighbourhood.name not in response.text


def test_anonymous_home_goes_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_dashboard_shows_neighbourhood_and_team(world, client_for):
    response = client_for(world.a.resident).get(f"/n/{world.a.slug}/")
    assert response.status_code == 200
    assert world.a.neighbourhood.name in response.text
    assert "builder_a" in response.text
    assert world.b.neighbourhood.name not in response.text


def test_members_link_only_for_coordinators(world, client_for):
    members = reverse("neighbourhoods:members", args=[world.a.slug])
    assert members in client_for(world.a.coordinator).get(f"/n/{world.a.slug}/").text
    assert members not in client_for(world.a.builder).get(f"/n/{world.a.slug}/").text


def test_healthz_ok(db, client):
    response = client.get("/healthz")
    assert response.status_code == 200


def test_healthz_503_when_database_fails(db, client, monkeypatch):
    from django.db import OperationalError

    class Down:
        def cursor(self):
            raise OperationalError("database down")

    monkeypatch.setattr("neighbourhoods.views.connection", Down())
    response = client.get("/healthz")
    assert response.status_code == 503


def test_dutch_is_the_default_language(world, client_for):
    client = Client()
    client.force_login(world.a.resident)
    response = client.get(f"/n/{world.a.slug}/")
    assert '<html lang="nl">' in response.text
    assert "Overzicht" in response.text


def test_switching_to_english(world, client_for):
    client = client_for(world.a.resident, language="nl")
    assert '<html lang="nl">' in client.get(f"/n/{world.a.slug}/").text
    client.post("/i18n/setlang/", {"language": "en", "next": f"/n/{world.a.slug}/"})
    response = client.get(f"/n/{world.a.slug}/")
    assert '<html lang="en">' in response.text
    assert "Overview" in response.text


@override_settings(DEBUG=False)
def test_custom_error_pages(world, client_for):
    response = client_for(world.a.resident).get(f"/n/{world.a.slug}/members/")
    assert response.status_code == 403
    assert "Assetmap" in response.text
    response = client_for(world.a.resident).get("/n/no-such-place/")
    assert response.status_code == 404
    assert "Assetmap" in response.text


def test_the_cached_navigation_follows_the_role_the_address_and_the_language(world, client_for):
    """The navigation is rendered once per role, language and address (base.html's cache):
    what one viewer's page put in the cache never shows on another's."""
    slug = world.a.slug
    people = reverse("residents:people", args=[slug])
    gifts = reverse("residents:gifts", args=[slug])
    members = reverse("neighbourhoods:members", args=[slug])
    coordinator, builder = client_for(world.a.coordinator), client_for(world.a.builder)

    def nav(client, url: str) -> str:
        html = client.get(url).content.decode()
        return html[html.index('<ul id="site-menu">') : html.index("</nav>")]

    for _ in range(2):  # the second round reads what the first one cached
        assert f'href="{members}"' in nav(coordinator, people)
        assert f'href="{members}"' not in nav(builder, people)
        assert f'{people}" aria-current="page"' in nav(builder, people)
        assert f'{gifts}" aria-current="page"' in nav(builder, gifts)
        assert f'{people}" aria-current="page"' not in nav(builder, gifts)
        assert ">Gifts<" in nav(builder, gifts)
        assert ">Gaven<" in nav(client_for(world.a.builder, "nl"), gifts)
