"""List endpoints: the JSON (or HTML-fragment) requests a list page's scripts make, learned
once in Chromium and then paged through with plain requests, in this run and later ones.

Whatever the framework (jQuery, Vue, a CMS's own pager, a bespoke ``fetch``), a list
filled by a script asks its server for a page of items; Chromium shows us those calls
(``middlewares/render.py``).  From the calls we keep the ones whose answers hold links,
find which parameter counts pages (the one that changed between two calls, else one named
like a page number, else the only small integer), and page on by changing it.  Pure
functions: no Scrapy, no HTTP.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from typing import Any, Iterator
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from parsel import Selector

MAX_PAGES = 200  # a pager claiming more is not believed
PAGE_NAMES = re.compile(r"^(?:page|pageno|pagenum|pagenumber|pageindex|pageidx|curpage|currentpage|current|"
                        r"pn|pg|p|page_no|page_num|page_index|cur|index|nowpage|ipage)$", re.I)
OFFSET_NAMES = re.compile(r"^(?:start|offset|from|skip|begin|startrow|firstresult)$", re.I)
SIZE_NAMES = re.compile(r"^(?:size|pagesize|page_size|rows|limit|perpage|per_page|ps|num|count|pagecount|"
                        r"length|max|pagerows)$", re.I)
TOTAL_PAGE_KEYS = re.compile(r"^(?:totalpages?|pages|pagecount|totalpage|page_count|total_page|maxpage|"
                             r"lastpage|pagetotal|pagenum|allpage)$", re.I)
TOTAL_ITEM_KEYS = re.compile(r"^(?:total|totalcount|totalrecords?|recordcount|totalnum|count|totalrows|"
                             r"totalsize|totalelements|total_count|records|rowcount|allcount)$", re.I)
_URLISH = re.compile(r"^(?:https?://|/|\./|\.\./)[^\s<>\"']*$|^[\w\-./]+\.(?:s?html?|jsp|do|aspx?|php|pdf|"
                     r"docx?|xlsx?|wps|et|zip)(?:\?[^\s]*)?$", re.I)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_JSONP = re.compile(r"^\s*[\w$.]+\s*\(\s*(.*?)\s*\)\s*;?\s*$", re.S)


@dataclass(frozen=True)
class ListEndpoint:
    """How to ask for page N of a list.

    :param page_url: the list page whose scripts call it.
    :param url: the call as made for the first page seen (query included).
    :param body: the request body (form or JSON), if a POST.
    :param page_param: the parameter that counts pages (None: the list has one page).
    :param location: where that parameter lives: ``query``, ``form`` or ``json``.
    :param first: its value in the call seen; ``step`` what the next page adds.
    """

    page_url: str
    url: str
    method: str = "GET"
    body: str | None = None
    content_type: str | None = None
    page_param: str | None = None
    location: str | None = None
    first: int = 1
    step: int = 1

    def request(self, value: int) -> tuple[str, str, str | None]:
        """``(url, method, body)`` with the page parameter set to ``value``."""
        if not self.page_param:
            return self.url, self.method, self.body
        if self.location == "query":
            parts = urlsplit(self.url)
            query = [(k, str(value) if k == self.page_param else v)
                     for k, v in parse_qsl(parts.query, keep_blank_values=True)]
            return urlunsplit(parts._replace(query=urlencode(query))), self.method, self.body
        if self.location == "form":
            form = [(k, str(value) if k == self.page_param else v)
                    for k, v in parse_qsl(self.body or "", keep_blank_values=True)]
            return self.url, self.method, urlencode(form)
        data = json.loads(self.body or "{}")
        data[self.page_param] = value if isinstance(data.get(self.page_param), int) else str(value)
        return self.url, self.method, json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Call:
    """One request a rendered page made, and what came back."""

    url: str
    method: str
    body: str | None
    content_type: str | None
    text: str


def parse_payload(text: str) -> Any:
    """JSON, JSONP (``cb({...})``) or None."""
    for candidate in (text, (_JSONP.match(text) or [None, None])[1]):
        if candidate:
            try:
                return json.loads(candidate)
            except ValueError:
                continue
    return None


def payload_links(text: str, base_url: str) -> list[tuple[str, str]]:
    """``(url, title)`` of every item in an endpoint's answer, whatever its shape.

    JSON: each object holding a URL-like string; its title is the longest other string
    with Chinese in it (so ``{"bt": …, "lj": …}`` works as well as ``{"title", "url"}``).
    Anything else is read as an HTML fragment.
    """
    data = parse_payload(text)
    if data is None:
        fragment = Selector(text=text or "<html></html>")
        return [(urljoin(base_url, a.attrib["href"].strip()),
                 " ".join(t.strip() for t in a.css("::text").getall() if t.strip()) or a.attrib.get("title", ""))
                for a in fragment.css("a[href]") if not a.attrib["href"].startswith(("javascript:", "#"))]
    return list(dict.fromkeys((urljoin(base_url, u), t) for u, t in _json_items(data)))


def _json_items(node: Any) -> Iterator[tuple[str, str]]:
    if isinstance(node, list):
        for value in node:
            yield from _json_items(value)
        return
    if not isinstance(node, dict):
        return
    strings = {k: v.strip() for k, v in node.items() if isinstance(v, str) and v.strip()}
    urls = [v for v in strings.values() if _URLISH.match(v) and not v.endswith((".js", ".css", ".png", ".jpg", ".gif"))]
    if urls:
        titled = [v for v in strings.values() if _CJK.search(v) and v not in urls]
        title = max(titled, key=len) if titled else ""
        # Prefer a page or attachment URL over an image or a bare directory.
        url = next((u for u in urls if re.search(r"\.(?:s?html?|jsp|do|aspx?|php|pdf|docx?|xlsx?|wps|et|zip)"
                                                 r"(?:\?|$)|[?&]", u, re.I)), urls[0])
        yield url, title
    for value in node.values():
        if isinstance(value, (dict, list)):
            yield from _json_items(value)


def total_pages(text: str, endpoint: ListEndpoint, items_on_page: int) -> int | None:
    """The number of pages an answer states (a page count, or an item count over the page
    size), or None."""
    data = parse_payload(text)
    if data is None:
        return None
    pages = _find_number(data, TOTAL_PAGE_KEYS)
    if pages:
        return min(pages, MAX_PAGES)
    total = _find_number(data, TOTAL_ITEM_KEYS)
    if total is not None and items_on_page:
        size = _page_size(endpoint) or items_on_page
        return min(-(-total // size), MAX_PAGES)
    return None


def _find_number(node: Any, keys: re.Pattern, depth: int = 0) -> int | None:
    if depth > 4:
        return None
    if isinstance(node, dict):
        for key, value in node.items():
            if keys.match(str(key)) and _as_int(value) is not None:
                return _as_int(value)
        for value in node.values():
            if isinstance(value, dict):
                found = _find_number(value, keys, depth + 1)
                if found is not None:
                    return found
    return None


def _page_size(endpoint: ListEndpoint) -> int | None:
    for name, value in _parameters(endpoint.url, endpoint.body, endpoint.content_type).items():
        if SIZE_NAMES.match(name[1]) and _as_int(value):
            return _as_int(value)
    return None


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 7:
        return int(value)
    return None


def _parameters(url: str, body: str | None, content_type: str | None) -> dict[tuple[str, str], Any]:
    """``{(location, name): value}`` of a call's query, form or JSON body."""
    found: dict[tuple[str, str], Any] = {("query", k): v for k, v in parse_qsl(urlsplit(url).query,
                                                                              keep_blank_values=True)}
    if body:
        data = parse_payload(body) if "json" in (content_type or "") or body.lstrip()[:1] == "{" else None
        if isinstance(data, dict):
            found.update({("json", k): v for k, v in data.items() if not isinstance(v, (dict, list))})
        else:
            found.update({("form", k): v for k, v in parse_qsl(body, keep_blank_values=True)})
    return found


