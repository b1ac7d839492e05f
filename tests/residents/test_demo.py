"""The demo seeder: people with gifts per neighbourhood, idempotent, resident owns a profile."""

from django.contrib.auth import get_user_model
from django.core.management import call_command

from residents.models import Gift, Person


def test_seed_demo_adds_people_and_gifts_once(db):
    call_command("seed_demo", password="pw-demo-1234", people=40)
    first = (Person.objects.count(), Gift.objects.count())
    call_command("seed_demo", password="pw-demo-1234", people=40)
    assert (Person.objects.count(), Gift.objects.count()) == first
    populieren = Person.objects.filter(neighbourhood__slug="populierenbuurt")
    assert populieren.count() == 41  # 40 + the demo resident's own profile
    kastanje = Gift.objects.filter(person__neighbourhood__slug="kastanjebuurt").count()
    assert 300 <= kastanje <= 500
    visibilities = {p.visibility["name"] for p in populieren}
    assert {"residents", "builders"} <= visibilities
    resident = get_user_model().objects.get(username="resident")
    own = Person.objects.get(user=resident)
    assert own.name == "Ans Jansen" and own.neighbourhood.slug == "populierenbuurt"
    assert own.gifts.exists()


def test_more_people_later_only_adds_the_missing_ones(db):
    call_command("seed_demo", password="pw-demo-1234", people=10)
    names = list(
        Person.objects.filter(
            neighbourhood__slug="populierenbuurt", external_id="demo-3"
        ).values_list("name", flat=True)
    )
    call_command("seed_demo", password="pw-demo-1234", people=30)
    assert Person.objects.filter(neighbourhood__slug="populierenbuurt").count() == 31
    assert (
        list(
            Person.objects.filter(
                neighbourhood__slug="populierenbuurt", external_id="demo-3"
            ).values_list("name", flat=True)
        )
        == names
    )
