"""``gongkai extract``: JSON Lines out, bad files reported and counted, the rest extracted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from gongkai.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "documents"


def test_json_lines_with_a_bad_file_among_good_ones():
    files = [FIXTURES / "yanshi-2023-juesuan.reportlab.pdf", FIXTURES / "not-a-pdf.pdf",
             FIXTURES / "zhongzhan-2023-juesuan.reportlab.pdf", FIXTURES / "empty.pdf"]
    result = CliRunner().invoke(main, ["extract", "--json", "--no-pages", *map(str, files)])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["file"] for line in lines] == [str(path) for path in files]
    good, not_pdf, other, empty = lines
    assert good["department"] == "洛阳市偃师区政务服务和大数据管理局"
    assert any(item["reason"] == "人员增加" for item in good["explanations"])
    assert "pages" not in good and good["tables"] and good["line_items"]
    assert other["findings"][0]["rule"] == "share_over_100"
    assert not_pdf == {"file": str(files[1]), "error": {"kind": "not_pdf", "message": not_pdf["error"]["message"]}}
    assert "not-a-pdf.pdf" in not_pdf["error"]["message"]
    assert empty["error"]["kind"] == "empty"


def test_all_good_files_exit_zero_with_a_summary():
    path = FIXTURES / "xuchang-2025-yusuan.reportlab.pdf"
    result = CliRunner().invoke(main, ["extract", str(path)])
    assert result.exit_code == 0, result.output
    assert "预算 2025 许昌市公共资源交易中心" in result.output
    tables = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))[path.name]["tables"]
    assert f"{len(tables)} tables" in result.output


def test_json_record_includes_pages_by_default():
    path = FIXTURES / "yanshi-2024-juesuan.reportlab.pdf"
    result = CliRunner().invoke(main, ["extract", "--json", str(path)])
    assert result.exit_code == 0
    record = json.loads(result.stdout)
    assert len(record["pages"]) == record["page_count"]
    assert record["sha256"] == __import__("hashlib").sha256(path.read_bytes()).hexdigest()


def test_many_files_on_every_core_come_out_in_the_order_given():
    # Two workers: the long file first, so the short ones finish before it and wait their turn.
    files = [FIXTURES / "zhongzhan-2023-juesuan.libreoffice.pdf", FIXTURES / "truncated.pdf",
             FIXTURES / "xuchang-2025-yusuan.reportlab.pdf", FIXTURES / "yanshi-2025-yusuan.libreoffice.pdf"]
    result = CliRunner().invoke(main, ["extract", "--json", "--no-pages", "--workers", "2", *map(str, files)])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["file"] for line in lines] == [str(path) for path in files]
    assert lines[1]["error"]["kind"] == "truncated"
    assert [line.get("engine") for line in lines] == ["pdfium", None, "pdfium", "pdfium"]
    assert [line["fiscal_year"] for line in lines if "error" not in line] == [2023, 2025, 2025]


def test_the_time_limit_holds_in_every_worker():
    files = [FIXTURES / "yanshi-2024-juesuan.libreoffice.pdf", FIXTURES / "weibin-2024-juesuan.libreoffice.pdf"]
    result = CliRunner().invoke(main, ["extract", "--json", "--timeout", "0.01", *map(str, files)])
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.exit_code == 1
    assert [(line["file"], line["error"]["kind"]) for line in lines] == [(str(path), "timeout") for path in files]


def test_the_engine_can_be_chosen():
    path = FIXTURES / "yanshi-2024-juesuan.reportlab.pdf"
    result = CliRunner().invoke(main, ["extract", "--json", "--no-pages", "--engine", "pdfminer", str(path)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["engine"] == "pdfminer"


@pytest.mark.timeout(120)
def test_a_worker_goes_on_past_any_number_of_files(tmp_path):
    # A pool that retires workers after N tasks hangs on Python 3.11 once a worker has more
    # than N files queued (CPython gh-115634): one worker, 30 one-page files.
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    from gongkai.pool import Job, extract_many

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    page = canvas.Canvas(str(tmp_path / "one.pdf"))
    page.setFont("STSong-Light", 12)
    page.drawString(72, 720, "2025 年度部门预算公开")
    page.showPage()
    page.save()
    jobs = [Job(str(tmp_path / "one.pdf"), f"copy-{n}.pdf", n) for n in range(30)]
    done = [(job.key, record["fiscal_year"]) for job, record in extract_many(jobs, workers=1, ordered=True)]
    assert done == [(n, 2025) for n in range(30)]
