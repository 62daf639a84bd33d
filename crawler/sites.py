"""sites.yaml: named portals with their start URLs, domains, hints and politeness overrides."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import yaml

from .domains import portal_domains
from .errors import SitesFileError, UnknownSite

SITE_KEYS = {"name", "title", "start_urls", "allowed_domains", "javascript", "max_drift",
             "max_pages", "settings", "verified", "source", "notes", "list_selectors"}


@dataclass(frozen=True)
class Site:
    """One portal of sites.yaml.

    :param start_urls: where the crawl begins (a 财政预决算 column is best).
    :param allowed_domains: domains the crawl stays on, subdomains included (default: the
        start URLs' registered domains, e.g. ``bjmy.gov.cn`` for ``www.bjmy.gov.cn``).
    :param javascript: lists appear only after scripts run: render pages in Chromium.
    :param max_drift: off-topic links to follow in a row (FOCUS_MAX_DRIFT).
    :param settings: Scrapy setting overrides for this portal (e.g. a longer DOWNLOAD_DELAY).
    :param verified: False for portals whose URLs come from public material but were never
        crawled from here.
    """

    name: str
    start_urls: tuple[str, ...]
    title: str = ""
    allowed_domains: tuple[str, ...] = ()
    javascript: bool = False
    max_drift: int | None = None
    max_pages: int | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    verified: bool = False
    source: str = ""
    notes: str = ""
    list_selectors: tuple[str, ...] = ()

    def domains(self) -> list[str]:
        return list(self.allowed_domains) or portal_domains(list(self.start_urls))


def load_sites(path: str | os.PathLike) -> list[Site]:
    """Read and check sites.yaml; raises SitesFileError naming the file and the problem."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except OSError as error:
        raise SitesFileError(f"cannot read {path}: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise SitesFileError(f"{path} is not valid YAML: {error}") from error
    entries = (data or {}).get("sites") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise SitesFileError(f"{path} must have a top-level 'sites:' list")
    sites, names = [], set()
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not entry.get("name") or not entry.get("start_urls"):
            raise SitesFileError(f"{path}: site #{number} needs a name and start_urls")
        unknown = set(entry) - SITE_KEYS
        if unknown:
            raise SitesFileError(f"{path}: site {entry['name']!r} has unknown keys {sorted(unknown)}")
        if entry["name"] in names:
            raise SitesFileError(f"{path}: site name {entry['name']!r} appears twice")
        names.add(entry["name"])
        for url in entry["start_urls"]:
            if urlsplit(url).scheme not in ("http", "https"):
                raise SitesFileError(f"{path}: site {entry['name']!r} start URL {url!r} is not http(s)")
        sites.append(Site(**{
            **entry,
            "start_urls": tuple(entry["start_urls"]),
            "allowed_domains": tuple(entry.get("allowed_domains") or ()),
            "list_selectors": tuple(entry.get("list_selectors") or ()),
            "settings": dict(entry.get("settings") or {}),
        }))
    return sites


def select_sites(sites: list[Site], names: list[str]) -> list[Site]:
    by_name = {site.name: site for site in sites}
    missing = [name for name in names if name not in by_name]
    if missing:
        raise UnknownSite(f"no site {', '.join(missing)} (known: {', '.join(by_name)})")
    return [by_name[name] for name in names]
