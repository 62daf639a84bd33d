"""Open PDF bytes once and read every page once: text, text lines and ruled tables.

Each page is parsed a single time, by PDFium (pdfium_pages.py) or, for a file PDFium cannot
read, by pdfminer (pdfminer_pages.py); both give the same page objects (characters and ruling
edges), from which ruled tables (rulings.py), words and lines (layout.py) serve text, tables
and narrative alike.  A page's objects are dropped before the next page is read, so memory
stays flat on long documents.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from . import layout, rulings
from .errors import NoTextLayer, NotPdf, TruncatedPdf
from .text import CID_GLYPH, map_radicals


@dataclass
class PageObjects:
    """One page as an engine read it: characters as pdfplumber's dicts, ruling edges as
    rulings.py's tuples, page size in points."""

    number: int
    width: float
    height: float
    chars: list[dict]
    edges: list
    has_images: bool


class Unreadable(Exception):
    """PDFium cannot read the file as pdfminer would: it cannot open the file or a page, or a
    glyph has no Unicode mapping (pdfminer's "(cid:N)", which findings report).  pdfminer is
    used for the whole file instead."""


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
    engine: str | None = None  # the engine that read it (ENGINES); None: not from a PDF (HTML)


ENGINES = ("pdfium", "pdfminer")


def check_header(data: bytes, filename: str | None) -> None:
    """Raise NotPdf unless the bytes start like a PDF (after at most 1 KiB of junk)."""
    if b"%PDF-" not in data[:1024]:
        raise NotPdf("the bytes do not start with a PDF header", filename)


def read_pages(data: bytes, filename: str | None = None, engine: str | None = None) -> list[Page]:
    """Every page of a PDF, parsed once, by PDFium or (for a file PDFium cannot read) pdfminer.

    :param engine: force one engine (``pdfium`` or ``pdfminer``), as the engine comparison does.
    :raises EncryptedPdf, TruncatedPdf, NoTextLayer: when the PDF cannot yield text.
    """
    check_header(data, filename)
    if data.rfind(b"%%EOF") == -1:
        raise TruncatedPdf("the PDF has no end-of-file marker (%%EOF)", filename)
    if engine is None:
        try:
            pages = _read_with("pdfium", data, filename)
        except Unreadable:
            pages = _read_with("pdfminer", data, filename)
    else:
        pages = _read_with(engine, data, filename)
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


def _read_with(engine: str, data: bytes, filename: str | None) -> list[Page]:
    if engine not in ENGINES:
        raise ValueError(f"unknown PDF engine {engine!r}: use one of {ENGINES}")
    from . import pdfium_pages, pdfminer_pages

    module = pdfium_pages if engine == "pdfium" else pdfminer_pages
    pages: list[Page] = []
    with module.open_pages(data, filename) as objects:
        continuing = False  # an unruled table runs on from the previous page
        for page_objects in objects:
            page = _read_page(page_objects, continuing)
            page.engine = engine
            continuing = page.open_table
            pages.append(page)
    return pages


def _names_a_table(text: str) -> bool:
    """Whether a page prints a standard table's title or a table's header row (outside a
    table of contents): where tables without rulings are looked for."""
    from .aligned import HEADER_START
    from .catalog import table_name_in

    if re.search(r"目\s*录", text):
        return False
    lines = [line for line in text.splitlines() if not re.match(r"^[一二三四五六七八九十]+[、.．]", line)]
    return table_name_in(lines) is not None or any(HEADER_START.match(line) for line in lines)


def _read_page(objects: PageObjects, continuing: bool = False) -> Page:
    number = objects.number
    chars, edges = _on_page(objects)
    found = rulings.find_tables(edges)
    page_layout = layout.read(chars)
    text = map_radicals(page_layout.text)
    aligned, extents, open_table = [], [], False
    if not found and (continuing or _names_a_table(text)):
        from .aligned import find_aligned_tables

        aligned, extents, open_table = find_aligned_tables(page_layout.words, number, continuing)
    bboxes = [table.bbox for table in found] + [(0, top, objects.width, bottom) for top, bottom in extents]
    if bboxes:
        page_layout = layout.read(_outside(chars, bboxes))
    lines = [
        Line(map_radicals(line["text"]), line["x0"], line["x1"], line["top"], line["bottom"])
        for line in page_layout.lines
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
        width=float(objects.width),
        height=float(objects.height),
        text=text,
        lines=lines,
        tables=tables,
        trailing=trailing,
        open_table=open_table,
        cid_glyphs=len(CID_GLYPH.findall(text)),
        has_images=objects.has_images,
    )


def _on_page(objects: PageObjects) -> tuple[list[dict], list]:
    """The characters and ruling edges a reader sees: none beyond the page's bottom or right
    edge, edges cut there.

    WPS leaves objects below the page (js-rendachang-2017-doc p11: the next pages' tables
    again, down to 2,000 points under the bottom edge); they are never printed.  Only the
    bottom and right edges are used: a turned page's upright content may start left of the
    box (test_a_turned_page_reads_alike).  When nothing at all is left, everything is kept.
    """
    width, height = objects.width, objects.height
    chars = [char for char in objects.chars
             if (char["x0"] + char["x1"]) / 2 <= width and (char["top"] + char["bottom"]) / 2 <= height]
    if len(chars) == len(objects.chars) or not chars:
        return objects.chars, objects.edges
    edges = []
    for kind, x0, top, x1, bottom, _ in objects.edges:
        x1, bottom = min(x1, width), min(bottom, height)
        if x0 <= x1 and top <= bottom:
            edges.append((kind, x0, top, x1, bottom, x1 - x0 if kind == "h" else bottom - top))
    return chars, edges


def _raw_table(number: int, table, chars: list[dict], caption: list[str]) -> RawTable:
    """The table's cells placed on a grid of its ruling lines, merged cells kept as spans.

    Each character goes to the cell under its centre by bisecting the rulings: one pass over
    the page's characters instead of pdfplumber's scan of every character for every cell.
    """
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
        cells[row][column] = map_radicals(layout.text(members))
    lines = [map_radicals(line) for line in layout.text(loose).splitlines() if line.strip()] if loose else []
    return RawTable(number, table.bbox, cells, origin, xs[:-1], caption, lines)


def _edges(values: list[float], tolerance: float = 1.5) -> list[float]:
    """Distinct ruling positions, merging those closer than ``tolerance`` points."""
    edges: list[float] = []
    for value in sorted(values):
        if not edges or value - edges[-1] > tolerance:
            edges.append(value)
    return edges


def _index(edges: list[float], value: float) -> int:
    """The index of the edge nearest to ``value`` (the first of two as near)."""
    after = bisect.bisect_left(edges, value)
    if after == 0:
        return 0
    if after == len(edges) or value - edges[after - 1] <= edges[after] - value:
        return after - 1
    return after


def _outside(chars: list[dict], bboxes: list[tuple[float, float, float, float]]) -> list[dict]:
    """The characters for the narrative: those whose centre lies outside every table."""
    kept = []
    for char in chars:
        cx = (char["x0"] + char["x1"]) / 2
        cy = (char["top"] + char["bottom"]) / 2
        for x0, top, x1, bottom in bboxes:
            if x0 <= cx <= x1 and top <= cy <= bottom:
                break
        else:
            kept.append(char)
    return kept
