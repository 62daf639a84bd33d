"""Search every index at once: the best or newest hits of each table, with a snippet.

Shaped by benchmarks/search_bench.py at a million pages: each table's hits are read
from its FTS index with a LIMIT (never ``id IN (all hits)``), the count is capped at
``COUNT_CAP`` ("10,000+"), and ranking by relevance reads at most ``RANK_WINDOW`` hits (all
of them when there are no more, else the newest ``RANK_WINDOW``): see ``rank``.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from .search import SOURCES, SearchError, fts_query, normalize, source_for
from .table_search import COUNT_CAP, WINDOW as RANK_WINDOW

ORDERS = ("relevance", "newest")
SNIPPET_CHARS = 40

# What each hit shows: its heading, its body text, and its page number where it has one.
_HIT_SQL = {
    "documents": """SELECT d.id, d.title, coalesce(d.department, '') || ' ' ||
                    coalesce(d.region, ''), NULL, d.id, d.fiscal_year FROM documents d""",
    "pages": """SELECT p.id, d.title, p.text, p.page, d.id, d.fiscal_year
                FROM pages p JOIN documents d ON d.id = p.document_id""",
    "sections": """SELECT s.id, d.title || ' · ' || s.heading, s.text, s.page, d.id, d.fiscal_year
                   FROM sections s JOIN documents d ON d.id = s.document_id""",
    "explanations": """SELECT e.id, d.title || ' · ' || coalesce(e.subject, ''), e.text, e.page,
                       d.id, d.fiscal_year
                       FROM explanations e JOIN documents d ON d.id = e.document_id""",
}


@dataclass
class Hit:
    table: str
    id: int
    title: str
    snippet: Markup
    page: int | None
    document_id: int
    fiscal_year: int | None


@dataclass
class TableHits:
    """One table's page of hits. ``ranked``: by relevance (``rank``), over every hit or
    (``rank_window``) over the newest ``RANK_WINDOW``; else newest first."""

    table: str
    count: int
    capped: bool
    ranked: bool
    hits: list[Hit] = field(default_factory=list)
    next: dict[str, int] | None = None
    rank_window: bool = False

    @property
    def count_label(self) -> str:
        return f"{self.count}+" if self.capped else str(self.count)


def search_all(conn: sqlite3.Connection, query: str, limit: int = 10,
               order: str = "relevance", tables: list[str] | None = None) -> list[TableHits]:
    """Hits for ``query`` in every searchable table, documents first."""
    return [search_table(conn, source.table, query, limit, order=order) for source in SOURCES
            if tables is None or source.table in tables]


def search_table(
    conn: sqlite3.Connection,
    table: str,
    query: str,
    limit: int = 50,
    *,
    before: int | None = None,
    offset: int = 0,
    order: str = "relevance",
) -> TableHits:
    """One page of hits in one table, by ``order``: ``relevance`` ranks (``rank``) and pages
    by ``offset``; ``newest`` pages by rowid (``before``), which stays fast at any depth.
    ``TableHits.next`` holds the parameters of the next page.
    """
    if order not in ORDERS:
        raise SearchError("unknown_order", f"order is one of {', '.join(ORDERS)}, not {order!r}")
    fts = source_for(table).fts_table
    match = fts_query(query)
    # The index is read once when the hits are few: a phrase the index cannot find early
    # (common characters that seldom stand together) costs a pass over their rows.
    found = [r[0] for r in conn.execute(
        f"SELECT rowid FROM {fts} WHERE {fts} MATCH ? LIMIT ?", (match, RANK_WINDOW + 1))]
    count = len(found) if len(found) <= RANK_WINDOW else conn.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM {fts} WHERE {fts} MATCH ? LIMIT ?)",
        (match, COUNT_CAP + 1)).fetchone()[0]
    capped = count > COUNT_CAP
    result = TableHits(table, min(count, COUNT_CAP), capped, order == "relevance")
    newest = sorted(found, reverse=True)
    if order == "newest":
        if before is not None:
            newest = [rowid for rowid in newest if rowid < before]
        rowids = newest[:limit + 1] if count <= RANK_WINDOW else [r[0] for r in conn.execute(
            f"SELECT rowid FROM {fts} WHERE {fts} MATCH ? AND rowid < ? "
            "ORDER BY rowid DESC LIMIT ?",
            (match, before if before is not None else 2**63 - 1, limit + 1))]
    else:
        window = newest if count <= RANK_WINDOW else [r[0] for r in conn.execute(
            f"SELECT rowid FROM {fts} WHERE {fts} MATCH ? ORDER BY rowid DESC LIMIT ?",
            (match, RANK_WINDOW))]
        result.rank_window = count > RANK_WINDOW
        rowids = rank(conn, table, query, window)[offset:offset + limit + 1]
    more, rowids = len(rowids) > limit, rowids[:limit]
    if more:
        result.next = {"offset": offset + limit} if result.ranked else {"before": rowids[-1]}
    rows = {
        row[0]: row
        for row in conn.execute(
            f"{_HIT_SQL[table]} WHERE {table[0]}.id IN ({', '.join('?' * len(rowids))})",
            rowids,
        )
    } if rowids else {}
    for rowid in rowids:
        if rowid in rows:
            _, title, text, page, document_id, year = rows[rowid]
            result.hits.append(Hit(table, rowid, title or "", snippet(text or "", query),
                                   page, document_id, year))
    return result


def rank(conn: sqlite3.Connection, table: str, query: str, rowids: list[int]) -> list[int]:
    """``rowids`` best first by BM25's term-frequency part (k1 1.2, b 0.75), every word
    weighing the same, newest first among equals.

    Not FTS5's bm25: to weigh each word it reads every row holding it, a second or more for a
    common word at a million pages, however few rows it ranks. Counted in the text with its
    whitespace removed, as the index ignores whitespace between characters (compatibility
    forms such as ⼈ for 人 are not counted: they change the order, never what is found).
    """
    words = ["".join(normalize(quoted or word).split())
             for quoted, word in re.findall(r'"([^"]*)"?|(\S+)', query or "")]
    words = [w for w in words if w]
    if not rowids or not words:
        return list(rowids)
    columns = " || ' ' || ".join(f"coalesce({c}, '')" for c in source_for(table).columns)
    texts = {
        row[0]: "".join(row[1].split())
        for row in conn.execute(
            f"SELECT id, {columns} FROM {table} WHERE id IN ({', '.join('?' * len(rowids))})",
            rowids)
    }
    average = sum(map(len, texts.values())) / max(len(texts), 1) or 1

    def score(rowid: int) -> float:
        text = texts.get(rowid, "")
        norm = 1.2 * (0.25 + 0.75 * len(text) / average)
        return sum((tf := text.count(w)) * 2.2 / (tf + norm) for w in words)

    return sorted(rowids, key=lambda rowid: (-score(rowid), -rowid))


def snippet(text: str, query: str, width: int = SNIPPET_CHARS) -> Markup:
    """The text around the first query word, words marked; whitespace between characters
    is allowed, as the index allows it."""
    patterns = [
        r"\s*".join(re.escape(ch) for ch in normalize(word) if not ch.isspace())
        for word in re.findall(r'[^\s"]+', query or "")
    ]
    patterns = [p for p in patterns if p]
    if not patterns:
        return escape(text[: 2 * width])
    words = re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
    normalized = normalize(text)
    # Normalizing can change the length (㈱ → (株)); then mark in the normalized text.
    base = text if len(normalized) == len(text) else normalized
    first = words.search(normalized)
    start = max(0, (first.start() if first else 0) - width)
    end = min(len(base), (first.end() if first else 0) + width)
    window, marks = base[start:end], normalized[start:end]
    out, last = [], 0
    for found in words.finditer(marks):
        out += [escape(window[last:found.start()]),
                Markup("<mark>") + escape(window[found.start():found.end()]) + Markup("</mark>")]
        last = found.end()
    out.append(escape(window[last:]))
    prefix = "…" if start else ""
    suffix = "…" if end < len(base) else ""
    return Markup(prefix) + Markup("").join(out) + Markup(suffix)
