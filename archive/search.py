"""Chinese full-text search: FTS5 indexes with one token per CJK character.

SQLite's tokenizers do not segment Chinese, and a segmenter (jieba) misses words that
straddle its segment boundaries, so every CJK character becomes its own token and a query
is rewritten into the same tokens, searched as a phrase: ``人员增加`` → ``"人 员 增 加"``.
Latin words and numbers stay whole. A run of punctuation becomes one break token
(U+E000), so ``人员，增加`` does not match ``人员增加``; whitespace is ignored between
characters, so a word broken across two PDF lines (``人员增\\n加``) still matches.
(benchmarks/search_bench.py asserts the same hits as a LIKE scan at a million pages.)

The FTS tables are contentless (``content=''``): the spaced text is never stored, only the
index. They and their triggers are derived objects (``archive.derived``): a change to
``SOURCES`` reaches existing archives on their next open. Triggers queue every insert, update and delete of an indexed row (a delete keeps the
old text, which a contentless index needs to remove its tokens); ``refresh`` replays the
queue in batches, one transaction each, so it is incremental, idempotent and safe to kill.
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from dataclasses import dataclass

from .derived import Derived

BREAK = "\ue000"

_CJK_RANGES = ("\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
               "\U00020000-\U0002ffff")
_CJK = re.compile(f"[{_CJK_RANGES}]")
# Punctuation: anything not a letter, digit or space ("_" too).
_PUNCTUATION = re.compile(r"[^\w\s]|_")
# A run of breaks, spaces between them included, is one break.
_BREAK_RUN = re.compile(f"{BREAK}(?:\\s*{BREAK})*")


def _compatibility_class() -> re.Pattern:
    """Characters NFKC turns into letters or digits: full-width digits and letters, Kangxi
    radicals (PDF text layers often carry ⼈ U+2F08 for 人), compatibility ideographs.

    Normalizing only these, not whole texts, keeps indexing fast (NFKC of a page costs
    more than tokenizing it); astral ranges are given whole because long character
    classes of astral characters make Python's regex slow.
    """
    word = re.compile(r"\w")
    codepoints = [
        cp for cp in (*range(0xD800), *range(0xE000, 0x10000))
        if (form := unicodedata.normalize("NFKC", chr(cp))) != chr(cp) and word.search(form)
    ]
    ranges, start = [], codepoints[0]
    for previous, current in zip(codepoints, [*codepoints[1:], -1]):
        if current != previous + 1:
            ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(previous))}")
            start = current
    return re.compile(
        "[" + "".join(ranges) + "\U0001d400-\U0001d7ff\U0001f100-\U0001f2ff"
        "\U0002f800-\U0002fa1f]"
    )


_COMPATIBILITY = _compatibility_class()


@dataclass(frozen=True)
class Source:
    """One indexed table: ``<table>_fts`` indexes ``columns`` of ``table`` by its ``id``."""

    table: str
    columns: tuple[str, ...]

    @property
    def fts_table(self) -> str:
        return f"{self.table}_fts"


SOURCES = (
    Source("documents", ("title", "department", "region")),
    Source("pages", ("text",)),
    Source("sections", ("heading", "text")),
    Source("explanations", ("subject", "text")),
)


class SearchError(Exception):
    """A search could not run; ``kind`` says why (``unknown_table``)."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


def normalize(text: str) -> str:
    """NFKC for the characters where it turns them into letters or digits (２ → 2, ⼈ → 人)."""
    return _COMPATIBILITY.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


class _IndexForms(dict):
    """``codepoint → the text it stands for in the index``, filled as characters are met
    (``str.translate`` looks each one up; a page then costs one C loop, not a regex pass
    per rule): compatibility characters normalized, each CJK character spaced apart,
    punctuation a break."""

    def __missing__(self, codepoint: int) -> str:
        form = normalize(chr(codepoint))
        self[codepoint] = "".join(
            BREAK if _PUNCTUATION.match(char) else f" {char} " if _CJK.match(char) else char
            for char in form)
        return self[codepoint]


_INDEX_FORMS = _IndexForms()


def fts_text(text: str | None) -> str:
    """Text as index tokens separated by whitespace: each CJK character a token, Latin words
    and numbers whole, a run of punctuation one break."""
    if not text:
        return ""
    return _BREAK_RUN.sub(f" {BREAK} ", text.translate(_INDEX_FORMS))


def fts_query(query: str | None) -> str:
    """A user's query as an FTS5 query: each whitespace-separated word one phrase, all required.

    Replaces Datasette's ``escape_fts`` so the search box and JSON API tokenize the query as
    the index was tokenized. Double quotes group words into one phrase (``"人员 增加"``).
    """
    phrases = []
    for quoted, word in re.findall(r'"([^"]*)"?|(\S+)', query or ""):
        tokens = fts_text(quoted or word).split()
        while tokens and tokens[0] == BREAK:
            tokens.pop(0)
        while tokens and tokens[-1] == BREAK:
            tokens.pop()
        if tokens:
            phrases.append('"' + " ".join(tokens) + '"')
    # An empty phrase matches nothing, where an empty MATCH string is a syntax error.
    return " ".join(phrases) or '""'


