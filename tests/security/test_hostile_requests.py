"""The probes of issue 14 against a real ``gongkai serve`` over a real archive: one server as
the public gets it (arbitrary SQL off) and one started with ``--allow-sql``. Each probe
asserts the safe outcome: its status and message, escaping, its time against the SQL time
limit, and the server's peak memory (VmHWM from /proc)."""

from __future__ import annotations

import concurrent.futures
import re
import struct
import time
import urllib.parse
import urllib.request

import pytest
from conftest import serving
from hostile import HOSTILE_TITLE, MB, SCRIPT_SHA256, get, hostile_archive

from gongkai.archive import Archive

SQL_TIME_LIMIT = 3.0  # publish.SETTINGS["sql_time_limit_ms"], in seconds
SLACK = 3.0  # a shared 2-core machine: generous, still far below what the probes cost before
MEMORY_CAP_MB = 1024


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory):
    # Ten 50 MB files (the zip probe) and ten of 80 MB: together past the zip cap.
    return hostile_archive(tmp_path_factory.mktemp("hostile") / "archive.db",
                           {50 * MB: 10, 80 * MB: 10})


@pytest.fixture(scope="module")
def public(archive_path, tmp_path_factory):
    with serving(archive_path, log=tmp_path_factory.mktemp("log") / "serve.log") as server:
        yield server


@pytest.fixture(scope="module")
def open_sql(archive_path):
    with serving(archive_path, "--allow-sql") as server:
        yield server


def test_a_script_in_a_sha256_value_is_escaped_not_linked(open_sql):
    status, headers, body, _ = get(open_sql.base, "/archive",
                                   sql=f"SELECT '{SCRIPT_SHA256}' AS sha256")
    html = body.decode()
    assert status == 200
    assert "<script>window.pwned" not in html and "&lt;script&gt;window.pwned" in html
    assert 'href="/-/files/&#34;' not in html and 'href="/-/files/"' not in html
    assert headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self' 'sha256-" in headers["content-security-policy"]


def test_stored_hostile_values_are_escaped(public):
    corrections = get(public.base, "/archive/label_corrections")[2].decode()
    assert "<script>window.pwned" not in corrections and "&lt;script&gt;" in corrections
    search = get(public.base, "/-/search", q="2024年度部门决算")[2].decode()
    documents = get(public.base, "/archive/documents")[2].decode()
    for html in (search, documents):
        assert "<img src=x" not in html and "&lt;img src=x" in html
    assert HOSTILE_TITLE.startswith("<img")


def test_arbitrary_sql_is_off_for_the_public(public):
    status, _, body, seconds = get(public.base, "/archive.json",
                                   sql="select length(hex(zeroblob(400000000)))")
    assert status == 403 and b"Arbitrary SQL is off" in body and seconds < 1
    assert get(public.base, "/archive/pages.json", _where="1")[0] == 403


@pytest.mark.parametrize("sql,message", [
    ("select length(hex(zeroblob(400000000)))", "string or blob too big"),
    ("select length(hex(zeroblob(400000000))), length(hex(zeroblob(400000000))), "
     "length(hex(zeroblob(400000000)))", "string or blob too big"),
    ("select randomblob(1000000000)", "string or blob too big"),
    ("select printf('%2000000000d', 1) is null", None),  # SQLite gives up: a NULL, at once
    ("select replace(hex(zeroblob(1000000)), '0', '0000000000')", "string or blob too big"),
    ("with recursive r(x) as (select 1 union all select x + 1 from r) "
     "select hex(zeroblob(1000000)) from r", "pass 32 MB"),
    ("with recursive r(x) as (select 1 union all select x + 1 from r) "
     "select group_concat(hex(zeroblob(1000))) from r", "string or blob too big|too long"),
    ("with recursive r(x) as (select 1 union all select x + 1 from r) select count(*) from r",
     "too long"),
    ("select a.text || b.text || c.text from pages a, pages b, pages c", None),  # 1000 rows
], ids=["zeroblob", "three-zeroblobs", "randomblob", "printf-width", "replace-amplified",
        "cte-of-blobs", "group-concat", "endless-cte", "cross-join"])
