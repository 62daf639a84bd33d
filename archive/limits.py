"""What one request may cost the server: the limits of the Datasette plugin, each with its
default and a sentence, and the SQLite bounds they put on every connection Datasette opens.

An operator changes a limit in the metadata's plugin block::

    {"plugins": {"gongkai": {"zip_max_mb": 2048}}}

Arbitrary SQL is off unless ``gongkai serve --allow-sql``; these bounds hold either way, for
Datasette's own queries and for the plugin's routes.
"""

from __future__ import annotations

import sqlite3
import weakref
from dataclasses import dataclass

MB = 1 << 20


@dataclass(frozen=True)
class Limit:
    name: str
    default: int
    help: str


LIMITS = (
    Limit("max_value_mb", 2, "Longest string or blob a query may read or build (SQLite's "
          "SQLITE_LIMIT_LENGTH): zeroblob(), randomblob(), printf() widths and replace() chains "
          "fail at once instead of filling memory."),
    Limit("max_columns", 100, "Most columns one query may return (SQLITE_LIMIT_COLUMN)."),
    Limit("max_like_pattern", 500, "Longest LIKE or GLOB pattern (SQLITE_LIMIT_LIKE_PATTERN_LENGTH): "
          "one comparison against a long pattern of % runs inside a single step of SQLite, "
          "where the time limit cannot stop it."),
    Limit("max_result_mb", 32, "Text and blob bytes one query may return to the server; "
          "more is a 400 that says so."),
    Limit("heap_limit_mb", 512, "Memory SQLite may hold in the whole server process "
          "(PRAGMA hard_heap_limit); beyond it a query fails with a 503."),
    Limit("zip_max_mb", 1024, "Largest total size of the files in one zip download."),
    Limit("zip_downloads", 2, "Zips streamed at the same time; one more gets a 503."),
    Limit("search_max_words", 16, "Most words one /-/search query may have."),
    Limit("search_max_chars", 200, "Longest /-/search query, in characters."),
)
DEFAULTS = {limit.name: limit.default for limit in LIMITS}


class ResultTooLarge(sqlite3.DataError):
    """A query returned more bytes than ``max_result_mb`` allows."""


def limits_of(config: dict | None) -> dict[str, int]:
    """The defaults, overridden by the metadata's ``plugins.gongkai`` block."""
    config = config or {}
    return {name: int(config.get(name, default)) for name, default in DEFAULTS.items()}


def bound_connection(conn: sqlite3.Connection, limits: dict[str, int]) -> None:
    """Put the SQLite limits on a connection and cap the bytes each of its queries returns.

    Datasette's ``sqlite3.Row`` rows are kept: the row factory only counts.
    """
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, limits["max_value_mb"] * MB)
    conn.setlimit(sqlite3.SQLITE_LIMIT_COLUMN, limits["max_columns"])
    conn.setlimit(sqlite3.SQLITE_LIMIT_LIKE_PATTERN_LENGTH, limits["max_like_pattern"])
    # Process-wide: SQLite's own memory (sorters, caches, values being built) stops here.
    conn.execute(f"PRAGMA hard_heap_limit = {limits['heap_limit_mb'] * MB}")
    conn.row_factory = _counting_rows(limits["max_result_mb"] * MB)


def _counting_rows(budget: int):
    """A row factory that raises ``ResultTooLarge`` once one cursor's rows pass ``budget``
    bytes of text and blobs (a cursor is one query; the count starts again with the next)."""
    state = {"cursor": lambda: None, "used": 0}

    def row(cursor: sqlite3.Cursor, values: tuple) -> sqlite3.Row:
        if state["cursor"]() is not cursor:
            state["cursor"], state["used"] = weakref.ref(cursor), 0
        state["used"] += sum(len(v) for v in values if isinstance(v, (str, bytes)))
        if state["used"] > budget:
            raise ResultTooLarge(
                f"the results of this query pass {budget // MB} MB; select fewer rows or "
                "shorter columns (limit max_result_mb)"
            )
        return sqlite3.Row(cursor, values)

    return row
