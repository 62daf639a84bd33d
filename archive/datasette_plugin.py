"""The Datasette plugin that publishes an archive (Datasette 0.65 hooks only).

- ``prepare_connection``: Chinese search — ``escape_fts`` rewritten as the index was built
  (``archive.search.fts_query``), for canned queries and ``?_search=`` — and the bounds
  of ``archive.limits`` on every connection.
- ``filters_from_request``: the table pages' search box, counting at most 10,000 hits and
  showing at most the newest 1,000 at any archive size, ``_search_<column>=`` on one
  indexed column (``archive.table_search``);
  ``table_actions`` links it to the same search ranked by relevance.
- ``register_routes``: ``/-/files/<sha256>`` (the archived bytes), ``/-/search`` (all
  tables at once), ``/-/charts`` (category counts by year and by region) and
  ``/-/gongkai.css`` (added to every page by ``extra_css_urls``). Each checks Datasette's
  permissions as its own views do, and runs its queries under the SQL time limit.
- ``render_cell``: provenance links — a file's sha256 to its bytes, a page number to the
  page's text and to that page of the PDF, a document id (in views and queries) to its
  document; a category key with its Chinese name.
- ``register_output_renderer``: ``.zip`` — the files behind the rows of any table or query,
  streamed.
- ``asgi_wrapper``: nosniff, a Content-Security-Policy, GET and HEAD only
  (``archive.headers``); a table search's count in its JSON (``table_search.count_json``).
- ``handle_exception``: what a client can cause (a value too long, a result too large,
  SQLite out of memory) is a 4xx or 503 with a message, never a 500.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.utils import sqlite_timelimit
from datasette.utils.asgi import AsgiFileDownload, BadRequest, Forbidden, NotFound, Response
from datasette.views.base import DatasetteError
from markupsafe import Markup, escape
from gongkai.nlp.labels import LABEL_NAMES

from . import charts, downloads, limits, table_search
from .headers import security_headers
from .search import SOURCES, SearchError, fts_query, fts_text
from .search_all import RANK_WINDOW, search_all, search_table
from .store import data_dir_for
from .zipstream import ZipStream

TEMPLATES = Path(__file__).resolve().parent / "templates"

# Columns holding a codebook key, shown with its Chinese name.
CATEGORY_COLUMNS = {"category", "label"}

# Tables and views whose rows carry a document_id and a page number (and queries: table None).
PAGE_TABLES = {"explanations", "findings", "sections", "line_items", "explanation_facts",
               "finding_facts", "line_item_facts", None}
# Where a document_id is a bare number (tables link their foreign keys themselves).
DOCUMENT_LINK_TABLES = {"explanation_facts", "finding_facts", "line_item_facts", None}

# The tables that name an archived file: a file is served to whoever may see both.
FILE_TABLES = ("files", "documents")

MAX_ROWID = 2**63 - 1


def config(datasette) -> dict[str, int]:
    return limits.limits_of(datasette.plugin_config("gongkai"))


@hookimpl(trylast=True)
def prepare_connection(conn, datasette):
    # trylast: runs after Datasette's own escape_fts registration, and so replaces it.
    conn.create_function("escape_fts", 1, fts_query, deterministic=True)
    conn.create_function("fts_text", 1, fts_text, deterministic=True)
    limits.bound_connection(conn, config(datasette))


@hookimpl(trylast=True)
def filters_from_request(request, database, table, datasette):
    # trylast: its supports_search and search replace those of Datasette's own search filter,
    # which the metadata leaves idle (it names no fts_table).
    return table_search.search_filter(request, database, table, datasette)


@hookimpl
def table_actions(datasette, database, table, request):
    link = table_search.relevance_link(datasette, database, table, request)
    return [link] if link else None


@hookimpl
def startup():
    # Datasette prints every exception it handles with rich's traceback and locals when rich
    # is installed (spaCy's typer installs it): 0.2-0.45 s of the event loop per 404, and a
    # 500 for a 404 raised outside an ``except`` block (``/a/b/c/d/e``). A 500 still gets
    # its plain traceback. (Imported here: importing it before datasette.plugins would
    # register half-loaded plugin modules.)
    from datasette import handle_exception as datasette_exceptions

    datasette_exceptions.rich = None


@hookimpl
def asgi_wrapper(datasette):
    return lambda app: security_headers(table_search.count_json(app), datasette)


@hookimpl
def handle_exception(datasette, request, exception):
    """Errors a client's parameters cause inside Datasette, answered as such: the archive is
    read-only, so a SQLite error comes from the request (``_next=`` past 2**63 is a
    datatype mismatch); Datasette's own errors without a status (a bad ``_through=``) are
    the request's too."""
    if isinstance(exception, MemoryError):
        status, message = 503, ("The request needed more memory than the server allows "
                                "(limit heap_limit_mb); narrow it down.")
    elif isinstance(exception, QueryInterrupted):  # a query of Datasette's own, in our routes
        status, message = 400, (f"this took longer than the {datasette.setting('sql_time_limit_ms')}"
                                " ms limit (sql_time_limit_ms); narrow it down")
    elif isinstance(exception, sqlite3.Error):
        status, message = 400, f"{exception}."
    elif isinstance(exception, DatasetteError) and exception.status == 500:
        status, message = 400, exception.message
    else:
        return None
    return lambda: _error_response(datasette, request, status, message)


