"""A district portal built in ways the spider was never shown (tests/sites/district): a
list a script fills from an endpoint whose URL it assembles (a JSON shape of no known CMS,
paged by a "下一页" that only calls the script), a "加载更多" button posting JSON, a list of
hard negatives, and ``/bm/jyj/`` linked as ``/bm/jyj/index.html`` too.  One crawl with one
Chromium launch, then an unchanged re-crawl that needs no browser."""

from __future__ import annotations

from collections import Counter

import pytest

from gongkai.crawler import run_crawl
from sites.fixtures import FAST, SITES, request_log, rows, serve

pytestmark = pytest.mark.browser

DISCLOSURES = {
    "bm/jyj/yjsgk/202402/P020240205000101.pdf": "article listed by the script-filled endpoint, page 1",
    "uploads/jyj/P020240206000001.pdf": "endpoint page 1",
    "uploads/jyj/P020240910000001.pdf": "endpoint page 2, reached by the script-only 下一页",
    "uploads/jyj/P020240911000001.pdf": "endpoint page 2",
    "uploads/jyj/P020230210000001.pdf": "endpoint page 3, paged without the browser",
    "uploads/jyj/P020230915000001.pdf": "endpoint page 3",
    "uploads/wjw/2024ys.pdf": "load more, first call",
    "uploads/wjw/2023js.pdf": "load more, first call",
    "uploads/wjw/rmyy-2024ys.xls": "load more, second call",
    "uploads/wjw/jkzx-2023js.pdf": "load more, third page without the browser",
    "uploads/czj/bmys2024.pdf": "plain list",
}
HARD_NEGATIVES = {
    "uploads/jyj/P020240801000009.pdf": "关于编制2025年部门预算的通知",
    "uploads/jyj/P020240912000009.pdf": "绩效评价报告",
    "uploads/wjw/cgyx.pdf": "采购意向",
    "uploads/czj/zfys2024.pdf": "政府预算",
    "uploads/czj/czjs2023.pdf": "财政决算",
    "uploads/czj/ysbg2024.pdf": "预算执行情况和预算草案的报告",
    "uploads/czj/tz2025.pdf": "关于编制…部门预算的通知",
}


@pytest.fixture(scope="module")
def crawls(tmp_path_factory):
    archive = tmp_path_factory.mktemp("district") / "archive.db"
    with serve(SITES / "district") as base:
        # One retry: a POST on a connection the fixture server already closed is not retried by
        # Twisted itself (production retries twice, RETRY_TIMES).
        settings = {**FAST, "DOWNLOAD_TIMEOUT": 30, "RETRY_TIMES": 1}
        first = run_crawl([base], archive, settings=settings, timeout=300)
        first_log = request_log(base, clear=True)
        second = run_crawl([base], archive, settings=settings, timeout=300)
        second_log = request_log(base)
    return {"base": base, "archive": archive, "runs": [first, second], "logs": [first_log, second_log]}


def archived(crawls, run) -> set[str]:
    found = rows(crawls["archive"], "SELECT url FROM fetches WHERE sha256 IS NOT NULL AND run_id = ?", run["id"])
    return {r["url"].removeprefix(crawls["base"]) for r in found}


def test_every_disclosure_and_nothing_else_is_archived(crawls):
    assert archived(crawls, crawls["runs"][0]) == set(DISCLOSURES) | {
        "bm/czj/yjs/202409/t20240920_2.html", "uploads/czj/P020240920000001.xlsx", "uploads/czj/P020240920000002.xls"}


@pytest.mark.parametrize("path", HARD_NEGATIVES, ids=list(HARD_NEGATIVES.values()))
def test_hard_negatives_are_never_archived(crawls, path):
    assert not rows(crawls["archive"], "SELECT 1 FROM fetches WHERE url = ? AND sha256 IS NOT NULL",
                    crawls["base"] + path)


def test_no_url_is_requested_twice_in_a_run(crawls):
    for log in crawls["logs"]:
        counts = Counter((e["method"], e["path"], e.get("body")) for e in log if e["path"] != "/robots.txt")
        assert [key for key, n in counts.items() if n > 1] == []


def test_a_directory_and_its_index_page_are_one_page(crawls):
    paths = [e["path"] for e in crawls["logs"][0]]
    assert paths.count("/bm/jyj/") + paths.count("/bm/jyj/index.html") == 1


def test_chromium_obeys_robots_and_its_requests_are_recorded(crawls):
    assert not [e for e in crawls["logs"][0] if e["path"].startswith("/open/api/stats")]
    browser = rows(crawls["archive"], "SELECT url FROM fetches WHERE kind = 'browser' AND run_id = ?",
                   crawls["runs"][0]["id"])
    urls = {r["url"].removeprefix(crawls["base"]) for r in browser}
    assert "open/api/v3/records?colId=12&pn=1&ps=3" in urls and "bm/jyj/js/list.js" in urls
    assert "bm/wjw/api/list" in urls


def test_endpoints_are_learned_with_their_page_parameter(crawls):
    learned = {(r["page_param"], r["page_location"]) for r in rows(crawls["archive"], "SELECT * FROM list_endpoints")}
    assert learned == {("pn", "query"), ("pageIndex", "json")}


def test_the_re_crawl_needs_no_browser_and_downloads_no_file_again(crawls):
    second = crawls["runs"][1]
    assert not second["stats"].get("gongkai/rendered_pages")
    assert not rows(crawls["archive"], "SELECT 1 FROM fetches WHERE kind = 'browser' AND run_id = ?", second["id"])
    assert archived(crawls, second) >= set(DISCLOSURES)
    bodies = [e for e in crawls["logs"][1] if e["path"].lstrip("/") in DISCLOSURES and e["status"] == 200]
    assert [e["path"] for e in bodies] == []
    assert (second["files_new"], second["files_changed"]) == (0, 0)
