"""The font PDFium draws on for a Chinese, Japanese or Korean font that a PDF names but does
not embed (STSong-Light from reportlab and iText's Asian fonts; 宋体 when Word does not embed
it): a small TrueType font made here, in memory, instead of an installed system font.

Why not the system font PDFium would pick (Noto Sans CJK on our machines):

- speed: PDFium measures every glyph's outline twice (when it parses the content and when it
  builds the text page); Noto's outlines are CFF charstrings that FreeType interprets each time,
  which made reading such a page six times dearer, and PDFium re-read the 26 MB font file for
  each document;
- the same boxes on every machine: PDFium widens a character's box to the glyph's outline
  where that passes the advance (Noto's Latin glyphs are wider than the PDF's /W widths), and
  takes missing widths and descents from the font it found, so boxes, and in the end words,
  depended on the fonts a machine has installed.

Every outline of this font is a rectangle inside the narrowest advance a printed character has
(0–100 units wide, 0–700 high), so a character's box is its advance, as pdfminer draws it;
spaces have no outline, so a text object of spaces has no width, as with a real font.  Where the
PDF gives no widths, 宋体's stand in (ASCII half width, everything else full width); where it
gives no descent, there is none, as pdfminer reads it.  Fonts of other scripts keep PDFium's own
choice (its built-in base-14 fonts, or a system font for a Latin font that is not embedded).
"""

from __future__ import annotations

import ctypes as C
import struct

import pypdfium2.raw as raw

