"""scrapy-playwright's download handler, started on the first request that needs Chromium.

The stock handler starts Playwright when the engine starts, for every crawl; most portals
never need a browser (only cookie challenges and sites marked ``javascript: true`` do), so
this one waits until a request asks for it.  Plain requests go to Scrapy's HTTP handler,
after waiting for their start time shared with the other workers (``--redis-url``,
``crawler.politeness``): here, the last step before a request leaves, no delay of ours can
come after the shared one.
"""

from __future__ import annotations

import asyncio
import logging

from scrapy import signals
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

from .politeness import shared_politeness


LAUNCH_TIMEOUT = 60


class LazyPlaywrightHandler(ScrapyPlaywrightDownloadHandler):
    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        crawler.signals.disconnect(self._maybe_launch_in_thread, signals.engine_started)
        self._launched = False
        self._launch_lock = asyncio.Lock()
        self.politeness = shared_politeness(crawler)

    async def download_request(self, request):
        if self.politeness is not None and not request.meta.get("playwright"):
            await self.politeness.wait(request.url)
        if request.meta.get("playwright") and not self._launched:
            async with self._launch_lock:
                if not self._launched:
                    # Bounded, so a Playwright driver that never starts fails the request
                    # (recorded as an error) instead of hanging the crawl.
                    await asyncio.wait_for(self._maybe_launch_in_thread(), LAUNCH_TIMEOUT)
                    self._launched = True
        return await super().download_request(request)

    async def close(self) -> None:
        """Close Chromium, but never let a stuck browser keep the crawl from ending."""
        try:
            await asyncio.wait_for(super().close(), LAUNCH_TIMEOUT)
        except asyncio.TimeoutError:
            logging.getLogger(__name__).warning("Chromium did not close within %d s", LAUNCH_TIMEOUT)


def skip_heavy_resources(request) -> bool:
    """``PLAYWRIGHT_ABORT_REQUEST``: a rendered list needs its scripts and data, not its
    images, fonts or media."""
    return request.resource_type in ("image", "media", "font")
