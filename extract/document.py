"""One file in, one record out: the steps of extraction in data-flow order."""

from __future__ import annotations

import hashlib
from dataclasses import asdict
from pathlib import Path

from . import metadata
from .convert import sniff_format, to_pdf
from .errors import EmptyFile, NotPdf
from .explanations import explanations
from .narrative import narrative, paragraphs, sections
from .pdf import read_pages


def extract_bytes(data: bytes, filename: str | None = None, *, convert_timeout: float = 120) -> dict:
    """Extract one disclosure file (PDF, or an office format LibreOffice converts).

    :param data: the file's bytes.
    :param filename: where they came from; used in messages and to tell office formats apart.
    :raises ExtractError: (a subclass per kind) when the file cannot be extracted.
    """
    name = Path(filename).name if filename else None
    if not data or not data.strip():
        raise EmptyFile("the file is empty", name)
    file_format = sniff_format(data, name)
    if file_format is None:
        raise NotPdf("the bytes are neither a PDF nor an office document", name)
    pdf_bytes = data if file_format == "pdf" else to_pdf(data, file_format, name, convert_timeout)
    pages = read_pages(pdf_bytes, name)
    return build_record(pages, data, name, file_format)


def extract_file(path: str | Path, **options) -> dict:
    """:func:`extract_bytes` on a file on disk."""
    path = Path(path)
    return extract_bytes(path.read_bytes(), str(path), **options)


def build_record(pages, data: bytes, name: str | None, file_format: str) -> dict:
    """The record of issue 4 from pages already read."""
    all_paragraphs = paragraphs(pages)
    story = narrative(all_paragraphs)
    captions = [line for page in pages for table in page.tables for line in table.caption]
    title = metadata.title(pages)
    department = metadata.department(pages, captions, title)
    findings = _font_findings(pages)
    return {
        "file": name,
        "sha256": hashlib.sha256(data).hexdigest(),
        "page_count": len(pages),
        "title": title,
        "doc_type": metadata.doc_type(title, pages),
        "fiscal_year": metadata.fiscal_year(title, pages),
        "department": department,
        "region": metadata.region(department),
        "published": metadata.published(pages),
        "format": file_format,
        "unit": "万元",
        "tables": [],
        "totals": {"income_total": None, "expense_total": None, "basic_expense": None, "project_expense": None},
        "line_items": [],
        "explanations": [asdict(item) for item in explanations(story)],
        "findings": findings,
        "pages": [{"page": page.page, "text": page.text} for page in pages],
        "sections": [asdict(section) for section in sections(story)],
    }


def _font_findings(pages) -> list[dict]:
    broken = [(page.page, page.cid_glyphs) for page in pages if page.cid_glyphs]
    if not broken:
        return []
    return [
        {
            "rule": "broken_font_map",
            "severity": "warning",
            "message": (
                f"{sum(count for _, count in broken)} glyphs on {len(broken)} pages have no "
                "Unicode mapping and come out as (cid:NNN); text and figures there are incomplete"
            ),
            "page": broken[0][0],
            "evidence": {"pages": [page for page, _ in broken], "glyphs": sum(c for _, c in broken)},
        }
    ]