def _endpoint_key(call: Call) -> tuple[str, str]:
    parts = urlsplit(call.url)
    return call.method.upper(), f"{parts.scheme}://{parts.netloc}{parts.path}"


def learn(page_url: str, calls: list[Call]) -> list[ListEndpoint]:
    """The list endpoints among a rendered page's calls: those whose answers hold links,
    with their page parameter.  Two calls to one endpoint show the parameter that pages
    (the one whose number changed); a single call is read by parameter names and values."""
    groups: dict[tuple[str, str], list[Call]] = {}
    for call in calls:
        if payload_links(call.text, call.url):
            groups.setdefault(_endpoint_key(call), []).append(call)
    learned = []
    for group in groups.values():
        first = group[0]
        params = [_parameters(c.url, c.body, c.content_type) for c in group]
        page = _changed_parameter(params) or _guessed_parameter(params[0])
        location, name = page[0] if page else (None, None)
        start = _as_int(params[0].get(page[0])) if page else 1
        step = page[1] if page else 1
        learned.append(ListEndpoint(
            page_url=page_url, url=first.url, method=first.method.upper(), body=first.body,
            content_type=first.content_type, page_param=name, location=location,
            first=start if start is not None else 1, step=step or 1,
        ))
    return learned


def from_url(page_url: str, url: str) -> ListEndpoint:
    """An endpoint a script names outright (``$.getJSON("/api/list?page=1")``), its page
    parameter read from the names and values of its query."""
    params = _parameters(url, None, None)
    page = _guessed_parameter(params)
    first = _as_int(params.get(page[0])) if page else None
    return ListEndpoint(page_url=page_url, url=url, page_param=page[0][1] if page else None,
                        location=page[0][0] if page else None, first=first if first is not None else 1,
                        step=page[1] if page else 1)


def page_value(endpoint: ListEndpoint, call: Call) -> int | None:
    """The page number a call to ``endpoint`` asked for (None for another endpoint)."""
    if not endpoint.page_param or _endpoint_key(call) != _endpoint_key(Call(endpoint.url, endpoint.method, None,
                                                                            None, "")):
        return None
    params = _parameters(call.url, call.body, call.content_type)
    return _as_int(params.get((endpoint.location, endpoint.page_param)))


def _changed_parameter(params: list[dict]) -> tuple[tuple[str, str], int] | None:
    """The numeric parameter that differs between the first two calls, with its step."""
    if len(params) < 2:
        return None
    a, b = params[0], params[1]
    for key in a:
        x, y = _as_int(a.get(key)), _as_int(b.get(key))
        if x is not None and y is not None and y > x:
            return key, y - x
    return None


def _guessed_parameter(params: dict) -> tuple[tuple[str, str], int] | None:
    """A parameter named like a page number, or an offset (stepping by the page size)."""
    for key, value in params.items():
        if PAGE_NAMES.match(key[1]) and _as_int(value) is not None:
            return key, 1
    size = next((_as_int(v) for k, v in params.items() if SIZE_NAMES.match(k[1]) and _as_int(v)), None)
    for key, value in params.items():
        if OFFSET_NAMES.match(key[1]) and _as_int(value) is not None and size:
            return key, size
    return None
