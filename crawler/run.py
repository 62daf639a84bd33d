"""``run_crawl``: crawl start URLs into an archive, in a child process, and return the run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import BadStartUrl, CrawlProcessFailed


def run_crawl(
    start_urls: list[str],
    archive_path: str | os.PathLike,
    *,
    max_pages: int | None = None,
    site: str | None = None,
    allowed_domains: list[str] | None = None,
    max_drift: int | None = None,
    javascript: bool = False,
    list_selectors: list[str] | None = None,
    settings: dict[str, Any] | None = None,
    redis_url: str | None = None,
    frontier: str | None = None,
    log_file: str | os.PathLike | None = None,
    timeout: float | None = None,
) -> dict[str, Any]:
    """Crawl ``start_urls`` into the archive; returns the ``crawl_runs`` row plus Scrapy stats.

    :param max_pages: follow at most this many pages (files on them are still fetched).
    :param site: the sites.yaml name recorded with the run.
    :param javascript: render pages in Chromium (lists written by scripts).
    :param list_selectors: CSS selectors of a portal's disclosure lists; their links are on topic.
    :param settings: Scrapy settings overriding crawler/settings.py (tests lower the delays).
    :param redis_url: share the frontier with other workers through Redis (scrapy-redis).
    :param frontier: the Redis key prefix workers of one crawl share.
    :param log_file: where Scrapy logs; without it the log goes to stderr.
    :param timeout: seconds after which the crawl process (and its browser) is killed;
        raises CrawlProcessFailed, and the next locked run closes the run as interrupted.
    """
    check_start_urls(start_urls)
    archive_path = Path(archive_path).resolve()
    if log_file:
        Path(log_file).resolve().parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gongkai-crawl-") as scratch:
        job = {
            "start_urls": list(start_urls),
            "archive_path": str(archive_path),
            "max_pages": max_pages,
            "site": site,
            "allowed_domains": allowed_domains,
            "max_drift": max_drift,
            "javascript": javascript,
            "list_selectors": list_selectors or [],
            "settings": settings or {},
            "redis_url": redis_url,
            "frontier": frontier,
            "log_file": str(Path(log_file).resolve()) if log_file else None,
            "result_path": os.path.join(scratch, "result.json"),
            "parent_pid": os.getpid(),
        }
        job_path = os.path.join(scratch, "job.json")
        with open(job_path, "w", encoding="utf-8") as handle:
            json.dump(job, handle, ensure_ascii=False)
        # A session of its own, so a crawl that overruns ``timeout`` is killed together with
        # the Playwright driver and Chromium it may have started; and it dies with this
        # process (``process.die_with_parent``), which a scheduler may kill -9.
        process = subprocess.Popen([sys.executable, "-m", "gongkai.crawler.process", job_path],
                                   start_new_session=True)
        try:
            returncode = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise CrawlProcessFailed(
                f"crawl of {', '.join(start_urls)} did not finish within {timeout:.0f} s and was killed"
            ) from None
        except BaseException:  # Ctrl-C or kill of the caller: do not leave the crawl behind
            os.killpg(process.pid, signal.SIGTERM)
            raise
        if returncode != 0 or not os.path.exists(job["result_path"]):
            where = f"; see {log_file}" if log_file else ""
            raise CrawlProcessFailed(f"crawl of {', '.join(start_urls)} exited with code {returncode}{where}")
        with open(job["result_path"], encoding="utf-8") as handle:
            return json.load(handle)


def check_start_urls(urls: list[str]) -> None:
    """Raise BadStartUrl unless every URL is absolute http(s) with a host."""
    if not urls:
        raise BadStartUrl("no start URL given")
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise BadStartUrl(f"{url!r} is not an http(s) URL; give it as http://host/path")
