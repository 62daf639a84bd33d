"""Open PDF bytes once and read every page once: text, text lines and ruled tables.

Layout analysis dominates the time, so each page is interpreted a single time and the same
``pdfplumber`` page object serves text, tables and narrative; its caches are dropped before
the next page so memory stays flat on long documents.
"""

from __future__ import annotations

import bisect
import io
import logging
import re
import traceback
from pathlib import Path
from dataclasses import dataclass, field

from .errors import EncryptedPdf, NoTextLayer, NotPdf, TruncatedPdf
from .text import CID_GLYPH, map_radicals

# pdfminer logs a warning per odd object; the errors we care about are raised, not logged.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


def _no_debug(*args, **kwargs) -> None:
    """pdfminer calls log.debug for every token and operator (~200,000 calls for a 20-page
    disclosure, 5% of extraction time) even with debugging off; we never show them."""


for _module in ("psparser", "pdfinterp", "pdfparser", "pdfdocument", "pdffont", "cmapdb", "pdfpage"):
    logging.getLogger(f"pdfminer.{_module}").debug = _no_debug

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
    """A ruled table as found on one page, as a grid that knows its merged cells.

    ``cells[r][c]`` is the text of the cell that starts at row r, column c (None where a
    merged cell covers the position); ``origin[r][c]`` is the (row, column) where the cell
    covering the position starts, so merged headers can be read in every column they span.
    """

    page: int
    bbox: tuple[float, float, float, float]
    cells: list[list[str | None]]
    origin: list[list[tuple[int, int] | None]]
    columns_x: list[float]  # the x of each column's left edge
    # Text lines between the previous table (or the page top) and this one.
    caption: list[str] = field(default_factory=list)
    # Text inside the table's box that no cell covers, one string per printed line: a code
    # in a corner the grid leaves open ("公开03表": js-zhengxie-2019-tables.pdf page 3).
    loose: list[str] = field(default_factory=list)

    def covering(self, row: int, column: int) -> tuple[tuple[int, int] | None, str | None]:
        """(origin, text) of the cell that covers a grid position."""
        start = self.origin[row][column]
        if start is None:
            return None, None
        return start, self.cells[start[0]][start[1]]

    @property
    def width(self) -> int:
        return len(self.cells[0]) if self.cells else 0


@dataclass
class Page:
    page: int
    width: float
    height: float
    text: str
    lines: list[Line]  # lines outside tables, for the narrative
    tables: list[RawTable]
    trailing: list[str] = field(default_factory=list)  # lines below the last table
    cid_glyphs: int = 0
    has_images: bool = False
    open_table: bool = False  # ends inside an unruled table that goes on overleaf


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
            continuing = False  # an unruled table runs on from the previous page
            for number, plumber_page in enumerate(_lean_pages(pdf), start=1):
                page = _read_page(number, plumber_page, continuing)
                continuing = page.open_table
                pages.append(page)
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


def _lean_pages(pdf):
    """pdf.pages, one at a time, with characters converted the lean way (see _LeanPage)."""
    from pdfminer.pdfpage import PDFPage

    page_class = _lean_page_class()
    doctop = 0.0
    for number, page_object in enumerate(PDFPage.create_pages(pdf.doc), start=1):
        page = page_class(pdf, page_object, page_number=number, initial_doctop=doctop)
        doctop += page.height
        yield page


_LEAN_PAGE = None


def _lean_page_class():
    """A pdfplumber Page that builds character dicts directly.

    pdfplumber's generic ``process_object`` resolves every attribute of every layout object;
    for characters (most objects on a disclosure page) that was a quarter of extraction time.
    The dicts are the same (tests/test_extract_pdf.py compares them with pdfplumber's own).
    """
    global _LEAN_PAGE
    if _LEAN_PAGE is not None:
        return _LEAN_PAGE
    from pdfminer.layout import LTChar
    from pdfplumber.page import Page as PlumberPage
    from pdfplumber.utils.pdfinternals import resolve_and_decode

    class LeanPage(PlumberPage):
        def process_object(self, obj):
            if obj.__class__ is not LTChar or self.pdf.unicode_norm is not None:
                return super().process_object(obj)
            state = obj.graphicstate
            mb_x0, mb_top = self.mediabox[:2]
            top = (self.height - obj.y1) + mb_top
            fontname = obj.fontname
            if isinstance(fontname, bytes):
                return super().process_object(obj)
            char = {
                "matrix": obj.matrix, "fontname": fontname, "adv": obj.adv, "upright": obj.upright,
                "x0": obj.x0 + mb_x0, "y0": obj.y0, "x1": obj.x1 + mb_x0, "y1": obj.y1,
                "width": obj.width, "height": obj.height, "size": obj.size,
                "mcid": getattr(obj, "mcid", None), "tag": getattr(obj, "tag", None),
                "object_type": "char", "page_number": self.page_number,
                "ncs": resolve_and_decode(obj.ncs.name), "text": obj.get_text(),
                "stroking_color": state.scolor if isinstance(state.scolor, tuple) else (state.scolor,),
                "non_stroking_color": state.ncolor if isinstance(state.ncolor, tuple) else (state.ncolor,),
                "top": top, "bottom": (self.height - obj.y0) + mb_top, "doctop": self.initial_doctop + top,
            }
            return char

    _LEAN_PAGE = LeanPage
    return LeanPage


