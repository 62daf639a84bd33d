"""gongkai (公开): crawl, extract, classify and publish Chinese budget disclosures."""

__version__ = "0.1.0"