@hookimpl
def forbidden(datasette, request, message):
    if message == "execute-sql":
        return lambda: _error_response(datasette, request, 403, (
            "Arbitrary SQL is off on this public archive: use the tables, facets, search and "
            "canned queries, or download the data and query your own copy. (An operator can "
            "allow it with gongkai serve --allow-sql.)"))
    return None


async def _error_response(datasette, request, status: int, message: str) -> Response:
    """Datasette's error page (or JSON, for a .json address) with our message."""
    if request.path.split("?")[0].endswith(".json"):
        return Response.json({"ok": False, "error": message, "status": status, "title": None},
                             status=status)
    return Response.html(await datasette.render_template(
        "error.html", {"ok": False, "error": message, "status": status, "title": None},
        request=request), status=status)


@hookimpl
def register_routes():
    return [
        (r"^/-/files/(?P<sha256>[0-9a-f]{64})$", serve_file),
        (r"^/-/search$", search_page),
        (r"^/-/charts$", charts_page),
        (r"^/-/gongkai\.css$", stylesheet),
    ]


@hookimpl
def extra_css_urls(datasette):
    return [datasette.urls.path("/-/gongkai.css")]


async def stylesheet():
    return Response((TEMPLATES / "gongkai.css").read_text(encoding="utf-8"),
                    content_type="text/css; charset=utf-8")


@hookimpl
def menu_links(datasette):
    return [
        {"href": datasette.urls.path("/-/search"), "label": "全文检索 Search all"},
        {"href": datasette.urls.path("/-/charts"), "label": "图表 Charts"},
    ]


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if column == "sha256" and isinstance(value, dict):
        value = value.get("value")  # a foreign key to files, expanded by Datasette
    if column == "sha256" and _is_sha256(value):
        href = datasette.urls.path(f"/-/files/{value}")
        return Markup(f'<a href="{escape(href)}">{escape(value[:12])}…</a>')
    if column == "document_id" and table in DOCUMENT_LINK_TABLES and _is_int(value):
        href = datasette.urls.row(database, "documents", str(value))
        return Markup(f'<a href="{escape(href)}">{value}</a>')
    if column in CATEGORY_COLUMNS and isinstance(value, str) and value in LABEL_NAMES:
        return Markup(f'{escape(value)} <span class="gongkai-label">{escape(LABEL_NAMES[value])}</span>')
    if column == "page" and table in PAGE_TABLES and _is_int(value):
        keys = row.keys()
        if "document_id" not in keys or not _is_int(row["document_id"]):
            return None
        query = urlencode({"document_id": row["document_id"], "page": value})
        page_href = escape(f'{datasette.urls.table(database, "pages")}?{query}')
        html = Markup(f'<a href="{page_href}">p.{value}</a>')
        if "sha256" in keys and _is_sha256(row["sha256"]):
            pdf = escape(datasette.urls.path(f"/-/files/{row['sha256']}") + f"#page={value}")
            html += Markup(f' <a href="{pdf}">PDF</a>')
        return html
    return None


