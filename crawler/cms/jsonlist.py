"""Lists filled by JavaScript from a JSON API.

Newer portals ship an empty ``<ul>`` and a script that calls ``fetch("/api/list?…")`` or
``$.getJSON(…)`` and writes the items.  When the API URL is written out in the script we
fetch it as a page without a browser (``crawler.endpoints`` reads its items); when the
script assembles it, the page is rendered once in Chromium instead.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

# The first string argument of fetch/ajax/get/getJSON/axios calls, or a ``url:`` option.
_CALL = re.compile(
    r"""(?:\bfetch|\$\.(?:getJSON|get|post|ajax)|\baxios(?:\.get|\.post)?|\bjQuery\.(?:getJSON|get|ajax))"""
    r"""\s*\(\s*['"`]([^'"`\s]+)['"`]"""
    r"""|\burl\s*:\s*['"`]([^'"`\s]+)['"`]"""
)


def api_urls(html: str, base_url: str) -> list[str]:
    """URLs of JSON APIs that a page's scripts call."""
    found = []
    for script in re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.S | re.I):
        for match in _CALL.finditer(script):
            url = match[1] or match[2]
            if url and not url.startswith(("javascript:", "#")) and not url.endswith((".js", ".css")):
                found.append(urljoin(base_url, url))
    return list(dict.fromkeys(found))
