from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _

# pg_trgm's default (0.6) misses one wrong letter in a short word ("fietzen"); 0.5 does not.
WORD_SIMILARITY_THRESHOLD = 0.5


def _register_sqlite_functions(sender, connection, **kwargs) -> None:
    """SQLite: the ``search_fold``, ``search_stem`` and ``search_similarity`` functions
    (PostgreSQL gets folding and Dutch full text from the migrations, similarity from pg_trgm).

    PostgreSQL: the word-similarity threshold used by the ``<%`` typo matching, and no JIT
    (it only slows these short queries down).
    """
    if connection.vendor == "sqlite":
        from .expressions import fold, stem_match, word_similarity

        raw = connection.connection
        raw.create_function("search_fold", 1, fold, deterministic=True)
        raw.create_function("search_stem", 3, stem_match, deterministic=True)
        raw.create_function("search_similarity", 2, word_similarity, deterministic=True)
    elif connection.vendor == "postgresql":
        with connection.connection.cursor() as cursor:
            cursor.execute(
                f"SET pg_trgm.word_similarity_threshold = {WORD_SIMILARITY_THRESHOLD:.2f}"
            )
            # JIT compiling costs 0.5-1 s on the search and list queries and saves nothing.
            cursor.execute("SET jit = off")


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        connection_created.connect(_register_sqlite_functions, dispatch_uid="search_sqlite_fold")
        # A connection opened before this app was ready (rare) gets the function too.
        from django.db import connections

        for conn in connections.all(initialized_only=True):
            if conn.connection is not None:
                _register_sqlite_functions(None, conn)
