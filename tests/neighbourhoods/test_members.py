from django.core import mail
from django.urls import reverse

from neighbourhoods.models import Membership, Role
from tests.factories import make_user


def members_url(world):
    return reverse("neighbourhoods:members", args=[world.a.slug])


def snapshot(world):
    return sorted(Membership.objects.values_list("user__username", "neighbourhood__slug", "role"))


def test_coordinator_adds_an_existing_user(world, client_for):
    client = client_for(world.a.coordinator)
    response = client.post(members_url(world), {"username": "stranger", "role": Role.BUILDER})
    assert response.status_code == 302
    assert world.a.membership(world.stranger).role == Role.BUILDER


def test_coordinator_creates_a_new_user_who_gets_a_password_email(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for(world.a.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            members_url(world),
            {"username": "fatima", "role": Role.RESIDENT, "create_new": "on", "email": "f@x.org"},
            follow=True,
        )
    assert response.status_code == 200
    user = world.a.neighbourhood.memberships.get(user__username="fatima").user
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1
    assert "fatima" in mail.outbox[0].body
    assert "/accounts/reset/" in mail.outbox[0].body


def test_unknown_user_gives_a_clear_message_and_changes_nothing(world, client_for):
    before = snapshot(world)
    response = client_for(world.a.coordinator).post(
        members_url(world), {"username": "nobody-here", "role": Role.RESIDENT}
    )
    assert response.status_code == 422
    assert "nobody-here" in response.text
    assert "new user" in response.text or "nieuwe gebruiker" in response.text
    assert snapshot(world) == before


def test_duplicate_membership_is_refused(world, client_for):
    before = snapshot(world)
    response = client_for(world.a.coordinator).post(
        members_url(world), {"username": "builder_a", "role": Role.RESIDENT}
    )
    assert response.status_code == 422
    assert "builder_a" in response.text
    assert snapshot(world) == before


def test_new_user_with_a_taken_name_is_refused(world, client_for):
    before = snapshot(world)
    response = client_for(world.a.coordinator).post(
        members_url(world),
        {"username": "STRANGER", "role": Role.RESIDENT, "create_new": "on", "email": "x@y.nl"},
    )
    assert response.status_code == 422
    assert snapshot(world) == before


def test_demoting_the_last_coordinator_is_refused(world, client_for):
    before = snapshot(world)
    membership = world.a.membership(world.a.coordinator)
    url = reverse("neighbourhoods:member_role", args=[world.a.slug, membership.pk])
    response = client_for(world.a.coordinator).post(url, {"role": Role.BUILDER}, follow=True)
    assert "last coordinator" in response.text or "laatste coördinator" in response.text
    assert snapshot(world) == before


def test_demoting_the_last_coordinator_over_htmx_shows_the_message_in_the_row(world, client_for):
    membership = world.a.membership(world.a.coordinator)
    url = reverse("neighbourhoods:member_role", args=[world.a.slug, membership.pk])
    response = client_for(world.a.coordinator).post(
        url, {"role": Role.RESIDENT}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 422
    assert f'id="member-{membership.pk}"' in response.text
    assert "<html" not in response.text
    assert world.a.membership(world.a.coordinator).role == Role.COORDINATOR


def test_removing_the_last_coordinator_is_refused(world, client_for):
    membership = world.a.membership(world.a.coordinator)
    url = reverse("neighbourhoods:member_remove", args=[world.a.slug, membership.pk])
    response = client_for(world.a.coordinator).post(url, follow=True)
    assert "last coordinator" in response.text or "laatste coördinator" in response.text
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_second_coordinator_makes_removal_possible(world, client_for):
    other = make_user("second")
    Membership.objects.create(user=other, neighbourhood=world.a.neighbourhood, role="coordinator")
    membership = world.a.membership(world.a.coordinator)
    url = reverse("neighbourhoods:member_remove", args=[world.a.slug, membership.pk])
    client_for(other).post(url)
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_change_role(world, client_for):
    membership = world.a.membership(world.a.resident)
    url = reverse("neighbourhoods:member_role", args=[world.a.slug, membership.pk])
    client_for(world.a.coordinator).post(url, {"role": Role.BUILDER})
    assert world.a.membership(world.a.resident).role == Role.BUILDER


def test_bogus_role_is_refused(world, client_for):
    membership = world.a.membership(world.a.resident)
    url = reverse("neighbourhoods:member_role", args=[world.a.slug, membership.pk])
    client_for(world.a.coordinator).post(url, {"role": "king"})
    assert world.a.membership(world.a.resident).role == Role.RESIDENT


def test_membership_of_other_neighbourhood_is_404(world, client_for):
    other = world.b.membership(world.b.resident)
    url = reverse("neighbourhoods:member_role", args=[world.a.slug, other.pk])
    response = client_for(world.a.coordinator).post(url, {"role": Role.BUILDER})
    assert response.status_code == 404
    assert Membership.objects.get(pk=other.pk).role == Role.RESIDENT


def test_members_page_escapes_usernames(world, client_for):
    make_user("x<script>y", email="evil@example.org")
    client = client_for(world.a.coordinator)
    client.post(members_url(world), {"username": "x<script>y", "role": Role.RESIDENT})
    response = client.get(members_url(world))
    assert "x<script>y" not in response.text
    assert "x&lt;script&gt;y" in response.text
