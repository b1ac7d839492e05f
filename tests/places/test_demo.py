"""Demo organisations and places: inside the boundary, some kitchens and photos, idempotent."""

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from neighbourhoods import geo
from neighbourhoods.models import Neighbourhood
from organisations.models import Organisation, OrganisationMember
from places.models import Place, PlacePhoto


def test_demo_places_and_organisations(db):
    call_command("seed_demo", password="pw-demo-1234")
    counts = (
        Organisation.objects.count(),
        OrganisationMember.objects.count(),
        Place.objects.count(),
        PlacePhoto.objects.count(),
    )
    call_command("seed_demo", password="pw-demo-1234")
    assert (
        Organisation.objects.count(),
        OrganisationMember.objects.count(),
        Place.objects.count(),
        PlacePhoto.objects.count(),
    ) == counts

    for neighbourhood in Neighbourhood.objects.filter(
        slug__in=["populierenbuurt", "kastanjebuurt"]
    ):
        organisations = Organisation.objects.in_neighbourhood(neighbourhood)
        places = Place.objects.in_neighbourhood(neighbourhood)
        assert organisations.count() >= 25
        assert places.count() >= 20
        assert set(organisations.values_list("kind", flat=True)) == {
            "informal",
            "association",
            "institution",
            "business",
        }
        assert organisations.filter(name__icontains="Eigen Haard").exists()
        assert organisations.filter(name__icontains="Bibliotheek").exists()
        assert organisations.filter(name__icontains="Huisarts").exists()
        for place in places:
            assert geo.contains(neighbourhood.boundary, place.latitude, place.longitude), place
        assert places.filter(accessibility__icontains="keuken").count() >= 3
        assert PlacePhoto.objects.in_neighbourhood(neighbourhood).count() >= 5
        assert organisations.exclude(usual_place=None).exists()
        assert places.exclude(managed_by_organisation=None).exists()

    # members are people of the same neighbourhood
    for member in OrganisationMember.objects.select_related("person", "organisation"):
        assert member.person.neighbourhood_id == member.organisation.neighbourhood_id

    # the published page of the Populierenbuurt shows the places and organisations open to
    # everyone, not the empty shops, the WhatsApp group or the businesses
    page = Client().get(reverse("publication:page", args=["populierenbuurt"])).text
    for shown in (
        "Buurthuis Populierenbuurt",
        "Park De Poel",
        "Bibliotheek Keizer Karelpark",
        "Repair Café Keizer Karelpark",
        "Bewonerscommissie Populierenbuurt",
    ):
        assert shown in page, shown
    for left_out in ("Lege winkel", "Voormalige bakkerij", "Buurtapp", "Kapsalon", "Apotheek"):
        assert left_out not in page, left_out
