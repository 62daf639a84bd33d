"""Every link a portal page offers: anchors, frames, ``window.open`` handlers, CMS pagers
written by JavaScript, JCMS datastores, and JSON APIs that fill lists."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

from scrapy.http import TextResponse

from . import endpoints, focus
from .cms import jpage, jsonlist, trs

_VIEWER_PARAMS = {"file", "fileurl", "url", "path", "src"}
# downloadFile('/u/P0….pdf') and similar handlers: any quoted path to an attachment.
_SCRIPTED_FILE = re.compile(r"""['"]([^'"\s]+\.(?:pdf|docx?|xlsx?|wps|et|zip))['"]""", re.IGNORECASE)
_URLISH_VALUE = re.compile(r"^(?:https?://|/|\./|\.\./)|\.(?:s?html?|jsp|do|aspx?|php)(?:\?|$)", re.IGNORECASE)
_SCRIPTED_HREF = re.compile(r"""(?:window\.open|location\.href\s*=|location\s*=)\s*\(?\s*['"]([^'"]+)['"]""")


def page_title(response: TextResponse) -> str:
    """The page's own heading: ``<title>`` plus the first ``<h1>``/``<h2>``."""
    parts = [response.css("title::text").get(""), response.css("h1 ::text, h2 ::text").get("")]
    return " ".join(p.strip() for p in parts if p and p.strip())


def page_text(response: TextResponse) -> str:
    """The visible text of a page's body (no scripts or styles)."""
    return " ".join(t.strip() for t in response.xpath(
        "//body//text()[not(ancestor::script) and not(ancestor::style)]").getall() if t.strip())


def viewer_files(url: str) -> list[str]:
    """Files shown through a viewer page (``/pdfjs/web/viewer.html?file=/u/P0….pdf``)."""
    found = []
    for name, value in parse_qsl(urlsplit(url).query):
        if name.lower() in _VIEWER_PARAMS and focus.attachment_format(value.split("?")[0]):
            found.append(value)
    return found


def page_links(response: TextResponse) -> list[tuple[str, str]]:
    """``(absolute url, link text)`` of every followable link, in page order, no repeats."""
    links: list[tuple[str, str]] = []
    for anchor in response.css("a[href], area[href]"):
        href = anchor.attrib["href"].strip()
        text = " ".join(t.strip() for t in anchor.css("::text").getall() if t.strip())
        links.append((href, text or anchor.attrib.get("title", "").strip()))
    for frame in response.css("iframe[src], frame[src], embed[src]"):
        links.append((frame.attrib["src"].strip(), ""))
    for embedded in response.css("object[data]"):
        links.append((embedded.attrib["data"].strip(), ""))
    # TRS articles often write their attachment links from script variables.
    for script in response.css("script:not([src])::text").getall():
        links.extend((path, "") for path in _SCRIPTED_FILE.findall(script))
    # Year pickers: <select onchange="location.href=this.value"><option value="/2023/">2023年</option>
    for option in response.css("select[onchange] option[value]"):
        value = option.attrib["value"].strip()
        if _URLISH_VALUE.search(value):
            links.append((value, " ".join(option.css("::text").getall()).strip()))
    for element in response.css("[onclick], a[href^='javascript:'], a[href^='JavaScript:']"):
        script = element.attrib.get("onclick", "") + " " + element.attrib.get("href", "")
        text = " ".join(t.strip() for t in element.css("::text").getall() if t.strip())
        for href in _SCRIPTED_HREF.findall(script) + _SCRIPTED_FILE.findall(script):
            links.append((href, text))
    absolute = [(response.urljoin(href), text) for href, text in links if _is_web(href)]
    absolute += [(response.urljoin(inner), text) for url, text in absolute for inner in viewer_files(url)]
    absolute += trs.pagination_links(response.text, response.url)
    absolute += jpage.datastore_links(response.text, response.url)
    absolute += jpage.proxy_pages(response.text, response.url)
    seen: dict[str, str] = {}
    for url, text in absolute:
        url = url.split("#", 1)[0]
        if url not in seen or (text and not seen[url]):
            seen[url] = text
    return list(seen.items())


def listed_urls(response: TextResponse, selectors: list[str]) -> set[str]:
    """Links inside a portal's disclosure lists (sites.yaml ``list_selectors``)."""
    return {response.urljoin(href) for selector in selectors
            for href in response.css(selector).css("a::attr(href)").getall()}


def api_urls(response: TextResponse) -> list[str]:
    return jsonlist.api_urls(response.text, response.url)


def json_links(text: str, url: str) -> list[tuple[str, str]]:
    """Items of a list endpoint's answer (JSON of any shape, JSONP, or an HTML fragment)."""
    return [(u.split("#", 1)[0], t) for u, t in endpoints.payload_links(text, url) if _is_web(u)]


def _is_web(href: str) -> bool:
    if not href or href.startswith("#"):
        return False
    scheme = urlsplit(href).scheme.lower()
    return scheme in ("", "http", "https")

