"""The dashboard starts with what a builder does next; coordinators keep their figures first."""

from django.urls import reverse
from django.utils import timezone

from conversations import services

from .factories import make_conversation, make_finished, make_follow_up, make_person


def _dashboard(client, side):
    return client.get(reverse("neighbourhoods:dashboard", args=[side.slug])).content.decode()


def test_a_builders_dashboard_starts_with_their_next_steps(world, client_for):
    nb = world.a.neighbourhood
    done = make_finished(nb, world.a.builder, make_person(nb, "Gerda"))
    make_follow_up(done, world.a.builder, "Gerda terugbellen", days=-1)
    make_follow_up(done, world.a.builder, "Over een maand", days=30)
    make_follow_up(done, world.a.coordinator, "Van de coördinator", days=0)
    make_conversation(nb, world.a.builder, make_person(nb, "Concept Kees"))
    page = _dashboard(client_for(world.a.builder), world.a)
    panels = page.index('id="next-panel-heading"'), page.index('id="inventory-heading"')
    assert panels[0] < panels[1]
    next_steps = page[panels[0] : page.index("</section>", panels[0])]
    assert reverse("conversations:new", args=[world.a.slug]) in next_steps
    assert "Gerda terugbellen" in next_steps and "overdue" in next_steps
    assert "Over een maand" not in next_steps and "Van de coördinator" not in next_steps
    assert "Concept Kees" in next_steps


def test_coordinators_see_the_figures_first(world, client_for):
    page = _dashboard(client_for(world.a.coordinator), world.a)
    assert page.index('id="inventory-heading"') < page.index('id="next-panel-heading"')


def test_residents_get_no_next_steps(world, client_for):
    assert 'id="next-panel-heading"' not in _dashboard(client_for(world.a.resident), world.a)


def test_a_follow_up_from_a_person_page_is_a_next_step(world, client_for):
    person = make_person(world.a.neighbourhood, "Ans")
    services.add_follow_up(
        person=person, what="Ans bellen", assignee=world.a.builder, due_on=timezone.localdate()
    )
    assert "Ans bellen" in _dashboard(client_for(world.a.builder), world.a)
