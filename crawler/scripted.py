"""Does a page build its list with scripts?  Then it is worth one render in Chromium.

A list page shows its items as links; a page that should list disclosures (its title,
the link that led to it or its URL says 预决算, 信息公开 …) but offers fewer than
``MIN_ITEMS`` item links while its scripts fetch data or write the page, or a page with an
empty list container and scripts, has its list built in the browser.  Pure functions over
the HTML: no Scrapy, no HTTP.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from . import focus

MIN_ITEMS = 3
LIST_TERMS = re.compile(r"预决算|预算|决算|财政资金|三公|信息公开|政务公开|公开目录|法定主动公开|专栏|列表|栏目")
# Script code that asks a server for data or writes the page.
DATA_CALLS = re.compile(
    r"\bfetch\s*\(|XMLHttpRequest|\$\.(?:ajax|get|post|getJSON)\b|\.ajax\s*\(|\baxios\b|\.load\s*\(|"
    r"new\s+Vue\b|createApp\s*\(|React|angular|layui|laypage|innerHTML|appendChild|\.append\s*\(|\.html\s*\(",
    re.IGNORECASE,
)
# Libraries and counters that never fill a list by themselves.
PLAIN_LIBRARIES = re.compile(r"jquery(?:[.\-][\w.\-]*)?\.js|bootstrap|analytics|hm\.js|cnzz|baidu|share|"
                             r"gov(?:_|\-)?(?:jiucuo|find)|ipv6|wza|aria|elder", re.IGNORECASE)
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.IGNORECASE | re.DOTALL)
_EMPTY_LIST = re.compile(
    r"<(ul|ol|tbody|table|div|section)\b[^>]*\b(?:id|class)\s*=\s*['\"][^'\"]*"
    r"(?:list|news|item|data|content|con|app|result|article|info)[^'\"]*['\"][^>]*>\s*</\1>",
    re.IGNORECASE,
)
_YEAR = re.compile(r"20\d\d")


def item_links(links: list[tuple[str, str]]) -> list[str]:
    """Links that look like list items: attachments, or texts naming a year's 预算/决算."""
    return [url for url, text in links
            if focus.is_attachment_link(url) or (text and _YEAR.search(text) and focus.DISCLOSURE_TERMS.search(text))]


def needs_rendering(html: str, url: str, links: list[tuple[str, str]], *, title: str = "",
                    link_text: str | None = None) -> bool:
    """Should this page be rendered once to see the list its scripts build?"""
    scripts = _SCRIPT.findall(html)
    if not scripts or len(item_links(links)) >= MIN_ITEMS:
        return False
    code = " ".join(body for _, body in scripts)
    own_sources = [attrs for attrs, _ in scripts
                   if re.search(r"\bsrc\s*=", attrs, re.I) and not PLAIN_LIBRARIES.search(attrs)]
    scripted = bool(DATA_CALLS.search(code) or own_sources)
    listish = bool(LIST_TERMS.search(title or "") or LIST_TERMS.search(link_text or "")
                   or focus.DISCLOSURE_URL.search(urlsplit(url).path))
    return scripted and (listish or bool(_EMPTY_LIST.search(html)))
