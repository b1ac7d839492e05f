"""PostgreSQL: Dutch full text (stems, accents folded) beside the trigram indexes.

- the ``unaccent`` extension (again, if 0001 ran before it existed) and a text search
  configuration ``dutch_unaccent``: Dutch with accents folded before stemming ("café's" and
  "cafe" meet, "groenten" and "groente" share the stem "groent");
- an IMMUTABLE ``search_doc(text, text)``: the tsvector of two columns (title and
  description, name and description, …) in that configuration;
- GIN indexes on ``search_doc(...)`` of every searched kind, and GIN trigram indexes on the
  folded columns of the kinds search now also finds (initiatives, outcomes, conversations).

Runs only on PostgreSQL; SQLite gets ``search_stem`` and ``search_similarity`` (Python, the
same Snowball stemmer and trigram similarity) from ``search.apps`` at connection time.
"""

from django.db import migrations

# (index name, table, first column, second column)
DOCUMENTS = [
    ("search_gift_doc", "residents_gift", "title", "description"),
    ("search_org_doc", "organisations_organisation", "name", "description"),
    ("search_place_doc", "places_place", "name", "description"),
    ("search_initiative_doc", "network_initiative", "name", "description"),
    ("search_outcome_doc", "outcomes_outcome", "title", "story"),
    ("search_outcome_public_doc", "outcomes_outcome", "public_summary", "public_summary"),
    ("search_conversation_doc", "conversations_conversation", "cares_about", "ideas"),
]

# (index name, table, folded column) for the trigram (substring and typo) matching
TRIGRAMS = [
    ("search_initiative_name_trgm", "network_initiative", "name"),
    ("search_initiative_description_trgm", "network_initiative", "description"),
    ("search_outcome_title_trgm", "outcomes_outcome", "title"),
    ("search_outcome_story_trgm", "outcomes_outcome", "story"),
    ("search_outcome_summary_trgm", "outcomes_outcome", "public_summary"),
    ("search_conversation_cares_trgm", "conversations_conversation", "cares_about"),
    ("search_conversation_ideas_trgm", "conversations_conversation", "ideas"),
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
        cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        unaccent = quote(_schema_of(cursor, "unaccent"))
        trgm = quote(_schema_of(cursor, "pg_trgm"))
        cursor.execute("SELECT current_schema()")
        schema = quote(cursor.fetchone()[0])
        cursor.execute(
            "SELECT 1 FROM pg_ts_config c JOIN pg_namespace n ON n.oid = c.cfgnamespace"
            " WHERE c.cfgname = 'dutch_unaccent' AND n.nspname = current_schema()"
        )
        if cursor.fetchone() is None:
            cursor.execute(
                f"CREATE TEXT SEARCH CONFIGURATION {schema}.dutch_unaccent"
                " (COPY = pg_catalog.dutch)"
            )
            cursor.execute(
                f"ALTER TEXT SEARCH CONFIGURATION {schema}.dutch_unaccent"
                " ALTER MAPPING FOR hword, hword_part, word"
                f" WITH {unaccent}.unaccent, pg_catalog.dutch_stem"
            )
        cursor.execute(
            "CREATE OR REPLACE FUNCTION search_doc(text, text) RETURNS tsvector"
            " LANGUAGE sql IMMUTABLE PARALLEL SAFE"
            f" AS $$ SELECT pg_catalog.to_tsvector('{schema}.dutch_unaccent'::regconfig,"
            " coalesce($1, '') || ' ' || coalesce($2, '')) $$"
        )
        cursor.execute(
            "CREATE OR REPLACE FUNCTION search_query(text) RETURNS tsquery"
            " LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT"
            f" AS $$ SELECT pg_catalog.plainto_tsquery('{schema}.dutch_unaccent'::regconfig,"
            " $1) $$"
        )
        for name, table, first, second in DOCUMENTS:
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {quote(table)}"
                f" USING gin (search_doc({quote(first)}, {quote(second)}))"
            )
        for name, table, column in TRIGRAMS:
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {quote(table)}"
                f" USING gin (search_fold({quote(column)}) {trgm}.gin_trgm_ops)"
            )


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for name, *_rest in DOCUMENTS + TRIGRAMS:
            cursor.execute(f"DROP INDEX IF EXISTS {quote(name)}")
        cursor.execute("DROP FUNCTION IF EXISTS search_doc(text, text)")
        cursor.execute("DROP FUNCTION IF EXISTS search_query(text)")
        cursor.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS dutch_unaccent")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_sorted_title_indexes"),
        ("network", "0003_connection_table_index"),
        ("outcomes", "0006_value_defaults_and_constraints"),
        ("conversations", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
