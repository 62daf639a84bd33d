"""PDFium (through pypdfium2) as the page layer: each page's characters and ruling edges as
pdfminer and pdfplumber would make them, read by a C library.

pdfminer interprets content streams in Python: two thirds of extraction time (issue 13).
PDFium gives each character with its box and each path with its points.  Where PDFium's
rules and pdfminer's differ, pdfminer's are kept, because everything after this layer
(tables, narrative, explanations, findings) was built and measured on them;
tests/test_extract_engines.py compares the two engines page by page:

- a character's box spans its advance width, and from the baseline plus the font's descent
  up by the font size (pdfplumber's ``top``/``bottom``);
- a space PDFium generates stands for a space glyph only where one was printed (a glyph PDFium
  folded into its own generated space, or a text object of blank glyphs, which PDFium's
  text page skips); spaces it makes of kerning gaps and line breaks are dropped;
- paths are split into subpaths and made into edges as pdfminer and pdfplumber do (a line,
  an axis-aligned rectangle's four sides, or a curve's level and plumb segments).

A glyph without a Unicode mapping makes the whole file :class:`~.pdf.Unreadable`, so
pdfminer reads it and its "(cid:N)" glyphs are reported as a broken font map.
"""

from __future__ import annotations

import ctypes as C
from contextlib import contextmanager
from dataclasses import dataclass

import pypdfium2  # noqa: F401 - importing it initialises PDFium once per process
import pypdfium2.raw as raw

from . import _glyphs, pdfium_fonts
from .errors import EncryptedPdf
from .pdf import PageObjects, Unreadable

pdfium_fonts.install()

_P = C.c_void_p
_F = C.POINTER(C.c_float)


def _bind(name: str, restype, *argtypes):
    """A PDFium function taking plain pointers: pypdfium2's prototypes wrap every handle in a
    typed pointer, which costs more than the call itself."""
    return C.CFUNCTYPE(restype, *argtypes)(C.cast(getattr(raw, name), C.c_void_p).value)


_load_document = _bind("FPDF_LoadMemDocument64", _P, C.c_char_p, C.c_size_t, C.c_char_p)
_close_document = _bind("FPDF_CloseDocument", None, _P)
_last_error = _bind("FPDF_GetLastError", C.c_ulong)
_page_count = _bind("FPDF_GetPageCount", C.c_int, _P)
_load_page = _bind("FPDF_LoadPage", _P, _P, C.c_int)
_close_page = _bind("FPDF_ClosePage", None, _P)
_rotation = _bind("FPDFPage_GetRotation", C.c_int, _P)
_media_box = _bind("FPDFPage_GetMediaBox", C.c_int, _P, _F, _F, _F, _F)
_bounding_box = _bind("FPDF_GetPageBoundingBox", C.c_int, _P, C.POINTER(raw.FS_RECTF))
_load_text = _bind("FPDFText_LoadPage", _P, _P)
_close_text = _bind("FPDFText_ClosePage", None, _P)

# The functions _glyphs.c calls for every glyph and path segment, in the order it takes them.
FUNCTIONS = (
    "FPDFText_CountChars", "FPDFText_GetText", "FPDFText_GetUnicode", "FPDFText_IsGenerated",
    "FPDFText_HasUnicodeMapError", "FPDFText_GetLooseCharBox", "FPDFText_GetCharOrigin",
    "FPDFText_GetMatrix", "FPDFText_GetFontSize", "FPDFText_GetTextObject", "FPDFTextObj_GetFont",
    "FPDFFont_GetDescent", "FPDFPage_CountObjects", "FPDFPage_GetObject", "FPDFPageObj_GetType",
    "FPDFPageObj_GetMatrix", "FPDFPageObj_GetBounds", "FPDFFormObj_CountObjects", "FPDFFormObj_GetObject",
    "FPDFPath_GetDrawMode", "FPDFPath_CountSegments", "FPDFPath_GetPathSegment", "FPDFPathSegment_GetPoint",
    "FPDFPathSegment_GetType", "FPDFPathSegment_GetClose",
)
_glyphs.bind(*(C.cast(getattr(raw, name), C.c_void_p).value for name in FUNCTIONS))

ERRORS = {
    raw.FPDF_ERR_UNKNOWN: "unknown error", raw.FPDF_ERR_FILE: "file error",
    raw.FPDF_ERR_FORMAT: "not a PDF or damaged", raw.FPDF_ERR_PASSWORD: "password needed",
    raw.FPDF_ERR_SECURITY: "unsupported security scheme", raw.FPDF_ERR_PAGE: "page not found or damaged",
}


@contextmanager
def open_pages(data: bytes, filename: str | None):
    """Each page's objects, read one page at a time.

    :raises EncryptedPdf: when the file needs a user password.
    :raises Unreadable: when PDFium cannot open the file, a page, or a glyph's text.
    """
    handle = _load_document(data, len(data), None)  # PDFium reads ``data`` while it is open
    if not handle:
        error = _last_error()
        if error == raw.FPDF_ERR_PASSWORD:
            raise EncryptedPdf("the PDF is encrypted with a user password", filename)
        raise Unreadable(f"PDFium cannot open it ({ERRORS.get(error, error)})")
    try:
        yield _pages(handle)
    finally:
        _close_document(handle)


