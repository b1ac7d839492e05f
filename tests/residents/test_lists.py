"""People and gift lists: filters, sorting, pagination, HTMX fragments, constant query counts."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from residents.models import Audience, GiftKind

from .factories import make_gift, make_people, make_person
from .factories import visibility as vis

R = Audience.RESIDENTS


def _count_queries(client, url, params=None) -> int:
    cache.clear()  # the same (cold) street list cache for both measurements
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("actor", ["builder", "resident"])
@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("residents:people", {}),
        ("residents:people", {"sort": "street", "kind": "hands"}),
        ("residents:gifts", {}),
        ("residents:gifts", {"kind": "hands", "tag": "koken", "sort": "street"}),
    ],
)
def test_list_query_counts_do_not_grow_with_rows(world, client_for, actor, name, params):
    client = client_for(getattr(world.a, actor))
    url = reverse(name, args=[world.a.slug])
    make_people(world.a.neighbourhood, 5)
    client.get(url)  # warm caches (content types, sessions)
    small = _count_queries(client, url, params)
    make_people(world.a.neighbourhood, 45)
    large = _count_queries(client, url, params)
    assert large == small


def test_dashboard_panel_counts_and_latest(world, client_for):
    make_people(world.a.neighbourhood, 3, gifts=2)
    make_person(world.a.neighbourhood, "Onzichtbare Otto")
    page = client_for(world.a.resident).get(
        reverse("neighbourhoods:dashboard", args=[world.a.slug])
    )
    html = page.content.decode()  # the panel is cached as HTML: read what it says
    figures = dict(re.findall(r"<dt>(People|Gifts)</dt><dd><a href=\"[^\"]*\">(\d+)</a>", html))
    assert figures == {"People": "3", "Gifts": "6"}
    assert "Onzichtbare Otto" not in page.content.decode()
    builder = client_for(world.a.builder).get(
        reverse("neighbourhoods:dashboard", args=[world.a.slug])
    )
    assert "Onzichtbare Otto" in builder.content.decode()


def test_people_filters_by_tag_and_kind_and_sorts(world, client_for):
    nb = world.a.neighbourhood
    cook = make_person(nb, "Kok Karin", street="Soerlaan", visibility=vis(R))
    make_gift(cook, "Koken", kind=GiftKind.HANDS, tags=["koken"])
    singer = make_person(nb, "Zanger Bart", street="Farmanlaan", visibility=vis(R))
    make_gift(singer, "Zingen", kind=GiftKind.HEART, tags=["muziek"])
    client = client_for(world.a.resident)
    url = reverse("residents:people", args=[world.a.slug])
    assert [p.name for p in client.get(url, {"tag": "koken"}).context["people"]] == ["Kok Karin"]
    assert [p.name for p in client.get(url, {"kind": "heart"}).context["people"]] == ["Zanger Bart"]
    by_street = client.get(url, {"sort": "street"}).context["people"]
    assert [p.name for p in by_street] == ["Zanger Bart", "Kok Karin"]
    # a bookmarked URL with a value that no longer exists still answers
    assert client.get(url, {"street": "Nergensstraat", "page": "x"}).status_code == 200


def test_gift_filters_share_learn_kind_street(world, client_for):
    nb = world.a.neighbourhood
    a = make_person(nb, "Anna", street="Soerlaan", visibility=vis(R))
    make_gift(a, "Hart voor de straat", kind=GiftKind.HEART, share=True)
    make_gift(a, "Leren naaien", kind=GiftKind.HANDS, learn=True)
    b = make_person(nb, "Bram", street="Farmanlaan", visibility=vis(R))
    make_gift(b, "Hart voor dieren", kind=GiftKind.HEART)
    client = client_for(world.a.coordinator)
    url = reverse("residents:gifts", args=[world.a.slug])

    def titles(**params):
        return [g.title for g in client.get(url, params).context["gifts"]]

    assert titles(kind="heart", street="Soerlaan") == ["Hart voor de straat"]
    assert titles(share="yes") == ["Hart voor de straat"]
    assert titles(learn="yes") == ["Leren naaien"]
    assert titles(kind="heart", sort="street") == ["Hart voor dieren", "Hart voor de straat"]


def test_htmx_filter_returns_only_the_results_fragment(world, client_for):
    make_people(world.a.neighbourhood, 2)
    client = client_for(world.a.builder)
    url = reverse("residents:people", args=[world.a.slug])
    fragment = client.get(
        url, {"kind": "hands"}, headers={"HX-Request": "true", "HX-Target": "results"}
    )
    text = fragment.content.decode()
    assert text.lstrip().startswith('<div id="results"') and "<html" not in text
    assert "HX-Request" in fragment["Vary"]
    # a history restore (back button) gets the whole page
    restore = client.get(
        url,
        headers={
            "HX-Request": "true",
            "HX-History-Restore-Request": "true",
            "HX-Target": "results",
        },
    )
    assert "<html" in restore.content.decode()


def test_pagination_keeps_the_filters_in_its_links(world, client_for):
    make_people(world.a.neighbourhood, 30)
    client = client_for(world.a.builder)
    page = client.get(reverse("residents:people", args=[world.a.slug]), {"kind": "hands"})
    text = page.content.decode()
    assert "?kind=hands&amp;page=2" in text
    second = client.get(
        reverse("residents:people", args=[world.a.slug]), {"kind": "hands", "page": 2}
    )
    assert len(second.context["people"]) == 5


# The people list's cards as the template wrote them before ``person_cards`` (issue #19).
_CARDS_AS_TEMPLATE = """{% load i18n %}{% translate "Gifts" as gifts_label %}{% for p in people %}
<li class="card person-card">
  {% if p.thumb_url %}<img src="{{ p.thumb_url }}" alt="" class="avatar" width="48" height="48" loading="lazy">{% endif %}
  <div>
    <h2 class="card-title"><a href="{{ p.url }}">{{ p.name }}</a></h2>
    {% if p.street %}<p class="muted">{{ p.street }}</p>{% endif %}
    {% if p.gift_list %}
      <ul class="chips" aria-label="{{ gifts_label }}">
        {% for g in p.gift_list|slice:":3" %}<li class="chip kind-{{ g.kind }}">{{ g.title }}</li>{% endfor %}
        {% if p.gift_list|length > 3 %}<li class="chip muted">+{{ p.gift_list|length|add:"-3" }}</li>{% endif %}
      </ul>
    {% endif %}
  </div>
