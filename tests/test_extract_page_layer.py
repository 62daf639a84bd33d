"""rulings.py and layout.py give what pdfplumber gives, on real pages: the same ruled tables,
words, text lines, page text and cell text (they replace pdfplumber's TableFinder and text
layout only to be faster)."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pytest
from pdfplumber.utils import chars_to_textmap, extract_text, extract_words

from gongkai.extract import layout, pdfium_pages, rulings

TESTS = Path(__file__).resolve().parent
PDFS = [
    TESTS / "fixtures" / "documents" / "yanshi-2024-juesuan.libreoffice.pdf",
    TESTS / "fixtures" / "documents" / "unruled" / "zhongzhan-2023-juesuan.unruled.pdf",
    TESTS / "real" / "jiangsu" / "js-shengwei-2019-tables.pdf",
]
LINES = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


def _cells_text(chars: list[dict], tables) -> list[list[str]]:
    """Each cell's characters (by centre), as extract/pdf.py hands them to layout.text."""
    def inside(char, box):
        x, y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
        return box[0] <= x <= box[2] and box[1] <= y <= box[3]

    return [[[char for char in chars if inside(char, box)] for box in table.cells] for table in tables]


@pytest.mark.parametrize("path", PDFS, ids=[path.name for path in PDFS])
def test_pdfminer_pages_read_as_pdfplumber_reads_them(path):
    with pdfplumber.open(io.BytesIO(path.read_bytes())) as pdf:
        for page in pdf.pages:
            theirs = page.find_tables(LINES)
            ours = rulings.find_tables(rulings.page_edges(page))
            assert [(t.bbox, t.cells) for t in ours] == [(t.bbox, t.cells) for t in theirs], page.page_number
            read = layout.read(page.chars)
            assert read.text == page.extract_text()
            assert read.lines == page.extract_text_lines(return_chars=False)
            assert read.words == page.extract_words()
            for cells in _cells_text(page.chars, ours):
                assert [layout.text(cell) for cell in cells] == [extract_text(cell) for cell in cells]
            page.close()


@pytest.mark.parametrize("path", PDFS, ids=[path.name for path in PDFS])
def test_pdfium_characters_are_laid_out_as_pdfplumber_lays_them_out(path):
    with pdfium_pages.open_pages(path.read_bytes(), path.name) as pages:
        for page in pages:
            textmap = chars_to_textmap(page.chars)
            read = layout.read(page.chars)
            assert read.text == textmap.as_string
            assert read.lines == textmap.extract_text_lines(return_chars=False)
            assert read.words == extract_words(page.chars)
            for cells in _cells_text(page.chars, rulings.find_tables(page.edges)):
                assert [layout.text(cell) for cell in cells] == [extract_text(cell) for cell in cells]


def test_turned_characters_are_left_to_pdfplumber():
    upright = {"text": "一", "x0": 10.0, "x1": 20.0, "top": 10.0, "bottom": 20.0, "doctop": 10.0,
               "upright": True, "size": 10.0}
    turned = [dict(upright, text=text, upright=False, top=10.0 + 10 * i, bottom=20.0 + 10 * i,
                   doctop=10.0 + 10 * i) for i, text in enumerate("二三")]
    chars = [upright, *turned]
    assert layout.read(chars).text == chars_to_textmap(chars).as_string
    assert layout.text(chars) == extract_text(chars)
