"""Render a list page once in Chromium and see what its scripts fetch (``RENDER_ENABLED``).

A list filled by a script is empty in the HTML Scrapy downloads.  The spider asks for a
render (``meta["render"]``) with the body it already has; this component opens it in
Debian's Chromium through scrapy-playwright, serving the page from that body (so the page
is not requested twice), lets the scripts run, clicks "load more" / "next" controls that
only call scripts, and hands the spider every DOM snapshot and every call the scripts made
(``crawler.endpoints`` learns the list endpoints from them).

Every request Chromium makes passes through here first: images, fonts and media are
dropped, other sites' documents and calls are refused, robots.txt is asked as for any
request of ours, the per-site delay is kept (``crawler.politeness``), a script or style
sheet already fetched in this run is served from memory (but a script loaded with a
callback parameter is a JSONP call, a list endpoint like an XHR), and each request that
reached a server becomes a ``browser`` fetch row.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse

from ..browser import skip_heavy_resources
from ..canonical import canonical_url
from ..frontier import request_seen

logger = logging.getLogger(__name__)

MAX_CLICKS = 30            # "load more" clicks on one page
SETTLE_TIMEOUT = 10.0      # seconds to wait for the page's requests to finish
QUIET = 0.3                # seconds without requests that count as settled
CACHED_TYPES = ("script", "stylesheet")
CALL_TYPES = ("xhr", "fetch", "other")
# A script loaded with a callback parameter is a JSONP call (jQuery's $.getJSON("…?callback=?"),
# a <script> a list script adds): a list endpoint like any XHR, never cached.
JSONP_QUERY = re.compile(r"(?:^|&)(?:callback|jsonp|jsonpcallback|jsoncallback|cb)=", re.I)

# Controls that load the next items without a link to follow.
FIND_MORE = """() => {
  const words = /^(加载更多|查看更多|点击加载更多|点击查看更多|显示更多|更多|下一页|下页|后页|next|more|>|›|»|>>)$/i;
  const marked = document.querySelector('[data-gongkai-more]');
  if (marked) marked.removeAttribute('data-gongkai-more');
  for (const el of document.querySelectorAll('a,button,span,div,li,p,input[type=button]')) {
    const text = (el.innerText || el.value || '').trim();
    if (!words.test(text) || el.offsetParent === null || el.disabled) continue;
    if (/disabled|disable|nomore|no-more/i.test(el.className || '')) continue;
    if (el.tagName === 'A') {
      const href = (el.getAttribute('href') || '').trim();
      if (href && href !== '#' && !/^javascript:/i.test(href)) continue;  // a real link: the crawler follows it
    }
    if ([...el.children].some(c => words.test((c.innerText || '').trim()))) continue;
    el.setAttribute('data-gongkai-more', '1');
    return true;
  }
  return false;
}"""


# Every link target the DOM shows now.
PAGE_LINKS = "() => [...document.querySelectorAll('a[href], area[href], iframe[src]')].map(e => e.href || e.src)"


class RenderMiddleware:
    """Downloader middleware for requests marked ``meta["render"]`` by the spider."""

    def __init__(self, crawler, context_kwargs: dict[str, Any]):
        self.crawler = crawler
        self.context_kwargs = context_kwargs
        self.cache: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.robots: RobotsTxtMiddleware | None = None

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("RENDER_ENABLED"):
            raise NotConfigured
        return cls(crawler, {"user_agent": settings["USER_AGENT"], "ignore_https_errors": True})

    def process_request(self, request: Request):
        if not request.meta.get("render") or request.meta.get("playwright"):
            return None
        # Set here, after the scheduler (a Redis queue pickles requests): a bound method
        # and the page state never leave this process.
        request.meta.update({
            "playwright": True, "playwright_include_page": True, "playwright_context": "render",
            "playwright_context_kwargs": self.context_kwargs, "playwright_page_init_callback": self._route_page,
            "render_state": {"calls": [], "fetches": [], "pending": 0, "last": time.monotonic()},
        })
        return None

    async def process_response(self, request: Request, response):
        page = request.meta.get("playwright_page")
        state = request.meta.get("render_state")
        if page is None or state is None:
            return response
        snapshots: list[str] = []
        try:
            await self._settle(state)
            snapshots.append(await page.content())
            links = set(await page.evaluate(PAGE_LINKS))
            for _ in range(MAX_CLICKS):
                if not await page.evaluate(FIND_MORE):
                    break
                calls_before = len(state["calls"])
                try:
                    await page.click("[data-gongkai-more]", timeout=3000)
                except Exception as error:  # a control that cannot be clicked ends the paging
                    logger.info("could not click 'more' on %s: %s", request.url, error)
                    break
                await self._settle(state)
                now = set(await page.evaluate(PAGE_LINKS))
                if now <= links:
                    break  # the click brought no link not seen (a pager past its end, a script appended)
                links |= now
                snapshots.append(await page.content())
                if len(state["calls"]) > calls_before and _endpoint_seen_twice(state["calls"]):
                    break  # the endpoint and its page parameter are known: plain requests page on
        except Exception as error:  # a broken page keeps what it showed so far
            logger.warning("rendering %s failed: %s", request.url, error)
        finally:
            try:
                await asyncio.wait_for(page.close(), 10)
            except Exception:
                logger.warning("could not close the rendered page %s", request.url)
        meta = {k: v for k, v in request.meta.items()
                if k not in ("playwright_page", "playwright_page_init_callback", "render_state")}
        meta["rendered"] = {"snapshots": snapshots or [response.text], "calls": state["calls"],
                            "fetches": state["fetches"]}
        return HtmlResponse(request.url, status=200, body=(snapshots or [response.text])[-1].encode("utf-8"),
                            encoding="utf-8", request=request.replace(meta=meta))

    async def _settle(self, state: dict) -> None:
        """Wait until the page has made no request for QUIET seconds (bounded)."""
        deadline = time.monotonic() + SETTLE_TIMEOUT
        await asyncio.sleep(QUIET)
        while time.monotonic() < deadline:
            if state["pending"] == 0 and time.monotonic() - state["last"] >= QUIET:
                return
            await asyncio.sleep(0.05)

    # -- every request Chromium makes -------------------------------------------------------

    async def _route_page(self, page, request: Request) -> None:
        """``playwright_page_init_callback``: our route runs before scrapy-playwright's."""
        async def route(route, browser_request):
            await self._handle(route, browser_request, request)
        await page.route("**/*", route)

    async def _handle(self, route, browser_request, page_request: Request) -> None:
        state = page_request.meta["render_state"]
        url = browser_request.url
        if browser_request.is_navigation_request() and canonical_url(url) == canonical_url(page_request.url) \
                and browser_request.frame == browser_request.frame.page.main_frame:
            await route.fulfill(status=200, body=page_request.meta["render_body"],
                                headers={"Content-Type": page_request.meta.get("render_content_type")
                                         or "text/html; charset=utf-8"})
            return
        if skip_heavy_resources(browser_request) or not await self._allowed(browser_request, page_request):
            await route.abort()
            return
        call = _is_call(browser_request)
        cached = self.cache.get(url) if browser_request.method == "GET" and not call else None
        if cached is not None:
            await route.fulfill(status=cached[0], headers=cached[1], body=cached[2])
            return
        if call and request_seen(self.crawler, Request(
                url, method=browser_request.method, body=(browser_request.post_data or "").encode("utf-8"))):
            await route.abort()  # fetched already by a plain request (or another worker)
            return
        state["pending"] += 1
        started = time.monotonic()
        try:
            await self._politeness().wait(url)
            answer = await route.fetch()
            body = await answer.body()
            headers = answer.headers
            await route.fulfill(response=answer, body=body)
        except Exception as error:
            state["fetches"].append({"url": url, "kind": "browser", "outcome": "error", "error": str(error)[:300],
                                     "referer": page_request.url, "duration": time.monotonic() - started})
            try:
                await route.abort()
            except Exception:  # the page may be gone already
                pass
            return
        finally:
            state["pending"] -= 1
            state["last"] = time.monotonic()
        content_type = headers.get("content-type")
        state["fetches"].append({"url": url, "kind": "browser", "outcome": "fetched", "status": answer.status,
                                 "content_type": content_type, "size": len(body), "referer": page_request.url,
                                 "method": browser_request.method, "post_data": browser_request.post_data,
                                 "duration": time.monotonic() - started})
        if browser_request.resource_type in CACHED_TYPES and not call and answer.status == 200:
            self.cache[url] = (answer.status, headers, body)
        if call and answer.status == 200:
            state["calls"].append({"url": url, "method": browser_request.method, "body": browser_request.post_data,
                                   "content_type": browser_request.headers.get("content-type"),
                                   "text": body.decode("utf-8", "replace")[:2_000_000]})

    async def _allowed(self, browser_request, page_request: Request) -> bool:
        """In scope (documents and calls; other sites' scripts and styles may load) and
        allowed by the host's robots.txt, as any request of ours."""
        spider = self.crawler.spider
        if browser_request.resource_type not in CACHED_TYPES and not spider.in_scope(browser_request.url):
            return False
        robots = self._robots()
        if robots is None:
            return True
        probe = Request(browser_request.url, meta={"kind": "browser"})
        parser = await robots.robot_parser(probe)
        user_agent = robots._robotstxt_useragent or self.crawler.settings["USER_AGENT"]
        if parser is not None and not parser.allowed(browser_request.url, user_agent):
            self.crawler.stats.inc_value("robotstxt/forbidden")
            return False
        return True

    def _robots(self) -> RobotsTxtMiddleware | None:
        if self.robots is None:
            for middleware in self.crawler.engine.downloader.middleware.middlewares:
                if isinstance(middleware, RobotsTxtMiddleware):
                    self.robots = middleware
        return self.robots

    def _politeness(self):
        from ..politeness import Politeness

        return Politeness.for_crawler(self.crawler)


def _is_call(browser_request) -> bool:
    """A request a list script makes for data: XHR and fetch, and JSONP through a script tag."""
    return browser_request.resource_type in CALL_TYPES or (
        browser_request.resource_type == "script" and bool(JSONP_QUERY.search(urlsplit(browser_request.url).query)))


def _endpoint_seen_twice(calls: list[dict]) -> bool:
    """Two calls to one endpoint path: its page parameter can be read off their difference."""
    paths = [(c["method"], urlsplit(c["url"]).path) for c in calls]
    return len(paths) != len(set(paths))