</li>{% endfor %}"""


@pytest.mark.parametrize("viewer", ["builder", "resident"])
def test_person_cards_are_the_templates_byte_for_byte_but_whitespace(world, viewer):
    """Photo, street and gifts only where the viewer may see them, markup typed into a
    name or gift escaped, more than three gifts as "+n": as the template loop wrote them."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db.models import Prefetch
    from django.template import engines

    from neighbourhoods.images import process_image
    from residents import visibility as disclosure
    from residents.models import Gift, Person
    from residents.views import person_cards
    from tests.me.everywhere import _png

    nb = world.a.neighbourhood
    shown = make_person(nb, 'Ans "<b>" de Vries', shown=Audience.RESIDENTS)
    for title in ("Koken", "Fietsen <script>", "Tuin", "Taal", "Breien"):
        make_gift(shown, title)
    clean = process_image(SimpleUploadedFile("a.png", _png(), content_type="image/png"))
    shown.photo.save(clean.name, clean, save=False)
    shown.photo_thumbnail.save(clean.thumbnail.name, clean.thumbnail, save=False)
    shown.save()
    partly = make_person(
        nb,
        "Bert",
        visibility=vis(Audience.RESIDENTS, street=Audience.BUILDERS, gifts=Audience.BUILDERS),
    )
    make_gift(partly, "Klussen")
    make_person(nb, "Cor", shown=Audience.RESIDENTS, street="")

    membership = world.a.membership(getattr(world.a, viewer))
    ordered = Prefetch("gifts", queryset=Gift.objects.order_by("kind", "title", "pk"))
    rows = Person.objects.in_neighbourhood(nb).visible_to(membership).order_by("name", "pk")
    people = disclosure.see_people(list(rows.prefetch_related(ordered)), membership)

    def squeezed(html: str) -> str:
        return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()

    expected = engines["django"].from_string(_CARDS_AS_TEMPLATE).render({"people": people})
    written = str(person_cards(people))
    assert squeezed(written) == squeezed(expected)
    assert "&lt;script&gt;" in written and "<script>" not in written
    assert ("Klussen" in written) is (viewer == "builder")  # Bert's gifts: builders only
    assert "+2" in written and 'class="avatar"' in written
