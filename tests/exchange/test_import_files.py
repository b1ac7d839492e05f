"""Importing spreadsheets: columns in English or Dutch, encodings, bad rows, duplicates."""

import codecs

import pytest

from exchange import importing, reading
from organisations.models import Organisation
from places.models import Place
from residents.models import Audience, ConsentHow, ConsentRecord, Gift, Person

from .factories import PLACES_CSV, make_person, make_place, xlsx_bytes


def plan(world, text: str | bytes, name="file.csv", **options):
    data = text.encode() if isinstance(text, str) else text
    return importing.build_plan(name, data, world.a.neighbourhood, **options)


def run(world, text, name="file.csv", valid_only=False, **options):
    result = plan(world, text, name, **options)
    return result, importing.apply_plan(
        result,
        world.a.neighbourhood,
        user=world.a.coordinator,
        file_name=name,
        valid_only=valid_only,
    )


def test_places_csv_in_english(world):
    result, outcome = run(world, PLACES_CSV)
    assert result.what == "places"
    assert outcome.counts["places"] == {"created": 2, "updated": 0, "unchanged": 0}
    place = Place.objects.get(external_id="bh-1")
    assert (place.kind, place.house_number, place.latitude) == ("community_centre", "12", 52.3001)
    assert Place.objects.get(name="Speeltuin Eikhof").kind == "playground"


def test_dutch_headers_semicolons_bom_and_decimal_commas(world):
    text = (
        "\ufeffNaam;Soort;Straat;Huisnummer;Postcode;Lat;Lon;Omschrijving\n"
        "Café de Hoek;café;Dorpsstraat;3;1181 AA;52,301;4,862;Gezellig\n"
    )
    result, _outcome = run(world, text)
    assert any("semicolon" in n for n in result.notices)
    place = Place.objects.get(name="Café de Hoek")
    assert (place.kind, place.latitude, place.longitude) == ("cafe", 52.301, 4.862)


def test_latin1_file_is_read_with_a_notice(world):
    text = "naam;soort;straat\nCafé Zuidoever;café;Dorpsstraat\n".encode("cp1252")
    result, _ = run(world, text)
    assert any("Latin-1" in notice for notice in result.notices)
    assert Place.objects.filter(name="Café Zuidoever").exists()


def test_utf8_mark_with_latin1_bytes_is_refused_clearly(world):
    data = codecs.BOM_UTF8 + "naam\nCafé\n".encode("cp1252")
    with pytest.raises(reading.Refused, match="says it is UTF-8"):
        plan(world, data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\xef\xbb\xbf  \n", "empty"),
        (b"name,kind\n", None),
        (b"foo,bar\n1,2\n", "None of the columns is known"),
        (b"\xd0\xcf\x11\xe0rest", "old Excel"),
        (b"{not json", "not valid"),
        (b'{"hello": 1}', "neither GeoJSON nor"),
    ],
)
def test_unreadable_files_say_why(world, data, message):
    if message is None:
        result = plan(world, data)
        assert result.rows == []
        assert any("no rows" in n for n in result.notices)
        return
    with pytest.raises(reading.Refused, match=message):
        plan(world, data)


def test_bad_rows_are_reported_by_line_and_nothing_is_imported(world):
    text = (
        "name,kind,street,latitude,longitude,external_id\n"
        "Goed,park,Laan,52.3,4.86,p1\n"
        ",park,Laan,52.3,4.86,p2\n"
        "Ver weg,park,Laan,123,4.86,p3\n"
        "Vreemd,kasteel,Laan,,,p4\n"
        "Dubbel,park,Laan,,,p1\n"
        "Half,park,Laan,52.3,,p5\n"
    )
    result = plan(world, text)
    errors = {row.where: row.errors for row in result.bad_rows}
    assert "The name is missing." in errors["line 3"]
    assert "latitude 123 is not between -90 and 90." in errors["line 4"]
    assert errors["line 5"][0].startswith("Unknown kind “kasteel”")
    assert "External id “p1” is also on line 2." in errors["line 6"]
    assert "Give both latitude and longitude, or neither." in errors["line 7"]
    with pytest.raises(reading.Refused, match="Nothing was imported: 5 rows"):
        importing.apply_plan(result, world.a.neighbourhood)
    assert not Place.objects.exists()

    outcome = importing.apply_plan(result, world.a.neighbourhood, valid_only=True)
    assert outcome.skipped == 5
    assert list(Place.objects.values_list("name", flat=True)) == ["Goed"]


def test_reimporting_the_same_file_creates_no_duplicates(world):
    run(world, PLACES_CSV)
    _result, outcome = run(world, PLACES_CSV)
    assert outcome.counts["places"] == {"created": 0, "updated": 0, "unchanged": 2}
    assert Place.objects.count() == 2


