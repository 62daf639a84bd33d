"""Which hosts belong to a portal: the start URL's registered domain.

A portal at ``www.bjmy.gov.cn`` links its finance bureau at ``czj.bjmy.gov.cn`` and
redirects ``bjmy.gov.cn`` to ``www``; all of them are the same government's site, while
``www.gov.cn`` (a public suffix neighbour) is another.  The public suffix list is tldextract's
bundled snapshot: no network.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from tldextract import TLDExtract

_extract = TLDExtract(suffix_list_urls=(), cache_dir=None)


def portal_domain(url: str) -> str | None:
    """``http://www.bjmy.gov.cn/zwgk/`` → ``bjmy.gov.cn``; IP addresses and single-label
    hosts (``localhost``) stay as they are."""
    host = (urlsplit(url).hostname or "").lower()
    if not host:
        return None
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    return _extract(host).top_domain_under_public_suffix or host


def portal_domains(urls: list[str]) -> list[str]:
    return sorted({d for d in map(portal_domain, urls) if d})
