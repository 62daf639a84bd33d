"""Solve 521/412 cookie challenges in Chromium, then fetch with plain requests
(``CHALLENGE_ENABLED``).

Anti-crawler gateways on many portals (加速乐 and similar) answer the first visit with
HTTP 521 or 412 and a page whose script computes a cookie and reloads.  Scrapy cannot run
the script, so the request is repeated in Debian's Chromium through scrapy-playwright; the
cookies the script set are read from the browser and handed to Scrapy's cookie jar, and
the original request is sent again as a plain request.  Later requests to the same site
carry the cookie, and Chromium uses the crawler's own User-Agent (``playwright_context_kwargs``),
because such cookies are bound to it.  Attachments are never opened in the browser (it
would show its PDF viewer, not the bytes).
"""

from __future__ import annotations

import asyncio
import logging
import time

from scrapy.exceptions import NotConfigured

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
_BROWSER_KEYS = ("playwright", "playwright_include_page", "playwright_page", "playwright_context",
                 "playwright_context_kwargs")


def looks_like_challenge(status: int, body: bytes, statuses: list[int]) -> bool:
    """A challenge is a blocked status whose small body is mostly a script."""
    return status in statuses and len(body) < 256 * 1024 and b"<script" in body.lower()


class ChallengeMiddleware:
    def __init__(self, statuses: list[int], timeout: float):
        self.statuses = statuses
        self.timeout = timeout

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("CHALLENGE_ENABLED"):
            raise NotConfigured
        middleware = cls(settings.getlist("CHALLENGE_STATUSES"), settings.getfloat("CHALLENGE_TIMEOUT"))
        middleware.stats = crawler.stats
        # The browser must present the crawler's User-Agent: challenge cookies are bound to it.
        middleware.context_kwargs = {"user_agent": settings["USER_AGENT"], "ignore_https_errors": True}
        return middleware

    async def process_response(self, request, response):
        if request.meta.get("challenge_attempts") and request.meta.get("playwright_page"):
            return await self._after_browser(request, response)
        if not looks_like_challenge(response.status, response.body, [int(s) for s in self.statuses]):
            return response
        attempts = request.meta.get("challenge_attempts", 0)
        if attempts >= MAX_ATTEMPTS:
            logger.warning("challenge not solved after %d attempts: %s", attempts, request.url)
            return response
        self.stats.inc_value("gongkai/challenges")
        logger.info("HTTP %d challenge at %s: solving in Chromium", response.status, request.url)
        hops = [*request.meta.get("challenge_hops", []), _hop(request, response, "challenged")]
        meta = {**request.meta, "playwright": True, "playwright_include_page": True, "challenge_hops": hops,
                "playwright_context": "challenge", "playwright_context_kwargs": self.context_kwargs,
                "challenge_attempts": attempts + 1}
        return request.replace(meta=meta, dont_filter=True)

    def process_exception(self, request, exception):
        """A Chromium visit to a challenge that failed (the browser busy or crashed, the
        challenge's own reload cutting the navigation short) is tried again, up to
        ``MAX_ATTEMPTS`` visits, rather than losing the whole site to one browser error."""
        attempts = request.meta.get("challenge_attempts", 0)
        if not attempts or not request.meta.get("playwright"):
            return None
        if attempts >= MAX_ATTEMPTS:
            logger.warning("challenge not solved after %d Chromium visits: %s (%s)",
                           attempts, request.url, exception)
            return None
        logger.warning("Chromium failed on the challenge at %s (%s): visiting again", request.url, exception)
        return request.replace(meta={**request.meta, "challenge_attempts": attempts + 1}, dont_filter=True)

    async def _after_browser(self, request, response):
        page = request.meta["playwright_page"]
        try:
            # Bounded: a browser that stops answering must not hold the crawl forever.
            cookies = await asyncio.wait_for(self._wait_for_cookies(page, request.url), self.timeout + 5)
        except asyncio.TimeoutError:
            logger.warning("Chromium did not answer within %.0f s for %s", self.timeout + 5, request.url)
            cookies = []
        finally:
            try:
                await asyncio.wait_for(page.close(), 10)
            except Exception:  # a page that will not close is left to the browser's shutdown
                logger.warning("could not close the challenge page for %s", request.url)
        meta = {k: v for k, v in request.meta.items() if k not in _BROWSER_KEYS}
        meta["challenge_hops"] = [*meta.get("challenge_hops", []),
                                  _hop(request, response, "solved" if cookies else "unsolved")]
        if not cookies:
            logger.warning("Chromium set no cookie for %s", request.url)
            return response
        self.stats.inc_value("gongkai/challenges_solved")
        jar = {c["name"]: c["value"] for c in cookies}
        return request.replace(meta=meta, cookies=jar, dont_filter=True)

    async def _wait_for_cookies(self, page, url: str) -> list[dict]:
        """Cookies the challenge script set, once it has set any and the page has settled."""
        deadline = time.monotonic() + self.timeout
        cookies: list[dict] = []
        while time.monotonic() < deadline:
            cookies = await page.context.cookies(url)
            if cookies:
                try:
                    await page.wait_for_load_state("load", timeout=2000)
                except Exception:  # the reload may still be running; the cookie is what counts
                    pass
                return await page.context.cookies(url)
            await asyncio.sleep(0.1)
        return cookies


def _hop(request, response, outcome: str) -> dict:
    """A challenged request, recorded by the spider as a ``challenge`` fetch."""
    return {"url": request.url, "status": response.status, "outcome": outcome,
            "duration": request.meta.get("download_latency")}
