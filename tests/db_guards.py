"""The one way past the database's append-only guards: the test runner's own flush.

The access log's triggers refuse every UPDATE and every DELETE of a young row, on SQLite
and PostgreSQL, from the ORM, raw SQL, `manage.py flush` and TRUNCATE alike. The flush
that ends each transactional or live-server test must still empty the table, so
`tests/conftest.py` wraps Django's `TransactionTestCase._fixture_teardown` (and nothing
else) with `guards_lifted`. Nothing in the product imports `tests`, and the import
contracts keep it that way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from django.db import connections
from django.test import TransactionTestCase


@contextmanager
def guards_lifted(connection) -> Iterator[None]:
    if connection.vendor == "postgresql":
        # Triggers do not fire for a session in replica mode (a superuser's setting).
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET session_replication_role")
    elif connection.vendor == "sqlite":
        # SQLite cannot switch a trigger off: keep each one's own text, drop it for the
        # flush, and put it back exactly as the migrations made it.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql IS NOT NULL"
            )
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                for _name, sql in triggers:
                    cursor.execute(sql)
    else:
        yield


_django_fixture_teardown = TransactionTestCase._fixture_teardown


def _fixture_teardown_past_the_guards(self) -> None:
    with ExitStack() as stack:
        for alias in self._databases_names(include_mirrors=False):
            stack.enter_context(guards_lifted(connections[alias]))
        _django_fixture_teardown(self)


def install() -> None:
    TransactionTestCase._fixture_teardown = _fixture_teardown_past_the_guards
