"""Lists filled by JavaScript from a JSON API.

Newer portals ship an empty ``<ul>`` and a script that calls ``fetch("/api/list?…")`` or
``$.getJSON(…)`` and writes the items.  Instead of running the script we find the API
URL in it, fetch the JSON as a page, and take every object that pairs a URL with a title.
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterator
from urllib.parse import urljoin

# The first string argument of fetch/ajax/get/getJSON/axios calls, or a ``url:`` option.
_CALL = re.compile(
    r"""(?:\bfetch|\$\.(?:getJSON|get|post|ajax)|\baxios(?:\.get|\.post)?|\bjQuery\.(?:getJSON|get|ajax))"""
    r"""\s*\(\s*['"`]([^'"`\s]+)['"`]"""
    r"""|\burl\s*:\s*['"`]([^'"`\s]+)['"`]"""
)
_URL_KEYS = ("url", "href", "link", "path", "docpuburl", "fileurl", "file_url", "attachurl", "src")
_TITLE_KEYS = ("title", "name", "doctitle", "text", "filename", "file_name", "label", "subject")
_URLISH = re.compile(r"^(?:https?://|/|\./|\.\./)|\.(?:s?html?|jsp|do|aspx?|php|pdf|docx?|xlsx?|wps|et|zip)(?:\?|$)", re.I)


def api_urls(html: str, base_url: str) -> list[str]:
    """URLs of JSON APIs that a page's scripts call."""
    found = []
    for script in re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.S | re.I):
        for match in _CALL.finditer(script):
            url = match[1] or match[2]
            if url and not url.startswith(("javascript:", "#")) and not url.endswith((".js", ".css")):
                found.append(urljoin(base_url, url))
    return list(dict.fromkeys(found))


def links_from_json(body: bytes | str, base_url: str) -> list[tuple[str, str]]:
    """``(url, title)`` of every object in a JSON document that has both."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return []
    return [(urljoin(base_url, url), title) for url, title in _pairs(data)]


def _pairs(node: Any) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        lowered = {str(k).lower(): v for k, v in node.items()}
        url = next((lowered[k] for k in _URL_KEYS if isinstance(lowered.get(k), str)
                    and _URLISH.search(lowered[k])), None)
        if url:
            title = next((lowered[k] for k in _TITLE_KEYS if isinstance(lowered.get(k), str)), "")
            yield url, title.strip()
        for value in node.values():
            if isinstance(value, (dict, list)):
                yield from _pairs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _pairs(value)
