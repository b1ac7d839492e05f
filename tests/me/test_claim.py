"""Invites and claiming a profile: the public /claim/ pages and the builders' invite page."""

from datetime import timedelta

import pytest
from axes.helpers import get_client_ip_address
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from me import claim as claiming
from me.claim import CODE_ATTEMPTS
from me.models import ClaimCodeAttempt, Invite, InviteKind, format_code
from neighbourhoods.models import Membership, Role
from residents.models import ConsentHow
from tests.factories import PASSWORD
from tests.residents.factories import make_gift, make_person

from .factories import make_claimed, make_invite

User = get_user_model()
NEW_PASSWORD = "kastanje-boom-42-zomer"


@pytest.fixture
def noor(world):
    person = make_person(
        world.a.neighbourhood,
        "Noor Haddou",
        street="Populierenlaan",
        phone="06 1111 2222",
        email="noor@example.org",
    )
    make_gift(person, "Naaien en verstellen", share=True)
    return person


def _account(client, username="noor_h", password=NEW_PASSWORD, **extra):
    data = {"username": username, "password1": password, "password2": password, "confirm": "on"}
    return client.post(reverse("claim:confirm"), {**data, **extra})


def test_link_claim_end_to_end(world, noor, client_for):
    _invite, token = make_invite(noor, InviteKind.LINK, world.a.builder)
    client = client_for(None)
    response = client.get(reverse("claim:link", args=[token]))
    assert response.status_code == 302 and response["Location"] == reverse("claim:confirm")
    page = client.get(reverse("claim:confirm"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Noor Haddou" in body and "06 1111 2222" in body and "Naaien en verstellen" in body
    assert token not in body
    response = _account(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("me:profile", args=[world.a.slug])
    noor.refresh_from_db()
    user = User.objects.get(username="noor_h")
    assert noor.user == user and user.check_password(NEW_PASSWORD)
    assert (
        Membership.objects.get(user=user, neighbourhood=world.a.neighbourhood).role == Role.RESIDENT
    )
    assert noor.consents.filter(how=ConsentHow.ONLINE).exists()
    # logged in straight away
    assert client.get(reverse("me:profile", args=[world.a.slug])).status_code == 200


def test_code_claim_with_dashes_and_lower_case(world, noor, client_for):
    _invite, code = make_invite(noor, InviteKind.CODE, world.a.builder)
    client = client_for(None)
    typed = format_code(code).lower()
    response = client.post(reverse("claim:code"), {"code": f" {typed} "})
    assert response.status_code == 302 and response["Location"] == reverse("claim:confirm")
    assert _account(client).status_code == 302
    noor.refresh_from_db()
    assert noor.user.username == "noor_h"


def test_only_a_hash_of_the_secret_is_stored(world, noor):
    invite, token = make_invite(noor, InviteKind.LINK)
    _code_invite, code = make_invite(noor, InviteKind.CODE)
    values = " ".join(str(v) for v in Invite.objects.values_list("secret_hash", flat=True))
    assert token not in values and code not in values
    assert len(invite.secret_hash) == 64


def test_forged_link_gets_a_clear_page(world, noor, client_for):
    response = client_for(None).get(reverse("claim:link", args=["made-up-token-123456789"]))
    assert response.status_code == 404
    assert b"We do not know this invite." in response.content
    assert b"Noor" not in response.content


def test_expired_link_gets_a_clear_page(world, noor, client_for):
    _invite, token = make_invite(noor, days=0)
    response = client_for(None).get(reverse("claim:link", args=[token]))
    assert response.status_code == 410
    assert b"This invite has expired." in response.content
    assert b"Noor" not in response.content


def test_reused_link_gets_a_clear_page(world, noor, client_for):
    _invite, token = make_invite(noor)
    first = client_for(None)
    first.get(reverse("claim:link", args=[token]))
    assert _account(first).status_code == 302
    again = client_for(None).get(reverse("claim:link", args=[token]))
    assert (
        again.status_code == 409
    )  # the profile is claimed: that is what the visitor needs to know
    assert b"already been claimed" in again.content


def test_used_invite_of_an_unclaimed_profile_says_used(world, noor, client_for):
    invite, token = make_invite(noor)
    invite.used_at = invite.created_at
    invite.save()
    response = client_for(None).get(reverse("claim:link", args=[token]))
    assert response.status_code == 410 and b"already been used" in response.content


def test_a_second_open_invite_is_withdrawn_by_the_claim(world, noor, client_for):
    _first, token = make_invite(noor)
    _second, other = make_invite(noor, InviteKind.CODE)
    client = client_for(None)
    client.get(reverse("claim:link", args=[token]))
    _account(client)
    response = client_for(None).post(reverse("claim:code"), {"code": other})
    assert response.status_code == 409


def test_claiming_a_profile_already_claimed_is_refused(world, noor, client_for):
    _invite, token = make_invite(noor)
    client = client_for(None)
    client.get(reverse("claim:link", args=[token]))
    noor.user = world.stranger  # claimed meanwhile (another tab, another invite)
    noor.save()
    response = _account(client)
    assert response.status_code == 409
    assert b"This profile has already been claimed." in response.content
    assert not User.objects.filter(username="noor_h").exists()


def test_signed_in_user_adds_the_profile_to_their_login(world, noor, client_for):
    _invite, token = make_invite(noor)
    client = client_for(world.b.resident)
    client.get(reverse("claim:link", args=[token]))
    page = client.get(reverse("claim:confirm"))
    assert b"You are logged in as resident_b" in page.content
    assert b"password1" not in page.content
    response = client.post(reverse("claim:confirm"), {"confirm": "on"})
    assert response.status_code == 302
    noor.refresh_from_db()
    assert noor.user == world.b.resident
    assert world.a.neighbourhood.memberships.filter(
        user=world.b.resident, role=Role.RESIDENT
    ).exists()


def test_a_login_owns_one_profile_per_neighbourhood(world, noor, client_for):
    make_claimed(world.a.neighbourhood, world.a.resident)
    _invite, token = make_invite(noor)
    client = client_for(world.a.resident)
    client.get(reverse("claim:link", args=[token]))
    response = client.post(reverse("claim:confirm"), {"confirm": "on"})
    assert response.status_code == 409
    assert b"You already have a profile in this neighbourhood." in response.content
    noor.refresh_from_db()
    assert noor.user is None


def test_weak_password_and_taken_username_keep_what_was_typed(world, noor, client_for):
    _invite, token = make_invite(noor)
    client = client_for(None)
    client.get(reverse("claim:link", args=[token]))
    response = _account(client, username="builder_a", password="12345678")
    assert response.status_code == 422
    body = response.content.decode()
    assert "This username is taken" in body
    assert "This password is too common" in body or "entirely numeric" in body
    assert 'value="builder_a"' in body
    mismatch = _account(client, username="noor_new", password2="something-else-entirely")
    assert mismatch.status_code == 422 and b"The two passwords differ." in mismatch.content
    unticked = _account(client, confirm="")
    assert unticked.status_code == 422 and b"Tick the box" in unticked.content
    noor.refresh_from_db()
    assert noor.user is None


def test_confirm_page_without_an_invite_shows_nothing(world, noor, client_for):
    response = client_for(None).get(reverse("claim:confirm"))
    assert response.status_code == 302 and response["Location"] == reverse("claim:code")
    response = client_for(None).post(reverse("claim:confirm"), {"confirm": "on"})
    assert response.status_code == 302


def test_unknown_code_keeps_the_input_and_is_throttled(world, noor, client_for):
    client = client_for(None)
    response = client.post(reverse("claim:code"), {"code": "AAAA-CCCC"})
    assert response.status_code == 422
    assert b"We do not know this code" in response.content and b"AAAA-CCCC" in response.content
    short = client.post(reverse("claim:code"), {"code": "ABC"})
    assert short.status_code == 422 and b"A code has 8 letters and digits." in short.content
    for _ in range(CODE_ATTEMPTS):
        client.post(reverse("claim:code"), {"code": "AAAA-CCCC"})
    _invite, code = make_invite(noor, InviteKind.CODE)
    blocked = client.post(reverse("claim:code"), {"code": code})
    assert blocked.status_code == 429 and b"Too many wrong codes." in blocked.content


def test_this_is_not_me_forgets_the_invite(world, noor, client_for):
    _invite, token = make_invite(noor)
    client = client_for(None)
    client.get(reverse("claim:link", args=[token]))
    client.post(reverse("claim:forget"))
    assert client.get(reverse("claim:confirm")).status_code == 302


# --- the builders' side ----------------------------------------------------------------


def test_builder_makes_a_code_that_works_once(world, noor, client_for):
    builder = client_for(world.a.builder)
    url = reverse("privacy:invite", args=[world.a.slug, noor.pk])
    response = builder.post(url, {"kind": InviteKind.CODE})
    assert response.status_code == 302
    page = builder.get(url)
    code = page.context["fresh"]["code"]
    assert len(code) == 9 and code[4] == "-"
    assert code not in builder.get(url).content.decode()  # shown once
    visitor = client_for(None)
    assert visitor.post(reverse("claim:code"), {"code": code}).status_code == 302


def test_builder_sends_a_link_by_email(world, noor, client_for):
    builder = client_for(world.a.builder)
    url = reverse("privacy:invite", args=[world.a.slug, noor.pk])
    builder.post(url, {"kind": InviteKind.LINK, "send_email": "on"})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["noor@example.org"]
    link = builder.get(url).context["fresh"]["link"]
    assert link in message.body
    assert Invite.objects.get(person=noor).emailed_at is not None


def test_invite_form_errors(world, noor, client_for):
    builder = client_for(world.a.builder)
    url = reverse("privacy:invite", args=[world.a.slug, noor.pk])
    assert builder.post(url, {}).status_code == 422
    both = builder.post(url, {"kind": InviteKind.CODE, "send_email": "on"})
    assert both.status_code == 422 and b"Only a link can be sent by email." in both.content
    assert not Invite.objects.exists()


def test_no_invite_for_a_claimed_profile(world, client_for):
    person = make_claimed(world.a.neighbourhood, world.a.resident)
    builder = client_for(world.a.builder)
    url = reverse("privacy:invite", args=[world.a.slug, person.pk])
    response = builder.post(url, {"kind": InviteKind.CODE})
    assert response.status_code == 409
    assert b"already been claimed" in response.content
    assert not Invite.objects.exists()


def test_builder_withdraws_open_invites(world, noor, client_for):
    _invite, token = make_invite(noor)
    client_for(world.a.builder).post(reverse("privacy:invite_revoke", args=[world.a.slug, noor.pk]))
    response = client_for(None).get(reverse("claim:link", args=[token]))
    assert response.status_code == 410 and b"withdrawn" in response.content


def test_invite_pages_of_another_neighbourhood_are_not_found(world, noor, client_for):
    url = reverse("privacy:invite", args=[world.b.slug, noor.pk])
    assert client_for(world.b.builder).get(url).status_code == 404
    assert (
        client_for(world.a.resident)
        .get(reverse("privacy:invite", args=[world.a.slug, noor.pk]))
        .status_code
        == 403
    )


def test_login_with_the_new_account_works(world, noor, client_for):
    _invite, token = make_invite(noor)
    client = client_for(None)
    client.get(reverse("claim:link", args=[token]))
    _account(client)
    fresh = client_for(None)
    response = fresh.post(reverse("login"), {"username": "noor_h", "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert PASSWORD != NEW_PASSWORD


def test_a_mail_failure_still_shows_the_link(world, noor, client_for, monkeypatch):
    import me.privacy_views

    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(me.privacy_views, "send_mail", broken)
    builder = client_for(world.a.builder)
    url = reverse("privacy:invite", args=[world.a.slug, noor.pk])
    response = builder.post(url, {"kind": InviteKind.LINK, "send_email": "on"}, follow=True)
    assert response.status_code == 200
    assert b"The email could not be sent" in response.content
    assert response.context["fresh"]["link"].startswith("http")
    assert "emailed_to" not in response.context["fresh"]


# --- builders, coordinators and staff do not take a resident's profile -----------------


@pytest.mark.parametrize("actor", ["builder_a", "coordinator_a", "staff"])
def test_a_builder_signed_in_cannot_claim_onto_their_own_login(world, noor, client_for, actor):
    """The builder opens the link on their own phone at the table; the resident ticks the box."""
    user = world.actors()[actor]
    invite, token = make_invite(noor, InviteKind.LINK, world.a.builder)
    client = client_for(user)
    client.get(reverse("claim:link", args=[token]))
    page = client.get(reverse("claim:confirm"))
    assert page.status_code == 403
    body = page.content.decode()
    assert "must claim it on their own account" in body
    assert f'action="{reverse("claim:sign_out")}"' in body and 'method="post"' in body
    assert 'name="confirm"' not in body and "Claim my profile" not in body
    ticked = client.post(reverse("claim:confirm"), {"confirm": "on"})
    assert ticked.status_code == 403
    assert "must claim it on their own account" in ticked.content.decode()
    noor.refresh_from_db()
    invite.refresh_from_db()
    assert noor.user is None and invite.used_at is None and invite.revoked_at is None
    assert not noor.consents.filter(how=ConsentHow.ONLINE).exists()


def test_log_out_brings_the_resident_back_to_the_same_claim(world, noor, client_for):
    invite, code = make_invite(noor, InviteKind.CODE, world.a.builder)
    client = client_for(world.a.builder)
    assert client.post(reverse("claim:code"), {"code": code}).status_code == 302
    assert client.get(reverse("claim:confirm")).status_code == 403
    response = client.post(reverse("claim:sign_out"))
    assert response.status_code == 302 and response["Location"] == reverse("claim:confirm")
    page = client.get(reverse("claim:confirm"))
    assert page.status_code == 200
    assert "_auth_user_id" not in client.session  # the builder is logged out
    assert b"Noor Haddou" in page.content and b"password1" in page.content
    assert _account(client).status_code == 302
    noor.refresh_from_db()
    invite.refresh_from_db()
    assert noor.user.username == "noor_h" and invite.used_at is not None


def test_log_out_without_an_invite_goes_to_the_code_form(world, client_for):
    client = client_for(world.a.builder)
    response = client.post(reverse("claim:sign_out"))
    assert response.status_code == 302 and response["Location"] == reverse("claim:code")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("claim:sign_out")).status_code == 405  # POST only


def test_a_builder_of_another_neighbourhood_claims_as_a_resident(world, noor, client_for):
    """Only a role in the person's own neighbourhood stops the claim."""
    _invite, token = make_invite(noor)
    client = client_for(world.b.builder)
    client.get(reverse("claim:link", args=[token]))
    assert client.get(reverse("claim:confirm")).status_code == 200
    assert client.post(reverse("claim:confirm"), {"confirm": "on"}).status_code == 302
    noor.refresh_from_db()
    assert noor.user == world.b.builder


def test_claim_itself_refuses_a_builder_of_the_neighbourhood(world, noor):
    """Also when the role came between showing the page and ticking the box."""
    invite, _token = make_invite(noor)
    with pytest.raises(claiming.InviteProblem) as refused:
        claiming.claim(invite.pk, user=world.a.coordinator)
    assert refused.value.status == 403
    noor.refresh_from_db()
    invite.refresh_from_db()
    assert noor.user is None and invite.used_at is None


# --- the wrong-code limit is shared by every app server ----------------------------------


def _wrong(client, times, **meta):
    for _ in range(times):
        response = client.post(reverse("claim:code"), {"code": "AAAA-CCCC"}, **meta)
        assert response.status_code == 422


def test_the_wrong_code_limit_survives_another_process(world, noor, client_for):
    """Another app server has its own local cache: clearing it must not reset the count."""
    client = client_for(None)
    _wrong(client, CODE_ATTEMPTS)
    cache.clear()
    _invite, code = make_invite(noor, InviteKind.CODE)
    blocked = client_for(None).post(reverse("claim:code"), {"code": code})
    assert blocked.status_code == 429 and b"Too many wrong codes." in blocked.content


def test_a_right_code_works_after_a_few_wrong_ones(world, noor, client_for):
    client = client_for(None)
    _wrong(client, CODE_ATTEMPTS - 1)
    _invite, code = make_invite(noor, InviteKind.CODE)
    response = client.post(reverse("claim:code"), {"code": code})
    assert response.status_code == 302 and response["Location"] == reverse("claim:confirm")


def test_behind_a_proxy_each_client_has_its_own_count(world, noor, client_for, settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    guesser = {**proxy, "HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    _wrong(client_for(None), CODE_ATTEMPTS, **guesser)
    _invite, code = make_invite(noor, InviteKind.CODE)
    # the guesser cannot start afresh by writing another address in front of the real one
    spoofed = {**proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.7, 203.0.113.5"}
    blocked = client_for(None).post(reverse("claim:code"), {"code": code}, **spoofed)
    assert blocked.status_code == 429
    # another resident behind the same proxy is not locked out
    resident = {**proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    response = client_for(None).post(reverse("claim:code"), {"code": code}, **resident)
    assert response.status_code == 302


def test_without_the_proxy_setting_the_forwarded_header_is_ignored(world, noor, client_for):
    _wrong(client_for(None), CODE_ATTEMPTS, HTTP_X_FORWARDED_FOR="203.0.113.5")
    _invite, code = make_invite(noor, InviteKind.CODE)
    fresh = client_for(None).post(
        reverse("claim:code"), {"code": code}, HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    assert fresh.status_code == 429


def test_wrong_codes_older_than_a_quarter_of_an_hour_no_longer_count(
    world, noor, client_for, monkeypatch
):
    _wrong(client_for(None), CODE_ATTEMPTS)
    _invite, code = make_invite(noor, InviteKind.CODE)
    assert client_for(None).post(reverse("claim:code"), {"code": code}).status_code == 429
    later = timezone.now() + timedelta(minutes=15, seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    _wrong(client_for(None), 1)  # also clears away the old tries
    assert ClaimCodeAttempt.objects.count() == 1
    response = client_for(None).post(reverse("claim:code"), {"code": code})
    assert response.status_code == 302


def test_the_client_address_trusts_only_the_proxies_in_front(rf, settings):
    """The helper behind axes' lockout and the wrong-code limit (AXES_CLIENT_IP_CALLABLE)."""

    def address(forwarded=None):
        extra = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
        return get_client_ip_address(rf.post("/claim/", REMOTE_ADDR="10.0.0.2", **extra))

    settings.AXES_IPWARE_PROXY_COUNT = None
    assert address("203.0.113.5") == "10.0.0.2"
    settings.AXES_IPWARE_PROXY_COUNT = 1
    assert address("203.0.113.5") == "203.0.113.5"
    assert address("198.51.100.7, 203.0.113.5") == "203.0.113.5"
    assert address("2001:db8::1") == "2001:db8::1"
    assert address("not-an-address") == "10.0.0.2"
    assert address() == "10.0.0.2"
    settings.AXES_IPWARE_PROXY_COUNT = 2
    assert address("198.51.100.7, 203.0.113.5, 10.0.0.9") == "203.0.113.5"
    assert address("203.0.113.5") == "10.0.0.2"  # fewer hops than proxies: not trusted
