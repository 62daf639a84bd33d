"""Pytest fixtures for crawler tests: the fixture portal over real HTTP, fast settings,
and helpers that read what a crawl left in the archive."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from .server import request_log, serve

SITES = Path(__file__).resolve().parent
PORTAL = SITES / "portal"

# Production delays are polite (crawler/settings.py); on 127.0.0.1 the tests need none.
FAST = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_START_DELAY": 0,
    "AUTOTHROTTLE_MAX_DELAY": 1,
    "DOWNLOAD_TIMEOUT": 2,
    "RETRY_TIMES": 0,
    "LOG_LEVEL": "INFO",
}


@pytest.fixture(scope="module")
def portal():
    """The fixture portal on 127.0.0.1 (base URL ending in /); one server per test module."""
    with serve(PORTAL) as base:
        yield base


def rows(archive_path: Path, sql: str, *params) -> list[dict]:
    conn = sqlite3.connect(archive_path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


__all__ = ["FAST", "PORTAL", "portal", "request_log", "rows", "serve"]
