"""One file in, one record out: the steps of extraction in data-flow order."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, fields
from pathlib import Path

from collections import Counter

from . import findings, metadata
from .convert import sniff_format, to_pdf
from .errors import EmptyFile, NotPdf
from .explanations import explanations
from .line_items import line_items, match_subject, totals
from .narrative import narrative, paragraphs, sections
from .pdf import read_pages
from .tables import find_tables


def extract_bytes(data: bytes, filename: str | None = None, *, convert_timeout: float = 120,
                  attachments=(), engine: str | None = None) -> dict:
    """Extract one disclosure file (PDF, an office format LibreOffice converts, or an HTML
    article that is the disclosure itself).

    :param data: the file's bytes.
    :param filename: where they came from; used in messages and to tell office formats apart.
    :param attachments: for an HTML article, ``(bytes, filename)`` of the spreadsheets it
        attaches: their tables are the document's (``extract.html``).
    :param engine: the PDF engine (``pdfium`` or ``pdfminer``); by default PDFium, and pdfminer
        for a file PDFium cannot read.  The record's ``engine`` says which one read it.
    :raises ExtractError: (a subclass per kind) when the file cannot be extracted.
    """
    name = Path(filename).name if filename else None
    if not data or not data.strip():
        raise EmptyFile("the file is empty", name)
    from .html import extract_html, is_html  # html builds on build_record below

    if is_html(data, name):
        return extract_html(data, name, attachments, convert_timeout=convert_timeout)
    file_format = sniff_format(data, name)
    if file_format is None:
        raise NotPdf("the bytes are neither a PDF nor an office document", name)
    pdf_bytes = data if file_format == "pdf" else to_pdf(data, file_format, name, convert_timeout)
    pages = read_pages(pdf_bytes, name, engine)
    return build_record(pages, data, name, file_format)


def extract_file(path: str | Path, **options) -> dict:
    """:func:`extract_bytes` on a file on disk."""
    path = Path(path)
    return extract_bytes(path.read_bytes(), str(path), **options)


def _engine(pages) -> str | None:
    """The PDF engine that read the document: pdfminer when it read any of its pages (a file
    PDFium cannot read), else pdfium; None when no page came from a PDF (an HTML article)."""
    engines = {page.engine for page in pages}
    return "pdfminer" if "pdfminer" in engines else ("pdfium" if "pdfium" in engines else None)


def _public(explanation) -> dict:
    """An explanation's record: its fields but the working ones (its context, the clauses it
    checks), which ``asdict`` would deep-copy only for them to be dropped; the rest are plain values."""
    return {field.name: getattr(explanation, field.name) for field in fields(explanation)
            if field.name not in ("context", "checks")}


def build_record(pages, data: bytes, name: str | None, file_format: str, title: str | None = None) -> dict:
    """The record of issue 4 from pages already read (``title``: the one the file names
    itself by, as an HTML article does; else the cover's)."""
    story = narrative(paragraphs(pages))
    tables = find_tables(pages)
    items = line_items(tables)
    captions = [line for page in pages for table in page.tables for line in table.caption]
    title = title or metadata.title(pages)
    department = metadata.department(pages, captions, title, name)
    year = metadata.fiscal_year(title, pages, name)
    found_explanations = explanations(story, department, year)
    for explanation in found_explanations:
        explanation.subject_code = match_subject(explanation.subject, items)
    kind = metadata.doc_type(title, [table.name for table in tables], pages, name)
    found_findings = findings.distinct(
        findings.missing_tables(kind, tables, pages)
        + findings.total_mismatches(tables)
        + findings.sum_mismatches(tables)
        + findings.stated_figure_mismatches(found_explanations)
        + findings.change_mismatches(found_explanations)
        + findings.narrative_mismatches(found_explanations, items)
        + findings.structure_mismatches(story, items, tables)
        + findings.sangong_mismatches(story, tables, kind, year)
        + findings.sangong_total_mismatches(story, kind, year)
        + findings.share_over_100(story)
        + findings.font_findings(pages)
    )
    units = Counter(table.unit for table in tables)
    return {
        "file": name,
        "sha256": hashlib.sha256(data).hexdigest(),
        "page_count": len(pages),
        "title": title,
        "doc_type": kind,
        "fiscal_year": year,
        "department": department,
        "region": metadata.region(department, pages),
        "published": metadata.published(pages),
        "format": file_format,
        "engine": _engine(pages),
        "unit": units.most_common(1)[0][0] if units else "万元",
        "tables": [table.record() for table in tables],
        "totals": totals(tables),
        "line_items": [asdict(item) for item in items],
        "explanations": [_public(item) for item in found_explanations],
        "findings": [asdict(finding) for finding in found_findings],
        "pages": [{"page": page.page, "text": page.text} for page in pages],
        "sections": [asdict(section) for section in sections(story)],
    }
