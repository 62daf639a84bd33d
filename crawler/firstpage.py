"""The text of a PDF's first page, to judge a file whose names say nothing (``附件1``)."""

from __future__ import annotations

import io
import logging

from pdfminer.high_level import extract_text

logging.getLogger("pdfminer").setLevel(logging.ERROR)


def first_page_text(body: bytes) -> str:
    """The first page's text, or ``""`` for a broken, encrypted or scanned PDF."""
    try:
        return extract_text(io.BytesIO(body), maxpages=1)
    except Exception:  # pdfminer raises a dozen unrelated kinds; an unreadable file stays unjudged
        return ""
