"""``gongkai serve`` on a random port over a real archive: search, canned queries, charts,
provenance links, the file route, zip downloads, settings; and ``gongkai publish``."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import sqlite3
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

import pytest
from conftest import free_port, gongkai, running_datasette
from test_publish_records import build_archive, scan

from gongkai.archive import Archive

CANNED = {
    "reasons_by_category_and_year": {},
    "department_budget_vs_actual": {"department": "第1局"},
    "largest_deviations": {},
    "findings_by_rule_and_severity": {},
    "search_explanations": {"q": "人员增加", "category": "staff_increase", "region": ""},
    "search_pages": {"q": "政务云"},
}


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory):
    return build_archive(tmp_path_factory.mktemp("serve") / "archive.db")


@pytest.fixture(scope="module")
def base(archive_path):
    with running_datasette(archive_path) as url:
        yield url


def fetch(base: str, path: str, **params) -> tuple[int, dict, bytes]:
    url = base + path + ("?" + urllib.parse.urlencode(params, doseq=True) if params else "")
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def get_json(base: str, path: str, **params):
    status, _, body = fetch(base, path, **params)
    assert status == 200, body[:500]
    return json.loads(body)


@pytest.mark.parametrize("table", ["pages", "explanations", "sections"])
@pytest.mark.parametrize("query", ["人员", "人员增加", "政务云"])
def test_json_api_search_finds_what_a_substring_scan_finds(base, archive_path, table, query):
    rows = get_json(base, f"/archive/{table}.json", _search=query, _shape="array",
                    _size="max", _col="document_id")
    with Archive(archive_path) as archive:
        exact = scan(archive.conn, table, query)
        joined = scan(archive.conn, table, query, compacted=True)
    found = {row["id"] for row in rows}
    assert exact and exact <= found
    assert found == joined


@pytest.mark.parametrize("name,params", CANNED.items())
def test_canned_queries_return_rows(base, name, params):
    rows = get_json(base, f"/archive/{name}.json", _shape="array", **params)
    assert rows, f"{name} returned no rows"
    csv_status, headers, body = fetch(base, f"/archive/{name}.csv", **params)
    assert csv_status == 200 and headers["content-type"].startswith("text/plain")
    assert len(list(csv.reader(io.StringIO(body.decode("utf-8"))))) == len(rows) + 1


def test_search_explanations_filters_category_and_ranks(base, archive_path):
    rows = get_json(base, "/archive/search_explanations.json", _shape="array",
                    q="人员增加", category="staff_increase", region="洛阳市洛龙区")
    assert rows and all(r["region"] == "洛阳市洛龙区" and "人员增加" in r["text"] for r in rows)
    with Archive(archive_path) as archive:
        expected = archive.conn.execute(
            """SELECT count(*) FROM explanations e JOIN documents d ON d.id = e.document_id
               WHERE e.text LIKE '%人员增加%' AND d.region = '洛阳市洛龙区' AND e.id IN
               (SELECT explanation_id FROM explanation_categories WHERE label = 'staff_increase')"""
        ).fetchone()[0]
    assert len(rows) == expected


def test_file_route_serves_the_archived_bytes(base, archive_path):
    with Archive(archive_path) as archive:
        sha256 = archive.conn.execute("SELECT sha256 FROM documents LIMIT 1").fetchone()[0]
        stored = archive.file_path(sha256).read_bytes()
    status, headers, body = fetch(base, f"/-/files/{sha256}")
    assert status == 200
    assert headers["content-type"] == "application/pdf"
    assert headers["content-disposition"].startswith("inline; filename=")
    assert body == stored and hashlib.sha256(body).hexdigest() == sha256
    assert body.startswith(b"%PDF")
    assert fetch(base, "/-/files/" + "0" * 64)[0] == 404


def test_zip_holds_the_files_behind_a_query(base, archive_path):
    status, headers, body = fetch(base, "/archive/explanation_facts.zip", _search="政务云",
                                  region="四川省成都市", _size="max")
    assert status == 200 and headers["content-type"] == "application/zip"
    with Archive(archive_path) as archive:
        expected = {r[0] for r in archive.conn.execute(
            """SELECT DISTINCT d.sha256 FROM explanations e JOIN documents d ON d.id = e.document_id
               WHERE e.text LIKE '%政务云%' AND d.region = '四川省成都市'""")}
        paths = {sha: archive.file_path(sha) for sha in expected}
    with zipfile.ZipFile(io.BytesIO(body)) as zipped:
        manifest = list(csv.DictReader(io.StringIO(zipped.read("manifest.csv").decode("utf-8-sig"))))
        assert {row["sha256"] for row in manifest} == expected and expected
        for row in manifest:
            assert row["status"] == "ok"
            assert zipped.read(row["name_in_zip"]) == paths[row["sha256"]].read_bytes()


def test_search_all_page(base):
    status, _, body = fetch(base, "/-/search", q="智慧城市 项目")
    html = body.decode()
    assert status == 200 and "<mark>智慧城市</mark>" in html and "全文检索" in html
    results = get_json(base, "/-/search", q="智慧城市", _format="json")["results"]
    assert {r["table"] for r in results} == {"documents", "pages", "sections", "explanations"}
    assert all("智慧城市" in hit["snippet"].replace("<mark>", "").replace("</mark>", "")
               for r in results for hit in r["hits"])
    (pages,) = get_json(base, "/-/search", q="人员", table="pages", _format="json")["results"]
    assert len(pages["hits"]) == 50 and pages["next"] == {"offset": 50}
    html = fetch(base, "/-/search", q="人员", table="pages")[2].decode()
    assert "Next pages →" in html
    assert fetch(base, "/-/search", q="政务云", table="files")[0] == 400


def test_charts_draw_category_counts(base, archive_path):
    status, _, body = fetch(base, "/-/charts")
    html = body.decode()
    assert status == 200 and html.count("<svg") >= 2 and "cdn" not in html.lower()
    with Archive(archive_path) as archive:
        (count_2022,) = archive.conn.execute(
            "SELECT sum(explanations) FROM category_counts WHERE fiscal_year = 2022 "
            "AND category = 'staff_increase'").fetchone()
    # Each bar's tooltip is "<category>: <count>", in the chart titled with its year.
    chart_2022 = html.split(">2022</text>")[1].split("</svg>")[0]
    assert f"<title>staff_increase: {count_2022}</title>" in chart_2022


def test_provenance_links(base, archive_path):
    html = fetch(base, "/archive/explanation_facts", _search="人员增加", _size=5)[2].decode()
    match = re.search(r'href="/archive/pages\?document_id=(\d+)&amp;page=(\d+)"', html)
    assert match, "an explanation should link to its page"
    assert re.search(r'href="/-/files/[0-9a-f]{64}#page=\d+"', html)
    page = get_json(base, "/archive/pages.json", document_id=match[1], page=match[2],
                    _shape="array")
    assert len(page) == 1
    canned = fetch(base, "/archive/search_explanations", q="人员增加", category="", region="")
    assert re.search(r'href="/archive/pages\?document_id=\d+&amp;page=\d+"', canned[2].decode())
    documents = fetch(base, "/archive/documents")[2].decode()
    assert 'href="http://127.0.0.1/articles/' in documents  # source URL
    assert re.search(r'href="/-/files/[0-9a-f]{64}"', documents)  # archived file


def test_settings_are_safe_and_archive_read_only(base, archive_path):
    settings = get_json(base, "/-/settings.json")
    assert settings["sql_time_limit_ms"] == 3000 and settings["suggest_facets"] is False
    status, _, body = fetch(base, "/archive.json", sql="SELECT 1")
    assert status == 403  # arbitrary SQL is off unless --allow-sql
    with running_datasette(archive_path, "--allow-sql") as url:
        assert fetch(url, "/archive.json", sql="SELECT 1")[0] == 200
        assert fetch(url, "/archive.json", sql="DELETE FROM documents")[0] == 400
    databases = get_json(base, "/-/databases.json")
    assert [d["name"] for d in databases] == ["archive"]
    assert "gongkai.css" in fetch(base, "/archive/pages")[2].decode()


def test_metadata_describes_every_table_and_column(base, archive_path):
    metadata = get_json(base, "/-/metadata.json")["databases"]["archive"]["tables"]
    conn = sqlite3.connect(archive_path)
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE '%_fts%'"
        " AND name NOT LIKE 'sqlite_%' AND name != 'search_queue'")]
    for name in names:
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info([{name}])")]
        described = metadata[name]["columns"]
        assert re.search(r"[\u4e00-\u9fff].*[A-Za-z]", metadata[name]["description"]), name
        for column in columns:
            text = described.get(column, "")
            assert re.search(r"[\u4e00-\u9fff]", text) and re.search(r"[A-Za-z]", text), \
                f"{name}.{column} needs a Chinese and English description"
    conn.close()


def test_serve_immutable_snapshot(tmp_path, archive_path):
    copy = tmp_path / "snapshot.db"
    copy.write_bytes(archive_path.read_bytes())
    (tmp_path / "snapshot-files").symlink_to(archive_path.with_name("archive-files"))
    # A write still in the WAL (a writer holds the file open) must be served all the same.
    writer = sqlite3.connect(copy, isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("UPDATE documents SET title = '已更新的标题' WHERE id = 1")
    assert Path(f"{copy}-wal").stat().st_size > 0
    with running_datasette(copy, "--immutable") as url:
        (database,) = get_json(url, "/-/databases.json")
        assert database["is_mutable"] is False
        assert get_json(url, "/snapshot/documents/1.json", _shape="array")[0]["title"] == "已更新的标题"
        rows = get_json(url, "/snapshot/documents.json", _search="已更新", _shape="array")
        assert [row["id"] for row in rows] == [1]
        sha256 = get_json(url, "/snapshot/documents.json", _shape="array")[0]["sha256"]
        assert fetch(url, f"/-/files/{sha256}")[0] == 200
    writer.close()


def test_zip_of_a_canned_query(base):
    status, _, body = fetch(base, "/archive/largest_deviations.zip")
    assert status == 200
    with zipfile.ZipFile(io.BytesIO(body)) as zipped:
        manifest = zipped.read("manifest.csv").decode("utf-8-sig").splitlines()
        assert len(zipped.namelist()) == len(manifest) > 2  # files, the manifest; its header


def test_serve_explains_a_missing_archive(tmp_path):
    result = gongkai("serve", "--archive", str(tmp_path / "none.db"), check=False)
    assert result.returncode == 1
    assert "no archive at" in result.stderr and "missing_archive" in result.stderr


@pytest.mark.slow
def test_publish_writes_a_directory_that_serves(tmp_path, archive_path):
    out = tmp_path / "published"
    result = gongkai("publish", "--archive", str(archive_path), str(out))
    assert "published 24 documents, 24 files" in result.stdout
    for name in ["archive.db", "metadata.json", "inspect-data.json", "requirements.txt",
                 "run.sh", "plugins/gongkai.py", "lib/gongkai/archive/datasette_plugin.py",
                 "templates/gongkai_search.html"]:
        assert (out / name).exists(), name
    port = free_port()
    env = {**os.environ, "PORT": str(port), "HOST": "127.0.0.1",
           "PATH": f"{os.path.dirname(os.sys.executable)}:{os.environ['PATH']}"}
    process = subprocess.Popen([str(out / "run.sh")], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        databases = get_json(base, "/-/databases.json")
        assert databases[0]["is_mutable"] is False and databases[0]["hash"]
        rows = get_json(base, "/archive/pages.json", _search="人员增加", _shape="array",
                        _size="max", _col="document_id")
        with Archive(archive_path) as archive:
            expected = archive.conn.execute(
                "SELECT count(*) FROM pages WHERE replace(text, char(10), '') LIKE '%人员增加%'"
            ).fetchone()[0]
        assert len(rows) == expected
        sha256 = get_json(base, "/archive/documents.json", _shape="array")[0]["sha256"]
        assert fetch(base, f"/-/files/{sha256}")[2].startswith(b"%PDF")
    finally:
        process.terminate()
        process.wait(timeout=10)
