"""The real crawler against a hostile portal on 127.0.0.1: a redirect loop, a redirect back
and forth, a redirect off the portal, a gzip and a deflate bomb, bodies past the size cap
(announced and not), and an attachment whose first page inflates to 1 GiB. Every one must
be a ``fetches`` row with its reason and a log line, the crawl must go on and finish, and
the crawler's processes must stay under 1 GB (the kernel's peak of its largest process)."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys

import pytest
from conftest import REPO
from hostile import GIB, MB, flate_bomb, flate_bomb_pdf, hostile_portal
from test_publish_records import SAMPLE_PDF

from sites.fixtures import FAST, rows

SIZE_CAP = 8 * MB  # DOWNLOAD_MAXSIZE for this crawl; production's is 512 MiB
PAGE_CAP = MB  # PAGE_MAX_SIZE; production's is 8 MiB
LINK_CAP = 20  # PAGE_MAX_LINKS; production's is 5000
CRAWL_AND_MEASURE = """
import json, resource, sys
from gongkai.crawler import run_crawl
job = json.loads(sys.argv[1])
summary = run_crawl(job["urls"], job["archive"], settings=job["settings"], log_file=job["log"])
print(json.dumps({"status": summary["status"], "errors": summary["errors"],
                  "peak_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    where = tmp_path_factory.mktemp("hostile-portal")
    bodies = {"good": SAMPLE_PDF.read_bytes(),
              "gzip": gzip.compress(b" " * (8 * SIZE_CAP), compresslevel=6),
              "deflate": flate_bomb(8 * SIZE_CAP),
              "first_page_bomb": flate_bomb_pdf(GIB)}
    with hostile_portal(bodies, SIZE_CAP, 2 * PAGE_CAP) as base:
        job = {"urls": [base + "/index.html"], "archive": str(where / "archive.db"),
               "log": str(where / "crawl.log"),
               "settings": {**FAST, "DOWNLOAD_MAXSIZE": SIZE_CAP, "PAGE_MAX_SIZE": PAGE_CAP,
                            "PAGE_MAX_LINKS": LINK_CAP, "PROGRESS_ENABLED": False}}
        result = subprocess.run([sys.executable, "-c", CRAWL_AND_MEASURE, json.dumps(job)],
                                capture_output=True, text=True, cwd=REPO, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return {"base": base, "run": json.loads(result.stdout.strip().splitlines()[-1]),
            "fetches": rows(where / "archive.db", "SELECT * FROM fetches ORDER BY id"),
            "log": (where / "crawl.log").read_text(encoding="utf-8", errors="replace")}


@pytest.mark.parametrize("path,outcome,reason", [
    ("/loop/1.pdf", "error", r"redirect loop: gave up after 10 redirects"),
    ("/pingpong/a.pdf", "error", r"redirect loop: .*/pingpong/b\.pdf redirects back to .*/pingpong/a\.pdf"),
    ("/offsite.pdf", "skipped", r"redirected off the portal to http://localhost:\d+/files/good\.pdf"),
    ("/gzip-bomb.pdf", "error", r"exceeded DOWNLOAD_MAXSIZE \(8388608 B\) during decompression"),
    ("/deflate-bomb.html", "error", r"exceeded DOWNLOAD_MAXSIZE \(8388608 B\) during decompression"),
    ("/big.pdf", "error", r"larger than DOWNLOAD_MAXSIZE, download cancelled: Expected to receive"),
    ("/chunked.pdf", "error", r"larger than DOWNLOAD_MAXSIZE, download cancelled"),
    ("/attach/P020240101000001.pdf", "new", r"first page not read \(too_large\)"),
    ("/huge.html", "error", r"a page of 2097\d+ bytes, more than PAGE_MAX_SIZE \(1048576\): not read"),
])
def test_every_request_given_up_on_is_a_row_with_its_reason_and_a_log_line(crawled, path, outcome, reason):
    url = crawled["base"] + path
    (fetch,) = [f for f in crawled["fetches"] if f["url"] == url and f["error"]]
    assert fetch["outcome"] == outcome and re.search(reason, fetch["error"]), fetch
    assert any(url in line and re.search(reason, line) for line in crawled["log"].splitlines()
               if "WARNING" in line), f"no log line for {url}"


def test_a_page_of_many_links_is_followed_only_so_far(crawled):
    copies = [f for f in crawled["fetches"] if "/files/good.pdf?copy=" in f["url"]]
    assert len(copies) == LINK_CAP and {f["outcome"] for f in copies} == {"duplicate"}
    assert re.search(r"many-links\.html has 300 links; following the first 20 \(PAGE_MAX_LINKS\)",
                     crawled["log"])


def test_the_crawl_goes_on_and_stays_under_1_gb(crawled):
    good = [f for f in crawled["fetches"] if f["url"] == crawled["base"] + "/files/good.pdf"]
    assert [f["outcome"] for f in good] == ["new"]
    assert crawled["run"]["status"] == "finished" and crawled["run"]["errors"] == 7
    assert crawled["run"]["peak_kib"] < 1024 * 1024, crawled["run"]
