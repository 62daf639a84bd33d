"""PDFium reads pages as pdfminer did (issue 13): the same record from either engine, and
pdfminer for a file PDFium cannot read, recorded on the document."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from gongkai import extract
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
