"""robots.txt as Scrapy obeys it, plus its ``Crawl-delay`` (``ROBOTSTXT_OBEY``,
``ROBOTS_CRAWL_DELAY_MAX``).

Scrapy's RobotsTxtMiddleware reads Allow/Disallow but ignores Crawl-delay, which many
portals set to keep crawlers slow.  This subclass applies it to the site's download slot
(capped, so a robots.txt asking for an hour does not stall the run) and tells AutoThrottle
not to lower it again.  The slot exists from the site's first request on, so the delay
holds from the second request.
"""

from __future__ import annotations

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware


class RobotsCrawlDelayMiddleware(RobotsTxtMiddleware):
    def __init__(self, crawler):
        super().__init__(crawler)  # NotConfigured when ROBOTSTXT_OBEY is off
        self.max_delay = crawler.settings.getfloat("ROBOTS_CRAWL_DELAY_MAX")

    def process_request_2(self, rp, request) -> None:
        super().process_request_2(rp, request)  # IgnoreRequest when disallowed
        if rp is None:
            return
        user_agent = self._robotstxt_useragent or request.headers.get(b"User-Agent", self._default_useragent)
        delay = rp.crawl_delay(user_agent)
        if not delay:
            return
        request.meta["autothrottle_dont_adjust_delay"] = True
        downloader = self.crawler.engine.downloader
        slot = downloader.slots.get(downloader.get_slot_key(request))
        if slot is not None:
            slot.delay = max(slot.delay, min(delay, self.max_delay))
            slot.jitter = 0  # a randomised delay would sometimes fall below the asked one
