"""Lookups every app may use (registered in ``neighbourhoods.apps``)."""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db.models import Lookup


class AnyOf(Lookup):
    """``id__any_of=[...]``: on PostgreSQL ``id = ANY(%s::bigint[])``, the ids as one
    parameter; elsewhere ``IN``. For long lists of ids: search ranks up to 400 candidates by
    id, the network page reads the 500 best bridges. As ``IN``, psycopg split the query at
    each of its hundreds of placeholders on every request (a query that long is never kept
    in its cache), 1.5 ms a search kind."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids = [int(pk) for pk in self.rhs]
        if not ids:
            raise EmptyResultSet
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::bigint[])", (*lhs_params, ids)
        return f"{lhs} IN ({', '.join(['%s'] * len(ids))})", (*lhs_params, *ids)
