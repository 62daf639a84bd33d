"""Run one crawl in this process: ``python -m crawler.process JOB.json``.

Twisted's reactor runs once per process, so ``crawler.run_crawl`` starts this module as a
child process for every crawl; the child writes the run summary to the job's result file.
"""

from __future__ import annotations

import os

# No network for the public suffix list: tldextract (used by Scrapy's cookie middleware)
# must use the snapshot bundled with it.  Set before Scrapy is imported.
os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""

import json  # noqa: E402
import sys  # noqa: E402
from urllib.parse import urlsplit  # noqa: E402

from scrapy.crawler import CrawlerProcess  # noqa: E402
from scrapy.settings import Settings  # noqa: E402

from gongkai.extract.limit import die_with_parent  # noqa: E402

from .spiders.portal import PortalSpider  # noqa: E402


def crawl_settings(job: dict) -> Settings:
    """crawler/settings.py, then the job's overrides, then what the job implies."""
    settings = Settings()
    settings.setmodule("gongkai.crawler.settings", priority="project")
    settings.update(job.get("settings") or {}, priority="cmdline")
    settings.set("GONGKAI_ARCHIVE", str(job["archive_path"]), priority="cmdline")
    if _all_loopback(job) and settings.getbool("LOOPBACK_NO_DELAY"):
        # A portal on this machine (the demo, a test) is not a public server to spare.
        for name in ("DOWNLOAD_DELAY", "AUTOTHROTTLE_START_DELAY"):
            if name not in (job.get("settings") or {}):
                settings.set(name, 0, priority="cmdline")
    if job.get("log_file"):
        settings.set("LOG_FILE", job["log_file"], priority="cmdline")
    if job.get("redis_url"):
        frontier = job.get("frontier") or "gongkai"
        settings.set("EXTENSIONS", {**settings.getdict("EXTENSIONS"), "gongkai.crawler.frontier.SharedFrontier": 500},
                     priority="cmdline")
        settings.update({
            "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
            "DUPEFILTER_CLASS": "gongkai.crawler.frontier.RedisDupeFilter",
            "REDIS_URL": job["redis_url"],
            "SCHEDULER_PERSIST": True,
            "SCHEDULER_QUEUE_KEY": f"{frontier}:requests",
            "SCHEDULER_DUPEFILTER_KEY": f"{frontier}:dupefilter",
            "GONGKAI_IDLE_TIMEOUT": settings.getfloat("GONGKAI_IDLE_TIMEOUT") or 5.0,
        }, priority="cmdline")
        if "CONCURRENT_REQUESTS" not in (job.get("settings") or {}):
            # A worker takes from the shared queue only what it can fetch now, and leaves
            # the rest to the other workers instead of hoarding 16 requests.
            settings.set("CONCURRENT_REQUESTS", settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"),
                         priority="cmdline")
    return settings


def _all_loopback(job: dict) -> bool:
    hosts = {urlsplit(url).hostname for url in job["start_urls"]} | set(job.get("allowed_domains") or ())
    return bool(hosts) and hosts <= {"127.0.0.1", "localhost", "::1"}


def main(job_path: str) -> int:
    with open(job_path, encoding="utf-8") as handle:
        job = json.load(handle)
    # The crawl runs in a session of its own (so a timeout kills its browser too), which a
    # kill -9 of ``gongkai crawl`` does not reach: without this it would go on writing the
    # archive beside the next run, which has already closed it as interrupted.
    die_with_parent(job.get("parent_pid"))
    process = CrawlerProcess(crawl_settings(job))
    crawler = process.create_crawler(PortalSpider)
    process.crawl(
        crawler,
        start_urls=job["start_urls"],
        allowed_domains=job.get("allowed_domains"),
        site=job.get("site"),
        max_pages=job.get("max_pages"),
        max_drift=job.get("max_drift"),
        javascript=job.get("javascript", False),
        list_selectors=job.get("list_selectors") or [],
    )
    process.start()
    summary = crawler.stats.get_value("gongkai/summary")
    if summary is None:
        return 1
    result = json.loads(summary)
    result["stats"] = {k: v for k, v in crawler.stats.get_stats().items()
                       if isinstance(v, (int, float, str)) and not k.startswith("gongkai/summary")}
    with open(job["result_path"], "w", encoding="utf-8") as handle:
        json.dump(result, handle, ensure_ascii=False, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
