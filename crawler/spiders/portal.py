"""The focused portal spider: from start pages to every disclosure file a portal publishes.

Pages are followed when their link points toward disclosures (see ``crawler.focus``);
attachment links are fetched unless their names mark them as announcements, and a fetched
file is kept only when its link text, its file name (Content-Disposition included), its
first page or the page that links it says it is a 预算/决算.  Every request becomes a
``Fetch`` item, successes and failures alike; the archive pipeline stores them.
"""

from __future__ import annotations

import os
from typing import Any, AsyncIterator, Iterator
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy_playwright.page import PageMethod
from twisted.internet.error import DNSLookupError, TimeoutError as TwistedTimeoutError
from twisted.internet.threads import deferToThread
from twisted.python.failure import Failure

from gongkai.archive import Archive

from .. import article, endpoints, focus, links, scripted
from ..canonical import canonical_url
from ..endpoints import ListEndpoint
from ..frontier import request_seen
from ..disposition import filename_from_disposition
from ..domains import portal_domains
from ..firstpage import FirstPageUnread, first_page_text
from ..items import Fetch, LearnedEndpoint

# Content types of attachments served without a telling URL (download servlets).
FORMAT_BY_CONTENT_TYPE = {
    "application/pdf": "pdf",
    "application/x-pdf": "pdf",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/zip": "zip",
    "application/x-zip-compressed": "zip",
    "application/vnd.ms-works": "wps",
    "application/kswps": "wps",
    "application/kset": "et",
}
FILE_PRIORITY = 10  # files first: a page budget never leaves found files unfetched


