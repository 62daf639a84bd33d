"""Extraction of documents printed under other portals' templates (``fixtures/documents/variants/``).

Each variant is a sample document retitled and recoded as another template prints it (预算01表,
部门预算公开表03, 表1-1, 附表5, 公开表1, 表三; titles with the department and year in front, a title
wrapped onto two lines, 三公 before 国有资本经营 as 公开08表, a title on the page before its
table), in a ruled and an unruled rendering.  ``expected.json`` comes from the variants' source,
written by ``make_variants.py``; never from this extractor.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gongkai import extract

from gongkai.extract.catalog import canonical_code, table_code, table_name, table_name_in

VARIANTS = Path(__file__).resolve().parent / "fixtures" / "documents" / "variants"
EXPECTED = json.loads((VARIANTS / "expected.json").read_text(encoding="utf-8"))
DOCUMENTS = sorted(EXPECTED)

_records: dict[str, dict] = {}


def record(name: str) -> dict:
    if name not in _records:
        _records[name] = extract.extract_file(VARIANTS / name)
    return _records[name]


@pytest.mark.parametrize("name", DOCUMENTS)
@pytest.mark.parametrize("field", ["doc_type", "fiscal_year", "department", "region"])
def test_metadata(name, field):
    assert record(name)[field] == EXPECTED[name][field]


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_table_is_found_named_and_coded_canonically(name):
    found = [(t["name"], t["code"], t["page_start"], t["page_end"]) for t in record(name)["tables"]]
    truth = [(t["name"], t["canonical_code"], t["page_start"], t["page_end"]) for t in EXPECTED[name]["tables"]]
    assert found == truth


@pytest.mark.parametrize("name", DOCUMENTS)
def test_table_columns_and_rows(name):
    for table, expected in zip(record(name)["tables"], EXPECTED[name]["tables"], strict=True):
        assert table["columns"] == expected["columns"], table["name"]
        assert len(table["rows"]) == expected["rows"], table["name"]


@pytest.mark.parametrize("name", DOCUMENTS)
@pytest.mark.parametrize("field", ["income_total", "expense_total", "basic_expense", "project_expense"])
def test_totals(name, field):
    assert record(name)["totals"][field] == pytest.approx(EXPECTED[name]["totals"][field], abs=1e-6)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_another_template_is_never_a_finding(name):
    """The sources add up and hold every standard table: any finding would be false."""
    assert record(name)["findings"] == []


@pytest.mark.parametrize("name", [name for name in DOCUMENTS if "cells" in EXPECTED[name]])
def test_cells_printed_negative_empty_as_rates_and_with_units(name):
    """(1.61), －1.61, -2.11; —, --, /; -16.10%, 211.08%; 5.00万元; 25.00% in a rate column beside
    subject codes — as the source means them."""
    tables = {table["name"]: table for table in record(name)["tables"]}
    for table_name, rows in EXPECTED[name]["cells"].items():
        assert tables[table_name]["rows"] == [pytest.approx(row) for row in rows]


@pytest.mark.parametrize(
    "line,code",
    [
        ("公开01表", "公开01表"),
        ("公开 09 表", "公开09表"),
        ("公开表1", "公开01表"),
        ("预算公开01表", "表1"),
        ("预算01表", "表1"),
        ("部门预算公开表03", "表3"),
        ("表1-1", "表1-1"),
        ("附表5", "表5"),
        ("表三", "表3"),
        ("表十二", "表12"),
        ("附表1：收入支出决算总表", "表1"),
        ("表一、收入支出决算总表", "表1"),
        ("公开02表 收入决算表", "公开02表"),
        ("表1-2 部门支出总表", "表1-2"),
        ("见附表2", None),
        ("表格", None),
        ("2025年部门预算 2025", None),  # a year is no table number
        ("部门决算公开 2024年度", None),
        ("预算 12.50", None),
        ("表1．收入支出决算总表", "表1"),
        ("单位：万元", None),
        ("一般公共预算支出表", None),
        ("预算表", None),
        ("2024年度", None),
    ],
)
def test_table_code_as_printed(line, code):
    assert table_code(line) == code


@pytest.mark.parametrize(
    "code,name,canonical",
    [
        ("表1", "收入支出决算总表", "公开01表"),  # 附表1 / 表一 in a 决算
        ("公开08表", "财政拨款“三公”经费支出决算表", "公开08表"),  # numbers are never renamed
        ("公开02表", "部门收入预算表", "表2"),  # 预算公开02表
        ("表1-1", "财政拨款收支预算表", "表1-1"),
        (None, "收入决算表", None),
    ],
)
def test_canonical_code_follows_the_tables_template(code, name, canonical):
    assert canonical_code(code, name) == canonical


@pytest.mark.parametrize(
    "lines,found",
    [
        (["洛阳市偃师区政务服务和大数据管理局2024年收入支出决算总表", "公开表1"], (0, "收入支出决算总表")),
        (["洛阳市偃师区政务服务和大数据管理局2024年收入支出决算总", "表", "公开表1"], (0, "收入支出决算总表")),
        (["财政拨款收入支出", "决算总表"], (0, "财政拨款收入支出决算总表")),
        (["部门名称：某局", "单位：万元"], None),
        # The second line alone reads as a shorter name: the wrapped title is the longer one.
        (["洛阳市偃师区政务服务和大数据管理局2024年度财政拨款", "收入支出决算总表"], (0, "财政拨款收入支出决算总表")),
        (["收入决算表", "支出决算表"], (1, "支出决算表")),
    ],
)
def test_a_title_split_over_two_lines_names_its_table(lines, found):
    assert table_name_in(lines) == found


@pytest.mark.parametrize(
    "line,name",
    [
        # A standard table under another template's wording, with a year, a department or a
        # qualifier around it (the 22 Jiangsu PDFs in tests' real corpus print all of these).
        ("收支预算总表", "部门收支预算表"),
        ("收入预算总表", "部门收入预算表"),
        ("五、2017年度江苏省高级人民法院部门一般公共预算支出预算表", "一般公共预算支出预算表"),
        ("一般公共预算支出预算表（功能科目）", "一般公共预算支出预算表"),
        ("财政拨款政府性基金支出预算表", "政府性基金支出预算表"),
        ("表一、收入支出决算总表", "收入支出决算总表"),
        # What a table is, not the shorter standard name its title ends with: 公开表十一 was
        # taken for 部门支出预算表 and accused of not adding up.
        ("一般公共预算机关运行经费支出预算表", "行政（事业）单位机构运转经费预算表"),
        ("“三公”经费、会议费、培训费支出预算表（一般公共预算）", "一般公共预算“三公”经费预算表"),
        # Tables outside the standard list keep their own name.
        ("财政拨款支出预算表", "财政拨款支出预算表"),
        ("财政拨款基本支出预算表（经济科目）", "财政拨款基本支出预算表（经济科目）"),
        ("2019年政府采购预算表", "政府采购预算表"),
        ("江苏省高级人民法院财政拨款支出预算表", "财政拨款支出预算表"),
        ("附件1：2023年度部门整体支出绩效自评表", "部门整体支出绩效自评表"),
        # Not titles: a cover, a part heading, a sentence, a page number glued to a name.
        ("省级部门预算公开报表", None),
        ("第二部分 2019年度部门预算表", None),
        ("2019 年度部门预算公开表附后。", None),
        ("部门：江苏省政协办公厅 单位：万元", None),
        ("- 5 -部门收入预算表", None),
    ],
)
def test_a_title_names_its_table(line, name):
    assert table_name(line) == name


def test_a_title_wrapped_before_a_shorter_standard_name_is_the_longer_table():
    assert table_name_in(["财政拨款", "支出预算表"]) == (0, "财政拨款支出预算表")
    assert table_name_in(["一般公共预算机关运行经费", "支出预算表"]) == (0, "行政（事业）单位机构运转经费预算表")
