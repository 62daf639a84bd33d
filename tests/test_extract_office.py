"""Office formats through real LibreOffice: a spreadsheet disclosure, as Calc prints it
(no ruling lines, code and name run together, a "Page 1" footer)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import gongkai

from gongkai import extract

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed"),
]

SHEET = """支出决算表,,,,
公开03表,,,,
部门：洛阳市偃师区测试局,,,单位：万元,
科目代码,科目名称,本年支出合计,基本支出,项目支出
合计,,95.46,92.66,2.80
201,一般公共服务支出,79.74,76.94,2.80
20103,政府办公厅（室）及相关机构事务,79.74,76.94,2.80
2010301,行政运行,76.94,76.94,0.00
2010302,一般行政管理事务,2.80,0.00,2.80
208,社会保障和就业支出,15.72,15.72,0.00
20805,行政事业单位养老支出,15.72,15.72,0.00
2080505,机关事业单位基本养老保险缴费支出,15.72,15.72,0.00
"""


@pytest.fixture(scope="module")
def xlsx(tmp_path_factory) -> bytes:
    work = tmp_path_factory.mktemp("sheet")
    (work / "expense.csv").write_text(SHEET, encoding="utf-8")
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
         "--infilter=CSV:44,34,76", "--convert-to", "xlsx", "--outdir", str(work), str(work / "expense.csv")],
        check=True, capture_output=True, timeout=120,
    )
    return (work / "expense.xlsx").read_bytes()


def test_spreadsheet_disclosure_extracts(xlsx):
    record = extract.extract_bytes(xlsx, "支出决算表.xlsx")
    assert record["format"] == "xlsx"
    assert record["department"] == "洛阳市偃师区测试局" and record["region"] == "洛阳市偃师区"
    [table] = record["tables"]
    assert (table["name"], table["code"], table["unit"]) == ("支出决算表", "公开03表", "万元")
    assert len(table["rows"]) == 8  # no "Page 1" footer row
    assert record["totals"] == {"income_total": None, "expense_total": 95.46,
                                "basic_expense": 92.66, "project_expense": 2.8}
    codes = {item["subject_code"]: item for item in record["line_items"]}
    assert set(codes) == {"201", "20103", "2010301", "2010302", "208", "20805", "2080505"}
    assert codes["2010301"]["subject_name"] == "行政运行"
    assert sorted(codes["2010302"]["values"].values()) == [0.0, 2.8, 2.8]
    assert record["findings"] == []





def test_a_spreadsheet_converts_readably_inside_a_memory_capped_worker():
    """soffice starts with an address-space limit of its own, not the ``gongkai extract``
    worker's (its size + 512 MiB): under that, LibreOffice wrote this real 部门预算 workbook's
    PDF without its fonts' Unicode maps, PDFium refused it and the pdfminer fallback found
    none of its ten tables."""
    path = Path(__file__).parent / "sites" / "district" / "uploads" / "czj" / "P020240920000001.xlsx"
    record = json.loads(gongkai("extract", str(path), "--json").stdout)
    assert record["engine"] == "pdfium"
    assert len(record["tables"]) == 10
