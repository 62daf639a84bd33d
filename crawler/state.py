"""What the archive remembers about each file URL, for conditional re-crawls.

The state lives in the archive's ``fetches`` rows (url, ETag, Last-Modified, sha256 of the
last good fetch of each file URL), so a re-crawl needs nothing but the archive: no JOBDIR,
no HTTP cache.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class FileState:
    """The last stored version of one file URL."""

    sha256: str
    etag: str | None
    last_modified: str | None


def load_file_state(archive_path: str | os.PathLike) -> dict[str, FileState]:
    """``url → FileState`` for every file URL that has a stored version."""
    if not os.path.exists(archive_path):
        return {}
    conn = sqlite3.connect(f"file:{archive_path}?mode=ro", uri=True, timeout=60)
    try:
        exists = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'fetches'"
        ).fetchone()
        if not exists:
            return {}
        rows = conn.execute(
            """
            SELECT url, sha256, etag, last_modified FROM fetches
            WHERE id IN (SELECT max(id) FROM fetches
                         WHERE kind = 'file' AND sha256 IS NOT NULL GROUP BY url)
            """
        ).fetchall()
    finally:
        conn.close()
    return {url: FileState(sha256, etag, last_modified) for url, sha256, etag, last_modified in rows}
