"""Chinese full-text search: recall against a substring scan, incremental refresh, and the
same search through Datasette's own table search (in-process, real SQLite)."""

from __future__ import annotations

import asyncio
import shutil
import signal
import subprocess
import sys
import time

import pytest
from test_publish_records import build_archive, compact, records, scan

from gongkai.archive import Archive, search
from gongkai.archive.publish import make_datasette
import gongkai.archive.search_all as search_all_module
from gongkai.archive import table_search
from gongkai.archive.search_all import search_all, search_table

QUERIES = ["人员", "经费", "年度", "人员增加", "政务云", "智慧城市", "人员增加 经费", "政务云 IDC",
           "37.83%", "紧日子", "不存在的词",
           # one character: a prefix of the pairs
           "增", "云", "项",
           # common characters that never or seldom stand together
           "度年", "年预算支出", "经费人员", "因人员",
           # Latin words and numbers with CJK characters
           "2024年度", "IDC托管", "IDC托", "13人", "招录13", "58.62%"]
ABSENT = {"不存在的词", "度年", "年预算支出", "经费人员"}
TABLES = ["pages", "sections", "explanations"]


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory):
    return build_archive(tmp_path_factory.mktemp("search") / "archive.db")


def fts_ids(conn, table, query):
    fts = f"{table}_fts"
    return {r[0] for r in conn.execute(
        f"SELECT rowid FROM {fts} WHERE {fts} MATCH ?", (search.fts_query(query),))}


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize("query", QUERIES)
def test_search_finds_what_a_substring_scan_finds(archive_path, table, query):
    with Archive(archive_path) as archive:
        hits = fts_ids(archive.conn, table, query)
        exact = scan(archive.conn, table, query)
        joined = scan(archive.conn, table, query, compacted=True)
    # Every substring hit is found; the only extra hits are words broken by a line break.
    assert exact <= hits
    assert hits == joined
    if table == "pages" and query not in ABSENT:
        assert joined, f"the test corpus should contain {query}"
    if query in ABSENT:
        assert not joined


def test_punctuation_between_words_is_not_a_match(archive_path):
    with Archive(archive_path) as archive:
        (comma_page,) = archive.conn.execute(
            "SELECT id FROM pages WHERE text LIKE '%因人员，增加%' AND text NOT LIKE '%人员增加%' "
            "LIMIT 1").fetchone() or (None,)
        assert comma_page, "the corpus should hold a page with 人员，增加 but not 人员增加"
        assert comma_page not in fts_ids(archive.conn, "pages", "人员增加")
        assert comma_page in fts_ids(archive.conn, "pages", "人员，增加")


def test_line_broken_word_is_found(archive_path):
    with Archive(archive_path) as archive:
        broken = {r[0] for r in archive.conn.execute(
            "SELECT id FROM pages WHERE text LIKE '%人员增' || char(10) || '加%'")}
        assert broken and broken <= fts_ids(archive.conn, "pages", "人员增加")


def test_refresh_follows_replaced_and_deleted_documents(tmp_path, archive_path):
    copy = tmp_path / "archive.db"
    shutil.copy(archive_path, copy)
    with Archive(copy) as archive:
        conn = archive.conn
        assert search.pending(conn) == 0
        sha256 = conn.execute("SELECT sha256 FROM documents ORDER BY id LIMIT 1").fetchone()[0]
        record = records(1)[0]
        record["pages"] = [{"page": 1, "text": "全新的页面：智慧园区建设"}]
        archive.save_document(sha256, record, extractor_version="test-2")
        conn.execute("DELETE FROM documents WHERE id = (SELECT max(id) FROM documents)")
        assert search.pending(conn) > 0
        search.refresh(conn, batch=7)
        assert search.refresh(conn) == {s.table: 0 for s in search.SOURCES}  # idempotent
        for table in TABLES:
            for query in ["智慧园区", "人员增加", "政务云"]:
                assert fts_ids(conn, table, query) == scan(conn, table, query, compacted=True)
        for source in search.SOURCES:
            conn.execute(f"INSERT INTO {source.fts_table} ({source.fts_table}) "
                         "VALUES ('integrity-check')")


def test_rebuild_indexes_everything_again(tmp_path, archive_path):
    copy = tmp_path / "archive.db"
    shutil.copy(archive_path, copy)
    with Archive(copy) as archive:
        before = {q: fts_ids(archive.conn, "pages", q) for q in ["人员增加", "政务云"]}
        counts = search.rebuild(archive.conn)
        assert counts["pages"] == archive.conn.execute("SELECT count(*) FROM pages").fetchone()[0]
        assert {q: fts_ids(archive.conn, "pages", q) for q in before} == before
        archive.conn.execute("INSERT INTO pages_fts (pages_fts) VALUES ('integrity-check')")