def derived() -> list[Derived]:
    """Each index with the triggers that queue its table's changes (``archive.derived``
    recreates what differs; a recreated index has every row of its table queued)."""
    objects = []
    for source in SOURCES:
        old_values = "json_array(" + ", ".join(f"old.{c}" for c in source.columns) + ")"
        queue_insert = (
            f"INSERT INTO search_queue (source, row_id) VALUES ('{source.table}', new.id);"
        )
        queue_delete = (
            f"INSERT INTO search_queue (source, row_id, old) "
            f"VALUES ('{source.table}', old.id, {old_values});"
        )
        objects += [
            Derived(
                "table", source.fts_table,
                f"CREATE VIRTUAL TABLE {source.fts_table} USING fts5("
                + ", ".join(source.columns) + ", content='')",
                refill=(f"DELETE FROM search_queue WHERE source = '{source.table}'",
                        f"INSERT INTO search_queue (source, row_id) SELECT '{source.table}', id "
                        f"FROM {source.table}"),
            ),
            Derived("trigger", f"{source.table}_search_insert",
                    f"CREATE TRIGGER {source.table}_search_insert AFTER INSERT ON {source.table} "
                    f"BEGIN {queue_insert} END"),
            Derived("trigger", f"{source.table}_search_delete",
                    f"CREATE TRIGGER {source.table}_search_delete AFTER DELETE ON {source.table} "
                    f"BEGIN {queue_delete} END"),
            Derived("trigger", f"{source.table}_search_update",
                    f"CREATE TRIGGER {source.table}_search_update AFTER UPDATE OF "
                    f"{', '.join(source.columns)} ON {source.table} "
                    f"BEGIN {queue_delete} {queue_insert} END"),
        ]
    return objects


def pending(conn: sqlite3.Connection) -> int:
    """How many changed rows ``refresh`` has still to index."""
    return conn.execute(
        "SELECT count(*) FROM (SELECT DISTINCT source, row_id FROM search_queue)"
    ).fetchone()[0]


def refresh(conn: sqlite3.Connection, batch: int = 2000, progress=None) -> dict[str, int]:
    """Index every queued change; returns rows indexed per table.

    :param conn: an archive connection in autocommit mode (``Archive.conn``).
    :param batch: rows per transaction.
    :param progress: optional callable given the number of rows done after each batch.
    """
    indexed = {}
    for source in SOURCES:
        indexed[source.table] = 0
        while done := _refresh_batch(conn, source, batch):
            indexed[source.table] += done
            if progress:
                progress(done)
    return indexed


def _refresh_batch(conn: sqlite3.Connection, source: Source, batch: int) -> int:
    """Bring up to ``batch`` queued rows of one table into its index, in one transaction.

    The first queued change of a row says what the index holds for it: a delete carries
    the indexed values to remove; an insert means the row is not indexed yet. The row's
    current values, if it still exists, are then indexed.
    """
    columns = ", ".join(source.columns)
    marks = ", ".join("?" for _ in source.columns)
    conn.execute("BEGIN IMMEDIATE")
    try:
        firsts = conn.execute(
            """SELECT row_id, old FROM search_queue WHERE id IN (
                 SELECT min(id) FROM search_queue WHERE source = ? GROUP BY row_id LIMIT ?)""",
            (source.table, batch),
        ).fetchall()
        if not firsts:
            conn.execute("COMMIT")
            return 0
        row_ids = [row_id for row_id, _ in firsts]
        removals = [
            ("delete", row_id, *(fts_text(v) for v in json.loads(old)))
            for row_id, old in firsts
            if old is not None
        ]
        conn.executemany(
            f"INSERT INTO {source.fts_table} ({source.fts_table}, rowid, {columns}) "
            f"VALUES (?, ?, {marks})",
            removals,
        )
        id_list = ", ".join(str(int(r)) for r in row_ids)
        current = conn.execute(
            f"SELECT id, {columns} FROM {source.table} WHERE id IN ({id_list})"
        ).fetchall()
        conn.executemany(
            f"INSERT INTO {source.fts_table} (rowid, {columns}) VALUES (?, {marks})",
            [(row[0], *(fts_text(v) for v in row[1:])) for row in current],
        )
        conn.execute(
            f"DELETE FROM search_queue WHERE source = ? AND row_id IN ({id_list})",
            (source.table,),
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return len(row_ids)


def rebuild(conn: sqlite3.Connection) -> dict[str, int]:
    """Empty every index and index every row again: the way out after ``fts_text`` changes,
    since a contentless index can only remove tokens exactly as they were indexed."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("DELETE FROM search_queue")
        for source in SOURCES:
            conn.execute(
                f"INSERT INTO {source.fts_table} ({source.fts_table}) VALUES ('delete-all')"
            )
            conn.execute(
                f"INSERT INTO search_queue (source, row_id) SELECT '{source.table}', id "
                f"FROM {source.table}"
            )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return refresh(conn)


def optimize(conn: sqlite3.Connection) -> None:
    """Merge each index's segments into one (after a large build; makes queries faster)."""
    for source in SOURCES:
        conn.execute(f"INSERT INTO {source.fts_table} ({source.fts_table}) VALUES ('optimize')")


def source_for(table: str) -> Source:
    for source in SOURCES:
        if source.table == table:
            return source
    raise SearchError("unknown_table", f"{table!r} has no search index; try one of "
                      + ", ".join(s.table for s in SOURCES))
