"""The search box of Datasette's table pages (``?_search=``), fast at any archive size.

Datasette 0.65 searches a table as ``id IN (every hit)``: it gathers every hit before it
shows the first 50, then looks up every one of them in the table to count them and again
for each facet, which at a million pages takes up to seconds for a common word
(benchmarks/search_bench.py). This filter takes its place (the metadata names no
``fts_table``, so Datasette's own search filter stays idle) and bounds the work:

- the count of hits comes from the index alone, exact up to ``COUNT_CAP`` ("10,000+"
  beyond), and is given in the page's description and in the JSON (``search_hits``; the
  JSON's ``filtered_table_rows_count`` is the number of rows that match, or null when it is
  not known, never the size of the window); the index is matched once when the hits are
  few (the page's queries then take their ids);
- up to ``WINDOW`` hits, the page shows all of them, so its own count, order and facets
  are exact; beyond, it shows the ``WINDOW`` newest archived (the oldest, when sorted by id
  ascending). Paging by id moves the window along with the ``_next`` row, so every hit can
  be reached; the description says which hits these are, and the facets count them;
- with column filters as well (a facet clicked): when the filters can use an index and few
  rows pass them, each is looked up in the search index (exact); otherwise the hits are
  read newest first, in growing chunks, until ``WINDOW`` pass the filters or
  ``FILTERED_MS`` have gone (a filter on an unindexed column reads a row per hit: at a
  million pages, 2 % passing, a full window would take 50,000 lookups), and the page shows
  those and says how many hits were checked;
- ``_search_<column>=`` searches one indexed column; a column the index does not hold is a
  400 that names those it does.

Ranked by relevance: the table's actions menu links the same search to ``/-/search``,
which ranks by relevance (``archive.search_all.rank``).
"""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qsl, urlencode

from . import search
from .search import Source, fts_query

COUNT_CAP = 10_000
WINDOW = 1_000
# How long checking hits against a search's filters may take (then the page shows those
# found): the page's other queries fit in the rest of 50 ms at a million pages.
FILTERED_MS = 25
# Hits checked against the filters by the first query, newest first; each next query
# checks twice as many, so a filter most hits pass costs one small query.
FILTERED_CHUNK = 500
# The ASGI scope key where the filter leaves the count for the JSON (``count_json``).
SCOPE_KEY = "gongkai.search_hits"

# Views that carry a searchable table's id, and so search its index.
VIEWS = {"explanation_facts": "explanations"}


def source_for_table(table: str) -> Source | None:
    name = VIEWS.get(table, table)
    return next((source for source in search.SOURCES if source.table == name), None)


def column_filters(request) -> list[tuple[str, str]]:
    """The ``column__op=value`` arguments, as Datasette reads them into its filters."""
    return sorted((key, value) for key in request.args
                  if not (key.startswith("_") and "__" not in key)
                  for value in request.args.getlist(key))


def _sort(request, metadata: dict) -> tuple[str | None, bool]:
    """(column, descending) the page is sorted by, as Datasette decides it."""
    for name, descending in (("_sort", False), ("_sort_desc", True)):
        if request.args.get(name):
            return request.args[name], descending
    for name, descending in (("sort", False), ("sort_desc", True)):
        if metadata.get(name):
            return metadata[name], descending
    return None, False


def _column_searches(request, table: str, source: Source | None) -> dict[str, str]:
    """``_search_<column>=`` arguments; a column without an index is the client's error."""
    from datasette.utils.asgi import BadRequest

    searches = {key[len("_search_"):]: request.args[key].strip()
                for key in request.args if key.startswith("_search_")}
    if searches and source is None:
        raise BadRequest(f"{table} has no search index, so _search_{next(iter(searches))}= "
                         "cannot be used")
    unknown = sorted(set(searches) - set(source.columns if source else ()))
    if unknown:
        raise BadRequest(f"_search_{unknown[0]}=: the search index of {table} holds the "
                         f"columns {', '.join(source.columns)}; search one with "
                         f"_search_<column>=, or all with _search=")
    return {column: value for column, value in searches.items() if value}


