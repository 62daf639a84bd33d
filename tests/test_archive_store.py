"""The archive on its own: schema, content-addressed files, whole-document writes."""

from __future__ import annotations

import hashlib
import json
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from gongkai.archive import SCHEMA_VERSION, Archive, ArchiveTooNew, FileVersion, data_dir_for


def record(pages: int = 3, reason: str = "人员增加") -> dict:
    return {
        "title": "2023年度某局部门决算公开",
        "department": "某局",
        "region": "某市",
        "fiscal_year": 2023,
        "doc_type": "决算",
        "page_count": pages,
        "pages": [{"page": n, "text": f"第{n}页 决算数与年初预算数存在差异的主要原因是{reason}。"}
                  for n in range(1, pages + 1)],
        "sections": [{"heading": "一、收入支出决算总体情况说明", "level": 1, "page": 1, "text": "…"}],
        "explanations": [{"kind": "budget_vs_actual", "reason": reason, "page": 1,
                          "text": f"主要原因是{reason}。", "budget": 1.0, "actual": 2.0}],
    }


def test_new_archive_has_schema_version_wal_and_foreign_keys(tmp_path):
    with Archive(tmp_path / "a.db") as archive:
        assert archive.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert archive.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert archive.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        for table in ["crawl_runs", "fetches", "files", "documents", "pages", "sections",
                      "line_items", "explanations", "explanation_categories", "findings"]:
            assert archive.db[table].exists(), table


def test_reopening_migrates_nothing_and_refuses_a_newer_archive(tmp_path):
    Archive(tmp_path / "a.db").close()
    with Archive(tmp_path / "a.db") as archive:
        assert archive.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn = sqlite3.connect(tmp_path / "a.db")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(ArchiveTooNew):
        Archive(tmp_path / "a.db")


def test_files_are_content_addressed_and_kept_beside_the_archive(tmp_path):
    body = b"%PDF-1.4 fake but bytes are bytes"
    with Archive(tmp_path / "archive.db") as archive:
        sha, new = archive.store_file(body, url="http://x/a.pdf", file_format="pdf")
        again, new_again = archive.store_file(body, url="http://y/b.pdf", file_format="pdf")
        assert (sha, new, new_again) == (hashlib.sha256(body).hexdigest(), True, False)
        assert again == sha
        path = archive.file_path(sha)
        assert path.read_bytes() == body
        assert path.is_relative_to(data_dir_for(tmp_path / "archive.db"))
        assert archive.db["files"].count == 1


def test_save_document_replaces_rather_than_duplicates(tmp_path):
    with Archive(tmp_path / "a.db") as archive:
        sha, _ = archive.store_file(b"%PDF-1.4 x", file_format="pdf")
        label = lambda row: [{"label": "staff_increase", "score": 0.9, "model_version": "t"}]
        archive.save_document(sha, record(), extractor_version="1", categorize=label)
        archive.save_document(sha, record(), extractor_version="1", categorize=label)
        counts = archive.counts()
        assert counts["documents"] == 1 and counts["pages"] == 3
        assert counts["explanations"] == 1 and counts["explanation_categories"] == 1
        # an error record replaces the extracted one, children and all
        archive.save_document(sha, {"error": {"kind": "truncated", "message": "cut off"}},
                              extractor_version="2")
        document = next(archive.db["documents"].rows)
        assert (document["status"], document["error_kind"]) == ("error", "truncated")
        assert archive.counts()["pages"] == 0
        assert archive.files_to_extract("2") == []
        assert [f["sha256"] for f in archive.files_to_extract("3")] == [sha]


WRITER = """
import sys
sys.path.insert(0, {tests!r})
from test_archive_store import record
from gongkai.archive import Archive
archive = Archive({path!r})
shas = [archive.store_file(f"%PDF {{n}}".encode(), file_format="pdf")[0] for n in range(20)]
print("ready", flush=True)
while True:
    for sha in shas:
        archive.save_document(sha, record(pages=200), extractor_version="1")
"""