def test_search_all_ranks_and_caps(archive_path):
    with Archive(archive_path) as archive:
        results = {r.table: r for r in search_all(archive.conn, "人员增加", limit=5)}
    pages = results["pages"]
    assert pages.count > 0 and not pages.capped and pages.ranked
    assert len(pages.hits) == min(5, pages.count)
    assert all("<mark>" in str(hit.snippet) for hit in results["explanations"].hits)


@pytest.mark.parametrize("table", ["pages", "sections", "explanations", "explanation_facts"])
@pytest.mark.parametrize("query", ["人员", "人员增加", "政务云", "智慧城市 项目", "增", "招录13人"])
def test_datasette_table_search_matches_scan(archive_path, table, query):
    datasette = make_datasette(archive_path)
    response = asyncio.run(datasette.client.get(
        f"/archive/{table}.json",
        params={"_search": query, "_shape": "objects", "_size": "max"},
    ))
    assert response.status_code == 200, response.text
    got = {row["id"] for row in response.json()["rows"]}
    base = "explanations" if table == "explanation_facts" else table
    with Archive(archive_path) as archive:
        expected = scan(archive.conn, base, query, compacted=True)
    assert got == expected and got


@pytest.mark.parametrize("query", ["增", "度年", "人员增加 经费", "2024年度", "IDC托", "招录13人"])
def test_datasette_escape_fts_matches_scan(archive_path, query):
    # The canned query's escape_fts is archive.search.fts_query, registered on Datasette's
    # connections: the newest 50 pages it finds are the newest 50 a scan finds.
    response = asyncio.run(make_datasette(archive_path).client.get(
        "/archive/search_pages.json", params={"q": query, "_shape": "array"}))
    assert response.status_code == 200, response.text
    with Archive(archive_path) as archive:
        expected = sorted(scan(archive.conn, "pages", query, compacted=True), reverse=True)[:50]
    assert [row["id"] for row in response.json()] == expected


