"""One name per page: the canonical form of a URL, so no page or file is requested twice.

Portals link one page many ways: ``/x/``, ``/x/index.html`` and ``/X/index.htm#top``;
``?b=2&a=1`` and ``?a=1&b=2``; ``http://WWW.X.gov.cn:80/``; ``;jsessionid=…``.  The crawler
requests the first form it meets, and the duplicate filter (``CanonicalFingerprinter``,
shared with scrapy-redis workers) knows every other form as the same page.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from typing import Iterable
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from scrapy import Request
from scrapy.utils.python import to_unicode

# The documents a web server answers for a directory (Apache, IIS, Tomcat, TRS, PHP).
DEFAULT_DOCUMENTS = frozenset(
    "index.html index.htm index.shtml index.shtm index.jsp index.php index.asp index.aspx "
    "default.html default.htm default.shtml default.asp default.aspx default.jsp".split()
)
SESSION_PARAMS = ("jsessionid", "phpsessid", "aspsessionid", "sessionid", "session_id", "sid",
                  "cfid", "cftoken")
DEFAULT_PORTS = {"http": 80, "https": 443}
SESSION_PATH_PARAM = re.compile(r";(?:jsessionid|phpsessid|sid)=[^/?#]*", re.IGNORECASE)
# Characters a path keeps unescaped; everything else is percent-encoded in upper case.
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


def canonical_url(url: str, session_params: Iterable[str] = SESSION_PARAMS) -> str:
    """The one name of the page ``url`` points at (for comparison, not for fetching).

    Lower-case scheme and host, no default port, no fragment, no session ids, query
    parameters sorted, percent-escapes normalised, ``//`` and dot segments folded, and a
    directory's default document dropped (``/x/index.html`` → ``/x/``).
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    netloc = host
    if parts.port is not None and parts.port != DEFAULT_PORTS.get(scheme):
        netloc = f"{host}:{parts.port}"
    path = SESSION_PATH_PARAM.sub("", parts.path) or "/"
    path = quote(unquote(path), safe=_PATH_SAFE)
    path = re.sub(r"/{2,}", "/", path)
    trailing = path.endswith("/")
    path = posixpath.normpath(path) + ("/" if trailing and path != "/" else "")
    if path.startswith("//"):
        path = path[1:]
    head, _, last = path.rpartition("/")
    if last.lower() in DEFAULT_DOCUMENTS:
        path = head + "/"
    names = {p.lower() for p in session_params}
    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not is_session_param(k, names)]
    query = urlencode(sorted(pairs), quote_via=quote, safe="-._~")
    return urlunsplit((scheme, netloc, path, query, ""))


def is_session_param(name: str, names: set[str]) -> bool:
    """ASP names its parameter ``ASPSESSIONIDxxxx``: match that prefix too."""
    lowered = name.lower()
    return lowered in names or ("aspsessionid" in names and lowered.startswith("aspsessionid"))


def fingerprint(method: str, url: str, body: bytes | None = None) -> bytes:
    """The duplicate filter's key: method, canonical URL and body."""
    data = {"method": method.upper(), "url": canonical_url(url), "body": (body or b"").hex()}
    return hashlib.sha1(json.dumps(data, sort_keys=True).encode()).digest()


class CanonicalFingerprinter:
    """``REQUEST_FINGERPRINTER_CLASS``: requests for one canonical URL share a fingerprint,
    in Scrapy's duplicate filter and in scrapy-redis's (``RedisDupeFilter`` below)."""

    @classmethod
    def from_crawler(cls, crawler) -> "CanonicalFingerprinter":
        return cls()

    def fingerprint(self, request: Request) -> bytes:
        return fingerprint(to_unicode(request.method), request.url, request.body)
