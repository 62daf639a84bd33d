"""PDFium (through pypdfium2) as the page layer: the page objects pdfplumber would build from
pdfminer, read by a C library.

pdfminer interprets content streams in Python, two thirds of extraction time (issue 13).
PDFium gives each character with its box and each path with its points; this module turns
them into pdfplumber's object dicts (``char``, ``line``, ``rect``, ``curve``, ``image``) on a
pdfplumber ``Page``, so pdfplumber's table finder and text layout, and everything in
extract/ after them, read the same objects whichever engine parsed the page.

Where pdfminer's rules and PDFium's differ, pdfminer's are reproduced, because the
extraction built on them is measured (tests/test_extract_engines.py compares the two):

- a character's box is its advance width by its font size, from the baseline plus the
  font's descent (PDFium's loose box, with pdfminer's height: the font size);
- a space PDFium generates between words is a space character, as the space glyph pdfminer
  reads would be; line breaks PDFium generates are dropped;
- a glyph whose font has no Unicode mapping reads ``(cid:N)``, so a broken font map is still
  found (``findings.font_findings``);
- paths are split into subpaths and classified as pdfminer does (a line, an axis-aligned
  rectangle, or a curve through its points).
"""

from __future__ import annotations

import ctypes as C
import math
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

import pypdfium2  # noqa: F401 - importing it initialises the library once per process
import pypdfium2.raw as raw
from pdfplumber.page import Page as PlumberPage

from .errors import EncryptedPdf

_P = C.c_void_p
_D = C.POINTER(C.c_double)
_F = C.POINTER(C.c_float)


def _bind(name: str, restype, *argtypes):
    """A PDFium function with plain pointer arguments: pypdfium2's own prototypes wrap each
    handle in a typed pointer, which costs more than the call itself in the per-character loop."""
    address = C.cast(getattr(raw, name), C.c_void_p).value
    return C.CFUNCTYPE(restype, *argtypes)(address)


_load_document = _bind("FPDF_LoadMemDocument64", _P, C.c_char_p, C.c_size_t, C.c_char_p)
_close_document = _bind("FPDF_CloseDocument", None, _P)
_last_error = _bind("FPDF_GetLastError", C.c_ulong)
_page_count = _bind("FPDF_GetPageCount", C.c_int, _P)
_load_page = _bind("FPDF_LoadPage", _P, _P, C.c_int)
_close_page = _bind("FPDF_ClosePage", None, _P)
_rotation = _bind("FPDFPage_GetRotation", C.c_int, _P)
_media_box = _bind("FPDFPage_GetMediaBox", C.c_int, _P, _F, _F, _F, _F)
_load_text = _bind("FPDFText_LoadPage", _P, _P)
_close_text = _bind("FPDFText_ClosePage", None, _P)
_count_chars = _bind("FPDFText_CountChars", C.c_int, _P)
_get_text = _bind("FPDFText_GetText", C.c_int, _P, C.c_int, C.c_int, C.c_char_p)
_is_generated = _bind("FPDFText_IsGenerated", C.c_int, _P, C.c_int)
_map_error = _bind("FPDFText_HasUnicodeMapError", C.c_int, _P, C.c_int)
_loose_box = _bind("FPDFText_GetLooseCharBox", C.c_int, _P, C.c_int, C.POINTER(raw.FS_RECTF))
_char_matrix = _bind("FPDFText_GetMatrix", C.c_int, _P, C.c_int, C.POINTER(raw.FS_MATRIX))
_font_size = _bind("FPDFText_GetFontSize", C.c_double, _P, C.c_int)
_text_object = _bind("FPDFText_GetTextObject", _P, _P, C.c_int)
_char_origin = _bind("FPDFText_GetCharOrigin", C.c_int, _P, C.c_int, _D, _D)
_text_font = _bind("FPDFTextObj_GetFont", _P, _P)
_font_descent = _bind("FPDFFont_GetDescent", C.c_int, _P, C.c_float, _F)
_count_objects = _bind("FPDFPage_CountObjects", C.c_int, _P)
_get_object = _bind("FPDFPage_GetObject", _P, _P, C.c_int)
_object_type = _bind("FPDFPageObj_GetType", C.c_int, _P)
_object_matrix = _bind("FPDFPageObj_GetMatrix", C.c_int, _P, C.POINTER(raw.FS_MATRIX))
_object_bounds = _bind("FPDFPageObj_GetBounds", C.c_int, _P, _F, _F, _F, _F)
_form_count = _bind("FPDFFormObj_CountObjects", C.c_int, _P)
_form_object = _bind("FPDFFormObj_GetObject", _P, _P, C.c_ulong)
_count_segments = _bind("FPDFPath_CountSegments", C.c_int, _P)
_get_segment = _bind("FPDFPath_GetPathSegment", _P, _P, C.c_int)
_segment_point = _bind("FPDFPathSegment_GetPoint", C.c_int, _P, _F, _F)
_segment_type = _bind("FPDFPathSegment_GetType", C.c_int, _P)
_segment_close = _bind("FPDFPathSegment_GetClose", C.c_int, _P)
_draw_mode = _bind("FPDFPath_GetDrawMode", C.c_int, _P, C.POINTER(C.c_int), C.POINTER(C.c_int))

