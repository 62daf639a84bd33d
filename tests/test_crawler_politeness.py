"""robots.txt's Crawl-delay is honoured (Scrapy alone ignores it) and its Disallow obeyed.

Measured where load cannot shrink it: the fixture server logs when each request's bytes
reached the machine (the kernel's receive stamp), so a server thread scheduled late does
not make a gap look short.  What the crawler's own scheduling can shrink is bounded too:
Scrapy starts a slot's delay when it takes a request from the queue, and the bytes leave a
moment later; a late departure shortens one gap and lengthens the next, so the span over
all the gaps can only lose the lateness of its first request.
"""

from __future__ import annotations

import pytest

from gongkai.crawler import run_crawl
from sites.fixtures import FAST, SITES, request_log, serve

CRAWL_DELAY = 1.0  # tests/sites/polite/robots.txt
# How late the first measured request may leave after its delay started (a loaded machine).
DEPARTURE_SLACK = 0.1


@pytest.fixture(scope="module")
def polite_site():
    with serve(SITES / "polite") as base:
        yield base


def test_crawl_delay_spaces_the_requests(polite_site, tmp_path):
    run_crawl([polite_site + "index.html"], tmp_path / "a.db", settings=FAST)
    log = [e for e in request_log(polite_site) if e["path"] != "/robots.txt"]
    assert sorted(e["path"] for e in log) == ["/a.html", "/b.html", "/c.html", "/d.html", "/index.html"]
    # Crawl-delay holds from the second request on (the site's slot exists from the first).
    times = sorted(e["time"] for e in log)[1:]
    gaps = [later - earlier for earlier, later in zip(times, times[1:])]
    assert times[-1] - times[0] >= len(gaps) * CRAWL_DELAY - DEPARTURE_SLACK, gaps
    assert min(gaps) >= CRAWL_DELAY / 2, gaps  # no two requests together, whatever the load