def _is_sha256(value) -> bool:
    return isinstance(value, str) and downloads.SHA256.fullmatch(value) is not None


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@hookimpl
def register_output_renderer():
    return {"extension": "zip", "render": render_zip, "can_render": can_render_zip}


def archive_database(datasette, request=None):
    """The database that holds the archive: ``?db=`` or the first one backed by a file."""
    wanted = request.args.get("db") if request else None
    for name, database in datasette.databases.items():
        if (wanted is None or name == wanted) and database.path:
            return database
    raise NotFound("no archive database is being served")


async def may_view(datasette, request, database: str, table: str) -> bool:
    """Whether the actor may see ``table``, checked as Datasette's table view checks it."""
    try:
        await datasette.ensure_permissions(request.actor, [
            ("view-table", (database, table)), ("view-database", database), "view-instance"])
    except Forbidden:
        return False
    return True


async def ensure_files_visible(datasette, request, database: str) -> None:
    for table in FILE_TABLES:
        if not await may_view(datasette, request, database, table):
            raise Forbidden(f"archived files are private: the {table} table is not public")


async def run_limited(datasette, database, fn):
    """``database.execute_fn(fn)`` under the SQL time limit Datasette's own queries have;
    past it, a 400 that says so."""
    limit_ms = datasette.setting("sql_time_limit_ms")
    started = time.perf_counter()

    def timed(conn):
        with sqlite_timelimit(conn, limit_ms):
            return fn(conn)

    try:
        return await database.execute_fn(timed)
    except sqlite3.OperationalError as error:
        # Interrupted inside a virtual table's constructor, SQLite says "vtable constructor
        # failed" instead of "interrupted".
        if "interrupted" not in str(error) and time.perf_counter() - started < limit_ms / 1000:
            raise
        raise BadRequest(f"this took longer than the {limit_ms} ms limit (sql_time_limit_ms); "
                         "narrow it down") from None


async def serve_file(datasette, request):
    database = archive_database(datasette, request)
    await ensure_files_visible(datasette, request, database.name)
    sha256 = request.url_vars["sha256"]
    try:
        item = await run_limited(datasette, database, lambda conn: downloads.archived_file(
            conn, data_dir_for(database.path), sha256))
    except downloads.FileNotArchived as error:
        raise NotFound(str(error))
    return AsgiFileDownload(
        item.path,
        content_type=item.content_type,
        headers={"content-disposition": item.content_disposition()},
    )


def can_render_zip(columns, table):
    return downloads.can_zip(columns, table)


# Zips being streamed now, against the ``zip_downloads`` limit.
_zips_in_flight = 0


async def render_zip(datasette, columns, rows, database, table, query_name, request):
    global _zips_in_flight
    archive = datasette.get_database(database)
    await ensure_files_visible(datasette, request, database)
    limit = config(datasette)
    if _zips_in_flight >= limit["zip_downloads"]:
        raise DatasetteError(f"{_zips_in_flight} zips are being downloaded, the most at once "
                             "(limit zip_downloads); try again in a minute", status=503)
    _zips_in_flight += 1  # taken before the first await, so no request overtakes the check

    def closed():
        global _zips_in_flight
        _zips_in_flight -= 1

    def plan(conn):
        sha256s = downloads.sha256s_of_rows(conn, columns, [list(r) for r in rows], table)
        return downloads.zip_plan(conn, data_dir_for(archive.path), sha256s,
                                  limit["zip_max_mb"] * limits.MB)

    try:
        planned = await run_limited(datasette, archive, plan)
    except BaseException as error:
        closed()
        if isinstance(error, downloads.ZipTooLarge):
            raise BadRequest(str(error)) from None
        raise

    name = f"{table or query_name or database}-files.zip"
    return ZipStream(lambda out: downloads.write_zip(planned, out), request.receive,
                     headers={"content-disposition": downloads.disposition("attachment", name)},
                     on_close=closed)


