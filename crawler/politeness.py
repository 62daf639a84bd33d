"""Per-site spacing of requests that holds for Chromium's requests and across workers.

Scrapy spaces its own requests per download slot (``DOWNLOAD_DELAY``, AutoThrottle,
robots.txt ``Crawl-delay``), one process at a time.  Two things escape it: the requests
Chromium makes while rendering a list page, and the other workers of a shared Redis
frontier.  ``Politeness`` keeps, per host, the earliest time the next request may leave: in
this process, or in Redis (``shared_politeness``, on with ``--redis-url``), where a Lua
script on the server's clock grants the turn.  A turn is granted only when it has come and
counts from that moment: a request told to wait books nothing, and asks again when it wakes,
so a worker that wakes late (a busy machine) sends later instead of squeezing the next one.
"""

from __future__ import annotations

import asyncio
import time
from urllib.parse import urlsplit

from scrapy import signals

# Grant a host's turn if it has come (the next turn: now + delay) and answer 0, else answer the
# seconds until it comes, booking nothing.
_GRANT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local allowed = tonumber(redis.call('GET', KEYS[1]) or '0')
if now < allowed then
  return tostring(allowed - now)
end
redis.call('SET', KEYS[1], tostring(now + tonumber(ARGV[1])), 'PX', tonumber(ARGV[2]))
return '0'
"""


class Politeness:
    """Turns per host for one crawl process (shared through Redis when ``server``)."""

    def __init__(self, crawler, server=None, prefix: str = "gongkai:politeness"):
        self.crawler = crawler
        self.server = server
        self.prefix = prefix
        self.allowed: dict[str, float] = {}  # host -> when its next turn comes (local mode)
        self.script = server.register_script(_GRANT) if server is not None else None

    @classmethod
    def for_crawler(cls, crawler) -> "Politeness":
        """One per crawler: Redis-shared with ``REDIS_URL`` (unless ``SHARED_POLITENESS_ENABLED``
        is off), else local."""
        existing = getattr(crawler, "gongkai_politeness", None)
        if existing is None:
            server = None
            if _shared(crawler.settings):
                from scrapy_redis.connection import get_redis_from_settings

                server = get_redis_from_settings(crawler.settings)
            prefix = crawler.settings.get("SCHEDULER_QUEUE_KEY", "gongkai").rsplit(":", 1)[0] + ":politeness"
            existing = cls(crawler, server, prefix)
            crawler.gongkai_politeness = existing
            if server is None:
                crawler.signals.connect(existing.scrapy_request, signals.request_reached_downloader)
        return existing

    def delay(self, url: str) -> float:
        """The site's delay now: its download slot's (robots Crawl-delay and AutoThrottle
        included), else ``DOWNLOAD_DELAY``."""
        downloader = getattr(self.crawler.engine, "downloader", None)
        host = (urlsplit(url).hostname or "").lower()
        slot = downloader.slots.get(host) if downloader is not None else None
        return slot.delay if slot is not None else self.crawler.settings.getfloat("DOWNLOAD_DELAY")

    def turn(self, url: str) -> float:
        """Take the host's turn if it has come (answer 0), else the seconds until it comes."""
        delay = self.delay(url)
        host = (urlsplit(url).hostname or "").lower()
        if self.script is not None:
            ttl = int(max(delay, 1) * 1000 * 10)
            return max(0.0, float(self.script(keys=[f"{self.prefix}:{host}"], args=[delay, ttl])))
        now = time.monotonic()
        if now < self.allowed.get(host, 0.0):
            return self.allowed[host] - now
        self.allowed[host] = now + delay
        return 0.0

    async def wait(self, url: str) -> None:
        """Return when the request may leave, its turn taken."""
        while (pause := self.turn(url)) > 0:
            await asyncio.sleep(pause)

    def scrapy_request(self, request, spider) -> None:
        """Scrapy's own requests take their turn too, so Chromium's keep their distance."""
        host = (urlsplit(request.url).hostname or "").lower()
        self.allowed[host] = max(self.allowed.get(host, 0.0), time.monotonic() + self.delay(request.url))


def shared_politeness(crawler) -> Politeness | None:
    """With ``--redis-url`` (and ``SHARED_POLITENESS_ENABLED``): the Redis-shared turns
    that the download handler (``crawler/browser.py``) waits for just before each request
    leaves, after the worker's own download slot has spaced it, so that a slot delaying a
    request cannot squeeze it against another worker's."""
    return Politeness.for_crawler(crawler) if _shared(crawler.settings) else None


def _shared(settings) -> bool:
    return bool(settings.get("REDIS_URL")) and settings.getbool("SHARED_POLITENESS_ENABLED")