ERRORS = {
    raw.FPDF_ERR_UNKNOWN: "unknown error", raw.FPDF_ERR_FILE: "file error",
    raw.FPDF_ERR_FORMAT: "not a PDF or damaged", raw.FPDF_ERR_PASSWORD: "password needed",
    raw.FPDF_ERR_SECURITY: "unsupported security scheme", raw.FPDF_ERR_PAGE: "page not found or damaged",
}
TEXT, PATH, IMAGE, FORM = raw.FPDF_PAGEOBJ_TEXT, raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_FORM
MOVETO, BEZIERTO = raw.FPDF_SEGMENT_MOVETO, raw.FPDF_SEGMENT_BEZIERTO
LINE_BREAKS = {"\r", "\n"}


class Unreadable(Exception):
    """PDFium cannot read the file as pdfminer would: it cannot open the file or a page, or a
    glyph has no Unicode mapping (pdfminer's "(cid:N)", which findings report).  pdfminer is
    used for the whole file instead."""


@contextmanager
def open_pages(data: bytes, filename: str | None):
    """pdfplumber pages over PDFium, one at a time.

    :raises EncryptedPdf: when the file needs a user password.
    :raises Unreadable: when PDFium cannot open the file or a page.
    """
    document = Document(data)
    if document.error == raw.FPDF_ERR_PASSWORD:
        raise EncryptedPdf("the PDF is encrypted with a user password", filename)
    if not document.handle:
        raise Unreadable(f"PDFium cannot open it ({ERRORS.get(document.error, document.error)})")
    with document:
        yield document.pages()


class Document:
    """An open PDFium document over bytes that must outlive it (PDFium reads them lazily)."""

    def __init__(self, data: bytes):
        self._data = data
        self.handle = _load_document(data, len(data), None)
        self.error = 0 if self.handle else _last_error()

    def __len__(self) -> int:
        return _page_count(self.handle)

    def close(self) -> None:
        if self.handle:
            _close_document(self.handle)
            self.handle = None

    def __enter__(self) -> "Document":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def pages(self):
        """Each page as a pdfplumber Page holding PDFium's objects, one at a time."""
        doctop = 0.0
        for index in range(len(self)):
            handle = _load_page(self.handle, index)
            if not handle:
                raise Unreadable(f"PDFium cannot load page {index + 1}")
            try:
                page = PdfiumPage(handle, index + 1, doctop)
            finally:
                _close_page(handle)
            doctop += page.height
            yield page


@dataclass
class _Geometry:
    """pdfminer's device space for a page (its CTM, which undoes /Rotate), and pdfplumber's
    flip to top-left coordinates."""

    ctm: tuple[float, float, float, float, float, float]
    height: float
    mb_x0: float
    mb_top: float
    doctop: float

    def point(self, x: float, y: float) -> tuple[float, float]:
        """A user-space point as pdfplumber's (x, top)."""
        a, b, c, d, e, f = self.ctm
        return a * x + c * y + e + self.mb_x0, self.mb_top + self.height - (b * x + d * y + f)