def _names_a_table(text: str) -> bool:
    """Whether a page prints a standard table's title or a table's header row (outside a
    table of contents): where tables without rulings are looked for."""
    from .aligned import HEADER_START
    from .catalog import table_name_in

    if re.search(r"目\s*录", text):
        return False
    lines = [line for line in text.splitlines() if not re.match(r"^[一二三四五六七八九十]+[、.．]", line)]
    return table_name_in(lines) is not None or any(HEADER_START.match(line) for line in lines)


def _translate(error: Exception, filename: str | None, page: int) -> Exception:
    """The ExtractError for an exception pdfminer raised (pdfplumber wraps them)."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    if isinstance(error, PdfminerException) and error.args and isinstance(error.args[0], Exception):
        error = error.args[0]
    frames = traceback.extract_tb(error.__traceback__)
    if frames and Path(frames[-1].filename).parent == Path(__file__).parent:
        return error  # raised by extract/ itself: a bug to see, not a damaged PDF
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


def _read_page(number: int, page, continuing: bool = False) -> Page:
    chars = page.chars  # interprets the page: the one expensive step, reused by all below
    found = page.find_tables(TABLE_SETTINGS)
    text = map_radicals(page.extract_text() or "")
    aligned, extents, open_table = [], [], False
    if not found and (continuing or _names_a_table(text)):
        from .aligned import find_aligned_tables

        aligned, extents, open_table = find_aligned_tables(page.extract_words(), number, continuing)
    bboxes = [table.bbox for table in found] + [(0, top, page.width, bottom) for top, bottom in extents]
    outside = page.filter(lambda obj: _char_outside(obj, bboxes)) if bboxes else page
    lines = [
        Line(map_radicals(line["text"]), line["x0"], line["x1"], line["top"], line["bottom"])
        for line in outside.extract_text_lines(return_chars=False)
    ]
    tables = []
    above = 0.0
    for table in sorted(found, key=lambda table: table.bbox[1]):
        top, bottom = table.bbox[1], table.bbox[3]
        caption = [line.text for line in lines if above - 1 <= line.top and line.bottom <= top + 1]
        tables.append(_raw_table(number, table, chars, caption))
        above = bottom
    for table in aligned:
        table.caption = [line.text for line in lines if line.bottom <= table.bbox[1] + 1][-6:] + table.caption
        tables.append(table)
        above = table.bbox[3]
    trailing = [line.text for line in lines if line.top >= above - 1] if tables else []
    return Page(
        page=number,
        width=float(page.width),
        height=float(page.height),
        text=text,
        lines=lines,
        tables=tables,
        trailing=trailing,
        open_table=open_table,
        cid_glyphs=len(CID_GLYPH.findall(text)),
        has_images=bool(page.images),
    )


def _raw_table(number: int, table, chars: list[dict], caption: list[str]) -> RawTable:
    """The table's cells placed on a grid of its ruling lines, merged cells kept as spans.

    Each character goes to the cell under its centre by bisecting the rulings: one pass over
    the page's characters instead of pdfplumber's scan of every character for every cell.
    """
    from pdfplumber.utils import extract_text

    boxes = [box for box in table.cells if box]
    xs = _edges([box[0] for box in boxes] + [box[2] for box in boxes])
    ys = _edges([box[1] for box in boxes] + [box[3] for box in boxes])
    rows, columns = max(len(ys) - 1, 0), max(len(xs) - 1, 0)
    cells: list[list[str | None]] = [[None] * columns for _ in range(rows)]
    origin: list[list[tuple[int, int] | None]] = [[None] * columns for _ in range(rows)]
    for box in boxes:
        c0, c1 = _index(xs, box[0]), _index(xs, box[2])
        r0, r1 = _index(ys, box[1]), _index(ys, box[3])
        if r1 <= r0 or c1 <= c0:
            continue
        cells[r0][c0] = ""
        for r in range(r0, r1):
            for c in range(c0, c1):
                origin[r][c] = (r0, c0)
    found: dict[tuple[int, int], list[dict]] = {}
    loose: list[dict] = []
    for char in chars:
        column = bisect.bisect_right(xs, (char["x0"] + char["x1"]) / 2) - 1
        row = bisect.bisect_right(ys, (char["top"] + char["bottom"]) / 2) - 1
        if 0 <= row < rows and 0 <= column < columns:
            if origin[row][column] is not None:
                found.setdefault(origin[row][column], []).append(char)
            elif char["text"].strip():
                loose.append(char)
    for (row, column), members in found.items():
        cells[row][column] = map_radicals(extract_text(members))
    lines = [map_radicals(line) for line in extract_text(loose).splitlines() if line.strip()] if loose else []
    return RawTable(number, table.bbox, cells, origin, xs[:-1], caption, lines)


def _edges(values: list[float], tolerance: float = 1.5) -> list[float]:
    """Distinct ruling positions, merging those closer than ``tolerance`` points."""
    edges: list[float] = []
    for value in sorted(values):
        if not edges or value - edges[-1] > tolerance:
            edges.append(value)
    return edges


def _index(edges: list[float], value: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value))


def _char_outside(obj: dict, bboxes: list[tuple[float, float, float, float]]) -> bool:
    """Keep a character for the narrative when its centre lies outside every table."""
    if obj.get("object_type") != "char":
        return False
    cx = (obj["x0"] + obj["x1"]) / 2
    cy = (obj["top"] + obj["bottom"]) / 2
    return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in bboxes)
