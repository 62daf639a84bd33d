"""One real crawl of the fixture portal (tests/sites/portal) with Scrapy over HTTP, then
what it left in the archive and what the server saw, quirk by quirk."""

from __future__ import annotations

from collections import Counter

import pytest

from gongkai.crawler import run_crawl
from sites.fixtures import FAST, portal, request_log, rows  # noqa: F401  (portal is a fixture)

DISCLOSURES = {
    # path: why it counts as a disclosure
    "xxgk/czyjs/202410/P020241015000001.pdf": "link text",
    "xxgk/czyjs/202410/P020241015000002.pdf": "first page (link text 附件2)",
    "xxgk/czyjs/202410/P020241015000003.xls": "the article's title (link text 附件3)",
    "downfile.jsp?fileid=101": "RFC 5987 Content-Disposition name",
    "downfile.jsp?fileid=102": "plain GBK Content-Disposition name",
    "downfile.jsp?fileid=104": "percent-encoded Content-Disposition name",
    "changing/budget-2024.pdf": "link text",
    "xxgk/czyjs/202410/P020241016000001.pdf": "link text",
    "uploads/copy-of-finance-budget.pdf": "link text (same bytes as P020241015000001)",
    "xxgk/czyjs/202406/P020240601000001.pdf": "link text, second pager page",
    "xxgk/czyjs/202406/P020240601000002.pdf": "link text although the PDF is broken",
    "slow/P020240602000001.pdf": "behind a slow page",
    "uploads/2022-juesuan-final.pdf": "end of a 301 → 302 chain, third pager page",
    "xxgk/jsonlist/P020240710000001.pdf": "article listed by a JSON API",
    "gbk/P020240801000001.pdf": "GBK pages with a wrong or missing charset",
    "session/P020240901000001.pdf": "pages with session ids",
    "module/download/downfile.jsp?classid=0&filename=P020240902000001.pdf": "JCMS datastore record",
    "module/download/downfile.jsp?classid=0&filename=P020240902000002.pdf": "JCMS dataproxy page 2",
}
NOT_ARCHIVED = {
    "xxgk/czyjs/202303/P020230301000001.pdf": "link text 招标公告.pdf",
    "xxgk/czyjs/202303/P020230301000002.doc": "on a 招标公告 page, link text 附件1",
    "xxgk/czyjs/202410/P020241016000002.pdf": "link text 培训会议通知",
    "xxgk/czyjs/202410/P020241015000004.pdf": "first page is a 会议通知",
    "downfile.jsp?fileid=103": "Content-Disposition name 采购公告",
    "private/secret.pdf": "under a robots.txt Disallow",
}


@pytest.fixture(scope="module")
def crawled(portal, tmp_path_factory):
    archive = tmp_path_factory.mktemp("portal") / "archive.db"
    summary = run_crawl([portal + "index.html"], archive, settings=FAST)
    return {"base": portal, "archive": archive, "summary": summary, "log": request_log(portal)}


def fetches(crawled, **where) -> list[dict]:
    clause = " AND ".join(f"{k} = ?" for k in where) or "1"
    return rows(crawled["archive"], f"SELECT * FROM fetches WHERE {clause} ORDER BY id", *where.values())


def test_start_request_is_issued_with_our_user_agent(crawled):
    first_pages = [e for e in crawled["log"] if e["path"] == "/index.html"]
    assert len(first_pages) == 1
    assert first_pages[0]["headers"]["User-Agent"].startswith("gongkai/")
    assert fetches(crawled, url=crawled["base"] + "index.html")[0]["outcome"] == "fetched"


@pytest.mark.parametrize("path", DISCLOSURES, ids=list(DISCLOSURES.values()))
def test_disclosure_is_archived(crawled, path):
    [fetch] = fetches(crawled, url=crawled["base"] + path)
    assert fetch["outcome"] in ("new", "duplicate"), fetch
    stored = rows(crawled["archive"], "SELECT * FROM files WHERE sha256 = ?", fetch["sha256"])
    assert stored and stored[0]["size"] == fetch["size"] > 0


@pytest.mark.parametrize("path", NOT_ARCHIVED, ids=list(NOT_ARCHIVED.values()))
def test_other_file_is_not_archived(crawled, path):
    for fetch in fetches(crawled, url=crawled["base"] + path):
        assert fetch["outcome"] == "skipped" and fetch["sha256"] is None


