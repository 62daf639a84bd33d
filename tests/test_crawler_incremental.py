"""Re-crawls: conditional requests, no body downloaded twice when the server supports it,
every version of a changed file kept, per-run counts."""

from __future__ import annotations

import urllib.request

import pytest

from gongkai.archive import data_dir_for
from gongkai.crawler import run_crawl
from sites.fixtures import FAST, portal, request_log, rows  # noqa: F401

ARTICLE = "xxgk/czyjs/202410/t20241015_1.html"
CHANGING = "changing/budget-2024.pdf"


@pytest.fixture(scope="module")
def runs(portal, tmp_path_factory):
    """Four crawls of one article into one archive: first, unchanged, one file changed,
    and a server that stopped answering conditional requests."""
    archive = tmp_path_factory.mktemp("incremental") / "archive.db"

    def crawl():
        request_log(portal, clear=True)
        summary = run_crawl([portal + ARTICLE], archive, settings=FAST)
        return {"summary": summary, "log": request_log(portal),
                "fetches": rows(archive, "SELECT * FROM fetches WHERE run_id = ?", summary["id"])}

    first = crawl()
    second = crawl()
    urllib.request.urlopen(portal + "_set?version=2").read()
    third = crawl()
    urllib.request.urlopen(portal + "_set?etag=off").read()
    fourth = crawl()
    return {"base": portal, "archive": archive, "runs": [first, second, third, fourth]}


def file_fetches(run) -> dict[str, dict]:
    return {f["url"]: f for f in run["fetches"] if f["kind"] == "file"}


def test_first_run_archives_every_disclosure(runs):
    first = runs["runs"][0]["summary"]
    assert (first["files_new"], first["files_changed"], first["files_unchanged"], first["errors"]) == (7, 0, 0, 0)


def test_second_run_downloads_no_archived_body_again(runs):
    second = runs["runs"][1]
    archived = {url for url, f in file_fetches(runs["runs"][0]).items() if f["sha256"]}
    with_validators = {url for url in archived if "downfile.jsp" not in url}
    for entry in second["log"]:
        url = runs["base"] + entry["path"].lstrip("/")
        if url in with_validators:
            assert entry["headers"].get("If-None-Match") and entry["status"] == 304, entry
    outcomes = {url: f["outcome"] for url, f in file_fetches(second).items() if url in archived}
    assert {outcomes[url] for url in with_validators} == {"not_modified"}
    # The servlet sends no ETag: its body comes again, and is recognised as unchanged.
    assert {o for url, o in outcomes.items() if "downfile.jsp" in url} == {"unchanged"}
    summary = second["summary"]
    assert (summary["files_new"], summary["files_changed"], summary["files_unchanged"]) == (0, 0, 7)


def test_not_modified_rows_point_at_the_archived_version(runs):
    first, second = (file_fetches(r) for r in runs["runs"][:2])
    for url, fetch in second.items():
        if fetch["outcome"] == "not_modified":
            assert fetch["sha256"] == first[url]["sha256"]
            # The 304 carried no Last-Modified: the validator is kept for the next run.
            assert fetch["last_modified"] == first[url]["last_modified"] is not None


def test_third_run_still_sends_both_validators(runs):
    third = runs["runs"][2]
    asked = [e for e in third["log"] if e["path"].endswith("P020241015000001.pdf")]
    assert asked and asked[0]["headers"].get("If-None-Match") and asked[0]["headers"].get("If-Modified-Since")


def test_a_changed_file_is_archived_again_and_the_old_version_is_kept(runs):
    third = runs["runs"][2]
    changed = file_fetches(third)[runs["base"] + CHANGING]
    original = file_fetches(runs["runs"][0])[runs["base"] + CHANGING]
    assert changed["outcome"] == "changed" and changed["sha256"] != original["sha256"]
    assert third["summary"]["files_changed"] == 1
    data_dir = data_dir_for(runs["archive"])
    for sha256 in (original["sha256"], changed["sha256"]):
        [stored] = rows(runs["archive"], "SELECT path FROM files WHERE sha256 = ?", sha256)
        assert (data_dir / stored["path"]).is_file()


def test_without_validators_bodies_are_compared_by_sha256(runs):
    fourth = runs["runs"][3]
    assert all(e["status"] == 200 for e in fourth["log"] if e["path"].endswith(".pdf"))
    summary = fourth["summary"]
    assert (summary["files_new"], summary["files_changed"], summary["files_unchanged"]) == (0, 0, 7)


def test_each_run_is_counted_separately(runs):
    recorded = rows(runs["archive"], "SELECT id, files_new, files_changed, files_unchanged FROM crawl_runs ORDER BY id")
    assert [(r["files_new"], r["files_changed"], r["files_unchanged"]) for r in recorded] == [
        (7, 0, 0), (0, 0, 7), (0, 1, 6), (0, 0, 7)]
