"""A portal behind a 521 (or 412) cookie challenge: solved once in Debian's Chromium through
scrapy-playwright, then every page and the PDF come by plain requests with its cookie."""

from __future__ import annotations

import urllib.request

import pytest

from gongkai.crawler import run_crawl
from sites.fixtures import FAST, portal, request_log, rows  # noqa: F401
from sites.server import challenge_cookie

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", params=[521, 412])
def crawled(request, portal, tmp_path_factory):
    urllib.request.urlopen(f"{portal}_set?challenge={request.param}").read()
    request_log(portal, clear=True)
    archive = tmp_path_factory.mktemp("challenge") / "archive.db"
    # Chromium may start slowly on a loaded CI machine: give it time.
    summary = run_crawl([portal + "challenge/index.html"], archive, settings={**FAST, "DOWNLOAD_TIMEOUT": 30},
                        timeout=240)
    return {"base": portal, "archive": archive, "summary": summary, "log": request_log(portal)}


def test_the_pdf_behind_the_challenge_is_archived(crawled):
    [fetch] = rows(crawled["archive"], "SELECT * FROM fetches WHERE url LIKE '%P020240905000001.pdf'")
    assert (fetch["status"], fetch["outcome"]) == (200, "new")
    assert crawled["summary"]["errors"] == 0


def test_challenge_is_solved_once_in_chromium(crawled):
    stats = crawled["summary"]["stats"]
    assert stats["gongkai/challenges"] == stats["gongkai/challenges_solved"] == 1
    browser_requests = [e for e in crawled["log"] if "HeadlessChrome" in e["headers"].get("User-Agent", "")
                        or "Chrome" in e["headers"].get("User-Agent", "")]
    assert browser_requests == []  # Chromium presented the crawler's own User-Agent
    challenged = [e for e in crawled["log"] if e["status"] in (521, 412)]
    assert len(challenged) == 2  # the plain request and Chromium's first visit


@pytest.mark.parametrize("path", ["/challenge/article.html", "/challenge/P020240905000001.pdf"])
def test_later_requests_carry_the_cookie_and_our_user_agent(crawled, path):
    [entry] = [e for e in crawled["log"] if e["path"] == path]
    user_agent = entry["headers"]["User-Agent"]
    assert user_agent.startswith("gongkai/")
    assert f"gk_clearance={challenge_cookie(user_agent)}" in entry["headers"]["Cookie"]
    assert entry["status"] == 200


def test_challenged_requests_are_recorded(crawled):
    hops = rows(crawled["archive"], "SELECT url, status, outcome FROM fetches WHERE kind = 'challenge' ORDER BY id")
    status = hops[0]["status"]
    assert status in (521, 412)
    assert hops == [{"url": crawled["base"] + "challenge/index.html", "status": status, "outcome": "challenged"},
                    {"url": crawled["base"] + "challenge/index.html", "status": status, "outcome": "solved"}]
