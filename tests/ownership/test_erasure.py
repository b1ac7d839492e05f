"""Erasure of a resident reaches ownership data: carrier rows, reflections, notes."""

import datetime

from me.erasure import erase_person
from ownership.models import Activity, CarrierPeriod, Reflection
from tests.conversations.factories import make_finished
from tests.network import factories as nf

from . import factories as f


def test_erasing_a_carrier_keeps_the_history_without_them(world):
    nb = world.a.neighbourhood
    club = nf.initiative(nb, "Koffieclub")
    ans, bep = nf.person(nb, "Ans Jansen"), nf.person(nb, "Bep de Boer")
    period = f.period(club, datetime.date(2025, 1, 1), [ans, bep])
    note = f.meeting(club, datetime.date(2025, 2, 1), note="Ans Jansen bakte taart")
    conversation = make_finished(nb, world.a.builder, ans)
    f.reflection(nb, world.a.builder, "Over het gesprek", conversation=conversation)
    about_club = f.reflection(nb, world.a.builder, "Ans Jansen nam het over", initiative=club)

    erase_person(ans, world.a.coordinator)

    assert list(CarrierPeriod.objects.get(pk=period.pk).people.all()) == [bep]
    assert not Reflection.objects.filter(conversation__isnull=False).exists()
    assert "Ans Jansen" not in Reflection.objects.get(pk=about_club.pk).why
    assert "Ans Jansen" not in Activity.objects.get(pk=note.pk).note
