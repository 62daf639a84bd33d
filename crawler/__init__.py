"""The crawler: a focused Scrapy spider that archives every budget disclosure a portal
publishes.  Callers use ``run_crawl`` (and the site list in ``sites``)."""

from .errors import BadStartUrl, CrawlError, CrawlLocked, CrawlProcessFailed, SitesFileError, UnknownSite
from .run import run_crawl

__all__ = ["BadStartUrl", "CrawlError", "CrawlLocked", "CrawlProcessFailed", "SitesFileError", "UnknownSite", "run_crawl"]
