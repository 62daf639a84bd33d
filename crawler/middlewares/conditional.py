"""Conditional requests for archived files (``CONDITIONAL_REQUESTS_ENABLED``).

A re-crawl asks for each known file URL with ``If-None-Match`` (its last ETag) and
``If-Modified-Since`` (its last Last-Modified), so a server that supports them answers
``304 Not Modified`` and the body is not downloaded again.  The state is read from the
archive when the crawl opens (``crawler.state``).
"""

from __future__ import annotations

from scrapy.exceptions import NotConfigured

from gongkai.archive import FileVersion

from ..state import load_file_state


class ConditionalRequestMiddleware:
    def __init__(self, state: dict[str, FileVersion]):
        self.state = state

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("CONDITIONAL_REQUESTS_ENABLED") or not settings.get("GONGKAI_ARCHIVE"):
            raise NotConfigured
        return cls(load_file_state(settings["GONGKAI_ARCHIVE"]))

    def process_request(self, request):
        known = self.state.get(request.url)
        # Pages too: an HTML disclosure is a known URL with a stored version.
        if known is None or request.meta.get("kind") not in ("file", "page") or request.meta.get("playwright") \
                or request.meta.get("render"):
            return None
        if known.etag:
            request.headers.setdefault("If-None-Match", known.etag)
        if known.last_modified:
            request.headers.setdefault("If-Modified-Since", known.last_modified)
        if known.etag or known.last_modified:
            allowed = request.meta.setdefault("handle_httpstatus_list", [])
            if 304 not in allowed:
                allowed.append(304)
        return None
