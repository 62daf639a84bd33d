"""Objects derived from the code: search indexes and their triggers, views, facet indexes.

They hold no data of their own (a search index is rebuilt from its table), so they are not
migrations: every open compares the code's definitions with what the file holds and
recreates what differs, in one transaction. Unchanged, that costs one read of
``sqlite_master``: the fingerprint of the definitions against the fingerprint of the file.
A search index that is recreated has every row of its table queued, and the next
``search.refresh`` fills it. ``derived_objects`` records what was created this way, so an
object the code no longer defines is dropped (and nothing a migration made ever is).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass

# Dropped in this order (dependants first) and created in the reverse.
_KINDS = ("view", "trigger", "index", "table")


@dataclass(frozen=True)
class Derived:
    """One derived object, created by ``sql`` (exactly as SQLite keeps it in sqlite_master).

    :param refill: statements run after the object is (re)created, e.g. queueing the rows a
        new search index must hold.
    """

    type: str
    name: str
    sql: str
    refill: tuple[str, ...] = ()


def fingerprint(objects) -> str:
    """A digest of (type, name, sql) triples, in name order."""
    rows = sorted((o[0], o[1], o[2]) for o in objects)
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()


def reconcile(conn: sqlite3.Connection, wanted: list[Derived]) -> list[str]:
    """Make the file's derived objects those of ``wanted``; returns the names created or
    dropped (empty when nothing differed). ``conn`` is in autocommit mode."""
    if not _changes(conn, wanted):
        return []
    conn.execute("BEGIN IMMEDIATE")
    try:
        changed = _changes(conn, wanted)  # another process may have done it while we waited
        _apply(conn, wanted, changed)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return sorted(changed)


def _changes(conn: sqlite3.Connection, wanted: list[Derived]) -> dict[str, str | None]:
    """``name → live type`` of every object to drop or (re)create (type None: not there)."""
    recorded = dict(conn.execute("SELECT name, type FROM derived_objects"))
    live = {
        name: (kind, sql)
        for kind, name, sql in conn.execute(
            "SELECT type, name, sql FROM sqlite_master "
            "WHERE name IN (SELECT value FROM json_each(?)) OR name IN (SELECT name FROM derived_objects)",
            (json.dumps([w.name for w in wanted]),),
        )
    }
    if fingerprint((w.type, w.name, w.sql) for w in wanted) == fingerprint(
        (kind, name, sql) for name, (kind, sql) in live.items()
    ) and set(recorded) == {w.name for w in wanted}:
        return {}
    changes = {name: live.get(name, (None,))[0] for name in recorded if name not in
               {w.name for w in wanted}}
    for w in wanted:
        if live.get(w.name) != (w.type, w.sql) or w.name not in recorded:
            changes[w.name] = live.get(w.name, (None,))[0]
    return changes


def _apply(conn: sqlite3.Connection, wanted: list[Derived], changes: dict[str, str | None]) -> None:
    by_name = {w.name: w for w in wanted}
    for kind in _KINDS:
        for name, live_kind in changes.items():
            if live_kind == kind and not (name in by_name and _same(conn, by_name[name])):
                conn.execute(f"DROP {kind.upper()} IF EXISTS [{name}]")
    for name in changes:
        if name not in by_name:
            conn.execute("DELETE FROM derived_objects WHERE name = ?", (name,))
    for kind in reversed(_KINDS):
        for w in wanted:
            if w.type == kind and w.name in changes:
                if not _same(conn, w):
                    conn.execute(w.sql)
                    for statement in w.refill:
                        conn.execute(statement)
                conn.execute("INSERT OR REPLACE INTO derived_objects (name, type) VALUES (?, ?)",
                             (w.name, w.type))


def _same(conn: sqlite3.Connection, w: Derived) -> bool:
    """Whether the file already holds ``w`` exactly (then it is only recorded, never rebuilt)."""
    row = conn.execute("SELECT type, sql FROM sqlite_master WHERE name = ?", (w.name,)).fetchone()
    return row == (w.type, w.sql)
