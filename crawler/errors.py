"""Errors the crawler raises, each with a stable ``kind`` (stored and shown by the CLI)."""

from __future__ import annotations


class CrawlError(Exception):
    """Base class: a crawl could not run or did not finish."""

    kind = "crawl_error"

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "message": str(self)}


class CrawlProcessFailed(CrawlError):
    """The crawl process died before recording its run; its log file says why."""

    kind = "process_failed"


class BadStartUrl(CrawlError):
    """A start URL is not an absolute http(s) URL; give it as http://host/path."""

    kind = "bad_start_url"


class CrawlLocked(CrawlError):
    """Another crawl of this archive is running; wait for it (its lock goes when it ends, even by kill -9)."""

    kind = "locked"


class SitesFileError(CrawlError):
    """sites.yaml is missing, is not valid YAML, or a site lacks start URLs."""

    kind = "bad_sites_file"


class UnknownSite(CrawlError):
    """No site of that name in sites.yaml; ``gongkai crawl --sites FILE --list`` shows the names."""

    kind = "unknown_site"