async def search_filter(request, database: str, table: str, datasette):
    """``filters_from_request`` for searchable tables: see the module docstring."""
    from datasette.filters import FilterArguments

    source = source_for_table(table)
    columns = _column_searches(request, table, source)
    if source is None:
        return None
    context = {"supports_search": True}
    query = request.args.get("_search", "").strip()
    if not query and not columns:
        return FilterArguments([], extra_context=context)
    context["search"] = query
    parts, described = [], []
    if query:
        parts.append(query if request.args.get("_searchmode") == "raw" else fts_query(query))
        described.append(f'search matches "{query}"')
    for column, value in sorted(columns.items()):
        # A table's only indexed column is the whole index: searched as such, a word of one
        # character is looked up in ``characters``, not as a prefix of every pair.
        parts.append(fts_query(value, columns=() if source.columns == (column,) else (column,)))
        described.append(f'{column} matches "{value}"')
    params = {"gongkai_match": " AND ".join(f"({part})" for part in parts)}
    clause, shown, hits = await _hits_clause(request, database, table, datasette,
                                             source.fts_table, params)
    holder = request.scope.get(SCOPE_KEY)
    if holder is not None and hits is not None:
        holder.update(hits)
    description = " and ".join(described)
    if shown:
        description += f" ({shown})"
    return FilterArguments([f"[id] IN ({clause})"], params, [description], context)


def _hits(total: int, exact: int | None) -> dict:
    """What the JSON says of the hits: ``exact`` is the number of rows that match (None
    when only the search's hits were counted, or the count stopped at the cap)."""
    capped = total > COUNT_CAP
    return {"search_hits": None if capped else total, "search_hits_capped": capped,
            "search_hits_label": f"{COUNT_CAP:,}+" if capped else f"{total:,}",
            "filtered_table_rows_count": exact}


async def _hits_clause(request, database, table, datasette, fts, params):
    """The SQL selecting the hits the page works on, what they are of how many ("" when they
    are every hit and the page's own count says it), and the counts for the JSON (None
    when the page's own count is exact)."""
    from datasette.database import QueryInterrupted
    from datasette.filters import Filters
    from datasette.views.base import ureg

    db = datasette.get_database(database)
    matching = f"FROM [{fts}] WHERE [{fts}] MATCH :gongkai_match"
    every = f"SELECT rowid {matching}"
    found = [row[0] for row in await db.execute(f"{every} LIMIT {WINDOW + 1}", params)]
    if len(found) <= WINDOW:  # their ids: the page's own queries need not match again
        return ", ".join(str(int(rowid)) for rowid in found) or "NULL", "", None
    total = (await db.execute(f"SELECT count(*) FROM ({every} LIMIT {COUNT_CAP + 1})",
                              params)).single_value()
    counted = f"{COUNT_CAP:,}+" if total > COUNT_CAP else f"{total:,}"
    # _where and _through are SQL a window could not take into account: every hit.
    if "_where" in request.args or "_through" in request.args:
        return every, "", None
    metadata = datasette.table_metadata(database, table)
    column, descending = _sort(request, metadata)
    by_id = table not in VIEWS and column in (None, "id")  # then _next holds the last id
    ascending = by_id and not descending  # the oldest hits first
    order, after = ("ASC" if ascending else "DESC"), None
    if by_id and request.args.get("_next"):
        last = request.args["_next"].split(",")[-1]
        after = int(last) if last.lstrip("-").isdigit() else None
    if after is not None:
        matching += f" AND rowid {'>' if ascending else '<'} {after}"
    which = f"{'oldest' if ascending else 'newest'} {WINDOW:,}"
    if after is not None:
        which += " after the last page"
    filters = column_filters(request)
    if not filters:
        exact = None if total > COUNT_CAP else total
        bound = (await db.execute(f"SELECT rowid {matching} ORDER BY rowid {order} "
                                  f"LIMIT 1 OFFSET {WINDOW - 1}", params)).first()
        if bound is None:  # fewer than WINDOW left after the last row shown
            return f"SELECT rowid {matching}", f"{counted} rows match", _hits(total, exact)
        return (f"SELECT rowid {matching} AND rowid {'<=' if ascending else '>='} {int(bound[0])}",
                f"{counted} rows match; these are the {which}", _hits(total, exact))

    where, filter_params = Filters(filters, metadata.get("units", {}), ureg).build_where_clauses(table)
    params.update(filter_params)
    passing = f"SELECT [id] FROM [{table}] WHERE {' AND '.join(where)}"
    plan = await db.execute(f"EXPLAIN QUERY PLAN {passing}", params)
    if not any(row["detail"].startswith("SCAN") for row in plan):  # an index finds them
        try:
            few = (await db.execute(f"SELECT count(*) FROM ({passing} LIMIT {WINDOW + 1})",
                                    params, custom_time_limit=FILTERED_MS)).single_value()
        except QueryInterrupted:
            few = WINDOW + 1
        if few <= WINDOW:  # look each up in the search index
            return f"SELECT rowid {matching} AND rowid IN ({passing})", "", None
    ids, checked, complete = await db.execute_fn(lambda conn: _passing_hits(
        conn, table, fts, where, params, ascending, after))
    shown = ", ".join(str(int(i)) for i in ids[:WINDOW]) or "NULL"
    if complete and len(ids) <= WINDOW:
        return shown, "", None
    note = f"{counted} rows match the search alone; "
    if len(ids) > WINDOW:
        note += f"more than {WINDOW:,} pass the filters too, these are the {which}"
    else:
        note += (f"the filters were checked on the {checked:,} "
                 f"{'oldest' if ascending else 'newest'} of them in the {FILTERED_MS} ms "
                 f"allowed, and {len(ids):,} pass; narrow the search to check the rest")
    return shown, note, _hits(total, None)


