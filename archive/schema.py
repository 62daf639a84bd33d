"""Bring an archive up to date on open: the frozen migrations, then the derived objects.

Each migration (``archive.migrations``) is a list of SQL statements applied in one
transaction; the number applied is stored in ``PRAGMA user_version``, so an archive killed
during a migration is left at the previous version and the next open finishes the job.
Then ``archive.derived`` makes the search indexes, triggers, views and facet indexes those
the code defines today (one read of ``sqlite_master`` when nothing changed).
"""

from __future__ import annotations

import sqlite3

from . import derived, search, views
from .migrations import MIGRATIONS

SCHEMA_VERSION = len(MIGRATIONS)


class ArchiveTooNew(Exception):
    """The archive was written by a newer gongkai; upgrade gongkai before opening it."""


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def derived_objects() -> list[derived.Derived]:
    """Everything the code derives: search indexes with their triggers, views, facet indexes."""
    return search.derived() + views.derived()


def migrate(conn: sqlite3.Connection) -> int:
    """Apply the migrations up to ``SCHEMA_VERSION`` and recreate changed derived objects;
    returns the number of migrations applied."""
    current = schema_version(conn)
    if current > SCHEMA_VERSION:
        raise ArchiveTooNew(
            f"archive schema version {current} is newer than this gongkai ({SCHEMA_VERSION})"
        )
    applied = 0
    for number in range(current + 1, SCHEMA_VERSION + 1):
        conn.execute("BEGIN IMMEDIATE")
        if schema_version(conn) >= number:  # another process migrated while we waited
            conn.execute("COMMIT")
            continue
        try:
            for statement in MIGRATIONS[number - 1]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied += 1
    derived.reconcile(conn, derived_objects())
    return applied
