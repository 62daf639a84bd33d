"""Strip session ids from URLs (spider middleware, ``SESSION_ID_ENABLED``).

JSP and ASP portals write ``;jsessionid=…`` or ``?sid=…`` into every link, so each visit
makes every page look new and a crawl never ends.  Requests leave the spider with those
parameters removed; the duplicate filter then sees one URL per page.
"""

from __future__ import annotations

from typing import Any, AsyncIterator, Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scrapy import Request
from scrapy.exceptions import NotConfigured

from ..canonical import SESSION_PATH_PARAM, is_session_param


def strip_session_ids(url: str, params: Iterable[str]) -> str:
    """``url`` without ``;jsessionid=…`` path parameters and session-id query parameters."""
    names = {p.lower() for p in params}
    parts = urlsplit(url)
    path = SESSION_PATH_PARAM.sub("", parts.path)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not is_session_param(k, names)]
    query = parts.query if len(kept) == len(pairs) else urlencode(kept)
    return urlunsplit((parts.scheme, parts.netloc, path, query, parts.fragment))


class SessionIdMiddleware:
    def __init__(self, params: list[str]):
        self.params = params

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("SESSION_ID_ENABLED"):
            raise NotConfigured
        return cls(crawler.settings.getlist("SESSION_ID_PARAMS"))

    def _clean(self, item: Any) -> Any:
        if isinstance(item, Request):
            url = strip_session_ids(item.url, self.params)
            if url != item.url:
                return item.replace(url=url)
        return item

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for item in start:
            yield self._clean(item)

    def process_spider_output(self, response, result: Iterable[Any]) -> Iterable[Any]:
        for item in result:
            yield self._clean(item)

    async def process_spider_output_async(self, response, result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for item in result:
            yield self._clean(item)