def _passing_hits(conn, table, fts, where, params, ascending, after):
    """The first ``WINDOW + 1`` hits, in the page's order, that pass the filters: hits are
    read ``FILTERED_CHUNK`` at first, then twice as many each time (at most what the time
    left allows), until enough pass, the hits run out or ``FILTERED_MS`` have gone.
    Returns (ids, hits checked, whether every hit was checked)."""
    order, beyond = ("ASC", ">") if ascending else ("DESC", "<")
    started, ids, checked, size = time.monotonic(), [], 0, FILTERED_CHUNK
    while True:
        after_sql = f"AND rowid {beyond} {after}" if after is not None else ""
        chunk = [row[0] for row in conn.execute(
            f"SELECT rowid FROM [{fts}] WHERE [{fts}] MATCH :gongkai_match {after_sql} "
            f"ORDER BY rowid {order} LIMIT {size}", params)]
        checked += len(chunk)
        # CROSS JOIN keeps the chunk as the outer loop, in its order.
        ids += [row[0] for row in conn.execute(
            f"SELECT hit FROM (SELECT value AS hit FROM json_each(:gongkai_chunk)) "
            f"CROSS JOIN [{table}] ON [{table}].[id] = hit WHERE {' AND '.join(where)} "
            f"ORDER BY hit {order}", {**params, "gongkai_chunk": json.dumps(chunk)})]
        if len(chunk) < size:
            return ids[:WINDOW + 1], checked, True
        spent, allowed = time.monotonic() - started, FILTERED_MS / 1000
        if len(ids) > WINDOW or spent >= allowed:
            return ids[:WINDOW + 1], checked, False
        # Twice as many, or as many as the time left allows at the pace so far.
        after = chunk[-1]
        left = int(checked * (allowed - spent) / max(spent, 1e-6))
        size = max(FILTERED_CHUNK, min(2 * size, left))


def count_json(app):
    """ASGI wrapper: a table page's JSON tells the search's count (``_hits``) where the page
    works on a window of the hits, in place of Datasette's count of the window."""

    async def wrapped(scope, receive, send):
        if scope["type"] != "http" or not any(
                key.startswith("_search") for key, _ in parse_qsl(
                    scope.get("query_string", b"").decode("latin-1"))):
            return await app(scope, receive, send)
        holder, start, body = {}, None, []

        async def capture(message):
            nonlocal start
            if message["type"] == "http.response.start":
                kind = dict(message.get("headers", [])).get(b"content-type", b"")
                if holder and kind.startswith(b"application/json"):
                    start = message
                    return
            if start is None:
                return await send(message)
            body.append(message.get("body", b""))
            if message.get("more_body"):
                return
            content = b"".join(body)
            try:
                data = json.loads(content)
            except ValueError:
                data = None
            if isinstance(data, dict) and "filtered_table_rows_count" in data:
                data.update(holder)
                content = json.dumps(data, ensure_ascii=False).encode("utf-8")
            headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
            await send({**start, "headers": [*headers, (b"content-length",
                                                        str(len(content)).encode())]})
            await send({"type": "http.response.body", "body": content})

        await app({**scope, SCOPE_KEY: holder}, receive, capture)

    return wrapped


def relevance_link(datasette, database: str, table: str, request) -> dict | None:
    """The table's search, ranked by relevance on ``/-/search`` (a table actions menu link)."""
    source = source_for_table(table)
    query = request.args.get("_search", "").strip() if request else ""
    if source is None or not query:
        return None
    arguments = urlencode({"q": query, "table": source.table, "order": "relevance",
                           "db": database})
    return {"href": datasette.urls.path(f"/-/search?{arguments}"),
            "label": "按相关度排序 Rank by relevance"}
