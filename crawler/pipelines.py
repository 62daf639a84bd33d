"""The archive pipeline: every ``Fetch`` becomes a ``fetches`` row, every disclosure's
bytes a content-addressed file, and the run a ``crawl_runs`` row."""

from __future__ import annotations

import json
import logging

from scrapy import signals
from scrapy.exceptions import NotConfigured

from gongkai.archive import Archive

from .items import Fetch, LearnedEndpoint

logger = logging.getLogger(__name__)


class ArchivePipeline:
    """Store fetches and files in the archive at ``GONGKAI_ARCHIVE``.

    A file's outcome compares it with the last version stored for its URL: ``new``
    (never seen), ``changed`` (the URL now serves other bytes; both versions are kept),
    ``unchanged``, or ``duplicate`` (bytes already archived under another URL).
    """

    def __init__(self, archive_path: str):
        self.archive_path = archive_path
        self.archive: Archive | None = None
        self.run_id: int | None = None
        self.close_reason = "finished"

    @classmethod
    def from_crawler(cls, crawler):
        path = crawler.settings.get("GONGKAI_ARCHIVE")
        if not path:
            raise NotConfigured("GONGKAI_ARCHIVE is not set")
        pipeline = cls(path)
        pipeline.crawler = crawler
        crawler.signals.connect(pipeline.robots_fetched, signals.response_received)
        crawler.signals.connect(pipeline.redirect_dropped, signals.request_dropped)
        crawler.signals.connect(pipeline.redirect_off_site, signals.request_scheduled)
        crawler.signals.connect(pipeline.spider_closed, signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        spider = self.crawler.spider
        # One commit per fetch: NORMAL skips the fsync per commit yet survives a killed
        # process (only a power cut can lose the last fetch rows; file bytes are fsynced by
        # store_file before their row).
        self.archive = Archive(self.archive_path, synchronous="NORMAL")
        self.run_id = self.archive.start_run(list(spider.start_urls), site=getattr(spider, "site", None))
        self.crawler.stats.set_value("gongkai/run_id", self.run_id)

    def spider_closed(self, reason: str) -> None:
        self.close_reason = reason

    def close_spider(self) -> None:
        status = "finished" if self.close_reason in ("finished", "closespider_pagecount") else "failed"
        summary = self.archive.finish_run(self.run_id, status=status)
        self.crawler.stats.set_value("gongkai/summary", json.dumps(summary))
        self.archive.close()

    def process_item(self, item):
        if isinstance(item, LearnedEndpoint):
            self.archive.save_list_endpoint(self.run_id, item.endpoint)
            return item
        if not isinstance(item, Fetch):
            return item
        row = item.row()
        if item.outcome == "not_modified":
            # A 304 may omit the validators: keep the last ones, so the next run can ask again.
            latest = self.archive.latest_file_version(item.url)
            if latest:
                row["sha256"] = latest.sha256
                row["etag"] = row["etag"] or latest.etag
                row["last_modified"] = row["last_modified"] or latest.last_modified
        if item.body is None:
            self.archive.record_fetch(run_id=self.run_id, **row)
            return item
        latest = self.archive.latest_file_version(item.url)
        previous = latest.sha256 if latest else None
        with self.archive.transaction():
            sha256, is_new = self.archive.store_file(
                item.body, url=item.url, filename=item.filename,
                content_type=item.content_type, file_format=item.file_format,
            )
            if previous == sha256:
                outcome = "unchanged"
            elif previous is not None:
                outcome = "changed"
            else:
                outcome = "new" if is_new else "duplicate"
            row.update(sha256=sha256, size=len(item.body), outcome=outcome)
            self.archive.record_fetch(run_id=self.run_id, **row)
        item.body = None  # do not keep the bytes alive in stats or logs
        item.sha256, item.outcome = sha256, outcome
        return item

    def robots_fetched(self, response, request) -> None:
        """robots.txt requests never reach the spider; record them here."""
        if self.archive is None or not request.meta.get("dont_obey_robotstxt") \
                or not request.url.endswith("/robots.txt"):
            return
        self.archive.record_fetch(
            run_id=self.run_id, url=request.url, kind="robots", status=response.status,
            outcome="fetched", content_type=(response.headers.get("Content-Type") or b"").decode("latin-1") or None,
            size=len(response.body), duration=request.meta.get("download_latency"),
        )

    def redirect_dropped(self, request) -> None:
        """A redirect to an address already requested is dropped by the scheduler's duplicate
        filter and reaches no callback: record it (a loop, when the address is one of its
        own hops)."""
        hops = request.meta.get("redirect_urls")
        if not hops:
            return
        if request.url in hops:
            self._redirect_not_followed(request, "error", (
                f"redirect loop: {hops[-1]} redirects back to {request.url} "
                f"({len(hops)} redirects from {hops[0]})"))
        else:
            self._redirect_not_followed(request, "skipped",
                                        f"redirects to {request.url}, already requested")

    def redirect_off_site(self, request) -> None:
        """Scrapy's OffsiteMiddleware drops a redirect off the portal while scheduling it,
        silently: record it."""
        spider = self.crawler.spider
        if (request.meta.get("redirect_urls") and not request.dont_filter
                and not request.meta.get("allow_offsite") and not spider.in_scope(request.url)):
            self._redirect_not_followed(
                request, "skipped", f"redirected off the portal to {request.url}: not followed")

    def _redirect_not_followed(self, request, outcome: str, reason: str) -> None:
        if self.archive is None:
            return
        first = request.meta["redirect_urls"][0]
        logger.warning("gave up on %s: %s", first, reason)
        self.archive.record_fetch(
            run_id=self.run_id, url=first, kind=request.meta.get("kind", "page"),
            outcome=outcome, link_text=request.meta.get("link_text"), error=reason,
        )