def test_matching_by_name_and_address_updates_without_erasing(world):
    place = make_place(world.a.neighbourhood, "Speeltuin Eikhof", street="Eikenlaan",
                       description="Met schommel", kind="playground")  # fmt: skip
    _result, outcome = run(world, PLACES_CSV)
    assert outcome.counts["places"]["updated"] == 1
    place.refresh_from_db()
    assert place.latitude == 52.301
    assert place.description == "Met schommel"  # an empty cell never erases


def test_people_with_gifts_get_builders_only_and_an_import_consent(world):
    text = (
        "naam;straat;email;telefoon;gaven\n"
        "Henk de Boer;Populierenlaan;henk@example.org;+31 6 1234 5678;"
        "handen: fietsen repareren|hart: buurtmoestuin\n"
    )
    run(world, text)
    person = Person.objects.get(name="Henk de Boer")
    assert set(person.visibility.values()) == {Audience.BUILDERS}
    assert sorted(Gift.objects.filter(person=person).values_list("kind", "title")) == [
        ("hands", "fietsen repareren"),
        ("heart", "buurtmoestuin"),
    ]
    consent = ConsentRecord.objects.get(person=person)
    assert consent.how == ConsentHow.IMPORT
    assert consent.audience == Audience.BUILDERS
    assert "gifts" in consent.fields


def test_people_rows_with_bad_gifts(world):
    text = "name,street,gifts\nA,Laan,zingen\nB,Laan,voeten: dansen\nC,,hands: koken\n"
    result = plan(world, text)
    assert [len(r.errors) for r in result.rows] == [1, 1, 1]
    assert "needs a kind" in result.rows[0].errors[0]
    assert "unknown kind" in result.rows[1].errors[0]
    assert result.rows[2].errors == ["The street is missing."]


def test_reimporting_people_adds_only_new_gifts_and_leaves_claimed_profiles(world):
    make_person(world.a.neighbourhood, "Henk", "Laan", gifts=[("hands", "koken")])
    make_person(world.a.neighbourhood, "Ria", "Laan", user=world.a.resident, phone="1")
    text = "name,street,phone,gifts\nHenk,Laan,,hands: Koken|head: rekenen\nRia,Laan,2,\n"
    result, outcome = run(world, text)
    assert outcome.counts["people"] == {"created": 0, "updated": 1, "unchanged": 1}
    assert Gift.objects.filter(person__name="Henk").count() == 2
    assert Person.objects.get(name="Ria").phone == "1"
    assert "manages their own profile" in result.rows[1].warnings[0]


def test_organisations_from_xlsx_with_usual_place(world):
    make_place(world.a.neighbourhood, "Buurthuis", external_id="bh-1")
    data = xlsx_bytes(
        [
            ["Naam", "Soort", "Website", "Telefoon", "vaste plek", "external_id"],
            ["Wijkvereniging", "vereniging", "www.wijk.nl", "020 123", "bh-1", 17],
            ["Moestuinclub", "informele groep", None, None, "Buurthuis", None],
        ]
    )
    result, _outcome = run(world, data, name="orgs.xlsx")
    assert result.what == "organisations"
    org = Organisation.objects.get(name="Wijkvereniging")
    assert org.website == "https://www.wijk.nl"
    assert org.external_id == "17"
    assert org.usual_place.name == "Buurthuis"
    assert Organisation.objects.get(name="Moestuinclub").usual_place.name == "Buurthuis"


def test_unknown_usual_place_is_an_error(world):
    result = plan(world, "name,kind,usual_place\nClub,association,Nergens\n")
    assert "no place “Nergens”" in result.rows[0].errors[0]


def test_formula_apostrophe_is_taken_off_on_import(world):
    run(world, 'name,kind,description\nP,park,\'=HYPERLINK("http://x")\n')
    assert Place.objects.get().description == '=HYPERLINK("http://x")'


def test_the_file_decides_what_it_is_when_asked(world):
    assert plan(world, "naam,straat,gaven\nA,Laan,\n").what == "people"
    assert plan(world, "naam,website,email\nA,,\n").what == "organisations"
    assert plan(world, "name,latitude,longitude\nA,,\n").what == "places"
    assert plan(world, "name,street\nA,Laan\n", what="organisations").what == "organisations"


def test_email_addresses_checked_leniently(world):
    text = "name,street,email\nA,Laan,renée.devries@example.org\nB,Laan,geen adres\nC,Laan,a@b\n"
    result = plan(world, text)
    assert [bool(r.errors) for r in result.rows] == [False, True, True]
