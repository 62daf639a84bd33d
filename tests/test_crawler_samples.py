"""``gongkai crawl`` over the bundled sample portal (samples/portal, see samples/README.md)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from conftest import gongkai

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.fixture(scope="module")
def crawled(sample_portal, tmp_path_factory):
    archive = tmp_path_factory.mktemp("samples-crawl") / "archive.db"
    result = gongkai("crawl", sample_portal + "index.html", "--archive", str(archive))
    conn = sqlite3.connect(archive)
    conn.row_factory = sqlite3.Row
    yield {"base": sample_portal, "output": result.stdout,
           "fetches": [dict(r) for r in conn.execute("SELECT * FROM fetches")],
           "files": [dict(r) for r in conn.execute("SELECT * FROM files")]}
    conn.close()


def attachments() -> list[Path]:
    return sorted(p for p in (SAMPLES / "portal" / "articles").iterdir() if p.suffix in (".pdf", ".docx"))


def is_disclosure(attachment: Path) -> bool:
    """What the article linking it says (samples/README.md: 招标公告 and 会议通知 are not)."""
    articles = (SAMPLES / "portal" / "articles").glob("*.html")
    text = " ".join(a.read_text("utf-8") for a in articles if attachment.name in a.read_text("utf-8"))
    return "招标公告" not in text and "会议通知" not in text


@pytest.mark.parametrize("path", attachments(), ids=lambda p: p.name)
def test_disclosures_are_archived_and_others_are_not(crawled, path):
    archived = {Path(f["first_url"]).name for f in crawled["files"]}
    assert (path.name in archived) == is_disclosure(path)


def test_archived_bytes_are_the_portal_files(crawled):
    for stored in crawled["files"]:
        served = SAMPLES / "portal" / "articles" / Path(stored["first_url"]).name
        assert stored["size"] == served.stat().st_size


def test_nothing_outside_the_portal_is_requested(crawled):
    assert all(f["url"].startswith(crawled["base"]) for f in crawled["fetches"])


def test_cli_prints_the_run_summary(crawled):
    portal = SAMPLES / "portal"
    pages = len(list(portal.glob("index*.html"))) + len(list((portal / "articles").glob("*.html")))
    files = sum(map(is_disclosure, attachments()))
    assert f"{pages} pages, files {files} new / 0 changed / 0 unchanged, 0 errors" in crawled["output"]