class PortalSpider(scrapy.Spider):
    """Crawl one portal (or a few start URLs) for 部门预算/部门决算 files.

    :param start_urls: pages to start from.
    :param allowed_domains: domains to stay on (their subdomains included); defaults to the
        start URLs' registered domains (``crawler.domains``).
    :param site: the sites.yaml name, recorded with the run.
    :param max_pages: stop following new pages after this many (files are still fetched).
    :param max_drift: how many off-topic links in a row to follow (FOCUS_MAX_DRIFT).
    :param javascript: render pages in Chromium (sites whose lists need scripts to appear).
    :param list_selectors: CSS selectors (sites.yaml hint) of the portal's disclosure lists:
        their links are followed as on topic.
    """

    name = "portal"

    def __init__(
        self,
        start_urls: list[str] | None = None,
        allowed_domains: list[str] | None = None,
        site: str | None = None,
        max_pages: int | None = None,
        max_drift: int | None = None,
        javascript: bool = False,
        list_selectors: list[str] | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.start_urls = list(start_urls or [])
        self.allowed_domains = list(allowed_domains or portal_domains(self.start_urls))
        self.site = site
        self.max_pages = max_pages
        self.max_drift = max_drift
        self.javascript = javascript
        self.list_selectors = list(list_selectors or [])
        self.pages_requested: set[str] = set()
        self.known_endpoints: dict[str, list[dict]] = {}
        self.render_lists = True

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any) -> "PortalSpider":
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        if spider.max_drift is None:
            spider.max_drift = settings.getint("FOCUS_MAX_DRIFT")
        if spider.max_pages is None and settings.getint("GONGKAI_MAX_PAGES"):
            spider.max_pages = settings.getint("GONGKAI_MAX_PAGES")
        spider.render_lists = settings.getbool("RENDER_ENABLED")
        if settings.get("GONGKAI_ARCHIVE") and os.path.exists(settings["GONGKAI_ARCHIVE"]):
            with Archive(settings["GONGKAI_ARCHIVE"]) as archive:
                spider.known_endpoints = archive.list_endpoints()
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        # Start pages go through the duplicate filter too, so workers sharing a Redis
        # frontier fetch each start page once.
        for url in self.start_urls:
            request = self.page_request(url, drift=0, link_text=None)
            if request is not None:
                yield request

    # -- requests ---------------------------------------------------------------------

    def page_request(self, url: str, *, drift: int, link_text: str | None,
                     page_title: str | None = None) -> scrapy.Request | None:
        key = canonical_url(url)
        if self.max_pages is not None and key not in self.pages_requested \
                and len(self.pages_requested) >= self.max_pages:
            return None
        self.pages_requested.add(key)
        meta = {"kind": "page", "drift": drift, "link_text": link_text, "page_title": page_title}
        if self.javascript:
            meta.update(playwright=True, playwright_context="render",
                        playwright_context_kwargs={"user_agent": self.settings["USER_AGENT"],
                                                   "ignore_https_errors": True},
                        playwright_page_methods=[PageMethod("wait_for_load_state", "networkidle")])
        return scrapy.Request(url, callback=self.parse_page, errback=self.failed,
                              priority=focus.link_priority(link_text, url, drift), meta=meta)

    def file_request(self, url: str, *, link_text: str, page_title: str) -> scrapy.Request:
        meta = {"kind": "file", "link_text": link_text, "page_title": page_title}
        return scrapy.Request(url, callback=self.parse_file, errback=self.failed,
                              priority=FILE_PRIORITY, meta=meta)

    # -- pages ------------------------------------------------------------------------

    async def parse_page(self, response: Response) -> AsyncIterator[Any]:
        if _is_file_response(response):
            async for item in self.parse_file(response):
                yield item
            return
        for item in self._page_items(response):
            yield item

    def _page_items(self, response: Response) -> Iterator[Any]:
        """A page's fetch rows, and requests for the files, pages and lists it links."""
        if response.status == 304:  # an HTML disclosure archived before (middlewares/conditional.py)
            yield _fetch(response, kind="file", outcome="not_modified")
            return
        limit = self.settings.getint("PAGE_MAX_SIZE")
        if isinstance(response, TextResponse) and limit and len(response.body) > limit:
            # Parsed, a page takes ten times its size: a hostile one must stay unread.
            reason = f"a page of {len(response.body)} bytes, more than PAGE_MAX_SIZE ({limit}): not read"
            self.logger.warning("gave up on %s: %s", response.url, reason)
            yield from _redirect_hops(response)
            yield _fetch(response, kind="page", outcome="error", error=reason)
            return
        rendered = response.meta.get("rendered")
        if rendered is not None:
            yield from self._browser_fetches(rendered, response.url)
        elif not isinstance(response, TextResponse) or response.meta.get("endpoint") or _is_json(response):
            yield from _redirect_hops(response)
            yield _fetch(response, kind="page", outcome="fetched")
        if not isinstance(response, TextResponse):
            return
        if response.meta.get("endpoint") or _is_json(response):
            yield from self._parse_listing(response)
            return
        found, title = links.page_links(response), links.page_title(response)
        if rendered is None:
            yield from _redirect_hops(response)
            if article.is_disclosure_article(title, links.page_text(response)):
                yield _fetch(response, kind="file", outcome="stored", body=response.body, file_format="html",
                             filename=focus.file_name_from_url(response.url) or "index.html")
            else:
                yield _fetch(response, kind="page", outcome="fetched")
        listed, apis = links.listed_urls(response, self.list_selectors), links.api_urls(response)
        if rendered is not None:
            found, listed = self._rendered_links(rendered, response, found, listed)
        yield from self._follow(found, listed, title, response.meta.get("drift", 0), response.url)
        apis = [api for api in apis if self.in_scope(api)]
        for api in apis:
            # Written out in the script: no browser needed to page through it.
            yield self.endpoint_request(endpoints.from_url(canonical_url(response.url), api), None, page_title=title)
        if rendered is not None:
            yield from self._learn_endpoints(rendered, response.url, title)
        elif canonical_url(response.url) in self.known_endpoints:
            for endpoint in self.known_endpoints[canonical_url(response.url)]:
                yield self.endpoint_request(ListEndpoint(**endpoint), endpoint["first"], page_title=title)
        elif not apis and self.render_lists and not self.javascript and scripted.needs_rendering(
                response.text, response.url, found, title=title, link_text=response.meta.get("link_text")):
            yield self.render_request(response, title)

    def _follow(self, found: list[tuple[str, str]], listed: set[str], title: str, drift: int,
                page_url: str) -> Iterator[Any]:
        limit = self.settings.getint("PAGE_MAX_LINKS")
        if limit and len(found) > limit:
            # Each link followed is a request held in memory: a page of a million links
            # must not queue a million.
            self.logger.warning("%s has %d links; following the first %d (PAGE_MAX_LINKS)",
                                page_url, len(found), limit)
            self.crawler.stats.inc_value("gongkai/links_not_followed", len(found) - limit)
            found = found[:limit]
        drift = 0 if focus.DISCLOSURE_TERMS.search(title) else drift
        for url, text in found:
            if not self.in_scope(url):
                continue
            if focus.is_attachment_link(url):
                if focus.name_verdict(text, focus.file_name_from_url(url)) is not focus.Verdict.NOT_DISCLOSURE:
                    yield self.file_request(url, link_text=text, page_title=title)
                continue
            next_drift = 0 if url in listed else focus.follow_drift(text, url, drift, self.max_drift)
            if next_drift is not None:
                yield from self._page(url, drift=next_drift, link_text=text, page_title=title)

    # -- lists built by scripts ---------------------------------------------------------

    def render_request(self, response: TextResponse, title: str) -> scrapy.Request:
        """Render this page once in Chromium from the body we have (``middlewares/render.py``)."""
        self.crawler.stats.inc_value("gongkai/rendered_pages")
        meta = {"kind": "page", "render": True, "render_body": response.body,
                "render_content_type": _header(response, "Content-Type") or None,
                "drift": response.meta.get("drift", 0), "link_text": response.meta.get("link_text"),
                "page_title": title}
        return scrapy.Request(response.url, callback=self.parse_page, errback=self.failed, dont_filter=True,
                              priority=focus.link_priority(title, response.url, 0), meta=meta)

    def endpoint_request(self, endpoint: ListEndpoint, value: int | None, *, page_title: str,
                         previous: str | None = None) -> scrapy.Request:
        """Page ``value`` of a list endpoint (None: the call as seen), as a plain request."""
        value = endpoint.first if value is None else value
        url, method, body = endpoint.request(value)
        headers = {"X-Requested-With": "XMLHttpRequest", "Referer": endpoint.page_url}
        if body:
            headers["Content-Type"] = endpoint.content_type or (
                "application/json" if endpoint.location == "json" else "application/x-www-form-urlencoded")
        meta = {"kind": "page", "endpoint": endpoint.as_dict(), "page_number": value, "previous_items": previous,
                "link_text": f"list endpoint page {value}", "page_title": page_title, "drift": 0}
        return scrapy.Request(url, method=method, body=body, headers=headers, callback=self.parse_page,
                              errback=self.failed, priority=3, meta=meta)

    def _parse_listing(self, response: TextResponse) -> Iterator[Any]:
        """Items of a JSON (or fragment) answer, then the endpoint's next page while pages
        bring new items and the stated page count allows."""
        found = links.json_links(response.text, response.url)
        title = response.meta.get("page_title") or ""
        yield from self._follow(found, {url for url, _ in found}, title, 0, response.url)
        if not response.meta.get("endpoint"):
            return
        endpoint = ListEndpoint(**response.meta["endpoint"])
        items = "|".join(sorted(url for url, _ in found))
        if not endpoint.page_param or not found or items == response.meta.get("previous_items"):
            return
        number = response.meta["page_number"]
        total = endpoints.total_pages(response.text, endpoint, len(found))
        if total is None or (number - endpoint.first) // endpoint.step + 1 < total:
            yield self.endpoint_request(endpoint, number + endpoint.step, page_title=title, previous=items)

    def _rendered_links(self, rendered: dict, response: TextResponse, found, listed):
        """Links of every DOM snapshot (a "next" control may replace the list) and of the
        calls' answers; all of them are list items."""
        every = dict(found)
        for html in rendered["snapshots"]:
            snapshot = HtmlResponse(response.url, body=html.encode("utf-8"), encoding="utf-8")
            for url, text in links.page_links(snapshot):
                if url not in every or (text and not every[url]):
                    every[url] = text
        for call in rendered["calls"]:
            for url, text in links.json_links(call["text"], call["url"]):
                every.setdefault(url, text)
        plain = {url for url, _ in found}
        return list(every.items()), listed | (set(every) - plain)

    def _learn_endpoints(self, rendered: dict, page_url: str, title: str) -> Iterator[Any]:
        calls = [endpoints.Call(c["url"], c["method"], c["body"], c["content_type"], c["text"])
                 for c in rendered["calls"]]
        for endpoint in endpoints.learn(canonical_url(page_url), calls):
            yield LearnedEndpoint(endpoint.as_dict())
            if not endpoint.page_param:
                continue
            seen = [endpoints.page_value(endpoint, call) for call in calls]
            last = max((v for v in seen if v is not None), default=endpoint.first)
            yield self.endpoint_request(endpoint, last + endpoint.step, page_title=title)

    def _browser_fetches(self, rendered: dict, page_url: str) -> Iterator[Fetch]:
        """Requests Chromium made are fetch rows, and seen: the spider does not repeat them."""
        for row in rendered["fetches"]:
            method, body = row.pop("method", "GET"), row.pop("post_data", None)
            if row["outcome"] == "fetched":
                request_seen(self.crawler, scrapy.Request(row["url"], method=method or "GET",
                                                          body=(body or "").encode("utf-8")))
            yield Fetch(**row)

    def _page(self, url: str, **kwargs: Any) -> Iterator[scrapy.Request]:
        request = self.page_request(url, **kwargs)
        if request is not None:
            yield request

    def in_scope(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.allowed_domains)

    # -- files ------------------------------------------------------------------------

    async def parse_file(self, response: Response) -> AsyncIterator[Any]:
        if response.status == 304:
            yield _fetch(response, kind="file", outcome="not_modified")
            return
        if not _is_file_response(response):
            # A download link that answered with a page (an error page, a login form).
            response.meta["kind"] = "page"
            for item in self._page_items(response):
                yield item
            return
        for item in _redirect_hops(response):
            yield item
        disposition_name = filename_from_disposition(response.headers.get("Content-Disposition"))
        url_name = focus.file_name_from_url(response.url)
        filename = disposition_name or url_name
        file_format = (
            focus.attachment_format(response.url, disposition_name)
            or FORMAT_BY_CONTENT_TYPE.get(_header(response, "Content-Type").split(";")[0].strip().lower())
            or ("pdf" if response.body[:1024].lstrip().startswith(b"%PDF") else None)
        )
        link_text = response.meta.get("link_text")
        verdict = focus.name_verdict(link_text, disposition_name, url_name)
        unread = None  # why the first page could not be judged
        if verdict is focus.Verdict.UNKNOWN and file_format == "pdf":
            verdict, unread = await self._first_page_verdict(response)
        if verdict is focus.Verdict.UNKNOWN:
            # Names that leave it open (附件1, 绩效目标表): the article that links it decides.
            verdict = focus.name_verdict(response.meta.get("page_title"))
        if verdict is not focus.Verdict.DISCLOSURE or file_format is None:
            yield _fetch(response, kind="file", outcome="skipped", filename=filename,
                         error=unread or (None if file_format else "not a disclosure format"))
            return
        yield _fetch(response, kind="file", outcome="stored", filename=filename,
                     body=response.body, file_format=file_format, error=unread)

    async def _first_page_verdict(self, response: Response) -> tuple[focus.Verdict, str | None]:
        """What the first page says, read in a thread (the child process it starts may take
        up to FIRST_PAGE_TIMEOUT, and the other downloads go on meanwhile); with the reason
        when it could not be read."""
        try:
            text = await maybe_deferred_to_future(deferToThread(
                first_page_text, response.body,
                timeout=self.settings.getfloat("FIRST_PAGE_TIMEOUT"),
                memory_mb=self.settings.getint("FIRST_PAGE_MAX_MEMORY")))
        except FirstPageUnread as error:
            self.logger.warning("%s: %s", response.url, error)
            return focus.Verdict.UNKNOWN, str(error)
        return focus.text_verdict(text), None

    # -- failures ---------------------------------------------------------------------

    def failed(self, failure: Failure) -> Iterator[Fetch]:
        """Record a request that failed or that the crawler gave up on: HTTP error, timeout,
        refused connection, redirect loop, a body past DOWNLOAD_MAXSIZE (a decompression
        bomb included). Each is a ``fetches`` row and a log line. (Redirects the scheduler
        drops, off the portal or back to an address already requested, are recorded by the
        pipeline.)"""
        request = failure.request
        response = getattr(failure.value, "response", None)
        if failure.check(IgnoreRequest) and not failure.check(HttpError) \
                and str(failure.value).startswith("Forbidden by robots.txt"):
            return  # robots.txt forbids it: nothing was fetched
        reason = describe_failure(failure, request)
        if response is not None:
            yield from _redirect_hops(response)
        self.logger.warning("gave up on %s: %s", request.url, reason)
        yield Fetch(
            url=response.url if response is not None else _first_url(request),
            kind=request.meta.get("kind", "page"),
            outcome="error",
            status=response.status if response is not None else None,
            referer=_referer(request),
            link_text=request.meta.get("link_text"),
            content_type=_header(response, "Content-Type") or None,
            duration=request.meta.get("download_latency"),
            error=reason,
        )


