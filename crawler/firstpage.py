"""The text of a PDF's first page, to judge a file whose names say nothing (``附件1``).

A portal's PDF is hostile until read: the first page is read in a child process under a
time and a memory limit (``FIRST_PAGE_TIMEOUT``, ``FIRST_PAGE_MAX_MEMORY``), so a 1 MB PDF
whose page stream inflates to a gigabyte costs the crawler nothing but a refusal.
"""

from __future__ import annotations

import io
import logging

from pdfminer.high_level import extract_text

logging.getLogger("pdfminer").setLevel(logging.ERROR)


class FirstPageUnread(Exception):
    """The first page could not be read within the limits; ``kind`` is the extraction
    error's (``too_large``, ``timeout``, ``crashed``)."""

    def __init__(self, error):
        super().__init__(f"first page not read ({error.kind}): {error.detail}")
        self.kind = error.kind


def first_page_text(body: bytes, *, timeout: float = 20, memory_mb: int = 256) -> str:
    """The first page's text, or ``""`` for a broken, encrypted or scanned PDF.

    :raises FirstPageUnread: past the time or memory limit.
    """
    # Imported here: gongkai.extract loads pdfplumber and the table readers, which a crawl
    # that never meets a nameless PDF does not need at start.
    from gongkai.extract.errors import ExtractError
    from gongkai.extract.limit import run_limited

    try:
        return run_limited(_first_page, body, filename=None, timeout=timeout, memory_mb=memory_mb)
    except ExtractError as error:
        raise FirstPageUnread(error) from None


def _first_page(body: bytes) -> str:
    try:
        return extract_text(io.BytesIO(body), maxpages=1)
    except MemoryError:
        raise
    except Exception:  # pdfminer raises a dozen unrelated kinds; an unreadable file stays unjudged
        return ""