def test_allocating_sql_is_bounded(open_sql, sql, message):
    status, _, body, seconds = get(open_sql.base, "/archive.json", sql=sql)
    if message is None:
        assert status == 200
    else:
        assert status == 400 and re.search(message, body.decode()), body[:300]
    assert seconds < SQL_TIME_LIMIT + SLACK
    assert open_sql.peak_rss_mb() < MEMORY_CAP_MB


def test_zip_of_500_mb_is_streamed_in_bounded_memory(open_sql, archive_path):
    before = open_sql.peak_rss_mb()
    url = open_sql.base + "/archive.zip?" + urllib.parse.urlencode(
        {"sql": f"select sha256 from files where size = {50 * MB}"})
    received, tail = 0, b""
    with urllib.request.urlopen(url, timeout=120) as response:
        assert response.status == 200
        assert response.headers["content-disposition"].startswith('attachment; filename="archive-files.zip"')
        while chunk := response.read(MB):
            received += len(chunk)
            tail = (tail + chunk)[-(64 * 1024):]
    assert received > 500 * MB
    # The end of central directory record: eleven entries, ten files and the manifest.
    end = tail.rindex(b"PK\x05\x06")
    assert struct.unpack("<H", tail[end + 10:end + 12])[0] == 11
    assert open_sql.peak_rss_mb() - before < 100, "the zip was built in memory"


def test_zips_at_once_are_capped_and_a_client_hanging_up_frees_its_slot(public):
    path = f"/archive/files.zip?_size=max&size={50 * MB}"
    streams = [urllib.request.urlopen(public.base + path, timeout=60) for _ in range(2)]
    assert all(stream.status == 200 and len(stream.read(MB)) == MB for stream in streams)
    status, _, body, _ = get(public.base, "/archive/files.zip", _size="max", size=str(50 * MB))
    assert status == 503 and b"the most at once (limit zip_downloads)" in body
    for stream in streams:
        stream.close()  # the server notices, stops writing and frees the slot
    deadline = time.monotonic() + 10
    while (status := get(public.base, "/archive/documents.zip")[0]) == 503 \
            and time.monotonic() < deadline:
        time.sleep(0.1)
    assert status == 200


def test_zip_past_the_cap_is_refused_with_a_message(public):
    status, _, body, _ = get(public.base, "/archive/files.zip", _size="max")
    assert status == 400 and b"more than the 1024 MB one zip may hold" in body


def test_a_5000_word_search_is_refused(public):
    words = " ".join("人员增加政务云"[n % 7] for n in range(5000))
    status, _, body, seconds = get(public.base, "/-/search", q=words)
    assert status == 400 and b"at most 16 are allowed" in body and seconds < 1
    status, _, _, seconds = get(public.base, "/-/search", q=" ".join(words.split()[:16]))
    assert status == 200 and seconds < SQL_TIME_LIMIT + SLACK
    # Datasette's own search box takes it, under its time limit.
    status, _, _, seconds = get(public.base, "/archive/pages.json", _search=words[:6000])
    assert status == 200 and seconds < SQL_TIME_LIMIT + SLACK


def test_ten_concurrent_404s_are_cheap_and_log_one_line_each(public):
    missing = [f"/-/files/{n:064x}" for n in range(10)]
    before = public.log.read_text(errors="replace")
    with concurrent.futures.ThreadPoolExecutor(11) as pool:
        answers = list(pool.map(lambda path: get(public.base, path), [*missing, "/-/gongkai.css"]))
    assert [status for status, *_ in answers] == [404] * 10 + [200]
    assert max(seconds for *_, seconds in answers) < 1.0
    logged = public.log.read_text(errors="replace")[len(before):]
    assert logged.count(" 404 Not Found") == 10
    assert len(logged.strip().splitlines()) == 11  # one line per request, no traceback
    assert "Traceback" not in logged and "╭" not in logged


