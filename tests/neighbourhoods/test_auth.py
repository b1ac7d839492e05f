from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import override_settings

from tests.factories import PASSWORD


def login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_login_with_username_and_password(world, client):
    response = login(client, "builder_a", PASSWORD)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(world.a.builder.pk)


def test_wrong_password_gives_a_clear_message(world, client):
    response = login(client, "builder_a", "wrong")
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert 'class="error"' in response.text


@override_settings(AXES_FAILURE_LIMIT=3)
def test_lockout_after_repeated_failures(world, client):
    for _ in range(2):
        assert login(client, "builder_a", "wrong").status_code == 200
    response = login(client, "builder_a", "wrong")
    assert response.status_code == 429
    assert "15" in response.text
    # Even the right password is refused while locked out...
    assert login(client, "builder_a", PASSWORD).status_code == 429
    assert SESSION_KEY not in client.session
    # ...but another username from the same address is not locked (keyed on both).
    assert login(client, "resident_a", PASSWORD).status_code == 302


def test_logout_is_post_only(world, client_for):
    client = client_for(world.a.builder)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert SESSION_KEY not in client.session


def test_password_reset_sends_an_email(world, client):
    response = client.post("/accounts/password_reset/", {"email": "builder_a@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "builder_a" in mail.outbox[0].body


def test_password_change(world, client_for):
    client = client_for(world.a.builder)
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-Pass-4-buurt",
            "new_password2": "a-new-Pass-4-buurt",
        },
    )
    assert response.status_code == 302
    world.a.builder.refresh_from_db()
    assert world.a.builder.check_password("a-new-Pass-4-buurt")
