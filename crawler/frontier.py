"""A frontier shared through Redis (``--redis-url``): idle workers wait for the others'
links, and the frontier's keys expire after the crawl (``GONGKAI_FRONTIER_TTL``).

scrapy-redis keeps the request queue and the duplicate filter in Redis; this extension
only adds what a fleet of workers started by cron needs: a worker whose queue is momentarily
empty keeps polling for ``GONGKAI_IDLE_TIMEOUT`` seconds instead of closing, and the keys do
not pile up in Redis night after night.
"""

from __future__ import annotations

import logging
import time

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy_redis.dupefilter import RFPDupeFilter

from .canonical import fingerprint

logger = logging.getLogger(__name__)


class SharedFrontier:
    def __init__(self, idle_timeout: float, ttl: int, keys: list[str], settings):
        self.idle_timeout = idle_timeout
        self.ttl = ttl
        self.keys = keys
        self.settings = settings
        self.idle_since: float | None = None

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.get("REDIS_URL"):
            raise NotConfigured
        keys = [settings["SCHEDULER_QUEUE_KEY"], settings["SCHEDULER_DUPEFILTER_KEY"]]
        extension = cls(settings.getfloat("GONGKAI_IDLE_TIMEOUT"), settings.getint("GONGKAI_FRONTIER_TTL"),
                        keys, settings)
        crawler.signals.connect(extension.spider_idle, signals.spider_idle)
        crawler.signals.connect(extension.active, signals.response_received)
        crawler.signals.connect(extension.spider_closed, signals.spider_closed)
        return extension

    def active(self) -> None:
        self.idle_since = None

    def spider_idle(self) -> None:
        now = time.monotonic()
        if self.idle_since is None:
            self.idle_since = now
        if now - self.idle_since < self.idle_timeout:
            raise DontCloseSpider

    def spider_closed(self) -> None:
        if not self.ttl:
            return
        from scrapy_redis.connection import get_redis_from_settings

        server = get_redis_from_settings(self.settings)
        for key in self.keys:
            server.expire(key, self.ttl)


class RedisDupeFilter(RFPDupeFilter):
    """scrapy-redis's shared duplicate filter keyed by canonical URLs, as the single-process
    one is (``crawler.canonical``): ``/x/`` seen by one worker is ``/x/index.html`` to all."""

    def request_fingerprint(self, request) -> str:
        return fingerprint(request.method, request.url, request.body).hex()


def request_seen(crawler, request) -> bool:
    """Ask the duplicate filter in use (Redis-shared or not) about a request made outside
    the scheduler (by Chromium): True if it was seen before; it is seen from now on."""
    slot = getattr(crawler.engine, "_slot", None)
    dupefilter = getattr(getattr(slot, "scheduler", None), "df", None)
    return bool(dupefilter is not None and dupefilter.request_seen(request))