def _int_arg(request, name: str, low: int, high: int) -> int | None:
    """An integer query parameter within [low, high]; anything else is a 400 that says so."""
    value = request.args.get(name)
    if value is None or value == "":
        return None
    if not value.isascii() or not value.isdigit() or not low <= int(value) <= high:
        raise BadRequest(f"{name} must be a whole number from {low} to {high}, not {value[:40]!r}")
    return int(value)


def _search_query(request, limit: dict[str, int]) -> str:
    query = (request.args.get("q") or "").strip()
    words = len(query.split())
    if words > limit["search_max_words"]:
        raise BadRequest(f"the search has {words} words; at most {limit['search_max_words']} "
                         "are allowed (search_max_words): every word must appear, so a few "
                         "distinctive words find the same rows")
    if len(query) > limit["search_max_chars"]:
        raise BadRequest(f"the search is {len(query)} characters long; at most "
                         f"{limit['search_max_chars']} are allowed (search_max_chars)")
    return query


async def search_page(datasette, request):
    """All tables at once, or with ``table=`` one table page by page (``before``/``offset``)."""
    database = archive_database(datasette, request)
    query = _search_query(request, config(datasette))
    table = request.args.get("table")
    before = _int_arg(request, "before", 1, MAX_ROWID)
    offset = _int_arg(request, "offset", 0, RANK_WINDOW) or 0
    order = request.args.get("order") or "relevance"
    visible = await _searchable_tables(datasette, request, database.name)
    if table and table not in visible and table in {source.table for source in SOURCES}:
        raise Forbidden(f"the {table} table is not public")

    def run(conn):
        if not query:
            return []
        if table:
            return [search_table(conn, table, query, before=before, offset=offset, order=order)]
        return search_all(conn, query, order=order, tables=visible)

    try:
        results = await run_limited(datasette, database, run)
    except SearchError as error:
        return Response.text(f"{error} [{error.kind}]", status=400)
    if request.args.get("_format") == "json":
        return Response.json({
            "q": query,
            "order": order,
            "results": [
                {"table": r.table, "count": r.count, "capped": r.capped, "ranked": r.ranked,
                 "rank_window": r.rank_window, "next": r.next,
                 "hits": [{**hit.__dict__, "snippet": str(hit.snippet)} for hit in r.hits]}
                for r in results
            ],
        })
    return Response.html(await datasette.render_template(
        "gongkai_search.html",
        {"q": query, "table": table, "results": results, "database": database.name,
         "order": order, "rank_window": RANK_WINDOW},
        request=request,
    ))


async def _searchable_tables(datasette, request, database: str) -> list[str]:
    """The indexed tables the actor may see; a hit shows its document's title, so the
    documents table must be visible too."""
    if not await may_view(datasette, request, database, "documents"):
        raise Forbidden("the documents table is not public, so nothing can be searched")
    return [source.table for source in SOURCES
            if await may_view(datasette, request, database, source.table)]


async def charts_page(datasette, request):
    database = archive_database(datasette, request)
    if not await may_view(datasette, request, database.name, "category_counts"):
        raise Forbidden("the category_counts view is not public")

    def draw(conn):
        drawn = {}
        for by, caption in (("fiscal_year", "年度 fiscal year"), ("region", "地区 region")):
            drawn[caption] = [
                charts.bar_chart(
                    "（未知 unknown）" if group is None else str(group),
                    counts,
                    link=lambda label, by=by, group=group: datasette.urls.table(
                        database.name, "explanation_facts") + "?" + urlencode(
                        {"category": label,
                         **({f"{by}__isnull": 1} if group is None else {by: group})}),
                )
                for group, counts in charts.category_counts(conn, by).items()
            ]
        return drawn

    drawn = await run_limited(datasette, database, draw)
    return Response.html(await datasette.render_template(
        "gongkai_charts.html",
        {"charts": {caption: [Markup(svg) for svg in svgs] for caption, svgs in drawn.items()},
         "database": database.name},
        request=request,
    ))
