"""robots.txt's Crawl-delay is honoured (Scrapy alone ignores it) and its Disallow obeyed."""

from __future__ import annotations

import pytest

from gongkai.crawler import run_crawl
from sites.fixtures import FAST, SITES, request_log, serve


@pytest.fixture(scope="module")
def polite_site():
    with serve(SITES / "polite") as base:
        yield base


def test_crawl_delay_spaces_the_requests(polite_site, tmp_path):
    run_crawl([polite_site + "index.html"], tmp_path / "a.db", settings=FAST)
    log = [e for e in request_log(polite_site) if e["path"] != "/robots.txt"]
    assert sorted(e["path"] for e in log) == ["/a.html", "/b.html", "/c.html", "/d.html", "/index.html"]
    gaps = [later["time"] - earlier["time"] for earlier, later in zip(log[1:], log[2:])]
    assert min(gaps) >= 0.9, gaps  # Crawl-delay: 1 from the second request on
