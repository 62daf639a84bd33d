"""TRS WCM portals (most provincial and county 政府信息公开 sites).

TRS writes its pager with JavaScript, ``createPageHTML(5, 0, "index", "html")``: five
pages named ``index.html``, ``index_1.html`` … ``index_4.html`` beside the current one,
with no ``<a>`` for the later pages.  Attachments are linked relative to the article,
``./P020241015….pdf``, which the ordinary link scan already resolves.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

# Also the newer form with the pager's element id first: createPageHTML('page_div', 12, 1, 'index', 'html', 198).
_PAGER = re.compile(
    r"createPageHTML\s*\(\s*(?:['\"][\w\-]*['\"]\s*,\s*)?['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?\s*,\s*"
    r"['\"]([\w\-]+)['\"]\s*,\s*['\"](\w+)['\"]"
)
# Guard against a pager claiming absurd page counts.
MAX_PAGES = 2000


def pagination_links(html: str, base_url: str) -> list[tuple[str, str]]:
    """Every page of each ``createPageHTML(count, current, prefix, suffix)`` pager."""
    links = []
    for match in _PAGER.finditer(html):
        count, prefix, suffix = int(match[1]), match[3], match[4]
        for number in range(min(count, MAX_PAGES)):
            name = f"{prefix}.{suffix}" if number == 0 else f"{prefix}_{number}.{suffix}"
            links.append((urljoin(base_url, name), str(number + 1)))
    return links