def _geometry(handle, doctop: float) -> _Geometry:
    box = [C.c_float() for _ in range(4)]
    if not _media_box(handle, *[C.byref(v) for v in box]):
        box = [C.c_float(v) for v in (0, 0, 612, 792)]
    left, bottom, right, top = (v.value for v in box)
    x0, x1 = sorted((left, right))
    y0, y1 = sorted((bottom, top))
    rotation = (_rotation(handle) * 90) % 360
    # pdfminer's PDFPageInterpreter.init_state: the CTM that shows the page upright.
    ctm = {
        90: (0, -1, 1, 0, -y0, x1),
        180: (-1, 0, 0, -1, x1, y1),
        270: (0, 1, -1, 0, y1, -x0),
    }.get(rotation, (1, 0, 0, 1, -x0, -y0))
    # pdfplumber's mediabox: normalised for the rotation, then flipped.
    if rotation in (90, 270):
        x0, y0, x1, y1 = y0, x0, y1, x1
    height = y1 - y0
    return _Geometry(ctm, height, x0, height - y1, doctop)


class PdfiumPage(PlumberPage):
    """A pdfplumber Page whose objects come from PDFium instead of pdfminer's layout."""

    def __init__(self, handle, page_number: int, initial_doctop: float = 0.0):
        self.pdf = None
        self.root_page = self
        self.page_obj = None
        self.page_number = page_number
        self.initial_doctop = initial_doctop
        geometry = _geometry(handle, initial_doctop)
        self.rotation = (_rotation(handle) * 90) % 360
        self.mediabox = self.cropbox = self.bbox = _page_box(handle, geometry)
        self.get_textmap = lru_cache()(self._get_textmap)
        graphics, blanks = _graphics(handle, geometry, page_number)
        self._objects = {"char": _with_blanks(self._chars(handle, geometry), blanks), **graphics}

    def _chars(self, handle, geometry: _Geometry) -> list[dict]:
        text_page = _load_text(handle)
        if not text_page:
            return []
        try:
            return self._read_chars(text_page, geometry)
        finally:
            _close_text(text_page)

    def _read_chars(self, text_page, geometry: _Geometry) -> list[dict]:
        count = _count_chars(text_page)
        if count <= 0:
            return []
        buffer = C.create_string_buffer(2 * (count + 1))
        _get_text(text_page, 0, count, buffer)
        text = buffer.raw[: 2 * count].decode("utf-16-le", errors="replace")
        if len(text) != count:  # characters beyond the BMP: ask one by one
            text = None
        rect = raw.FS_RECTF()
        rect_ref = C.byref(rect)
        matrix = raw.FS_MATRIX()
        origin_x, origin_y = C.c_double(), C.c_double()
        origin_x_ref, origin_y_ref = C.byref(origin_x), C.byref(origin_y)
        chars: list[dict] = []
        a, b, c, d, e, f = geometry.ctm
        mb_x0, flip, doctop = geometry.mb_x0, geometry.mb_top + geometry.height, geometry.doctop
        page_number = self.page_number
        current, size, upright, descent_ratio, mb, mc, md = None, 0.0, True, 0.0, 0.0, 0.0, 1.0
        pending = None
        for index in range(count):
            char = text[index] if text is not None else chr(raw.FPDFText_GetUnicode(text_page, index))
            if _is_generated(text_page, index):
                if char == " " and _text_object(text_page, index):
                    # Inside a text object PDFium makes a space of a wide kerning gap, placed
                    # where the next glyph starts; when that glyph was a real space, it keeps
                    # the first of the two, at the real one's origin (CloseTempLine).
                    _char_origin(text_page, index, origin_x_ref, origin_y_ref)
                    pending = geometry.point(origin_x.value, origin_y.value)[0]
                continue
            if char in LINE_BREAKS or char == "\x00":
                continue
            obj = _text_object(text_page, index)
            if obj != current:
                current = obj
                _char_matrix(text_page, index, C.byref(matrix))
                ma, mb, mc, md = matrix.a, matrix.b, matrix.c, matrix.d
                # The font size as set (Tf) scaled by the text matrix: pdfminer's char height.
                size = _font_size(text_page, index) * (abs(md) if mb == mc == 0 else math.hypot(mc, md))
                descent = C.c_float()
                if DESCENT == "pdfium" and _font_descent(_text_font(obj), 1000.0, C.byref(descent)):
                    descent_ratio = descent.value / 1000
                else:
                    descent_ratio = 0.0
                # pdfminer's LTChar: upright unless the text matrix (times the CTM) turns it.
                ta, tb = ma * a + mb * c, ma * b + mb * d
                tc, td = mc * a + md * c, mc * b + md * d
                upright = ta * td > 0 and tb * tc <= 0
            if _map_error(text_page, index):
                raise Unreadable(f"a glyph on page {self.page_number} has no Unicode mapping")
            _loose_box(text_page, index, rect_ref)
            left, right, low, high = rect.left, rect.right, rect.bottom, rect.top
            if a == 1 and d == 1 and upright and mb == mc == 0:
                _char_origin(text_page, index, origin_x_ref, origin_y_ref)
                x0, x1 = left + e + mb_x0, right + e + mb_x0
                bottom = flip - (origin_y.value + f) - descent_ratio * size * (1 if md > 0 else -1)
                top = bottom - size
            else:
                corners = [(a * x + c * y + e, b * x + d * y + f) for x, y in ((left, low), (right, high))]
                xs, ys = sorted(p[0] for p in corners), sorted(p[1] for p in corners)
                x0, x1 = xs[0] + mb_x0, xs[1] + mb_x0
                bottom, top = flip - ys[0], flip - ys[1]
                if upright:
                    top = bottom - size
            current_char = {
                "object_type": "char", "page_number": page_number, "text": char,
                "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": doctop + top,
                "y0": flip - bottom, "y1": flip - top,
                "width": x1 - x0, "height": bottom - top, "size": size, "upright": upright,
            }
            if pending is not None and pending < x0 - 0.05 * size:
                chars.append(dict(current_char, text=" ", x0=pending, x1=x0, width=x0 - pending))
            pending = None
            chars.append(current_char)
        return chars


