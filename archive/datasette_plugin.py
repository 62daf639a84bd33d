"""The Datasette plugin that publishes an archive (Datasette 0.65 hooks only).

- ``prepare_connection``: Chinese search — ``escape_fts`` rewritten as the index was built
  (``archive.search.fts_query``), for canned queries and ``?_search=``.
- ``filters_from_request``: the table pages' search box, reading at most 10,000 hits at any
  archive size (``archive.table_search``); ``table_actions`` links it to a ranked search.
- ``register_routes``: ``/-/files/<sha256>`` (the archived bytes), ``/-/search`` (all
  tables at once), ``/-/charts`` (category counts by year and by region) and
  ``/-/gongkai.css`` (added to every page by ``extra_css_urls``).
- ``render_cell``: provenance links — a file's sha256 to its bytes, a page number to the
  page's text and to that page of the PDF, a document id (in views and queries) to its
  document; a category key with its Chinese name.
- ``register_output_renderer``: ``.zip`` — the files behind the rows of any table or query.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.utils.asgi import AsgiFileDownload, NotFound, Response
from markupsafe import Markup, escape
from gongkai.nlp.labels import LABEL_NAMES

from . import charts, downloads, table_search
from .search import SearchError, fts_query, fts_text
from .search_all import RANK_WINDOW, search_all, search_table
from .store import data_dir_for

TEMPLATES = Path(__file__).resolve().parent / "templates"

# Columns holding a codebook key, shown with its Chinese name.
CATEGORY_COLUMNS = {"category", "label"}

# Tables and views whose rows carry a document_id and a page number (and queries: table None).
PAGE_TABLES = {"explanations", "findings", "sections", "line_items", "explanation_facts",
               "finding_facts", "line_item_facts", None}
# Where a document_id is a bare number (tables link their foreign keys themselves).
DOCUMENT_LINK_TABLES = {"explanation_facts", "finding_facts", "line_item_facts", None}


@hookimpl(trylast=True)
def prepare_connection(conn):
    # trylast: runs after Datasette's own escape_fts registration, and so replaces it.
    conn.create_function("escape_fts", 1, fts_query, deterministic=True)
    conn.create_function("fts_text", 1, fts_text, deterministic=True)


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
    if column == "sha256" and isinstance(value, str) and len(value) == 64:
        href = datasette.urls.path(f"/-/files/{value}")
        return Markup(f'<a href="{href}">{escape(value[:12])}…</a>')
    if column == "document_id" and table in DOCUMENT_LINK_TABLES and isinstance(value, int):
        href = escape(datasette.urls.row(database, "documents", str(value)))
        return Markup(f'<a href="{href}">{value}</a>')
    if column in CATEGORY_COLUMNS and value in LABEL_NAMES:
        return Markup(f'{escape(value)} <span class="gongkai-label">{LABEL_NAMES[value]}</span>')
    if column == "page" and table in PAGE_TABLES and value is not None:
        keys = row.keys()
        if "document_id" not in keys or row["document_id"] is None:
            return None
        query = urlencode({"document_id": row["document_id"], "page": value})
        page_href = escape(f'{datasette.urls.table(database, "pages")}?{query}')
        html = Markup(f'<a href="{page_href}">p.{int(value)}</a>')
        if "sha256" in keys and row["sha256"]:
            pdf = escape(datasette.urls.path(f"/-/files/{row['sha256']}") + f"#page={int(value)}")
            html += Markup(f' <a href="{pdf}">PDF</a>')
        return html
    return None


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


async def serve_file(datasette, request):
    database = archive_database(datasette, request)
    sha256 = request.url_vars["sha256"]
    try:
        item = await database.execute_fn(
            lambda conn: downloads.archived_file(conn, data_dir_for(database.path), sha256)
        )
    except downloads.FileNotArchived as error:
        raise NotFound(str(error))
    return AsgiFileDownload(
        item.path,
        content_type=item.content_type,
        headers={"content-disposition": item.content_disposition()},
    )


def can_render_zip(columns, table):
    return downloads.can_zip(columns, table)


async def render_zip(datasette, columns, rows, database, table, query_name, request):
    archive = datasette.get_database(database)
    body = await archive.execute_fn(
        lambda conn: downloads.zip_files(
            conn, data_dir_for(archive.path),
            downloads.sha256s_of_rows(conn, columns, [list(r) for r in rows], table),
        )
    )
    name = table or query_name or database
    return Response(
        body,
        content_type="application/zip",
        headers={"content-disposition": f'attachment; filename="{name}-files.zip"'},
    )


async def search_page(datasette, request):
    """All tables at once, or with ``table=`` one table page by page (``before``/``offset``)."""
    database = archive_database(datasette, request)
    query = (request.args.get("q") or "").strip()
    table = request.args.get("table")

    order = request.args.get("order") or "relevance"

    def run(conn):
        if not query:
            return []
        if table:
            return [search_table(conn, table, query, before=_int_arg(request, "before"),
                                 offset=_int_arg(request, "offset") or 0, order=order)]
        return search_all(conn, query, order=order)

    try:
        results = await database.execute_fn(run)
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


def _int_arg(request, name):
    value = request.args.get(name)
    return int(value) if value and value.lstrip("-").isdigit() else None


async def charts_page(datasette, request):
    database = archive_database(datasette, request)

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

    drawn = await database.execute_fn(draw)
    return Response.html(await datasette.render_template(
        "gongkai_charts.html",
        {"charts": {caption: [Markup(svg) for svg in svgs] for caption, svgs in drawn.items()},
         "database": database.name},
        request=request,
    ))