@pytest.mark.parametrize("path,params,status", [
    ("/a/b/c/d/e", {}, 404),
    ("/-/search", {"q": "人员", "table": "pages", "offset": "--5"}, 400),
    ("/-/search", {"q": "人员", "table": "pages", "offset": "1001"}, 400),
    ("/-/search", {"q": "人员", "table": "pages", "before": "9223372036854775808"}, 400),
    ("/-/search", {"q": "人员", "table": "files"}, 400),
    ("/-/files/" + "0" * 64, {}, 404),
    ("/-/files/" + "G" * 64, {}, 404),
    ("/archive/explanation_facts.json", {"_next": "99999999999999999999999"}, 400),
    ("/archive/pages.json", {"_through": '{"table":"x","column":"y","value":"z"}'}, 400),
    ("/archive/pages.json", {"_size": "100000"}, 400),
    ("/archive/pages.json", {"_sort": "no_such_column"}, 400),
    ("/archive/pages.json", {"text__contains": "%a" * 300}, 400),
    ("/archive/pages.json", {"_facet": "text"}, 200),
    ("/archive/" + "x" * 4000, {}, 404),
], ids=lambda value: str(value)[:40])
def test_what_a_client_types_never_gets_a_500(public, path, params, status):
    answer, _, body, seconds = get(public.base, path, **params)
    assert answer == status, body[:300]
    assert seconds < SQL_TIME_LIMIT + SLACK


def test_sql_typed_by_a_client_never_gets_a_500(open_sql):
    status, _, body, _ = get(open_sql.base, "/archive",
                             sql="select 1 as document_id, 'abc' as page")
    assert status == 200 and b"abc" in body and b"p.abc" not in body
    assert get(open_sql.base, "/archive.zip", sql="select 'abc' as document_id")[0] == 200


def test_only_get_and_head_are_answered(public):
    status, headers, body, _ = get(public.base, "/archive/largest_deviations", method="POST")
    assert status == 405 and headers["allow"] == "GET, HEAD" and b"read-only" in body
    assert get(public.base, "/archive/documents", method="HEAD")[0] == 200


def test_archived_files_are_served_as_their_format(public, archive_path):
    with Archive(archive_path) as archive:
        pdf = archive.conn.execute("SELECT sha256 FROM documents LIMIT 1").fetchone()[0]
        page, _ = archive.store_file(b"<html><script>window.pwned=1</script></html>",
                                     filename="evil\r\nSet-Cookie: a=b.html", file_format="html")
        fake, _ = archive.store_file(b"<svg onload=alert(1)>", filename="x.pdf", file_format="pdf")
    status, headers, _, _ = get(public.base, f"/-/files/{pdf}")
    assert status == 200 and headers["content-type"] == "application/pdf"
    assert headers["content-disposition"].startswith("inline;")
    assert "content-security-policy" not in headers  # the browser's PDF viewer needs none
    status, headers, _, _ = get(public.base, f"/-/files/{page}")
    assert headers["content-type"] == "application/octet-stream"
    assert headers["content-disposition"].startswith('attachment; filename="evil_Set-Cookie_a_b.html"')
    assert "set-cookie" not in {name.lower() for name in headers}
    status, headers, _, _ = get(public.base, f"/-/files/{fake}")  # not %PDF: downloaded
    assert headers["content-type"] == "application/pdf"
    assert headers["content-disposition"].startswith("attachment;")
    assert headers["x-content-type-options"] == "nosniff"


def test_no_probe_took_the_servers_past_1_gb(public, open_sql):
    assert public.peak_rss_mb() < MEMORY_CAP_MB and open_sql.peak_rss_mb() < MEMORY_CAP_MB
