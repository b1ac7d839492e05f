"""Coverage lists people: per street, the residents with no connection yet, as disclosed."""

from django.urls import reverse

from residents.models import Audience

from . import factories as f


def _url(side, street):
    return reverse("network:street_people", args=[side.neighbourhood.slug]) + f"?street={street}"


def test_a_builder_sees_who_has_no_connection_yet_in_a_street(world, client_for):
    nb = world.a.neighbourhood
    alone = f.person(nb, "Ans Alleen", street="Lindenlaan", house_number="12")
    spelled = f.person(nb, "Bram Anders", street="lindenlaan ")  # same street, other spelling
    a = f.person(nb, "Cor Verbonden", street="Lindenlaan")
    b = f.person(nb, "Dien Verbonden", street="Sportlaan")
    f.person(nb, "Els Elders", street="Sportlaan")
    f.link(a, b)
    client = client_for(world.a.builder)
    page = client.get(_url(world.a, "Lindenlaan")).content.decode()
    assert "Ans Alleen" in page and "Bram Anders" in page and "12" in page
    assert "Cor Verbonden" not in page and "Els Elders" not in page
    assert alone.get_absolute_url() in page and spelled.get_absolute_url() in page
    # the coverage page links the count to this list
    coverage = client.get(reverse("network:coverage", args=[nb.slug])).content.decode()
    assert "?street=Lindenlaan" in coverage or "?street=lindenlaan" in coverage


def test_the_list_shows_what_the_disclosure_policy_allows(world, client_for):
    nb = world.a.neighbourhood
    f.person(nb, "Verborgen Vera", street="Lindenlaan", shown=Audience.BUILDERS)
    # builders and coordinators see the recorded name; the page is closed to residents
    assert (
        "Verborgen Vera"
        in client_for(world.a.builder).get(_url(world.a, "Lindenlaan")).content.decode()
    )
    assert client_for(world.a.resident).get(_url(world.a, "Lindenlaan")).status_code == 403
    # another neighbourhood's builder sees nothing of it
    other = client_for(world.b.builder).get(_url(world.b, "Lindenlaan")).content.decode()
    assert "Verborgen Vera" not in other
    assert client_for(world.b.builder).get(_url(world.a, "Lindenlaan")).status_code == 404


def test_queries_do_not_grow_with_the_street(world, client_for, django_assert_max_num_queries):
    nb = world.a.neighbourhood
    for i in range(3):
        f.person(nb, f"Buur {i}", street="Lindenlaan")
    client = client_for(world.a.builder)
    client.get(_url(world.a, "Lindenlaan"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(_url(world.a, "Lindenlaan"))
    for i in range(20):
        f.person(nb, f"Meer {i}", street="Lindenlaan")
    with CaptureQueriesContext(connection) as large:
        client.get(_url(world.a, "Lindenlaan"))
    assert len(large) == len(small)
