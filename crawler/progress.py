"""Crawl progress on the terminal: pages and files counted as the pipeline stores them.

The crawl runs in a child process that inherits the terminal's stderr, so the same
``archive.progress.Progress`` that draws ``gongkai build``'s bar draws a live count here (a
bar on a TTY, a plain line every few seconds under cron). The total is unknown while a site
is being discovered, so it shows counts and a rate, not an ETA.
"""

from __future__ import annotations

from collections import Counter

from scrapy import signals
from scrapy.exceptions import NotConfigured

from gongkai.archive.progress import Progress

from .items import Fetch


class CrawlProgress:
    """Count stored fetches by kind; switched off by ``PROGRESS_ENABLED = False``."""

    def __init__(self, interval: float):
        self.interval = interval
        self.counts: Counter[str] = Counter()
        self.progress: Progress | None = None

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("PROGRESS_ENABLED"):
            raise NotConfigured("PROGRESS_ENABLED is off")
        extension = cls(crawler.settings.getfloat("PROGRESS_INTERVAL"))
        crawler.signals.connect(extension.spider_opened, signals.spider_opened)
        crawler.signals.connect(extension.item_scraped, signals.item_scraped)
        crawler.signals.connect(extension.spider_closed, signals.spider_closed)
        return extension

    def spider_opened(self, spider) -> None:
        self.progress = Progress("crawl", interval=self.interval)

    def item_scraped(self, item, response, spider) -> None:
        if not isinstance(item, Fetch) or self.progress is None:
            return
        self.counts[item.kind] += 1
        if item.outcome == "error":
            self.counts["errors"] += 1
        self.progress.update(
            1, item=f"{self.counts['page']} pages, {self.counts['file']} files, "
                    f"{self.counts['errors']} errors")

    def spider_closed(self, spider) -> None:
        if self.progress is not None:
            self.progress.close()