def _pages(document):
    doctop = 0.0
    for index in range(_page_count(document)):
        handle = _load_page(document, index)
        if not handle:
            raise Unreadable(f"PDFium cannot load page {index + 1}")
        try:
            objects = _page_objects(handle, index + 1, doctop)
        finally:
            _close_page(handle)
        doctop += objects.height
        yield objects


@dataclass
class _Geometry:
    """pdfminer's device space for a page (its CTM, which turns a /Rotate page upright) and
    pdfplumber's flip to coordinates from the top left."""

    ctm: tuple[float, float, float, float, float, float]
    width: float
    height: float
    mb_x0: float
    mb_top: float
    doctop: float


def _geometry(handle, doctop: float) -> _Geometry:
    box = [C.c_float() for _ in range(4)]
    if _media_box(handle, *[C.byref(value) for value in box]):
        left, bottom, right, top = (value.value for value in box)
    else:  # PDFium does not look up an inherited /MediaBox; its page box does
        rect = raw.FS_RECTF()
        _bounding_box(handle, C.byref(rect))
        left, bottom, right, top = rect.left, rect.bottom, rect.right, rect.top
    x0, x1 = sorted((left, right))
    y0, y1 = sorted((bottom, top))
    rotation = (_rotation(handle) * 90) % 360
    # pdfminer's PDFPageInterpreter.init_state: the CTM that shows the page upright.
    ctm = {
        90: (0, -1, 1, 0, -y0, x1),
        180: (-1, 0, 0, -1, x1, y1),
        270: (0, 1, -1, 0, y1, -x0),
    }.get(rotation, (1, 0, 0, 1, -x0, -y0))
    if rotation in (90, 270):  # pdfplumber's mediabox, normalised for the rotation
        x0, y0, x1, y1 = y0, x0, y1, x1
    return _Geometry(ctm, x1 - x0, y1 - y0, x0, (y1 - y0) - y1, doctop)


def _page_objects(handle, number: int, doctop: float) -> PageObjects:
    geometry = _geometry(handle, doctop)
    edges, blanks, images = _graphics(handle, geometry)
    text_page = _load_text(handle)
    try:
        chars = _chars(text_page, geometry, number) if text_page else []
    finally:
        if text_page:
            _close_text(text_page)
    return PageObjects(number, geometry.width, geometry.height, _with_blanks(chars, blanks), edges, images)


def _chars(text_page, geometry: _Geometry, number: int) -> list[dict]:
    """The characters in PDFium's order, boxed as pdfminer boxes them: the per-glyph loop,
    in C (_glyphs.c), which applies the rules above."""
    chars = _glyphs.chars(text_page, geometry.ctm, geometry.mb_x0, geometry.mb_top, geometry.height,
                          geometry.doctop)
    if chars is None:
        raise Unreadable(f"a glyph on page {number} has no Unicode mapping")
    return chars


def _graphics(handle, geometry: _Geometry):
    """A page's ruling edges (rulings.py's tuples, in pdfplumber's order: lines, rectangles'
    sides, curves' segments), where text objects without width stand, and whether it holds
    an image; form XObjects are entered.  In C (_glyphs.c): paths are split into subpaths as
    pdfminer's paint_path splits them, and made into edges as pdfplumber makes them."""
    return _glyphs.graphics(handle, geometry.ctm, geometry.mb_x0, geometry.mb_top, geometry.height)


def _with_blanks(chars: list[dict], blanks: list[tuple[float, float]]) -> list[dict]:
    """Characters with a space where a text object without width stands.

    PDFium's text page skips a text object whose glyphs have no extent: a lone space set in
    its own object where the font changes ("508.19 万元" in LibreOffice's output).  pdfminer
    reads it as a space character, which ends a word.  The space goes after the character to
    its left on its line, when the line goes on to its right.
    """
    if not blanks or not chars:
        return chars
    tallest = max(char["size"] for char in chars)
    step = max(tallest, 1.0)
    rows: dict[int, list[int]] = {}  # characters by their bottom, in bands of the tallest size
    for index, char in enumerate(chars):
        rows.setdefault(int(char["bottom"] // step), []).append(index)
    inserts: dict[int, list[dict]] = {}
    for x, baseline in blanks:
        # a character's bottom lies up to its descent (under 0.4 em) below its baseline
        near = [i for band in range(int((baseline - 0.1 * tallest) // step), int((baseline + 0.4 * tallest) // step) + 1)
                for i in rows.get(band, ())]
        line = [i for i in near if chars[i]["text"] != " "
                and -0.1 * chars[i]["size"] <= chars[i]["bottom"] - baseline <= 0.4 * chars[i]["size"]]
        before = [i for i in line if chars[i]["x1"] <= x + 0.5]
        after = [chars[i]["x0"] for i in line if chars[i]["x0"] >= x - 0.5]
        if not before or not after:
            continue  # nothing on one side: a space there changes no word
        index = max(before, key=lambda i: (chars[i]["x1"], i))
        end = max(x, min(after))
        inserts.setdefault(index, []).append(dict(chars[index], text=" ", x0=x, x1=end, width=end - x))
    if not inserts:
        return chars
    result = []
    for index, char in enumerate(chars):
        result.append(char)
        result += inserts.get(index, [])
    return result