def _first_url(request: scrapy.Request) -> str:
    """The URL the crawler asked for, before any redirect."""
    return (request.meta.get("redirect_urls") or [request.url])[0]


def describe_failure(failure: Failure, request: scrapy.Request) -> str:
    """A one-line reason, naming the status, the network error or why the crawler gave up."""
    hops = request.meta.get("redirect_urls") or []
    if failure.check(IgnoreRequest) and not failure.check(HttpError):
        message = str(failure.value)
        if message == "max redirections reached":
            return (f"redirect loop: gave up after {len(hops)} redirects from {_first_url(request)}"
                    f" (last to {request.url})")
        return message  # Scrapy's own words: a decompression bomb, a dropped request…
    if failure.check(DownloadCancelledError):
        return (f"larger than DOWNLOAD_MAXSIZE, download cancelled: "
                f"{str(failure.value) or request.url}")
    if failure.check(HttpError):
        return f"HTTP {failure.value.response.status} for {request.url}"
    if failure.check(TwistedTimeoutError) or "TimeoutError" in type(failure.value).__name__:
        return f"timed out after {request.meta.get('download_timeout', '?')}s: {request.url}"
    if failure.check(DNSLookupError):
        return f"host not found: {request.url}"
    return f"{type(failure.value).__name__}: {failure.getErrorMessage()} ({request.url})"


