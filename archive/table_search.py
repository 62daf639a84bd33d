"""The search box of Datasette's table pages (``?_search=``), fast at any archive size.

Datasette 0.65 searches a table as ``id IN (every hit)``: it gathers every hit before it
shows the first 50, then looks up every one of them in the table to count them and again
for each facet, which at a million pages takes up to seconds for a common word
(benchmarks/search_bench.py). This filter takes its place (the metadata names no
``fts_table``, so Datasette's own search filter stays idle) and bounds the work:

- the count of hits comes from the index alone, exact up to ``COUNT_CAP`` ("10,000+"
  beyond), and is given in the page's description; the index is matched once when the
  hits are few (the page's queries then take their ids);
- up to ``WINDOW`` hits, the page shows all of them, so its own count, order and facets
  are exact; beyond, it shows the ``WINDOW`` newest archived (the oldest, when sorted by id
  ascending). Paging by id moves the window along with the ``_next`` row, so every hit can
  be reached; the description says which hits these are, and the facets count them;
- with column filters as well (a facet clicked): when few rows pass the filters, each is
  looked up in the index (exact); otherwise the hits are read newest first until
  ``WINDOW`` pass the filters, and the page shows those. Either way has a time limit,
  past which every hit is used (exact, as slow as Datasette's own search).

Ranked by relevance: the table's actions menu links the same search to ``/-/search``,
which ranks by relevance (``archive.search_all.rank``).
"""

from __future__ import annotations

from urllib.parse import urlencode

from . import search
from .search import Source, fts_query

COUNT_CAP = 10_000
WINDOW = 1_000
# How long finding the rows of a filtered search may take before every hit is used.
FILTERED_MS = 500

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


async def search_filter(request, database: str, table: str, datasette):
    """``filters_from_request`` for searchable tables: see the module docstring."""
    from datasette.filters import FilterArguments

    source = source_for_table(table)
    if source is None:
        return None
    context = {"supports_search": True}
    query = request.args.get("_search", "").strip()
    if not query:
        return FilterArguments([], extra_context=context)
    context["search"] = query
    params = {"gongkai_match": query if request.args.get("_searchmode") == "raw"
              else fts_query(query)}
    clause, shown = await _hits_clause(request, database, table, datasette, source.fts_table,
                                       params)
    described = f'search matches "{query}"'
    if shown:
        described += f" ({shown})"
    return FilterArguments([f"[id] IN ({clause})"], params, [described], context)


async def _hits_clause(request, database, table, datasette, fts, params) -> tuple[str, str]:
    """The SQL selecting the hits the page works on, and what they are of how many ("" when
    they are every hit and the page's own count says it)."""
    from datasette.database import QueryInterrupted
    from datasette.filters import Filters
    from datasette.views.base import ureg

    db = datasette.get_database(database)
    matching = f"FROM [{fts}] WHERE [{fts}] MATCH :gongkai_match"
    every = f"SELECT rowid {matching}"
    found = [row[0] for row in await db.execute(f"{every} LIMIT {WINDOW + 1}", params)]
    if len(found) <= WINDOW:  # their ids: the page's own queries need not match again
        return ", ".join(str(int(rowid)) for rowid in found) or "NULL", ""
    total = (await db.execute(f"SELECT count(*) FROM ({every} LIMIT {COUNT_CAP + 1})",
                              params)).single_value()
    counted = f"{COUNT_CAP:,}+" if total > COUNT_CAP else f"{total:,}"
    # _where and _through are SQL a window could not take into account: every hit.
    if "_where" in request.args or "_through" in request.args:
        return every, ""
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
        bound = (await db.execute(f"SELECT rowid {matching} ORDER BY rowid {order} "
                                  f"LIMIT 1 OFFSET {WINDOW - 1}", params)).first()
        if bound is None:  # fewer than WINDOW left after the last row shown
            return f"SELECT rowid {matching}", f"{counted} rows match"
        return (f"SELECT rowid {matching} AND rowid {'<=' if ascending else '>='} {int(bound[0])}",
                f"{counted} rows match; these are the {which}")

    where, filter_params = Filters(filters, metadata.get("units", {}), ureg).build_where_clauses(table)
    params.update(filter_params)
    passing = f"SELECT [id] FROM [{table}] WHERE {' AND '.join(where)}"
    try:
        few = (await db.execute(f"SELECT count(*) FROM ({passing} LIMIT {WINDOW + 1})", params,
                                custom_time_limit=FILTERED_MS)).single_value()
    except QueryInterrupted:  # an unindexed filter on a large table
        few = WINDOW + 1
    if few <= WINDOW:  # look each up in the index
        return f"SELECT rowid {matching} AND rowid IN ({passing})", ""
    try:
        ids = [row[0] for row in await db.execute(
            # CROSS JOIN keeps the index as the outer loop, read in order: the first WINDOW
            # + 1 hits that pass end the read.
            f"SELECT hit FROM (SELECT rowid AS hit {matching} ORDER BY rowid {order}) "
            f"CROSS JOIN [{table}] ON [{table}].[id] = hit WHERE {' AND '.join(where)} "
            f"ORDER BY hit {order} LIMIT {WINDOW + 1}", params, custom_time_limit=FILTERED_MS)]
    except QueryInterrupted:
        return every, f"{counted} rows match the search alone"
    shown = ", ".join(str(int(i)) for i in ids[:WINDOW]) or "NULL"
    if len(ids) <= WINDOW:
        return shown, ""
    return shown, f"{counted} rows match the search alone; more than {WINDOW:,} pass the filters too, these are the {which}"


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
