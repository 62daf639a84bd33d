"""pdf.py reads pages the lean way; its character dicts must equal pdfplumber's own."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pytest

from gongkai.extract.pdfminer_pages import _lean_pages

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "documents"
RENDERINGS = sorted(FIXTURES.glob("*.reportlab.pdf"))[:2] + sorted(FIXTURES.glob("*.libreoffice.pdf"))[:2] + \
    sorted((FIXTURES / "unruled").glob("*.pdf"))


@pytest.mark.parametrize("path", RENDERINGS, ids=[path.name for path in RENDERINGS])
def test_lean_characters_equal_pdfplumbers(path):
    data = path.read_bytes()
    with pdfplumber.open(io.BytesIO(data)) as plain, pdfplumber.open(io.BytesIO(data)) as lean:
        pages = list(_lean_pages(lean))
        assert len(pages) == len(plain.pages)
        for ours, theirs in zip(pages, plain.pages):
            assert ours.chars == theirs.chars
            assert ours.lines == theirs.lines and ours.rects == theirs.rects
