"""Hanweb JCMS "jpage" portals (many provincial departments: ``/col/col123/index.html``).

The list is not in the page's HTML but in ``<script type="text/xml"><datastore>``: each
item is a ``<record><![CDATA[<li><a href=…>]]></record>``, and the next pages come from
``/module/web/jpage/dataproxy.jsp?page=1&columnid=…&unitid=…`` (named in ``<nextgroup>``),
which answers the same XML with ``<totalpage>``.  HTML parsers see the script as text, so
the records are read here.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from parsel import Selector

_CDATA = re.compile(r"<(record|nextgroup)>\s*<!\[CDATA\[(.*?)\]\]>\s*</\1>", re.S)
_TOTAL_PAGES = re.compile(r"<totalpage>\s*(\d+)\s*</totalpage>")
MAX_PAGES = 500


def datastore_links(text: str, base_url: str) -> list[tuple[str, str]]:
    """Links inside the ``<record>`` and ``<nextgroup>`` CDATA blocks of a datastore."""
    links = []
    for match in _CDATA.finditer(text):
        for anchor in Selector(text=match[2]).css("a[href]"):
            label = " ".join(t.strip() for t in anchor.css("::text").getall() if t.strip())
            links.append((urljoin(base_url, anchor.attrib["href"].strip()), label or anchor.attrib.get("title", "")))
    return links


def proxy_pages(text: str, url: str) -> list[tuple[str, str]]:
    """Pages 2… of a ``dataproxy.jsp?page=N`` answer that states its ``<totalpage>``."""
    parts = urlsplit(url)
    if not parts.path.endswith("dataproxy.jsp"):
        return []
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    total = _TOTAL_PAGES.search(text)
    if "page" not in query or not total:
        return []
    pages = []
    for number in range(2, min(int(total[1]), MAX_PAGES) + 1):
        pages.append((urlunsplit(parts._replace(query=urlencode({**query, "page": number}))), str(number)))
    return pages
