"""Open PDF bytes once and read every page once: text, text lines and ruled tables.

Layout analysis dominates the time, so each page is interpreted a single time and the same
``pdfplumber`` page object serves text, tables and narrative; its caches are dropped before
the next page so memory stays flat on long documents.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field

from .errors import EncryptedPdf, NoTextLayer, NotPdf, TruncatedPdf
from .text import CID_GLYPH, map_radicals

# pdfminer logs a warning per odd object; the errors we care about are raised, not logged.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


@dataclass
class Line:
    """One line of text on a page, with where it sits (points from the top-left)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass
class RawTable:
    """A ruled table as found on one page: cell strings (None for merged-away cells)."""

    page: int
    bbox: tuple[float, float, float, float]
    rows: list[list[str | None]]
    # Text lines just above the table on the same page (title, 公开NN表, 单位, 部门名称).
    caption: list[str] = field(default_factory=list)


@dataclass
class Page:
    page: int
    width: float
    height: float
    text: str
    lines: list[Line]  # lines outside tables, for the narrative
    tables: list[RawTable]
    cid_glyphs: int = 0
    has_images: bool = False


def check_header(data: bytes, filename: str | None) -> None:
    """Raise NotPdf unless the bytes start like a PDF (after at most 1 KiB of junk)."""
    if b"%PDF-" not in data[:1024]:
        raise NotPdf("the bytes do not start with a PDF header", filename)


def read_pages(data: bytes, filename: str | None = None) -> list[Page]:
    """Every page of a PDF, parsed once.

    :raises EncryptedPdf, TruncatedPdf, NoTextLayer: when the PDF cannot yield text.
    """
    import pdfplumber

    check_header(data, filename)
    if data.rfind(b"%%EOF") == -1:
        raise TruncatedPdf("the PDF has no end-of-file marker (%%EOF)", filename)
    pages = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for number, plumber_page in enumerate(pdf.pages, start=1):
                pages.append(_read_page(number, plumber_page))
                plumber_page.close()
    except Exception as error:  # noqa: BLE001 - translated into a named error or re-raised
        raise _translate(error, filename, len(pages) + 1) from None
    if not pages:
        raise TruncatedPdf("the PDF has no pages", filename)
    if not any(page.text.strip() for page in pages):
        scanned = sum(page.has_images for page in pages)
        raise NoTextLayer(
            f"none of its {len(pages)} pages has a text layer"
            + (f" ({scanned} hold only images: a scan)" if scanned else ""),
            filename,
        )
    return pages


def _translate(error: Exception, filename: str | None, page: int) -> Exception:
    """The ExtractError for an exception pdfminer raised (pdfplumber wraps them)."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    if isinstance(error, PdfminerException) and error.args and isinstance(error.args[0], Exception):
        error = error.args[0]
    if isinstance(error, PDFPasswordIncorrect):
        return EncryptedPdf("the PDF is encrypted with a user password", filename)
    if isinstance(error, PDFEncryptionError):
        return EncryptedPdf(f"the PDF uses unsupported encryption ({error})", filename)
    if isinstance(error, (PDFSyntaxError, PSException)):
        return TruncatedPdf(f"the PDF structure is broken near page {page} ({error})", filename)
    if isinstance(error, (KeyError, ValueError, TypeError, AttributeError, IndexError, AssertionError)):
        # pdfminer signals damaged object streams with bare Python errors.
        return TruncatedPdf(
            f"the PDF is damaged near page {page} ({type(error).__name__}: {error})", filename
        )
    return error


def _read_page(number: int, page) -> Page:
    found = page.find_tables(TABLE_SETTINGS)
    bboxes = [table.bbox for table in found]
    text = map_radicals(page.extract_text() or "")
    outside = page.filter(lambda obj: _char_outside(obj, bboxes)) if bboxes else page
    all_lines = page.extract_text_lines(return_chars=False)
    lines = [
        Line(map_radicals(line["text"]), line["x0"], line["x1"], line["top"], line["bottom"])
        for line in (outside.extract_text_lines(return_chars=False) if bboxes else all_lines)
    ]
    tables = []
    for table in found:
        rows = [
            [None if cell is None else map_radicals(cell) for cell in row]
            for row in table.extract()
        ]
        top = table.bbox[1]
        caption = [
            map_radicals(line["text"])
            for line in all_lines
            if line["bottom"] <= top + 1 and line["top"] >= top - 160
        ]
        tables.append(RawTable(number, table.bbox, rows, caption))
    return Page(
        page=number,
        width=float(page.width),
        height=float(page.height),
        text=text,
        lines=lines,
        tables=tables,
        cid_glyphs=len(CID_GLYPH.findall(text)),
        has_images=bool(page.images),
    )


def _char_outside(obj: dict, bboxes: list[tuple[float, float, float, float]]) -> bool:
    """Keep a character for the narrative when its centre lies outside every table."""
    if obj.get("object_type") != "char":
        return False
    cx = (obj["x0"] + obj["x1"]) / 2
    cy = (obj["top"] + obj["bottom"]) / 2
    return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in bboxes)