DESCENT = __import__("os").environ.get("DESCENT", "pdfium")


def _page_box(handle, geometry: _Geometry) -> tuple[float, float, float, float]:
    box = [C.c_float() for _ in range(4)]
    if not _media_box(handle, *[C.byref(v) for v in box]):
        box = [C.c_float(v) for v in (0, 0, 612, 792)]
    left, bottom, right, top = (v.value for v in box)
    x0, x1 = sorted((left, right))
    y0, y1 = sorted((bottom, top))
    if geometry.ctm[0] == 0:  # turned by 90 or 270 degrees
        x0, y0, x1, y1 = y0, x0, y1, x1
    height = y1 - y0
    return (x0, height - y1, x1, height - y0)


def _graphics(handle, geometry: _Geometry, page_number: int):
    """Lines, rectangles, curves and images on a page, form XObjects included, and where
    text objects without width stand (see _with_blanks)."""
    found: dict[str, list[dict]] = {"line": [], "rect": [], "curve": [], "image": []}
    blanks: list[tuple[float, float]] = []
    objects = [(_get_object(handle, i), None) for i in range(_count_objects(handle))]
    matrix = raw.FS_MATRIX()
    bounds = [C.c_float() for _ in range(4)]
    bounds_refs = [C.byref(value) for value in bounds]
    while objects:
        obj, outer = objects.pop()
        kind = _object_type(obj)
        if kind == TEXT:
            if _object_bounds(obj, *bounds_refs) and bounds[2].value - bounds[0].value < 0.01:
                x, y = bounds[0].value, bounds[1].value
                if outer is not None:
                    x, y = _apply(outer, x, y)
                blanks.append(geometry.point(x, y))
            continue
        _object_matrix(obj, C.byref(matrix))
        own = (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)
        placed = own if outer is None else _multiply(own, outer)
        if kind == PATH:
            _path(obj, placed, geometry, page_number, found)
        elif kind == IMAGE:
            found["image"].append(_box_object("image", [(0, 0), (1, 1)], placed, geometry, page_number))
        elif kind == FORM:
            objects += [(_form_object(obj, i), placed) for i in reversed(range(_form_count(obj)))]
    return {kind: items for kind, items in found.items() if items}, blanks


