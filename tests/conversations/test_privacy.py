"""Builders' private notes never reach a resident: not on any page, not in any fragment."""

import io
import zipfile

from django.db import transaction
from django.urls import reverse

from neighbourhoods.models import Role
from residents.models import Person
from tests.access_table import EXPECTED_ROLE, KWARGS, populate
from tests.urlwalk import scoped_routes

from .factories import (
    make_conversation,
    make_finished,
    make_introduction,
    make_known,
    make_person,
)

MARKER = "PRIVATE-NOTE-7f3a91"
HX = {"HX-Request": "true"}


def _resident_urls(world) -> list[str]:
    urls = ["/"]
    for route in scoped_routes():
        if EXPECTED_ROLE.get(route.name) in (None, Role.BUILDER, Role.COORDINATOR):
            continue  # residents get 403 there (checked by the URL walk)
        kwargs = {
            key: world.a.slug if key == "slug" else KWARGS[key](world.a) for key in route.kwargs
        }
        urls.append(reverse(route.name, kwargs=kwargs))
    return urls


def test_private_notes_never_reach_a_resident(world, client_for):
    populate(world)
    nb = world.a.neighbourhood
    make_person(nb, "Someone with notes")
    # every person a resident might look at has a finished conversation and a draft with notes
    for person in Person.objects.in_neighbourhood(nb).exclude(user=world.a.resident):
        make_finished(nb, world.a.builder, person, private_notes=f"{MARKER} finished")
        make_conversation(nb, world.a.builder, person, private_notes=f"{MARKER} draft")
    # ... and some of those conversations name the resident's own profile
    own = Person.objects.in_neighbourhood(nb).filter(user=world.a.resident).first()
    if own is None:
        own = make_person(nb, "Resident's own profile", user=world.a.resident)
    talk = make_finished(nb, world.a.builder, make_person(nb, "Talks about them"))
    talk.private_notes = f"{MARKER} about a neighbour"
    talk.save()
    make_known(talk, other=own)
    make_introduction(talk, to_person=own, reason="both like gardens")
    builder_page = client_for(world.a.builder).get(
        make_finished(nb, world.a.builder, private_notes=MARKER).get_absolute_url()
    )
    assert MARKER in builder_page.content.decode()  # the check below can fail

    client = client_for(world.a.resident)
    urls = _resident_urls(world)
    assert len(urls) > 1
    zips = 0
    for url in urls:
        for headers, query in (({}, {}), (HX, {}), ({}, {"q": MARKER[:12]})):
            response = client.get(url, query, headers=headers, follow=True)
            assert response.status_code < 500, url
            assert MARKER not in _body(response), url
        for headers in ({}, HX):  # forms and POST-only fragments (previews), undone after
            with transaction.atomic():
                response = client.post(url, {"q": MARKER[:12]}, headers=headers)
                assert response.status_code < 500, url
                assert MARKER not in _body(response), url
                zips += response.get("Content-Type") == "application/zip"
                transaction.set_rollback(True)
    assert zips, "the resident's own export was not opened"


def _body(response) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    if response.get("Content-Type") == "application/zip":  # the resident's own export
        archive = zipfile.ZipFile(io.BytesIO(content))
        content = b"".join(archive.read(name) for name in archive.namelist())
    return content.decode(errors="replace")


def test_conversation_pages_are_closed_to_residents(world, client_for):
    conversation = make_finished(world.a.neighbourhood, world.a.builder, private_notes=MARKER)
    client = client_for(world.a.resident)
    for url in (
        conversation.get_absolute_url(),
        reverse("conversations:list", args=[world.a.slug]),
        reverse("conversations:search", args=[world.a.slug, conversation.pk]) + "?q=con",
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert MARKER not in response.content.decode()
