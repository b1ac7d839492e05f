from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from tests.factories import PASSWORD


def login(client, username, password, address="127.0.0.1"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_login_with_username_and_password(world, client):
    response = login(client, "builder_a", PASSWORD)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(world.a.builder.pk)


def test_wrong_password_gives_a_clear_message(world, client):
    response = login(client, "builder_a", "wrong")
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert 'class="error"' in response.text


@override_settings(LOCKOUT_USERNAME_LIMIT=3)
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


def test_password_spraying_from_one_address_is_locked_out(world, client, settings):
    assert settings.LOCKOUT_ADDRESS_LIMIT == 20  # the default: a shared office is not locked
    assert settings.LOCKOUT_USERNAME_LIMIT == 5
    spray = "198.51.100.7"
    for n in range(19):  # one wrong password each for many usernames: below both limits
        assert login(client, f"user{n}", "Welkom2026!", spray).status_code == 200
    # a colleague behind the same address still logs in, and that resets nothing
    assert login(client, "resident_a", PASSWORD, spray).status_code == 302
    client.logout()
    response = login(client, "user19", "Welkom2026!", spray)
    assert response.status_code == 429  # the 20th failure from this address
    assert "te veel verkeerde wachtwoorden" in response.text
    assert "15" in response.text
    # now every username from that address is refused, even with the right password...
    response = login(client, "builder_a", PASSWORD, spray)
    assert response.status_code == 429
    assert "te veel verkeerde wachtwoorden" in response.text
    assert SESSION_KEY not in client.session
    # ...and another address is not
    assert login(client, "builder_a", PASSWORD, "203.0.113.9").status_code == 302


@override_settings(LOCKOUT_ADDRESS_LIMIT=4, LOCKOUT_USERNAME_LIMIT=3)
def test_address_limit_comes_from_its_own_setting(world, client):
    for n in range(3):
        assert login(client, f"user{n}", "wrong", "198.51.100.8").status_code == 200
    assert login(client, "user3", "wrong", "198.51.100.8").status_code == 429
    assert login(client, "resident_a", PASSWORD, "198.51.100.8").status_code == 429


def test_address_lockout_ends_after_the_cool_off_time(world, client, settings):
    from axes.models import AccessAttempt

    settings.LOCKOUT_ADDRESS_LIMIT = 2
    for n in range(2):
        login(client, f"user{n}", "wrong", "198.51.100.9")
    assert login(client, "resident_a", PASSWORD, "198.51.100.9").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME)
    assert login(client, "resident_a", PASSWORD, "198.51.100.9").status_code == 302


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
