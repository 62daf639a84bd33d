"""Decode GBK/GB2312 pages whose charset is wrong or missing (``ENCODING_FIX_ENABLED``).

Scrapy trusts the HTTP header first.  Chinese portals on Tomcat or IIS often send
``charset=ISO-8859-1`` (the server default) or ``utf-8`` for pages written in GBK, or no
charset at all; the text then turns into mojibake and every 预算 link is lost.  Here the
header is believed only if the body really decodes with it; otherwise the page's
``<meta charset>``, then UTF-8, then GB18030 (a superset of GBK and GB2312) are tried.
"""

from __future__ import annotations

from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse, TextResponse
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, resolve_encoding

# Server defaults that say nothing about a Chinese page's real charset.
UNTRUSTED_HEADER_ENCODINGS = {"cp1252", "latin-1", "latin1", "iso8859-1", "iso-8859-1", "ascii", "us-ascii"}


def best_encoding(body: bytes, content_type: str | None) -> str:
    """The first candidate charset that decodes ``body`` without errors."""
    header = http_content_type_encoding(content_type) if content_type else None
    candidates = []
    if header and header.lower() not in UNTRUSTED_HEADER_ENCODINGS:
        candidates.append(header)
    declared = html_body_declared_encoding(body)
    if declared:
        candidates.append(declared)
    candidates += ["utf-8", "gb18030"]
    for candidate in candidates:
        encoding = resolve_encoding(candidate) or candidate
        try:
            body.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        return encoding
    return "gb18030"


class EncodingMiddleware:
    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("ENCODING_FIX_ENABLED"):
            raise NotConfigured
        return cls()

    def process_response(self, request, response):
        if not isinstance(response, HtmlResponse) and not (
            isinstance(response, TextResponse) and b"<html" in response.body[:2048].lower()
        ):
            return response
        content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
        encoding = best_encoding(response.body, content_type)
        if resolve_encoding(response.encoding) == encoding:
            return response
        return response.replace(encoding=encoding)