def _fetch(response: Response, *, kind: str, outcome: str, **columns: Any) -> Fetch:
    return Fetch(
        url=response.url,
        kind=kind,
        outcome=outcome,
        status=response.status,
        referer=_referer(response.request),
        link_text=response.meta.get("link_text"),
        content_type=_header(response, "Content-Type") or None,
        etag=_header(response, "ETag") or None,
        last_modified=_header(response, "Last-Modified") or None,
        size=len(response.body),
        duration=response.meta.get("download_latency"),
        **columns,
    )


def _redirect_hops(response: Response) -> Iterator[Fetch]:
    """The requests before the one that answered: one ``challenge`` fetch per challenged
    request (see middlewares/challenge.py) and one ``redirect`` fetch per redirect hop."""
    link_text = response.meta.get("link_text")
    for hop in response.meta.get("challenge_hops") or []:
        yield Fetch(url=hop["url"], kind="challenge", outcome=hop["outcome"], status=hop["status"],
                    link_text=link_text, duration=hop.get("duration"))
    hops = response.meta.get("redirect_urls") or []
    reasons = response.meta.get("redirect_reasons") or []
    for url, reason in zip(hops, reasons):
        yield Fetch(url=url, kind="redirect", outcome="redirected",
                    status=reason if isinstance(reason, int) else None, link_text=link_text)
    # Counted once even if the response is parsed again as a page.
    response.meta["redirect_urls"] = []
    response.meta["challenge_hops"] = []


def _is_json(response: TextResponse) -> bool:
    return "json" in _header(response, "Content-Type").lower() or response.text.lstrip()[:1] in ("[", "{")


# Magic numbers of PDF, OLE (doc/xls/wps/et) and zip (docx/xlsx/zip): servers that send
# them as text/html or text/plain still send files.
FILE_SIGNATURES = (b"%PDF", b"\xd0\xcf\x11\xe0", b"PK\x03\x04")


def _is_file_response(response: Response) -> bool:
    content_type = _header(response, "Content-Type").split(";")[0].strip().lower()
    disposition = _header(response, "Content-Disposition").lower()
    if "attachment" in disposition or "filename" in disposition:
        return True
    if content_type in FORMAT_BY_CONTENT_TYPE or content_type == "application/octet-stream":
        return True
    if response.body[:1024].lstrip().startswith(FILE_SIGNATURES):
        return True
    return not isinstance(response, TextResponse) and response.status != 304


def _header(response: Response | None, name: str) -> str:
    if response is None:
        return ""
    value = response.headers.get(name)
    return value.decode("latin-1") if value else ""


def _referer(request: scrapy.Request | None) -> str | None:
    if request is None:
        return None
    value = request.headers.get("Referer")
    return value.decode("latin-1") if value else None