UNITS = 1000
ASCENT, DESCENT = 880, 0  # no descent, as pdfminer reads a font whose descriptor gives none
# Windows charsets PDFium asks for when a font is Chinese, Japanese or Korean (a CID font's
# ordering), and the names of such fonts, which a simple (one-byte) font may carry too.
CJK_CHARSETS = frozenset({
    raw.FXFONT_SHIFTJIS_CHARSET, raw.FXFONT_HANGEUL_CHARSET,
    raw.FXFONT_GB2312_CHARSET, raw.FXFONT_CHINESEBIG5_CHARSET,
})
CJK_NAMES = (
    "simsun", "nsimsun", "simhei", "simkai", "simfang", "kaiti", "fangsong", "stsong", "stheiti",
    "stkaiti", "stfangsong", "stxihei", "stzhongsong", "microsoftyahei", "msyh", "dengxian", "fz",
    "adobesong", "adobeheiti", "adobekaiti", "adobefangsong", "adobeming", "mingliu", "pmingliu",
    "dfkai", "msung", "mhei", "msmincho", "mspmincho", "msgothic", "mspgothic", "kozmin", "kozgo",
    "heiseimin", "heiseikakugo", "batang", "gulim", "dotum", "gungsuh", "malgun", "hysmyeongjo",
    "hygothic",
)
# glyph id: (advance, has an outline)
NOTDEF, SPACE, WIDE_SPACE, HALF, FULL = range(5)
GLYPHS = {NOTDEF: (UNITS, True), SPACE: (UNITS // 2, False), WIDE_SPACE: (UNITS, False),
          HALF: (UNITS // 2, True), FULL: (UNITS, True)}
BOX = (0, 0, 100, 700)  # xMin, yMin, xMax, yMax of every outline
# Unicode ranges → glyph, in order; code points not listed get the .notdef box.
RANGES = (
    (0x0020, 0x0020, SPACE), (0x0021, 0x007E, HALF), (0x00A0, 0x00A0, SPACE),
    (0x00A1, 0x1FFF, FULL), (0x2000, 0x200F, SPACE), (0x2010, 0x2027, FULL),
    (0x2028, 0x2029, SPACE), (0x202A, 0x202E, FULL), (0x202F, 0x202F, SPACE),
    (0x2030, 0x205E, FULL), (0x205F, 0x205F, SPACE), (0x2060, 0x2FFF, FULL),
    (0x3000, 0x3000, WIDE_SPACE), (0x3001, 0xD7FF, FULL), (0xE000, 0xFEFE, FULL),
    (0xFEFF, 0xFEFF, SPACE), (0xFF00, 0xFF60, FULL), (0xFF61, 0xFF9F, HALF),
    (0xFFA0, 0xFFE7, FULL), (0xFFE8, 0xFFEE, HALF), (0xFFEF, 0xFFFD, FULL),
    (0x20000, 0x3FFFF, FULL),
)
NAME = "gongkai CJK substitute"


def is_cjk_name(name: bytes) -> bool:
    """Whether a font name is that of a Chinese, Japanese or Korean font: a known one, or a
    name in its own script (宋体, written in GBK or UTF-8 bytes)."""
    if not name.isascii():
        return True
    plain = name.decode().lower().translate({ord(c): None for c in " -_"})
    return plain.startswith(CJK_NAMES)


def substitute_font() -> bytes:
    """The TrueType font, built from the tables above (a few kilobytes)."""
    box_glyph = struct.pack(">hhhhh", 1, *BOX) + struct.pack(">HH", 3, 0)  # one contour, 4 points, no code
    xs = (BOX[0], BOX[2], BOX[2], BOX[0])
    ys = (BOX[1], BOX[1], BOX[3], BOX[3])
    box_glyph += bytes([0x01] * 4)  # flags: on curve, 16-bit coordinates as deltas
    box_glyph += b"".join(struct.pack(">h", b - a) for a, b in zip((0,) + xs[:-1], xs))
    box_glyph += b"".join(struct.pack(">h", b - a) for a, b in zip((0,) + ys[:-1], ys))
    glyf, loca = b"", [0]
    for glyph in sorted(GLYPHS):
        if GLYPHS[glyph][1]:
            glyf += box_glyph + b"\0" * (len(box_glyph) % 2)
        loca.append(len(glyf))
    count = len(GLYPHS)
    tables = {
        b"head": struct.pack(">IIIIHHqqhhhhHHhhh", 0x00010000, 0x00010000, 0, 0x5F0F3CF5, 0b1011, UNITS,
                             0, 0, BOX[0], min(DESCENT, BOX[1]), UNITS, ASCENT, 0, 8, 2, 1, 0),
        b"hhea": struct.pack(">IhhhHhhhhhhhhhhhH", 0x00010000, ASCENT, DESCENT, 0, UNITS, 0, 0, BOX[2],
                             1, 0, 0, 0, 0, 0, 0, 0, count),
        b"maxp": struct.pack(">IHHHHHHHHHHHHHH", 0x00010000, count, 4, 1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0),
        b"hmtx": b"".join(struct.pack(">Hh", GLYPHS[glyph][0], BOX[0]) for glyph in sorted(GLYPHS)),
        b"loca": b"".join(struct.pack(">I", offset) for offset in loca),
        b"glyf": glyf,
        b"cmap": _cmap(),
        b"name": _name(),
        b"post": struct.pack(">IIhhIIIII", 0x00030000, 0, 0, 0, 0, 0, 0, 0, 0),
    }
    return _sfnt(tables)


def _cmap() -> bytes:
    """Format 13 (many code points to one glyph) under Windows UCS-4."""
    groups = b"".join(struct.pack(">III", first, last, glyph) for first, last, glyph in RANGES)
    subtable = struct.pack(">HHIII", 13, 0, 16 + len(groups), 0, len(RANGES)) + groups
    return struct.pack(">HHHHI", 0, 1, 3, 10, 12) + subtable


def _name() -> bytes:
    strings = [(1, NAME), (2, "Regular"), (4, NAME), (6, NAME.replace(" ", "-"))]
    data, records = b"", b""
    for name_id, text in strings:
        encoded = text.encode("utf-16-be")
        records += struct.pack(">HHHHHH", 3, 1, 0x409, name_id, len(encoded), len(data))
        data += encoded
    return struct.pack(">HHH", 0, len(strings), 6 + 12 * len(strings)) + records + data


def _sfnt(tables: dict[bytes, bytes]) -> bytes:
    count = len(tables)
    power = 1 << (count.bit_length() - 1)
    header = struct.pack(">IHHHH", 0x00010000, count, power * 16, power.bit_length() - 1, (count - power) * 16)
    offset = len(header) + 16 * count
    directory, body = b"", b""
    for tag in sorted(tables):
        data = tables[tag]
        padded = data + b"\0" * (-len(data) % 4)
        checksum = sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF
        directory += struct.pack(">4sIII", tag, checksum, offset + len(body), len(data))
        body += padded
    return header + directory + body


class _SystemFonts:
    """PDFium's FPDF_SYSFONTINFO: CJK requests get the substitute font, every other request
    goes to PDFium's default (which finds nothing for base-14 names, so PDFium uses its own)."""

    HANDLE = 1  # our font's handle; the default's handles are its own pointers, never 1

    def __init__(self, font: bytes):
        self.font = font
        self.default = raw.FPDF_GetDefaultSystemFontInfo()
        inner = self.default.contents
        fields = dict(raw.FPDF_SYSFONTINFO._fields_)
        self.info = raw.FPDF_SYSFONTINFO()
        self.info.version = 1
        callbacks = {
            "Release": lambda this: None,
            "EnumFonts": lambda this, mapper: inner.EnumFonts(self.default, mapper),
            "MapFont": self._map_font,
            "GetFont": lambda this, face: inner.GetFont(self.default, face),
            "GetFontData": self._font_data,
            "GetFaceName": self._face_name,
            "GetFontCharset": lambda this, handle: (raw.FXFONT_GB2312_CHARSET if handle == self.HANDLE
                                                    else inner.GetFontCharset(self.default, handle)),
            "DeleteFont": lambda this, handle: (None if handle == self.HANDLE
                                                else inner.DeleteFont(self.default, handle)),
        }
        for name, function in callbacks.items():
            setattr(self.info, name, fields[name](function))

    def _map_font(self, this, weight, italic, charset, pitch_family, face, exact):
        if charset in CJK_CHARSETS or is_cjk_name(C.string_at(face)):
            return self.HANDLE
        return self.default.contents.MapFont(self.default, weight, italic, charset, pitch_family, face, exact)

    def _font_data(self, this, handle, table, buffer, size):
        if handle != self.HANDLE:
            return self.default.contents.GetFontData(self.default, handle, table, buffer, size)
        if table != 0:  # the whole font only (not a collection: no "ttcf")
            return 0
        if buffer and size >= len(self.font):
            C.memmove(buffer, self.font, len(self.font))
        return len(self.font)

    def _face_name(self, this, handle, buffer, size):
        if handle != self.HANDLE:
            return self.default.contents.GetFaceName(self.default, handle, buffer, size)
        name = NAME.encode() + b"\0"
        if buffer and size >= len(name):
            C.memmove(buffer, name, len(name))
        return len(name)


_installed: _SystemFonts | None = None


def install() -> None:
    """Make PDFium use the substitute font, once per process, before any document is read."""
    global _installed
    if _installed is None:
        _installed = _SystemFonts(substitute_font())
        raw.FPDF_SetSystemFontInfo(C.byref(_installed.info))
