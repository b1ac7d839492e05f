from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


def _register_sqlite_functions(sender, connection, **kwargs) -> None:
    """Give SQLite the ``search_fold`` function PostgreSQL gets from the migration."""
    if connection.vendor == "sqlite":
        from .expressions import fold

        connection.connection.create_function("search_fold", 1, fold, deterministic=True)


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
