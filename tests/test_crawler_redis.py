"""Distributed mode: Debian's redis-server on 127.0.0.1, two worker processes sharing one
frontier (scrapy-redis) over the fixture portal; every file is found, no URL fetched twice."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections import Counter

import pytest

from conftest import REPO, free_port
from sites.fixtures import portal, request_log, rows  # noqa: F401
from test_crawler_portal import DISCLOSURES

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not shutil.which("redis-server"), reason="Debian's redis-server is not installed"),
]


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
    archive = workdir / "archive.db"
    settings = ["-s", "DOWNLOAD_DELAY=0.15", "-s", "DOWNLOAD_TIMEOUT=2", "-s", "RETRY_TIMES=0",
                "-s", "GONGKAI_IDLE_TIMEOUT=6"]
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "gongkai", "crawl", portal + "index.html", "--archive", str(archive),
             "--redis-url", redis_url, "--frontier", "test:portal", "--log-file", str(workdir / f"w{n}.log"),
             *settings],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        for n in (1, 2)
    ]
    outputs = [w.communicate(timeout=300)[0] for w in workers]
    return {"base": portal, "archive": archive, "outputs": outputs, "log": request_log(portal),
            "runs": rows(archive, "SELECT * FROM crawl_runs ORDER BY id")}


def test_both_workers_ran_and_shared_the_work(crawled):
    runs = crawled["runs"]
    assert len(runs) == 2, crawled["outputs"]
    per_run = Counter(r["run_id"] for r in rows(crawled["archive"], "SELECT run_id FROM fetches"))
    assert all(per_run[run["id"]] > 0 for run in runs), per_run


def test_every_disclosure_is_found(crawled):
    archived = rows(crawled["archive"], "SELECT DISTINCT url FROM fetches WHERE sha256 IS NOT NULL")
    assert {r["url"].removeprefix(crawled["base"]) for r in archived} == set(DISCLOSURES)


def test_no_url_is_fetched_twice(crawled):
    counts = Counter(e["path"].split("?sid=")[0] for e in crawled["log"] if e["path"] != "/robots.txt")
    assert [path for path, n in counts.items() if n > 1] == []
    fetched = Counter(r["url"] for r in rows(crawled["archive"], "SELECT url FROM fetches WHERE kind != 'robots'"))
    assert [url for url, n in fetched.items() if n > 1] == []
