"""PostgreSQL: pg_trgm + unaccent, an IMMUTABLE ``search_fold(text)`` and GIN trigram indexes.

Runs only on PostgreSQL; SQLite gets ``search_fold`` from ``search.apps`` at connection time.
The function names its extension's schema, so a dump restored with an empty search_path
(pg_restore) rebuilds the indexes.
"""

from django.db import migrations

# (index name, table, indexed expression)
INDEXES = [
    ("search_person_name_trgm", "residents_person", "search_fold(name)"),
    ("search_person_street_trgm", "residents_person", "search_fold(street)"),
    ("search_person_languages_trgm", "residents_person", "search_fold(languages)"),
    ("search_person_wish_trgm", "residents_person", "search_fold(street_wish)"),
    ("search_person_phone_trgm", "residents_person", "search_fold(phone)"),
    ("search_person_email_trgm", "residents_person", "search_fold(email)"),
    ("search_gift_title_trgm", "residents_gift", "search_fold(title)"),
    ("search_gift_description_trgm", "residents_gift", "search_fold(description)"),
    ("search_tag_normalised_trgm", "residents_tag", "normalised"),
    ("search_org_name_trgm", "organisations_organisation", "search_fold(name)"),
    ("search_org_description_trgm", "organisations_organisation", "search_fold(description)"),
    ("search_place_name_trgm", "places_place", "search_fold(name)"),
    ("search_place_description_trgm", "places_place", "search_fold(description)"),
    ("search_place_street_trgm", "places_place", "search_fold(street)"),
]


def _schema_of(cursor, extension: str) -> str:
    cursor.execute(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
        " WHERE e.extname = %s",
        [extension],
    )
    return cursor.fetchone()[0]


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        unaccent = quote(_schema_of(cursor, "unaccent"))
        trgm = quote(_schema_of(cursor, "pg_trgm"))
        cursor.execute(
            "CREATE OR REPLACE FUNCTION search_fold(text) RETURNS text"
            " LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT"
            f" AS $$ SELECT pg_catalog.lower({unaccent}.unaccent("
            f"'{unaccent}.unaccent'::regdictionary, $1)) $$"
        )
        for name, table, expression in INDEXES:
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {quote(table)}"
                f" USING gin ({expression} {trgm}.gin_trgm_ops)"
            )


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for name, _table, _expression in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {connection.ops.quote_name(name)}")
        cursor.execute("DROP FUNCTION IF EXISTS search_fold(text)")


class Migration(migrations.Migration):
    dependencies = [
        ("residents", "0002_person_list_indexes"),
        ("organisations", "0003_initial"),
        ("places", "0002_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
