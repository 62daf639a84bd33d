"""Tables as real producers lay them out (WPS and Excel exports of the Jiangsu PDFs in
tests/real/jiangsu/, a LibreOffice rendering of a page that prints a table one cell a line):
each rule of extract/tables.py, aligned.py and pdf.py on the page that needs it."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from gongkai.extract.catalog import table_code
from gongkai.extract.line_items import read_with_certainty, table_line_items
from gongkai.extract.pdf import read_pages
from gongkai.extract.tables import find_tables

REAL = Path(__file__).resolve().parent / "real"


@lru_cache(maxsize=None)
def _tables(name: str):
    path = REAL / "jiangsu" / name if name.startswith("js-") else REAL / "rendered" / name
    return find_tables(read_pages(path.read_bytes(), name))


def _table(name: str, page: int, printed: str):
    return next(table for table in _tables(name) if table.page_start == page and table.printed_name == printed)


def _items(table) -> dict[str, list[float]]:
    return {item.subject_code: list(item.values.values()) for item in table_line_items(table)}


def test_cells_merged_over_spacer_columns_go_under_their_header():
    """Excel draws 5-point spacer columns: "204" starts in one no header names, 公共安全支出
    starts in the edge of 功能科目代码 (js-jianchayuan-2019-doc p16) or the amount in the
    spacer before 金额 (p18)."""
    for page, printed in ((16, "财政拨款支出预算表（功能科目）"), (18, "一般公共预算支出预算表（功能科目）")):
        table = _table("js-jianchayuan-2019-doc.pdf", page, printed)
        items = _items(table)
        assert items["204"] == [16593.12] and items["2040401"] == [12268.62] and items["2210202"] == [4243.61]
        assert {item.subject_name for item in table_line_items(table) if item.subject_code == "204"} == {"公共安全支出"}
        assert read_with_certainty(table)


def test_an_amount_on_a_grid_row_of_its_own_belongs_to_the_row_its_label_spans():
    """The 类 label cell spans three grid rows, the amount sits on the middle one
    (js-fayuan-2019-doc p12: 204 公共安全支出 27,488.23)."""
    items = _items(_table("js-fayuan-2019-doc.pdf", 12, "一般公共预算支出预算表（功能科目）"))
    assert items["204"] == [27488.23] and items["208"] == [2355.65] and items["221"] == [7344.46]
    assert items["20405"] == [27488.23]


def test_a_total_label_below_its_amount_reads_as_one_row():
    """"合计" on the grid row under its amount's top (js-jianchayuan-2018-doc p15): the row holds
    both, and the amount heads no column."""
    table = _table("js-jianchayuan-2018-doc.pdf", 15, "财政拨款支出预算表")
    total = next(row for row in table.rows if "合计" in [cell for cell in row if isinstance(cell, str)])
    assert 21940.96 in total
    assert not any("21,940.96" in column for column in table.columns)


def test_a_continuation_grid_drawn_without_spacer_columns_and_three_points_off_joins():
    """Page 18 of js-jianchayuan-2018-doc goes on with 221 住房保障支出 in a grid without the
    spacer columns of page 17, its right edge 3.1 points further."""
    table = _table("js-jianchayuan-2018-doc.pdf", 17, "一般公共预算支出预算表")
    assert table.page_end == 18
    items = _items(table)
    assert items["221"] == [3660.38] and items["2210202"] == [2586.61]


def test_a_row_printed_above_the_continuation_grid_is_read():
    """"30231 公务用车运行维护费 266.80" lost its top ruling to page 14 (js-fayuan-2018-doc p15):
    read into the grid's columns, so 302 adds up and no sum is accused."""
    table = _table("js-fayuan-2018-doc.pdf", 14, "2018年度江苏省高级人民法院一般公共预算机关运行经费支出预算表")
    items = _items(table)
    assert table.page_end == 15 and items["30231"] == [266.8]
    parts = sum(value[0] for code, value in items.items() if code.startswith("302") and len(code) == 5)
    assert round(parts, 2) == items["302"][0] == 3407.38


def test_department_rows_inside_the_grid_are_no_header():
    """"部门： | 江苏省人大常委会办公厅 | 单位：万元" (js-rendachang-2017-doc) and a department
    wrapped onto the next grid row ("部门名称：江苏省高级人民法" / "院", js-fayuan-2019-doc p12)
    are title rows, not column names."""
    for table in _tables("js-rendachang-2017-doc.pdf"):
        assert not any("部门" in column or "办公厅" in column for column in table.columns), table.printed_name
    table = _table("js-fayuan-2019-doc.pdf", 12, "一般公共预算支出预算表（功能科目）")
    assert not any("院" in column or "单位" in column for column in table.columns)


def test_a_grid_holding_the_end_of_one_table_and_the_start_of_the_next_is_cut_at_the_title():
    """WPS draws 收支预算总表's last rows and 收入预算总表 as one grid (js-rendachang-2017-doc
    p9), and 提租补贴 with 财政拨款政府性基金支出预算表 (p15)."""
    starts = {(table.page_start, table.name) for table in _tables("js-rendachang-2017-doc.pdf")}
    assert (9, "部门收入预算表") in starts and (15, "政府性基金支出预算表") in starts


def test_objects_below_the_page_are_not_read():
    """WPS left page 12's tables 1,000–2,000 points under page 11's bottom edge
    (js-rendachang-2017-doc): no table starts on page 11 but the one printed there."""
    assert [table.printed_name for table in _tables("js-rendachang-2017-doc.pdf") if table.page_start == 11] \
        == ["财政拨款支出预算表"]


def test_a_title_whose_quotes_are_set_apart_names_its_table():
    """"十一、一般公共预算 三公 经费、会议费、培训费支出预" / "“ ”" / "算表" (js-jianchayuan-2017-doc
    p16), and a title wrapped inside its cell ("…培训费支出预算" / "表", js-rendachang-2017-doc p20)."""
    for name, page in (("js-jianchayuan-2017-doc.pdf", 16), ("js-rendachang-2017-doc.pdf", 20)):
        assert [table.name for table in _tables(name) if table.page_start == page and table.standard] \
            == ["一般公共预算“三公”经费预算表"], name


def test_a_title_cell_holding_a_wrapped_department_is_a_title_row():
    """"收入预算总表 / 部门：中国共产党江苏省委员会办 / 单位：万元 / 公厅" in one cell
    (js-shengwei-2017-tables p2)."""
    assert (2, "部门收入预算表") in {(t.page_start, t.name) for t in _tables("js-shengwei-2017-tables.pdf")}


@pytest.mark.parametrize("line, code", [
    ("十一、一般公共预算 三公 经费、会议费、培训费支出预", None),
    ("预算三公经费", None),
    ("预算表三", "表3"),
    ("预算01表", "表1"),
    ("部门预算公开表01", "表1"),
])
def test_a_numeral_after_yusuan_is_a_code_only_before_biao_or_the_end(line, code):
    assert table_code(line) == code


def test_a_table_printed_one_cell_a_line_is_text():
    """The LibreOffice rendering of ah-lieshan-2023-sangong: "项目", "预算数", "合计", "444.16" …
    each on a line of its own, then the narrative: no table (one column, then sentences)."""
    assert _tables("ah-lieshan-2023-sangong.libreoffice.pdf") == []
    assert _tables("ah-ningguo-chengguan-2016-sangong.libreoffice.pdf") == []
