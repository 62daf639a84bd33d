"""Chinese full-text search: FTS5 indexes whose tokens are overlapping pairs of CJK characters.

SQLite's tokenizers do not segment Chinese, and a segmenter (jieba) misses words that
straddle its segment boundaries, so the index is built from characters. Each run of CJK
characters becomes the pairs of neighbouring characters, one per position, with the run's
first and last character alone at its edges (``人员增加`` → ``人 人员 员增 增加 加``).
A query is rewritten into the same tokens and searched as a phrase, less the single
characters at its own edges, where the text's run may go on: ``人员增加`` →
``"人员 员增 增加"``; ``2024年`` → ``"2024 年"`` (年 starts a run after a number). Pairs,
unlike single characters, are seldom all common where the phrase is absent, so a phrase
of common characters that seldom stand together (``度年``, ``年预算支出``) reads only the
short lists of its rare pairs: one token per character read every page holding its
characters (0.5-3 s at a million pages, benchmarks/search_bench.py). A word of one
character is looked up in the last column, ``characters``, which holds every CJK
character of the row once: as a prefix of the pairs (``"人"*``) it would merge the lists
of every pair starting with it, over a second for a common character at a million pages.

Latin words and numbers stay whole. A run of punctuation becomes one break token (U+E000),
so ``人员，增加`` does not match ``人员增加``; whitespace is ignored between CJK characters,
so a word broken across two PDF lines (``人员增\\n加``) still matches. Python writes every
token boundary as an ASCII space, so the index uses FTS5's ``ascii`` tokenizer (cheaper
than ``unicode61``, which would find the same tokens). Tokenizing is done on whole batches
with numpy: one pass of array operations per batch instead of Python work per character.

The FTS tables are contentless (``content=''``): the spaced text is never stored, only the
index. They and their triggers are derived objects (``archive.derived``): a change to
``SOURCES`` or to ``INDEX_OPTIONS`` reaches existing archives on their next open (the index
is recreated and every row queued). A change to the tokens ``fts_texts`` writes must come
with a new token number in ``INDEX_OPTIONS``: a contentless index can only remove tokens
as they were indexed, and an index of other tokens would find other rows. Triggers queue every insert, update and delete of an indexed row (a
delete keeps the old text, which a contentless index needs to remove its tokens);
``refresh`` replays the queue in batches, one transaction each, so it is incremental,
idempotent and safe to kill.
"""

from __future__ import annotations

import functools
import json
import re
import sqlite3
import unicodedata
from dataclasses import dataclass

import numpy as np

from .derived import Derived

BREAK = "\ue000"
# How the index reads the text ``fts_texts`` writes, and which tokens those are: the
# comment is kept in the index's SQL, so a new token scheme (a new number) reaches every
# archive on its next open (see the module docstring).
INDEX_OPTIONS = "content='', tokenize='ascii' /* tokens 2: CJK pairs, run edges */"
# Pending index data kept in memory before it is written out as a segment: one segment per
# refresh batch rather than one per megabyte makes fewer merges (15-20% less CPU to build).
HASH_BYTES = 64 << 20
# The index's last column: the row's CJK characters, each once (``fts_rows``).
CHARACTERS = "characters"

_CJK_RANGES = ("\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
               "\U00020000-\U0002ffff")
_CJK = re.compile(f"[{_CJK_RANGES}]")
# Punctuation: anything not a letter, digit or space ("_" too).
_PUNCTUATION = re.compile(r"[^\w\s]|_")
_SPACE = re.compile(r"\s")


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


# Character classes of the tokenizer; COMPATIBILITY: normalized first (``normalize``);
# END: the NUL written after each text of a batch (a NUL of the text itself is punctuation).
_OTHER, _SPACE_CLASS, _PUNCT, _CJK_CLASS, _COMPAT, _END = range(6)
# Code points tokenized per numpy pass: bounds the arrays (~40 bytes per code point).
_CHUNK = 1 << 20


def _classify(char: str) -> int:
    if _COMPATIBILITY.match(char):
        return _COMPAT
    if _PUNCTUATION.match(char):
        return _PUNCT
    if _CJK.match(char):
        return _CJK_CLASS
    if _SPACE.match(char):
        return _SPACE_CLASS
    return _OTHER


