"""PostgreSQL: btree indexes on the folded titles in byte order (COLLATE "C").

The search first walks titles that start with the query in title order and stops after a
page; these indexes make that a short range scan whatever the database's collation.
"""

from django.db import migrations

INDEXES = [
    (
        "search_person_name_sorted",
        "residents_person",
        'neighbourhood_id, (search_fold(name) COLLATE "C")',
    ),
    ("search_gift_title_sorted", "residents_gift", '(search_fold(title) COLLATE "C")'),
]


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for name, table, columns in INDEXES:
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {quote(table)} ({columns})")


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for name, _table, _columns in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {connection.ops.quote_name(name)}")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_trigram_indexes")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
