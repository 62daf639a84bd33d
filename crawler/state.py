"""What the archive remembers about each file URL, for conditional re-crawls.

The state lives in the archive's ``fetches`` rows (url, ETag, Last-Modified, sha256 of the
last good fetch of each file URL), so a re-crawl needs nothing but the archive: no JOBDIR,
no HTTP cache.
"""

from __future__ import annotations

import os

from gongkai.archive import Archive, FileVersion


def load_file_state(archive_path: str | os.PathLike) -> dict[str, FileVersion]:
    """``url → FileVersion`` for every file URL that has a stored version."""
    if not os.path.exists(archive_path):
        return {}
    with Archive(archive_path) as archive:
        return archive.latest_file_versions()
