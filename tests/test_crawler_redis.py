"""Distributed mode: Debian's redis-server on 127.0.0.1 and two worker processes sharing one
frontier (scrapy-redis) over the fixture portal, each writing its own archive as workers on
two machines would.  The server sees every URL once between them and the site's delay kept
across both; ``gongkai merge`` joins their archives into one with every disclosure once."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import threading
import time
import types
from collections import Counter

import pytest

from conftest import REPO, free_port, gongkai
from sites.fixtures import portal, request_log, rows  # noqa: F401
from test_crawler_portal import DISCLOSURES

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not shutil.which("redis-server"), reason="Debian's redis-server is not installed"),
]

DELAY = 0.2  # DOWNLOAD_DELAY of each worker: the site's delay the two must keep together
# How late the first measured request may leave after its start time (a loaded machine); a
# late request shortens one gap and lengthens the next, so only the first one's counts in the span.
DEPARTURE_SLACK = 0.1


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    import redis

    port = free_port()
    workdir = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(workdir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
    deadline = time.monotonic() + 20
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise
            time.sleep(0.1)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="module")
def crawled(portal, redis_url, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("workers")
    archives = [workdir / f"worker{n}.db" for n in (1, 2)]
    settings = ["-s", f"DOWNLOAD_DELAY={DELAY}", "-s", "DOWNLOAD_TIMEOUT=2", "-s", "RETRY_TIMES=0",
                "-s", "GONGKAI_IDLE_TIMEOUT=6"]
    request_log(portal, clear=True)
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "gongkai", "crawl", portal + "index.html", "--archive", str(archive),
             "--redis-url", redis_url, "--frontier", "test:portal", "--log-file", str(archive.with_suffix(".log")),
             *settings],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        for archive in archives
    ]
    outputs = [w.communicate(timeout=300)[0] for w in workers]
    merged = workdir / "archive.db"
    merge = gongkai("merge", *map(str, archives), "--into", str(merged))
    return {"base": portal, "archives": archives, "merged": merged, "outputs": outputs, "merge": merge.stdout,
            "log": request_log(portal)}


def test_both_workers_ran_and_shared_the_work(crawled):
    for archive, output in zip(crawled["archives"], crawled["outputs"]):
        runs = rows(archive, "SELECT * FROM crawl_runs")
        assert len(runs) == 1, output
        assert rows(archive, "SELECT count(*) AS n FROM fetches WHERE kind != 'robots'")[0]["n"] > 0, output


def test_no_url_is_fetched_twice_between_the_workers(crawled):
    # Each worker reads robots.txt for itself; every other URL is fetched by one of them once.
    counts = Counter(e["path"].split("?sid=")[0] for e in crawled["log"] if e["path"] != "/robots.txt")
    assert [path for path, n in counts.items() if n > 1] == []


def test_the_site_delay_holds_across_both_workers(crawled):
    port = crawled["base"].rstrip("/").rsplit(":", 1)[1]
    times = sorted(e["time"] for e in crawled["log"] if e["host"] == f"127.0.0.1:{port}")
    gaps = [later - earlier for earlier, later in zip(times, times[1:])]
    assert len(gaps) > 20
    assert times[-1] - times[0] >= len(gaps) * DELAY - DEPARTURE_SLACK, gaps
    # A turn counts from when it is taken, so a worker woken late only sends later; a gap
    # shrinks only when a request is held up between its turn and the wire (rare, a loaded
    # machine); workers that do not share the delay make every other gap short.
    assert len([gap for gap in gaps if gap < DELAY / 2]) <= len(gaps) // 10, gaps


def test_a_worker_that_wakes_late_does_not_squeeze_the_next(redis_url):
    """Two workers wait for the same site; the first one's process is busy when its turn
    comes. Its request must leave a whole delay away from the other's, not beside it."""
    import redis
    from scrapy.settings import Settings

    from gongkai.crawler.politeness import Politeness

    delay, url, prefix = 0.4, "http://late.example/page", f"test:late:{time.monotonic_ns()}"
    server = redis.Redis.from_url(redis_url)
    # Two workers' politeness on one Redis, outside a crawl (no engine yet: the delay is DOWNLOAD_DELAY).
    crawler = types.SimpleNamespace(engine=None, settings=Settings({"DOWNLOAD_DELAY": delay}))
    workers = [Politeness(crawler, server, prefix) for _ in range(2)]
    assert workers[0].turn(url) == 0  # a request just left: the next turn comes in `delay`
    sent: dict[str, float] = {}

    async def late():  # the turn comes while the process is busy for 1.5 delays
        async def busy():
            await asyncio.sleep(delay / 2)
            time.sleep(delay * 1.5)
        blocker = asyncio.ensure_future(busy())
        await workers[0].wait(url)
        sent["late"] = time.monotonic()
        await blocker

    async def punctual():
        await asyncio.sleep(delay / 8)
        await workers[1].wait(url)
        sent["punctual"] = time.monotonic()

    threads = [threading.Thread(target=asyncio.run, args=(job(),)) for job in (late, punctual)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert set(sent) == {"late", "punctual"}
    assert abs(sent["late"] - sent["punctual"]) >= delay * 0.75, sent


def test_the_merged_archive_holds_every_disclosure_once(crawled):
    merged = crawled["merged"]
    stored = rows(merged, "SELECT url, sha256 FROM fetches WHERE sha256 IS NOT NULL")
    assert sorted(r["url"].removeprefix(crawled["base"]) for r in stored) == sorted(DISCLOSURES)
    workers = [rows(a, "SELECT url, sha256 FROM fetches WHERE sha256 IS NOT NULL") for a in crawled["archives"]]
    assert sorted(map(repr, stored)) == sorted(map(repr, workers[0] + workers[1]))
    assert {r["sha256"] for r in rows(merged, "SELECT sha256 FROM files")} == {r["sha256"] for r in stored}
    fetched = Counter(r["url"] for r in rows(merged, "SELECT url FROM fetches WHERE kind != 'robots'"))
    assert [url for url, n in fetched.items() if n > 1] == []
    assert len(rows(merged, "SELECT * FROM crawl_runs")) == 2


def test_merging_again_adds_nothing(crawled):
    again = gongkai("merge", *map(str, crawled["archives"]), "--into", str(crawled["merged"]))
    assert again.stdout.count(": 0 runs, 0 fetches, 0 files") == 2, again.stdout
