"""Bad input: each failure is a named error with a stable kind; good files still extract."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from gongkai import extract

pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))


def make_pdf(lines=("2023 年度部门决算公开", "主要原因是人员增加。"), *, encrypt=None, font="STSong-Light",
             image=False) -> bytes:
    """A real one-page PDF written by reportlab."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, encrypt=encrypt)
    if image:
        from PIL import Image

        scan = Image.new("RGB", (200, 100), "white")
        page.drawInlineImage(scan, 72, 600, 200, 100)
    else:
        page.setFont(font, 12)
        for number, line in enumerate(lines):
            page.drawString(72, 720 - 20 * number, line)
    page.showPage()
    page.save()
    return buffer.getvalue()


GOOD = make_pdf()


@pytest.mark.parametrize(
    "data,kind",
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"<html><body>404</body></html>", "not_pdf"),
        (b"PK\x03\x04not really a zip", "not_pdf"),
        (GOOD[: len(GOOD) // 2], "truncated"),
        (GOOD[: len(GOOD) // 2] + b"\n%%EOF\n", "truncated"),
        (GOOD.replace(b"/Root", b"/Xoot"), "truncated"),
        (make_pdf(encrypt=StandardEncryption("user", "owner")), "encrypted"),
        (make_pdf(image=True), "no_text_layer"),
    ],
    ids=["empty", "blank", "html", "fake-zip", "half", "half-with-eof", "no-root", "user-password",
         "scan"],
)
def test_bad_input_raises_named_error(data, kind):
    with pytest.raises(extract.ExtractError) as raised:
        extract.extract_bytes(data, "report.pdf")
    error = raised.value
    assert error.kind == kind
    assert error.to_dict() == {"kind": kind, "message": str(error)}
    assert "report.pdf" in str(error)
    assert kind in extract.ERROR_KINDS


def test_owner_password_only_extracts_normally():
    data = make_pdf(["Budget 2023", "Owner password only"], font="Helvetica",
                    encrypt=StandardEncryption("", "owner", canPrint=0, canCopy=0))
    record = extract.extract_bytes(data, "restricted.pdf")
    assert record["page_count"] == 1
    assert "Owner password only" in record["pages"][0]["text"]


def test_good_pdf_extracts():
    record = extract.extract_bytes(GOOD, "good.pdf")
    assert record["pages"][0]["text"].startswith("2023 年度部门决算公开")
    assert record["doc_type"] == "决算"
    assert record["fiscal_year"] == 2023


def test_timeout_is_a_named_error():
    with pytest.raises(extract.ExtractTimeout) as raised:
        extract.extract_with_limit(GOOD * 1, "slow.pdf", timeout=1e-6)
    assert raised.value.kind == "timeout"
    assert "slow.pdf" in str(raised.value)


def test_timeout_in_a_thread_uses_a_child_process():
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        record = pool.submit(extract.extract_with_limit, GOOD, "good.pdf", 60).result()
        assert record["page_count"] == 1
        with pytest.raises(extract.ExtractTimeout):
            pool.submit(extract.extract_with_limit, GOOD, "slow.pdf", 1e-6).result()


DOCX = Path(__file__).resolve().parent / "fixtures" / "documents" / "yanshi-2023-juesuan.docx"


def test_office_file_without_libreoffice_is_unsupported(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # a machine without soffice
    with pytest.raises(extract.UnsupportedFormat) as raised:
        extract.extract_bytes(DOCX.read_bytes(), DOCX.name)
    assert raised.value.kind == "unsupported_format"
    assert "LibreOffice" in str(raised.value) and DOCX.name in str(raised.value)


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
def test_office_file_libreoffice_cannot_read_is_unsupported():
    with pytest.raises(extract.UnsupportedFormat):
        extract.extract_bytes(b"PK\x03\x04" + b"\x00garbage" * 100, "notice.docx")


@pytest.mark.parametrize(
    "data,filename,expected",
    [
        (GOOD, "a.pdf", "pdf"),
        (GOOD, "a.doc", "pdf"),  # the bytes decide for PDFs, whatever the name says
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "report.wps", "wps"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, None, "doc"),
        (b"<html>", "a.et", "et"),
        (b"<html>", "a.pdf", None),
    ],
)
def test_sniff_format(data, filename, expected):
    from gongkai.extract.convert import sniff_format

    assert sniff_format(data, filename) == expected
