"""render_page: a history restore (Back) always gets the whole page, a swap only its part."""

import pytest
from django.urls import reverse

SWAP = {"HX-Request": "true"}
RESTORE = {"HX-Request": "true", "HX-History-Restore-Request": "true"}


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("conversations:list", "builder"),
        ("outcomes:list", "builder"),
        ("residents:people", "resident"),
        ("organisations:list", "resident"),
        ("maps:map", "resident"),
    ],
)
def test_back_gets_the_whole_page_and_a_swap_only_the_rows(world, client_for, name, role):
    client = client_for(getattr(world.a, role))
    url = reverse(name, args=[world.a.slug])
    restored = client.get(url, headers=RESTORE)
    assert restored.status_code == 200
    assert "<html" in restored.text and "site-header" in restored.text
    swapped = client.get(url, headers=SWAP)
    assert swapped.status_code == 200
    assert "<html" not in swapped.text
    assert "HX-Request" in restored["Vary"]