def test_a_writer_killed_with_sigkill_leaves_whole_documents(tmp_path):
    path = tmp_path / "a.db"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER.format(tests=str(__import__("pathlib").Path(__file__).parent),
                                             path=str(path))],
        stdout=subprocess.PIPE, text=True,
    )
    assert writer.stdout.readline().strip() == "ready"
    time.sleep(1.5)
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    with Archive(path) as archive:
        assert archive.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert archive.db["documents"].count > 0
        broken = list(archive.db.query(
            """SELECT d.id FROM documents d
               WHERE d.page_count != (SELECT count(*) FROM pages p WHERE p.document_id = d.id)"""))
        assert broken == []
        assert len(archive.files_to_extract("1")) == 20 - archive.db["documents"].count


def test_the_last_version_of_each_file_url_and_the_runs_left_running(tmp_path):
    with Archive(tmp_path / "a.db", synchronous="NORMAL") as archive:
        assert archive.conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        first, second = archive.start_run(["http://x/"]), archive.start_run(["http://x/"])
        for run, body, etag in ((first, b"v1", '"a"'), (second, b"v2", '"b"')):
            sha, _ = archive.store_file(body, url="http://x/a.pdf", file_format="pdf")
            archive.record_fetch(run_id=run, url="http://x/a.pdf", kind="file", sha256=sha,
                                 etag=etag, outcome="new")
        archive.record_fetch(run_id=second, url="http://x/a.pdf", kind="file", status=404,
                             outcome="error")
        archive.record_fetch(run_id=second, url="http://x/", kind="page", outcome="new")
        archive.finish_run(first)
        latest = FileVersion(hashlib.sha256(b"v2").hexdigest(), '"b"', None)
        assert archive.latest_file_version("http://x/a.pdf") == latest
        assert archive.latest_file_version("http://x/") is None
        assert archive.latest_file_versions() == {"http://x/a.pdf": latest}
        assert archive.running_runs() == [second]
    with pytest.raises(ValueError):
        Archive(tmp_path / "a.db", synchronous="OFF")


def test_an_html_disclosures_spreadsheets_are_its_tables_not_documents(tmp_path):
    """The archive side of HTML disclosures: the attachments fetched from the article's page
    go to its extraction; one archived after the article was extracted brings it back."""
    article_url, table_url, later_url = "http://x/t1.html", "http://x/P1.xlsx", "http://x/P2.xls"
    with Archive(tmp_path / "a.db") as archive:
        run = archive.start_run([article_url])

        def fetch(url, body, file_format, referer=None, at="2025-06-01T08:00:00.000+00:00"):
            sha256, _ = archive.store_file(body, url=url, filename=url.rsplit("/", 1)[1], file_format=file_format)
            archive.record_fetch(run_id=run, url=url, referer=referer, kind="file", outcome="new", sha256=sha256,
                                 fetched_at=at)
            return sha256

        article = fetch(article_url, "<html>部门决算</html>".encode(), "html")
        table = fetch(table_url, b"PK\x03\x04 tables", "xlsx", referer=article_url)
        archive.save_document(table, {"title": "收入支出决算总表"}, extractor_version="1")  # an older build's
        assert [f["sha256"] for f in archive.files_to_extract("1")] == [article]
        assert [a["sha256"] for a in archive.attachments_of(article)] == [table]
        assert archive.drop_attachment_documents() == 1 and archive.count_documents("ok") == 0
        archive.save_document(article, {"title": "部门决算", "format": "html"}, extractor_version="1")
        assert archive.files_to_extract("1") == []
        later = fetch(later_url, b"\xd0\xcf\x11\xe0 more tables", "xls", referer=article_url,
                      at="2999-01-01T00:00:00.000+00:00")
        assert [f["sha256"] for f in archive.files_to_extract("1")] == [article]
        assert [a["sha256"] for a in archive.attachments_of(article)] == [table, later]
