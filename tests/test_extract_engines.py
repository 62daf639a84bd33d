"""PDFium reads pages as pdfminer did (issue 13): the same record from either engine, and
pdfminer for a file PDFium cannot read, recorded on the document."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from handmade import pdf

from gongkai import extract
from gongkai.extract import pdfium_pages, pdfminer_pages
from gongkai.extract.pdf import Unreadable, read_pages

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures" / "documents"
# One of each kind of page the engines must read alike: LibreOffice's embedded subsets with
# ruled tables, reportlab's non-embedded CID font, tables set as aligned text, radicals from a
# broken ToUnicode map, and real Jiangsu PDFs (GBK-named subsets: a narrative and its tables).
SAME_RECORD = [
    FIXTURES / "yanshi-2024-juesuan.libreoffice.pdf",
    FIXTURES / "xuchang-2025-yusuan.reportlab.pdf",
    FIXTURES / "unruled" / "zhongzhan-2023-juesuan.unruled.pdf",
    FIXTURES / "fontmaps" / "yanshi-2024-juesuan.radicals.pdf",
    TESTS / "real" / "jiangsu" / "js-zhengxie-2018-doc.pdf",
    TESTS / "real" / "jiangsu" / "js-shengwei-2019-tables.pdf",
]


@pytest.mark.parametrize("path", SAME_RECORD, ids=[path.name for path in SAME_RECORD])
def test_both_engines_give_the_same_record(path):
    data = path.read_bytes()
    pdfium = extract.extract_bytes(data, path.name)
    pdfminer = extract.extract_bytes(data, path.name, engine="pdfminer")
    assert (pdfium.pop("engine"), pdfminer.pop("engine")) == ("pdfium", "pdfminer")
    assert pdfium == pdfminer


def _landscape_table(rotate: int) -> bytes:
    """A ruled table on a portrait page, turned by /Rotate and drawn turned back, as some
    producers print landscape tables."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=(595, 842))
    page.setPageRotation(rotate)
    page.translate(*{90: (595, 0), 180: (595, 842), 270: (0, 842)}.get(rotate, (0, 0)))
    page.rotate(rotate)
    page.setFont("STSong-Light", 12)
    page.drawString(72, 500, "一般公共预算财政拨款支出决算表")
    xs, ys = [72, 200, 320, 440], [460, 440, 420, 400]
    for x in xs:
        page.line(x, ys[0], x, ys[-1])
    for y in ys:
        page.line(xs[0], y, xs[-1], y)
    for row, y in zip([("科目编码", "科目名称", "合计"), ("201", "一般公共服务支出", "12.50"),
                       ("20101", "人大事务", "12.50")], ys):
        for x, text in zip(xs, row):
            page.drawString(x + 4, y - 14, text)
    page.showPage()
    page.save()
    return buffer.getvalue()


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_a_turned_page_reads_alike(rotate):
    data = _landscape_table(rotate)
    pdfium, pdfminer = read_pages(data, "turned.pdf"), read_pages(data, "turned.pdf", "pdfminer")
    assert (pdfium[0].width, pdfium[0].height) == (pdfminer[0].width, pdfminer[0].height)
    assert pdfium[0].text == pdfminer[0].text
    assert [t.cells for t in pdfium[0].tables] == [t.cells for t in pdfminer[0].tables] == [
        [["科目编码", "科目名称", "合计"], ["201", "一般公共服务支出", "12.50"], ["20101", "人大事务", "12.50"]]]


def test_a_font_without_unicode_map_falls_back_to_pdfminer():
    path = FIXTURES / "fontmaps" / "yanshi-2024-juesuan.no-tounicode.pdf"
    with pytest.raises(Unreadable, match="page 5 has no Unicode mapping"):
        read_pages(path.read_bytes(), path.name, "pdfium")
    pages = read_pages(path.read_bytes(), path.name)
    assert {page.engine for page in pages} == {"pdfminer"}
    assert "(cid:" in pages[4].text and "(cid:" not in pages[0].text


def test_an_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="pdfium"):
        read_pages((FIXTURES / "yanshi-2024-juesuan.libreoffice.pdf").read_bytes(), "x.pdf", "mupdf")


def _placed(module, data: bytes) -> list[list[tuple]]:
    """Each page's characters as (text, x0, x1, top, bottom), in reading order."""
    with module.open_pages(data, None) as pages:
        return [sorted((round(c["top"]), c["x0"], c["text"], c["x1"], c["bottom"]) for c in page.chars)
                for page in pages]


def test_a_font_not_embedded_is_boxed_as_pdfminer_boxes_it():
    """STSong-Light, named and not embedded (reportlab, iText's Asian fonts): PDFium draws on a
    substitute font, whose glyph outlines must not widen a character's box beyond its advance."""
    data = (FIXTURES / "luolong-2024-juesuan.reportlab.pdf").read_bytes()
    pdfium, pdfminer = _placed(pdfium_pages, data), _placed(pdfminer_pages, data)
    assert len(pdfium) == len(pdfminer) == 23
    for number, (ours, theirs) in enumerate(zip(pdfium, pdfminer), 1):
        assert [c[2] for c in ours] == [c[2] for c in theirs], number
        boxes = [(o[1], o[3], o[4], t[1], t[3], t[4]) for o, t in zip(ours, theirs)]
        # x0, x1, bottom alike, but for PDFium's single-precision floats
        assert max(abs(b[i] - b[i + 3]) for b in boxes for i in range(3)) < 0.005, number


def _simsun_not_embedded() -> bytes:
    """宋体 named and not embedded, as Word writes it when embedding is off: a Type0 font without
    /W and a one-byte TrueType font without /Widths, their descriptors without /Ascent and
    /Descent.  Every advance and descent comes from the font PDFium substitutes."""
    content = (b"BT /F2 12 Tf 72 700 Td <" + "2024年决算说明".encode("utf-16-be").hex().encode()
               + b"> Tj ET\nBT /F1 12 Tf 72 680 Td (123.45 678.90) Tj ET\n")
    descriptor = b"<< /Type /FontDescriptor /FontName /SimSun /Flags %d /ItalicAngle 0 /StemV 80 >>"
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R /F2 7 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /TrueType /BaseFont /SimSun /Encoding /WinAnsiEncoding /FontDescriptor 6 0 R >>",
        descriptor % 32,
        b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /UniGB-UCS2-H /DescendantFonts [8 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /FontDescriptor 9 0 R"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> >>",
        descriptor % 4,
    ])


def test_a_chinese_font_without_metrics_reads_at_simsun_metrics_on_any_machine():
    """Where the PDF gives no widths, 宋体's own stand in (ASCII half width, the rest full
    width), from the substitute font, not from whichever fonts the machine has; where it gives no
    descent, a character's bottom is its baseline, as pdfminer puts it."""
    data = _simsun_not_embedded()
    with pdfium_pages.open_pages(data, None) as pages:
        (page,) = pages
    heading, figures = page.chars[:9], page.chars[9:]
    assert "".join(c["text"] for c in heading) == "2024年决算说明"
    assert [c["x1"] - c["x0"] for c in heading] == [12.0] * 9  # /DW 1000: every CID is full width
    assert "".join(c["text"] for c in figures) == "123.45 678.90"
    assert [c["x0"] for c in figures] == [72.0 + 6.0 * i for i in range(13)]
    assert {c["bottom"] for c in heading} == {842 - 700} and {c["bottom"] for c in figures} == {842 - 680}
    assert read_pages(data, "simsun.pdf")[0].text == "2024年决算说明\n123.45 678.90"