@functools.cache
def _bmp_classes() -> np.ndarray:
    """The class of every code point below U+10000 (surrogates: other), built on first use."""
    return np.array([_OTHER if 0xD800 <= cp < 0xE000 else _classify(chr(cp))
                     for cp in range(0x10000)], np.uint8)


def _code_points(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(code point, class) of every character of ``texts``, each text followed by an END,
    and where those ENDs are."""
    ends = np.cumsum(np.fromiter(map(len, texts), np.int64, len(texts)) + 1) - 1
    chars = np.frombuffer(("\0".join(texts) + "\0").encode("utf-32-le", "surrogatepass"),
                          np.uint32)
    classes = _bmp_classes()[np.minimum(chars, 0xFFFF)]
    astral = np.flatnonzero(chars > 0xFFFF)
    if astral.size:
        classes[astral] = [_classify(chr(cp)) for cp in chars[astral].tolist()]
    classes[ends] = _END
    return chars, classes, ends


@functools.cache
def _cjk_characters() -> frozenset[str]:
    """Every character the tokenizer pairs."""
    bmp = np.flatnonzero(_bmp_classes() == _CJK_CLASS).tolist()
    astral = [cp for cp in range(0x20000, 0x30000) if _classify(chr(cp)) == _CJK_CLASS]
    return frozenset(map(chr, bmp + astral))


def _tokenize(texts: list[str]) -> tuple[list[str], list[str]]:
    """(tokens, the CJK characters in order) of each text; see ``fts_texts``."""
    texts = list(texts)
    chars, classes, ends = _code_points(texts)
    compatible = np.flatnonzero(classes == _COMPAT)
    if compatible.size:  # rare: normalize those texts and read them again
        for i in np.unique(np.searchsorted(ends, compatible)).tolist():
            texts[i] = normalize(texts[i])
        chars, classes, ends = _code_points(texts)
    # Whitespace goes; each remaining character knows its neighbours (an END between texts).
    where = np.flatnonzero(classes != _SPACE_CLASS)
    char, kind = chars[where], classes[where]
    n = where.size
    following = np.full(n, _END, np.uint8)
    following[:-1] = kind[1:]
    preceding = np.full(n, _END, np.uint8)
    preceding[1:] = kind[:-1]
    touching = np.zeros(n, bool)  # no whitespace before the next character
    touching[:-1] = where[1:] - where[:-1] == 1
    cjk, punctuation, other = kind == _CJK_CLASS, kind == _PUNCT, kind == _OTHER
    first_break = punctuation & (preceding != _PUNCT)
    # Up to six code points per character: the first of a CJK run alone and a space; a
    # space; itself (or the break; an END stays NUL); the next CJK character (a pair); a
    # space. ``keep`` picks those written.
    slots = np.full((n, 6), ord(" "), np.uint32)
    slots[:, 0] = char
    slots[:, 3] = np.where(punctuation, ord(BREAK), char)
    slots[:-1, 4] = char[1:]
    keep = np.empty((n, 6), bool)
    keep[:, 0] = keep[:, 1] = cjk & (preceding != _CJK_CLASS)
    keep[:, 2] = first_break
    keep[:, 3] = ~punctuation | first_break
    keep[:, 4] = cjk & (following == _CJK_CLASS)
    keep[:, 5] = cjk | first_break | (other & ~((following == _OTHER) & touching))
    tokens = slots[keep].tobytes().decode("utf-32-le", "surrogatepass").split("\0")
    characters = char[cjk | (kind == _END)].tobytes().decode("utf-32-le", "surrogatepass")
    return tokens[:-1], characters.split("\0")[:-1]


def _chunks(texts: list[str]):
    """``texts`` in runs of about ``_CHUNK`` code points."""
    chunk, size = [], 0
    for text in texts:
        chunk.append(text)
        size += len(text)
        if size >= _CHUNK:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def fts_texts(texts: list[str | None]) -> list[str]:
    """Each text as index tokens separated by spaces. A run of CJK characters (whitespace
    between them ignored) gives its first character alone, then each character paired with
    the next, then its last alone (``人员增加`` → ``人 人员 员增 增加 加``), so that a word
    that starts or ends at the run's edge, next to a number (``2024年``), is a phrase too.
    Latin words and numbers stay whole; a run of punctuation is one break."""
    return [tokens for chunk in _chunks([text or "" for text in texts])
            for tokens in _tokenize(chunk)[0]]


def fts_text(text: str | None) -> str:
    """``fts_texts`` of one text."""
    return fts_texts([text])[0]


def fts_rows(rows: list) -> list[tuple[str, ...]]:
    """Rows of an indexed table's column values as the index takes them: each column's
    tokens, then ``characters``: every CJK character of the row once, which is how a
    one-character word is found (a prefix of the pairs would read all of them)."""
    if not rows:
        return []
    width = len(rows[0])
    tokens, characters = [], []
    for chunk in _chunks([value or "" for row in rows for value in row]):
        chunk_tokens, chunk_characters = _tokenize(chunk)
        tokens += chunk_tokens
        characters += chunk_characters
    # In any order: deleting a row from the index takes its terms, not their positions.
    return [(*tokens[i:i + width], " ".join(set("".join(characters[i:i + width]))))
            for i in range(0, len(tokens), width)]


def _is_cjk_character(token: str) -> bool:
    return len(token) == 1 and token in _cjk_characters()


def fts_query(query: str | None, columns: tuple[str, ...] = ()) -> str:
    """A user's query as an FTS5 query: each whitespace-separated word one phrase, all required.

    Replaces Datasette's ``escape_fts`` so the search box and JSON API tokenize the query as
    the index was tokenized. Double quotes group words into one phrase (``"人员 增加"``).
    The word's tokens, less the single characters at its edges where it starts or ends with
    a CJK character (the text's run may go on beyond it): ``人员增加`` → ``"人员 员增 增加"``,
    ``2024年`` → ``"2024 年"``. A word of one CJK character is looked up in ``characters``,
    or, searching only ``columns``, as a prefix of their tokens (``{title} : "年"*``: it reads
    every token that starts with the character, slow for a common one).
    """
    within = "{" + " ".join(columns) + "} : " if columns else ""
    phrases = []
    for quoted, word in re.findall(r'"([^"]*)"?|(\S+)', query or ""):
        tokens = fts_text(quoted or word).split()
        while tokens and tokens[0] == BREAK:
            tokens.pop(0)
        while tokens and tokens[-1] == BREAK:
            tokens.pop()
        if not tokens:
            continue
        if len(set(tokens)) == 1 and _is_cjk_character(tokens[0]):
            phrases.append(f'{within}"{tokens[0]}"*' if columns
                           else f'{CHARACTERS} : "{tokens[0]}"')
            continue
        if _is_cjk_character(tokens[0]):
            tokens.pop(0)
        if _is_cjk_character(tokens[-1]):
            tokens.pop()
        phrases.append(within + '"' + " ".join(tokens) + '"')
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
                + ", ".join(source.columns) + f", {CHARACTERS}, {INDEX_OPTIONS})",
                refill=(f"INSERT INTO {source.fts_table} ({source.fts_table}, rank) "
                        f"VALUES ('hashsize', {HASH_BYTES})",
                        f"DELETE FROM search_queue WHERE source = '{source.table}'",
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
        olds = [(row_id, json.loads(old)) for row_id, old in firsts if old is not None]
        removals = [("delete", row_id, *values)
                    for (row_id, _), values in zip(olds, fts_rows([v for _, v in olds]))]
        conn.executemany(
            f"INSERT INTO {source.fts_table} ({source.fts_table}, rowid, {columns}, "
            f"{CHARACTERS}) VALUES (?, ?, {marks}, ?)",
            removals,
        )
        id_list = ", ".join(str(int(r)) for r in row_ids)
        current = conn.execute(
            f"SELECT id, {columns} FROM {source.table} WHERE id IN ({id_list})"
        ).fetchall()
        conn.executemany(
            f"INSERT INTO {source.fts_table} (rowid, {columns}, {CHARACTERS}) "
            f"VALUES (?, {marks}, ?)",
            [(row[0], *values) for row, values in zip(current, fts_rows([r[1:] for r in current]))],
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


def rebuild(conn: sqlite3.Connection, batch: int = 2000) -> dict[str, int]:
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
    return refresh(conn, batch=batch)


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