def test_exactly_the_disclosures_are_archived(crawled):
    archived = rows(crawled["archive"], "SELECT DISTINCT url FROM fetches WHERE sha256 IS NOT NULL")
    assert {r["url"].removeprefix(crawled["base"]) for r in archived} == set(DISCLOSURES)


def test_robots_txt_is_fetched_and_obeyed(crawled):
    paths = [e["path"] for e in crawled["log"]]
    assert paths[0] == "/robots.txt"
    assert not [p for p in paths if p.startswith("/private/")]
    assert fetches(crawled, kind="robots")[0]["status"] == 200


def test_links_to_other_sites_are_not_followed(crawled):
    assert {e["host"].split(":")[0] for e in crawled["log"]} == {"127.0.0.1"}


def test_no_url_is_fetched_twice(crawled):
    counts = Counter(e["path"].split("?sid=")[0] for e in crawled["log"])
    assert [path for path, n in counts.items() if n > 1] == []


def test_session_ids_do_not_make_pages_new(crawled):
    session_paths = [e["path"] for e in crawled["log"] if e["path"].startswith("/session/")]
    assert sorted(session_paths) == ["/session/P020240901000001.pdf", "/session/article.html",
                                     "/session/list.html"]


@pytest.mark.parametrize("page", ["xxgk/czyjs/index_1.html", "xxgk/czyjs/index_2.html"])
def test_trs_javascript_pager_is_followed(crawled, page):
    assert fetches(crawled, url=crawled["base"] + page)[0]["status"] == 200


@pytest.mark.parametrize("fileid,name", [
    ("101", "示例区财政局2024年部门预算说明.pdf"),
    ("102", "示例区财政局2024年三公经费预算.pdf"),
    ("103", "示例区财政局办公设备采购公告.pdf"),
    ("104", "示例区财政局2024年政府采购预算.pdf"),
])
def test_download_servlet_names_are_decoded(crawled, fileid, name):
    [fetch] = fetches(crawled, url=f"{crawled['base']}downfile.jsp?fileid={fileid}")
    assert fetch["filename"] == name


def test_gbk_pages_are_decoded(crawled):
    [fetch] = fetches(crawled, url=crawled["base"] + "gbk/P020240801000001.pdf")
    assert fetch["link_text"] == "示例区统计局2023年部门决算（全文）"
    assert fetch["referer"] == crawled["base"] + "gbk/article.html"


def test_redirect_chain_is_recorded_hop_by_hop(crawled):
    chain = [f for f in fetches(crawled) if "redirect" in f["url"] or "2022-juesuan" in f["url"]]
    assert [(f["kind"], f["status"]) for f in chain] == [("redirect", 301), ("redirect", 302), ("file", 200)]


def test_same_file_under_two_urls_is_archived_once(crawled):
    a, b = (fetches(crawled, url=crawled["base"] + p)[0] for p in (
        "xxgk/czyjs/202410/P020241015000001.pdf", "uploads/copy-of-finance-budget.pdf"))
    assert a["sha256"] == b["sha256"]
    assert sorted([a["outcome"], b["outcome"]]) == ["duplicate", "new"]
    assert len(rows(crawled["archive"], "SELECT * FROM files WHERE sha256 = ?", a["sha256"])) == 1


@pytest.mark.parametrize("path,status,message", [
    ("xxgk/czyjs/202303/missing.pdf", 404, "HTTP 404"),
    ("slow/t20240603_5.html?delay=4", None, "timed out after 2"),
])
def test_failures_are_recorded_and_the_crawl_goes_on(crawled, path, status, message):
    [fetch] = fetches(crawled, url=crawled["base"] + path)
    assert (fetch["outcome"], fetch["status"]) == ("error", status)
    assert message in fetch["error"]


def test_run_is_recorded(crawled):
    summary = crawled["summary"]
    [run] = rows(crawled["archive"], "SELECT * FROM crawl_runs")
    assert run["status"] == "finished" and run["id"] == summary["id"]
    assert (run["files_new"], run["files_changed"], run["files_unchanged"], run["errors"]) == (
        len(DISCLOSURES) - 1, 0, 0, 2)
    assert run["pages"] == len(fetches(crawled, kind="page", outcome="fetched")) >= 15
    assert summary["stats"]["robotstxt/forbidden"] == 1


def test_every_request_has_a_fetch_row(crawled):
    logged = Counter(e["path"].split("?sid=")[0] for e in crawled["log"])
    recorded = Counter(f["url"].removeprefix(crawled["base"].rstrip("/")).split("?sid=")[0]
                       for f in fetches(crawled))
    assert recorded == logged