@pytest.mark.parametrize("order", ["relevance", "newest"])  # paged by offset; by rowid
def test_search_table_pages_through_every_hit(archive_path, order):
    with Archive(archive_path) as archive:
        expected = scan(archive.conn, "pages", "政务云", compacted=True)
        seen, params, pages = [], {}, 0
        while True:
            result = search_table(archive.conn, "pages", "政务云", limit=4, order=order, **params)
            assert result.ranked is (order == "relevance") and not result.rank_window
            seen += [hit.id for hit in result.hits]
            pages += 1
            if not result.next:
                break
            params = result.next
    assert len(seen) == len(set(seen)) and set(seen) == expected
    assert pages == -(-len(expected) // 4)
    if order == "newest":
        assert seen == sorted(seen, reverse=True)


def test_relevance_ranks_the_newest_hits_when_there_are_many(archive_path, monkeypatch):
    monkeypatch.setattr(search_all_module, "RANK_WINDOW", 5)
    monkeypatch.setattr(search_all_module, "COUNT_CAP", 7)
    with Archive(archive_path) as archive:
        expected = sorted(scan(archive.conn, "pages", "人员", compacted=True), reverse=True)
        first = search_table(archive.conn, "pages", "人员", limit=3)
        second = search_table(archive.conn, "pages", "人员", limit=3, **first.next)
    assert (first.count, first.capped, first.ranked, first.rank_window) == (7, True, True, True)
    assert first.count_label == "7+" and len(expected) > 7
    assert {hit.id for hit in first.hits + second.hits} == set(expected[:5])
    assert second.next is None


def test_search_table_rejects_an_unknown_order(archive_path):
    with Archive(archive_path) as archive, pytest.raises(search.SearchError) as error:
        search_table(archive.conn, "pages", "政务云", order="oldest")
    assert error.value.kind == "unknown_order"


def table_pages(datasette, path, **params):
    """Every page of a table view's JSON, following ``next_url``; returns (rows, first page)."""
    response = asyncio.run(datasette.client.get(path, params={**params, "_shape": "objects"}))
    assert response.status_code == 200, response.text
    first = page = response.json()
    rows = list(page["rows"])
    while page.get("next_url"):
        response = asyncio.run(datasette.client.get(page["next_url"].split("localhost", 1)[1]))
        page = response.json()
        rows += page["rows"]
    return rows, first


@pytest.mark.parametrize("sort,newest", [({}, True), ({"_sort": "id"}, False)])
def test_table_search_with_many_hits_shows_a_window_and_pages_to_every_hit(
        archive_path, monkeypatch, sort, newest):
    monkeypatch.setattr(table_search, "WINDOW", 5)
    monkeypatch.setattr(table_search, "COUNT_CAP", 7)
    datasette = make_datasette(archive_path)
    rows, first = table_pages(datasette, "/archive/pages.json", _search="人员", _size=2, **sort)
    with Archive(archive_path) as archive:
        expected = sorted(scan(archive.conn, "pages", "人员", compacted=True), reverse=newest)
    assert [row["id"] for row in rows] == expected  # every hit, once, in order
    # The JSON counts the hits, not the window: past the cap, the number is not known.
    assert first["filtered_table_rows_count"] is None and first["search_hits"] is None
    assert first["search_hits_capped"] and first["search_hits_label"] == "7+"
    which = "newest" if newest else "oldest"
    assert f"7+ rows match; these are the {which} 5" in first["human_description_en"]
    assert [row["id"] for row in first["rows"]] == expected[:2]


def test_table_search_with_filters_is_exact_or_the_newest_passing(archive_path, monkeypatch):
    monkeypatch.setattr(table_search, "WINDOW", 5)
    datasette = make_datasette(archive_path)
    with Archive(archive_path) as archive:
        hits = scan(archive.conn, "pages", "人员", compacted=True)
        pages = dict(archive.conn.execute("SELECT id, page FROM pages").fetchall())
        documents = dict(archive.conn.execute("SELECT id, document_id FROM pages").fetchall())
    # Few rows pass the filter: each is looked up in the index, the answer is exact.
    document = documents[max(hits)]
    rows, first = table_pages(datasette, "/archive/pages.json", _search="人员",
                              document_id=str(document))
    assert {row["id"] for row in rows} == {i for i in hits if documents[i] == document}
    assert "rows match" not in first["human_description_en"]
    # An unindexed column, few pass: every hit is checked (the archive is small), exact.
    with Archive(archive_path) as archive:
        texts = dict(archive.conn.execute("SELECT id, text FROM pages").fetchall())
    newest = texts[max(hits)]
    part = next(newest[i:i + 8] for i in range(len(newest))
                if sum(newest[i:i + 8] in texts[j] for j in hits) <= 5)
    rows, first = table_pages(datasette, "/archive/pages.json", _search="人员",
                              text__contains=part)
    assert {row["id"] for row in rows} == {i for i in hits if part in texts[i]}
    assert "rows match" not in first["human_description_en"]
    # Many pass: the newest five hits that pass.
    rows, first = table_pages(datasette, "/archive/pages.json", _search="人员", page__gte="2")
    passing = sorted((i for i in hits if pages[i] >= 2), reverse=True)
    assert [row["id"] for row in first["rows"]] == passing[:5]
    assert "more than 5 pass the filters too" in first["human_description_en"]


def test_table_search_facets_count_the_window(archive_path, monkeypatch):
    monkeypatch.setattr(table_search, "WINDOW", 5)
    datasette = make_datasette(archive_path)
    response = asyncio.run(datasette.client.get(
        "/archive/explanation_facts.json", params={"_search": "人员", "_facet": "region"}))
    assert response.status_code == 200, response.text
    page = response.json()
    counted = sum(value["count"] for value in page["facet_results"]["region"]["results"])
    with Archive(archive_path) as archive:
        hits = len(scan(archive.conn, "explanations", "人员", compacted=True))
    assert hits > 5 and 0 < counted <= 5
    # Below the cap, the count is every hit's, exact; the facets count the window.
    assert page["filtered_table_rows_count"] == page["search_hits"] == hits
    assert not page["search_hits_capped"] and page["search_hits_label"] == str(hits)


def test_table_search_with_a_slow_filter_shows_what_it_checked_in_time(archive_path, monkeypatch):
    # One chunk of three hits in the time allowed (none): what an unindexed filter on a
    # large table gets, bounded, instead of every hit read.
    monkeypatch.setattr(table_search, "WINDOW", 5)
    monkeypatch.setattr(table_search, "FILTERED_CHUNK", 3)
    monkeypatch.setattr(table_search, "FILTERED_MS", 0)
    datasette = make_datasette(archive_path)
    with Archive(archive_path) as archive:
        hits = sorted(scan(archive.conn, "pages", "人员", compacted=True), reverse=True)
        pages = dict(archive.conn.execute("SELECT id, page FROM pages").fetchall())
    response = asyncio.run(datasette.client.get(
        "/archive/pages.json", params={"_search": "人员", "page__gte": "2", "_shape": "objects"}))
    assert response.status_code == 200, response.text
    page = response.json()
    assert [row["id"] for row in page["rows"]] == [i for i in hits[:3] if pages[i] >= 2]
    assert "the filters were checked on the 3 newest of them" in page["human_description_en"]
    assert page["filtered_table_rows_count"] is None and page["search_hits"] == len(hits)


@pytest.mark.parametrize("table,column,query", [
    ("documents", "title", "鹿城区"), ("documents", "region", "成都"),
    ("sections", "heading", "说明"), ("explanations", "subject", "事业"),
    ("pages", "text", "增"), ("explanation_facts", "text", "人员增加")])
def test_table_search_of_one_column_matches_a_scan_of_it(archive_path, table, column, query):
    datasette = make_datasette(archive_path)
    rows, _ = table_pages(datasette, f"/archive/{table}.json", **{f"_search_{column}": query})
    base = "explanations" if table == "explanation_facts" else table
    with Archive(archive_path) as archive:
        expected = {row[0] for row in archive.conn.execute(f"SELECT id, {column} FROM {base}")
                    if query in compact(row[1] or "")}
    assert {row["id"] for row in rows} == expected and expected


@pytest.mark.parametrize("path", ["/archive/pages.json?_search_title=人员",
                                  "/archive/pages?_search_title=人员",
                                  "/archive/files.json?_search_path=abc"])
def test_table_search_of_a_column_without_an_index_is_refused(archive_path, path):
    response = asyncio.run(make_datasette(archive_path).client.get(path))
    assert response.status_code == 400
    assert "_search_" in response.text and ("holds the columns text" in response.text
                                            or "has no search index" in response.text)


def test_table_search_page_has_the_box_and_a_ranked_link(archive_path):
    datasette = make_datasette(archive_path)
    html = asyncio.run(datasette.client.get("/archive/pages", params={"_search": "政务云"})).text
    assert 'name="_search" value="政务云"' in html
    assert "/-/search?q=%E6%94%BF%E5%8A%A1%E4%BA%91&amp;table=pages&amp;order=relevance" in html


def test_search_table_rejects_an_unknown_table(archive_path):
    with Archive(archive_path) as archive, pytest.raises(search.SearchError) as error:
        search_table(archive.conn, "files", "政务云")
    assert error.value.kind == "unknown_table"


@pytest.mark.slow
def test_refresh_killed_midway_is_finished_by_the_next(tmp_path, archive_path):
    copy = tmp_path / "archive.db"
    shutil.copy(archive_path, copy)
    with Archive(copy) as archive:  # every row queued, no index: a fresh build
        archive.conn.execute("BEGIN IMMEDIATE")
        for source in search.SOURCES:
            archive.conn.execute(f"INSERT INTO {source.fts_table} ({source.fts_table}) "
                                 "VALUES ('delete-all')")
            archive.conn.execute(f"INSERT INTO search_queue (source, row_id) "
                                 f"SELECT '{source.table}', id FROM {source.table}")
        archive.conn.execute("COMMIT")
    started = tmp_path / "started"
    worker = subprocess.Popen([sys.executable, "-c", (
        # Tokenizing slowly, so that the kill lands inside a batch's transaction.
        "import sys, time, pathlib\n"
        "from gongkai.archive import Archive, search\n"
        "tokenize = search.fts_rows\n"
        "def slow(rows):\n"
        "    pathlib.Path(sys.argv[2]).touch()\n"
        "    time.sleep(0.2)\n"
        "    return tokenize(rows)\n"
        "search.fts_rows = slow\n"
        "with Archive(sys.argv[1]) as archive:\n"
        "    search.refresh(archive.conn, batch=20)\n"), str(copy), str(started)])
    deadline = time.monotonic() + 60
    while not started.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    with Archive(copy) as archive:
        assert 0 < search.pending(archive.conn)  # killed part-way
        search.refresh(archive.conn)
        assert search.pending(archive.conn) == 0
        for table in TABLES:
            for query in ["人员增加", "政务云", "经费"]:
                assert fts_ids(archive.conn, table, query) == scan(
                    archive.conn, table, query, compacted=True)
            archive.conn.execute(f"INSERT INTO {table}_fts ({table}_fts) VALUES ('integrity-check')")