def _with_blanks(chars: list[dict], blanks: list[tuple[float, float]]) -> list[dict]:
    """Characters with a space where a text object without width stands.

    PDFium's text page skips a text object whose glyphs have no extent (a lone space glyph,
    set in its own object where the font changes: "508.19 万元" in LibreOffice output); pdfminer
    reads it as a space character, which ends a word.  The space goes after the character to
    its left on its line.
    """
    for x, baseline in blanks:
        line = [i for i, char in enumerate(chars)
                if char["text"] != " " and -0.1 * char["size"] <= char["bottom"] - baseline <= 0.4 * char["size"]]
        before = [i for i in line if chars[i]["x1"] <= x + 0.5]
        if not before or len(before) == len(line):
            continue  # nothing to its right on the line: a space there changes no word
        index = max(before, key=lambda i: chars[i]["x1"])
        after = min((chars[i]["x0"] for i in line if chars[i]["x0"] >= x - 0.5), default=x)
        chars.insert(index + 1, dict(chars[index], text=" ", x0=x, x1=max(x, after), width=max(x, after) - x))
    return chars


def _apply(matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


def _multiply(m, n):
    """m then n, as PDF matrices compose."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def _path(obj, matrix, geometry: _Geometry, page_number: int, found: dict) -> None:
    """One path object as pdfminer's LTLine / LTRect / LTCurve per subpath (paint_path)."""
    fill, stroke = C.c_int(), C.c_int()
    _draw_mode(obj, C.byref(fill), C.byref(stroke))
    if not fill.value and not stroke.value:
        return  # only a clipping path: pdfminer paints nothing for 'n'
    a, b, c, d, e, f = matrix
    x, y = C.c_float(), C.c_float()
    subpaths: list[list[tuple[str, tuple[float, float]]]] = []
    count = _count_segments(obj)
    bezier = 0
    for index in range(count):
        segment = _get_segment(obj, index)
        _segment_point(segment, C.byref(x), C.byref(y))
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        kind = _segment_type(segment)
        if kind == MOVETO or not subpaths:
            subpaths.append([("m", point)])
        elif kind == BEZIERTO:
            bezier += 1
            if bezier % 3 == 0:  # the end point of "c": pdfminer keeps only that
                subpaths[-1].append(("c", point))
        else:
            subpaths[-1].append(("l", point))
        if _segment_close(segment):
            subpaths[-1].append(("h", subpaths[-1][0][1]))
    for subpath in subpaths:
        _classify(subpath, geometry, page_number, found)


def _classify(subpath, geometry: _Geometry, page_number: int, found: dict) -> None:
    shape = "".join(op for op, _ in subpath)
    points = [geometry.point(*p) for _, p in subpath]
    if shape in ("ml", "mlh"):
        found["line"].append(_box_object("line", points[:2], None, geometry, page_number, pts=points[:2]))
        return
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = points
        closed = points[0] == points[4]
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
            y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
        )
        if closed and square:
            found["rect"].append(_box_object("rect", points, None, geometry, page_number))
            return
    found["curve"].append(_box_object("curve", points, None, geometry, page_number, pts=points))


def _box_object(kind, points, matrix, geometry: _Geometry, page_number: int, pts=None) -> dict:
    if matrix is not None:  # a unit square placed by a matrix (images)
        a, b, c, d, e, f = matrix
        points = [geometry.point(a * x + c * y + e, b * x + d * y + f) for x, y in
                  ((0, 0), (1, 0), (0, 1), (1, 1))]
    xs = [p[0] for p in points]
    tops = [p[1] for p in points]
    x0, x1, top, bottom = min(xs), max(xs), min(tops), max(tops)
    flip = geometry.mb_top + geometry.height
    obj = {
        "object_type": kind, "page_number": page_number,
        "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": geometry.doctop + top,
        "y0": flip - bottom, "y1": flip - top, "width": x1 - x0, "height": bottom - top,
    }
    if pts is not None:
        obj["pts"] = pts
    return obj
