"""Plan and run crawls for the CLI and for cron: one run per site, one lock per archive.

The lock is an ``flock`` on ``<archive>.crawl.lock``: the kernel drops it when the process
ends, even by kill -9, so a crashed crawl never blocks the next one.
"""

from __future__ import annotations

import fcntl
import json
from datetime import date
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator
from urllib.parse import urlsplit

from gongkai.archive import Archive

from .errors import CrawlLocked, CrawlProcessFailed
from .run import check_start_urls, run_crawl
from .sites import Site, load_sites, select_sites


@dataclass
class CrawlJob:
    start_urls: list[str]
    site: str | None = None
    allowed_domains: list[str] | None = None
    javascript: bool = False
    max_drift: int | None = None
    max_pages: int | None = None
    list_selectors: list[str] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)


@dataclass
class CrawlPlan:
    archive_path: str
    jobs: list[CrawlJob]
    sites: list[Site]
    log_file: str
    redis_url: str | None = None
    frontier: str | None = None
    timeout: float | None = None


def crawl_plan(*, urls: list[str], sites_file: str | None, site_names: list[str], all_sites: bool,
               archive_path: str, max_pages: int | None = None, log_file: str | None = None,
               redis_url: str | None = None, frontier: str | None = None,
               user_agent: str | None = None, overrides: list[str] = (),
               timeout: float | None = None) -> CrawlPlan:
    """Turn the CLI's options into crawl jobs."""
    common = parse_overrides(overrides)
    if user_agent:
        common["USER_AGENT"] = user_agent
    if not sites_file and (all_sites or site_names):
        sites_file = "sites.yaml"
    sites = load_sites(sites_file) if sites_file else []
    chosen = sites if all_sites else select_sites(sites, site_names) if site_names else []
    jobs = [CrawlJob(start_urls=list(site.start_urls), site=site.name, allowed_domains=site.domains(),
                     javascript=site.javascript, max_drift=site.max_drift,
                     max_pages=max_pages or site.max_pages, list_selectors=list(site.list_selectors),
                     settings={**site.settings, **common})
            for site in chosen]
    if urls:
        check_start_urls(urls)
        jobs.append(CrawlJob(start_urls=list(urls), max_pages=max_pages, settings=common))
    archive = Path(archive_path)
    return CrawlPlan(
        archive_path=archive_path, jobs=jobs, sites=sites,
        log_file=log_file or str(archive.with_name(archive.stem + "-crawl.log")),
        redis_url=redis_url, frontier=frontier, timeout=timeout,
    )


def parse_overrides(pairs: list[str]) -> dict[str, Any]:
    """``NAME=VALUE`` pairs; values are read as JSON when they parse (numbers, lists)."""
    settings = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        try:
            settings[name.strip()] = json.loads(value)
        except ValueError:
            settings[name.strip()] = value
    return settings


@contextmanager
def crawl_lock(archive_path: str) -> Iterator[None]:
    path = Path(archive_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.with_name(path.name + ".crawl.lock")
    handle = open(lock_path, "a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CrawlLocked(f"another crawl of {archive_path} is running (lock {lock_path})") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield
    finally:
        handle.close()


def run_plan(plan: CrawlPlan, *, lock: bool = True, echo: Callable[[str], None] = print) -> list[dict]:
    """Run every job in turn; a job that crashes is reported and the next one still runs."""
    summaries = []
    with crawl_lock(plan.archive_path) if lock and not plan.redis_url else _nothing():
        if lock and not plan.redis_url:
            for run in close_interrupted_runs(plan.archive_path):
                echo(f"run {run['id']} was interrupted: closed with {run['pages']} pages, "
                     f"{run['files_new']} new files")
        for job in plan.jobs:
            label = job.site or ", ".join(job.start_urls)
            try:
                summary = run_crawl(
                    job.start_urls, plan.archive_path, max_pages=job.max_pages, site=job.site,
                    allowed_domains=job.allowed_domains, max_drift=job.max_drift,
                    javascript=job.javascript, list_selectors=job.list_selectors,
                    settings=job.settings, redis_url=plan.redis_url,
                    frontier=plan.frontier or default_frontier(job),
                    log_file=plan.log_file, timeout=plan.timeout,
                )
            except CrawlProcessFailed as error:
                echo(f"{label}: FAILED ({error})")
                if lock and not plan.redis_url:
                    close_interrupted_runs(plan.archive_path)
                summaries.append({"site": job.site, "errors": 1, "status": "failed"})
                continue
            echo(format_summary(label, summary))
            summaries.append(summary)
    if plan.log_file:
        echo(f"log: {plan.log_file}")
    return summaries


def default_frontier(job: CrawlJob) -> str:
    """Workers started the same day for the same site share a frontier; the next day's
    run starts afresh."""
    return f"gongkai:{job.site or _hosts(job.start_urls)}:{date.today().isoformat()}"


def close_interrupted_runs(archive_path: str) -> list[dict]:
    """Runs still marked ``running`` while we hold the lock were killed: close them with
    the counts of what they fetched (their files and fetch rows are kept)."""
    if not Path(archive_path).exists():
        return []
    with Archive(archive_path) as archive:
        return [archive.finish_run(run_id, status="interrupted") for run_id in archive.running_runs()]


def format_summary(label: str, summary: dict) -> str:
    return (
        f"{label}: {summary['pages']} pages, files {summary['files_new']} new / "
        f"{summary['files_changed']} changed / {summary['files_unchanged']} unchanged, "
        f"{summary['errors']} errors (run {summary['id']}, "
        f"{summary.get('stats', {}).get('elapsed_time_seconds') or summary['duration'] or 0:.1f} s)"
    )


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def _hosts(urls: list[str]) -> str:
    return "+".join(sorted({urlsplit(u).netloc for u in urls}))
