"""render_page: a history restore (Back) always gets the whole page, a swap only its part."""

import pytest
from django.urls import reverse

SWAP = {"HX-Request": "true"}
RESTORE = {"HX-Request": "true", "HX-History-Restore-Request": "true"}


@pytest.mark.parametrize(
    ("name", "role", "target"),
    [  # the element each page's own filters and pages swap (as its template says)
        ("conversations:list", "builder", "rows"),
        ("outcomes:list", "builder", "outcome-rows"),
        ("residents:people", "resident", "results"),
        ("residents:gifts", "resident", "results"),
        ("organisations:list", "resident", "results"),
        ("places:list", "resident", "results"),
        ("network:initiatives", "resident", "results"),
        ("ownership:reflections", "builder", "own-list"),
        ("maps:map", "resident", "map-results"),
    ],
)
def test_back_gets_the_whole_page_and_a_swap_only_the_rows(world, client_for, name, role, target):
    client = client_for(getattr(world.a, role))
    url = reverse(name, args=[world.a.slug])
    restored = client.get(url, headers=RESTORE)
    assert restored.status_code == 200
    assert "<html" in restored.text and "site-header" in restored.text
    swapped = client.get(url, headers={**SWAP, "HX-Target": target})
    assert swapped.status_code == 200
    assert "<html" not in swapped.text
    assert "HX-Request" in restored["Vary"]
