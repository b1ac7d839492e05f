"""PostgreSQL: the network table's index puts connections of an unknown date last.

The table lists the newest connections first. PostgreSQL sorts NULL first in a descending
order (SQLite last), so on PostgreSQL the connections whose date nobody knows came before
every dated one: at 20,000 people the whole first page said "unknown". The table now orders
``since DESC NULLS LAST`` on both databases, and this index (same name, same columns) walks
in that order. SQLite's own index already has NULL last in a descending column.
"""

from django.db import migrations

NAME = "connection_nb_newest_idx"
TABLE = "network_connection"
OLD = "neighbourhood_id, since DESC, id DESC"
NEW = "neighbourhood_id, since DESC NULLS LAST, id DESC"


def _replace(schema_editor, columns: str) -> None:
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {quote(NAME)}")
        cursor.execute(f"CREATE INDEX {quote(NAME)} ON {quote(TABLE)} ({columns})")


def forwards(apps, schema_editor):
    _replace(schema_editor, NEW)


def backwards(apps, schema_editor):
    _replace(schema_editor, OLD)


class Migration(migrations.Migration):
    dependencies = [("network", "0006_network_snapshot")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
