"""Findings: contradictions proved by the document's own numbers, and none where it agrees.

A tampered copy of a sample source is rendered by the samples' own reportlab renderer, so the
contradictions sit in a real PDF exactly where a department would print them.
"""

from __future__ import annotations

import copy
import json
import io
from pathlib import Path

import pytest
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from gongkai import extract

from samples.pdf import render
from samples.source import load_sources

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "documents"

def _replace(body: list, old: str, new: str) -> None:
    for block in body:
        if "p" in block and old in block["p"]:
            block["p"] = block["p"].replace(old, new)
            return
    raise AssertionError(f"{old!r} not in the source")


@pytest.fixture(scope="module")
def tampered() -> dict:
    source = copy.deepcopy(next(s for s in load_sources() if s["slug"] == "yanshi-2024-juesuan"))
    body = source["body"]
    expense = next(block for block in body if block.get("table") == "juesuan03")
    expense["rows"][0]["cells"][2] = "217.84"  # 合计 本年支出合计, truly 207.84
    _replace(body, "完成年初预算的 122.65%", "完成年初预算的 132.65%")  # 118.36 / 96.50 = 122.65%
    _replace(  # the table prints 12.40 for 2010302
        body,
        "年初预算数为 12.40 万元，决算数 12.40 万元，完成年初预算的 100.00%",
        "年初预算数为 12.40 万元，决算数 13.40 万元，完成年初预算的 108.06%",
    )
    _replace(body, "社会保障和就业支出（类）21.05 万元", "社会保障和就业支出（类）23.05 万元")  # table: 21.05
    _replace(body, "卫生健康支出（类）6.73 万元，占 3.24%", "卫生健康支出（类）6.73 万元，占 4.24%")  # of 207.84
    _replace(body, "增加 61.58 万元，增长 66.46%", "增加 61.58 万元，增长 76.46%")  # on 154.24 − 61.58
    source["body"] = [block for block in body if block.get("table") != "juesuan08"]
    data, _, _ = render(source)
    return extract.extract_bytes(data, "tampered.pdf")


def _by_rule(record: dict, rule: str) -> list[dict]:
    return [finding for finding in record["findings"] if finding["rule"] == rule]


def test_sum_of_classes_differs_from_total(tampered):
    [finding] = [f for f in _by_rule(tampered, "sum_mismatch") if f["evidence"]["table"] == "支出决算表"]
    assert finding["evidence"]["row"] == "合计"
    assert finding["evidence"]["column"] == "本年支出合计"
    assert finding["evidence"]["stated"] == 217.84
    assert finding["evidence"]["sum"] == pytest.approx(207.84)
    assert finding["severity"] == "error"


def test_summary_table_differs_from_detail_table(tampered):
    [finding] = _by_rule(tampered, "total_mismatch")
    assert finding["evidence"] == {
        "table": "收入支出决算总表", "row": "本年支出合计", "stated": 207.84,
        "other_table": "支出决算表", "other": 217.84,
    }


def test_stated_rate_differs_from_figures(tampered):
    [finding] = _by_rule(tampered, "rate_mismatch")
    assert finding["evidence"]["rate"] == 132.65
    assert finding["evidence"]["computed"] == pytest.approx(122.653, abs=1e-3)


def test_no_difference_claim_contradicted(tampered):
    [finding] = _by_rule(tampered, "no_difference_contradicted")
    assert (finding["evidence"]["budget"], finding["evidence"]["actual"]) == (12.40, 13.40)


def test_narrative_amount_differs_from_table(tampered):
    found = {f["evidence"]["subject_code"]: f["evidence"] for f in _by_rule(tampered, "narrative_table_mismatch")}
    assert set(found) == {"2010302", "208"}
    assert (found["2010302"]["narrative"], found["2010302"]["table_value"]) == (13.40, 12.40)  # a 项
    assert (found["208"]["narrative"], found["208"]["table_value"]) == (23.05, 21.05)  # a 类


def test_stated_share_differs_from_figures(tampered):
    [finding] = _by_rule(tampered, "share_mismatch")
    assert finding["evidence"]["subject_code"] == "210"
    assert finding["evidence"]["share"] == 4.24
    assert finding["evidence"]["computed"] == pytest.approx(3.238, abs=1e-3)


def test_stated_change_pct_differs_from_figures(tampered):
    [finding] = _by_rule(tampered, "change_pct_mismatch")
    assert finding["evidence"]["change_pct"] == 76.46
    assert finding["evidence"]["computed"] == [pytest.approx(66.46, abs=0.01)]
    assert finding["severity"] == "warning"


def test_missing_standard_table(tampered):
    [finding] = _by_rule(tampered, "missing_table")
    assert finding["evidence"]["missing"] == ["国有资本经营预算财政拨款支出决算表"]


def test_nothing_else_is_accused(tampered):
    assert {finding["rule"] for finding in tampered["findings"]} == {
        "sum_mismatch", "total_mismatch", "rate_mismatch", "no_difference_contradicted",
        "narrative_table_mismatch", "missing_table", "share_mismatch", "change_pct_mismatch",
    }
    # Only the tampered 合计 row: its classes still add up to their 款 and 项.
    assert all(f["evidence"]["row"] == "合计" for f in _by_rule(tampered, "sum_mismatch"))


def test_share_over_100_in_the_real_zhongzhan_document():
    record = extract.extract_file(FIXTURES / "zhongzhan-2023-juesuan.reportlab.pdf")
    [finding] = _by_rule(record, "share_over_100")
    assert finding["evidence"]["share"] == 599.47


@pytest.mark.parametrize("rendering", ["reportlab", "libreoffice"])
def test_a_sangong_item_stated_as_zero_beside_a_table_that_prints_it(rendering):
    """The real luolong-2024 决算 says 公务用车购置及运行费支出决算 0.00 万元 (page 19) while its
    三公 table and the same section's next sentence (公务用车运行支出 1.50 万元) print 1.50."""
    record = extract.extract_file(FIXTURES / f"luolong-2024-juesuan.{rendering}.pdf")
    [finding] = _by_rule(record, "narrative_table_mismatch")
    evidence = finding["evidence"]
    assert (evidence["item"], evidence["side"], evidence["narrative"], evidence["table_value"]) == (
        "公务用车购置及运行费", "决算", 0.0, 1.5)
    assert evidence["table"] == "财政拨款“三公”经费支出决算表" and "小计" in evidence["column"]
    assert finding["page"] == 19 and "0.00" in finding["message"] and "1.50" in finding["message"]


def test_unmapped_glyphs_are_a_broken_font_map_finding():
    # The table font of this rendering has no ToUnicode map: PDFium cannot give its text, so
    # pdfminer reads the file and its "(cid:N)" glyphs are a finding on exactly those pages.
    path = FIXTURES / "fontmaps" / "yanshi-2024-juesuan.no-tounicode.pdf"
    truth = json.loads((FIXTURES / "fontmaps" / "expected.json").read_text(encoding="utf-8"))[path.name]
    record = extract.extract_file(path)
    [finding] = _by_rule(record, "broken_font_map")
    assert record["engine"] == "pdfminer"
    assert finding["evidence"]["pages"] == truth["cid_pages"] and finding["page"] == truth["cid_pages"][0]


def test_a_font_map_only_pdfminer_misreads_is_no_finding():
    # reportlab's encryption leaves the CID font's CIDSystemInfo strings encrypted; pdfminer
    # then cannot map the glyphs, PDFium can: the PDF is not at fault, and nothing is reported.
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, encrypt=StandardEncryption("", "owner", canPrint=0))
    page.setFont("STSong-Light", 12)
    page.drawString(72, 720, "2023 年度部门决算公开")
    page.showPage()
    page.save()
    record = extract.extract_bytes(buffer.getvalue(), "cid.pdf")
    assert record["engine"] == "pdfium" and not _by_rule(record, "broken_font_map")
    assert record["pages"][0]["text"] == "2023 年度部门决算公开"
    assert _by_rule(extract.extract_bytes(buffer.getvalue(), "cid.pdf", engine="pdfminer"), "broken_font_map")


@pytest.mark.parametrize(
    "text,rules",
    [
        ("年初预算为 100.00 万元，支出决算为 95.00 万元，完成年初预算的 95.00%，主要原因是人员减少。", set()),
        ("年初预算为 100.00 万元，支出决算为 95.00 万元，完成年初预算的 59.00%，主要原因是人员减少。",
         {"rate_mismatch"}),
        # Two budgets: the rate is of the adjusted one, so nothing is wrong.
        ("年初预算为 100.00 万元，调整后预算为 120.00 万元，支出决算为 96.00 万元，完成调整后预算的 80.00%，"
         "主要原因是人员减少。", set()),
        ("全年预算为 6.1 万元，决算数 6.10 万元，完成全年预算的 100%，决算数与预算数无差异。", set()),
        ("全年预算为 6.10 万元，决算数 6.30 万元，决算数与预算数无差异。", {"no_difference_contradicted"}),
        # A rate cut at its printed decimals, not rounded: 954.60 / 1000.01 is 95.459%, printed 95.45%.
        ("年初预算为 1,000.01 万元，支出决算为 954.60 万元，完成年初预算的 95.45%，主要原因是人员减少。", set()),
        ("年初预算为 1,000.01 万元，支出决算为 954.70 万元，完成年初预算的 95.45%，主要原因是人员减少。",
         {"rate_mismatch"}),
        # Rounded figures: 4.33 / 6.1 is 70.98% within the precision printed.
        ("年初预算数为 6.1 万元，决算数 4.33 万元，完成年初预算的 70.98%，主要原因是财政收入减少。", set()),
    ],
)
def test_stated_figures(text, rules):
    from gongkai.extract.explanations import explanations
    from gongkai.extract.findings import stated_figure_mismatches
    from gongkai.extract.narrative import Paragraph

    found = stated_figure_mismatches(explanations([Paragraph(text, 1)]))
    assert {finding.rule for finding in found} == rules


def _table(name: str, rows: list[list], page: int = 1):
    from gongkai.extract.tables import Table

    return Table(name=name, code=None, page_start=page, page_end=page, columns=["科目编码", "科目名称", "金额"],
                 rows=rows, row_pages=[page] * len(rows), width=3)


# The economic-classification rows of js-rendachang-2019-tables.pdf 公开表十一 (they add up).
RUNNING_COSTS = [[None, "合计", 1642.08], ["302", "商品和服务支出", 1642.08], ["30201", "办公费", 642.08],
                 ["30211", "差旅费", 1000.0]]
FUNCTIONS = [[None, "合计", 300.0], ["201", "一般公共服务支出", 300.0], ["20101", "人大事务", 300.0],
             ["2010101", "行政运行", 300.0]]


@pytest.mark.parametrize(
    "tables,rows",
    [
        # Two tables of one name are two tables: their rows never mix (121 false findings on
        # the Jiangsu PDFs came from summing 302 of one table with 201 of another).
        ([_table("部门支出预算表", RUNNING_COSTS, 1), _table("部门支出预算表", FUNCTIONS, 2)], []),
        ([_table("机关运行经费支出预算表", [*RUNNING_COSTS[:3], ["30211", "差旅费", 900.0]])],
         ["302 商品和服务支出"]),
        # A total left blank beside its parts is a cell not read, not a zero.
        ([_table("机关运行经费支出预算表", [[None, "合计", 1642.08], ["302", "商品和服务支出", None],
                                             *RUNNING_COSTS[2:]])], []),
        # Text in a figure column, a code out of outline order or twice: not read with certainty.
        ([_table("机关运行经费支出预算表", [*RUNNING_COSTS[:3], ["30211", "差旅费", "1,0OO.00"]])], []),
        ([_table("机关运行经费支出预算表", [*RUNNING_COSTS[:2], ["30101", "基本工资", 642.08],
                                             ["30211", "差旅费", 1.0]])], []),
        ([_table("机关运行经费支出预算表", [*RUNNING_COSTS, ["30211", "差旅费", 1.0]])], []),
    ],
)
def test_sums_are_checked_only_on_tables_read_with_certainty(tables, rows):
    from gongkai.extract.findings import sum_mismatches

    found = sum_mismatches(tables)
    assert [finding.evidence["row"] for finding in found] == rows
    assert all(finding.evidence["stated"] == 1642.08 and finding.evidence["table_page"] == 1 for finding in found)


def test_a_row_that_differs_in_several_columns_is_one_finding():
    from gongkai.extract.findings import sum_mismatches
    from gongkai.extract.tables import Table

    table = Table(name="支出决算表", code=None, page_start=3, page_end=3,
                  columns=["科目编码", "科目名称", "合计", "基本支出"],
                  rows=[["201", "一般公共服务支出", 10.0, 8.0], ["20101", "人大事务", 12.0, 9.0]],
                  row_pages=[3, 3], width=4)
    [finding] = sum_mismatches([table])
    assert [column["column"] for column in finding.evidence["columns"]] == ["合计", "基本支出"]
    assert finding.page == 3 and "printed 10" in finding.message


def _sangong_table(columns: list[str], row: list):
    from gongkai.extract.tables import Table

    return Table(name="财政拨款“三公”经费支出决算表", code=None, page_start=9, page_end=9, columns=columns,
                 rows=[row], row_pages=[9], width=len(columns))


SANGONG_COLUMNS = ["决算数/合计", "决算数/因公出国（境）费", "决算数/公务用车购置及运行维护费/小计",
                   "决算数/公务用车购置及运行维护费/公务用车购置费", "决算数/公务用车购置及运行维护费/公务用车运行维护费",
                   "决算数/公务接待费"]


@pytest.mark.parametrize(
    "columns,row,rules",
    [
        (SANGONG_COLUMNS, [3.5, 0.0, 1.5, 0.0, 1.5, 2.0], {"narrative_table_mismatch"}),
        # The table's own total is not the sum of its items: misread, never compared.
        (SANGONG_COLUMNS, [9.5, 0.0, 1.5, 0.0, 1.5, 2.0], set()),
        # An item under two columns (a merged header read twice: js-fayuan-2019-doc): not compared.
        (SANGONG_COLUMNS + ["决算数/公务接待费"], [3.5, 0.0, 1.5, 0.0, 1.5, 2.0, None], set()),
    ],
)
def test_sangong_items_are_compared_only_with_a_table_read_with_certainty(columns, row, rules):
    from gongkai.extract.findings import sangong_mismatches
    from gongkai.extract.narrative import Paragraph

    text = ("2024 年度，“三公”经费支出决算中，因公出国（境）费支出决算 0.00 万元；公务用车购置及运行费支出决算 0.00 万元；"
            "公务接待费支出决算 2.00 万元。上年公务接待费决算为 5.00 万元。")
    found = sangong_mismatches([Paragraph(text, 12)], [_sangong_table(columns, row)], "决算")
    assert {finding.rule for finding in found} == rules
    assert all(finding.evidence["item"] == "公务用车购置及运行费" for finding in found)


def test_the_same_accusation_is_made_once():
    from gongkai.extract.findings import Finding, distinct

    twice = [Finding("narrative_table_mismatch", "error", f"m{page}", page,
                     {"table": "一般公共预算财政拨款支出决算表", "subject_code": "2010301"}) for page in (8, 12)]
    other = Finding("narrative_table_mismatch", "error", "m", 9,
                    {"table": "一般公共预算财政拨款支出决算表", "subject_code": "2010302"})
    assert distinct(twice + [other]) == [twice[0], other]


# luolong-2024-juesuan's 三公 section as printed (a real contradiction: the total is 1.5, every item 0.00).
LUOLONG_SANGONG = [
    ("九、财政拨款“三公”经费支出决算情况说明", 1),
    ("2024 年度，“三公”经费财政拨款支出全年预算为 1.5 万元，支出决算为 1.5 万元，完成全年预算的 100.00%。", None),
    ("2024 年度，“三公”经费支出决算中，因公出国（境）费支出决算 0.00 万元，完成全年预算的 100.00%，占 0.00%；"
     "公务用车购置及运行费支出决算 0.00 万元，完成全年预算的 100.00%，占 0.00%；公务接待费支出决算 0.00 万元，"
     "完成全年预算的 100.00%，占 0.00%。", None),
]


@pytest.mark.parametrize(
    "replace,found",
    [
        ({}, True),
        # Items that add up to the total at their printed decimals: 0.5 + 0.5 + 0.49 is 1.49 ≈ "1.5".
        ({"因公出国（境）费支出决算 0.00": "因公出国（境）费支出决算 0.50",
          "公务用车购置及运行费支出决算 0.00": "公务用车购置及运行费支出决算 0.50",
          "公务接待费支出决算 0.00": "公务接待费支出决算 0.49"}, False),
        # Two scopes in one section (a second total for 全口径): nothing is added up.
        ({"完成全年预算的 100.00%。": "完成全年预算的 100.00%。全口径“三公”经费支出决算为 3.2 万元。"}, False),
        # An item the section does not print: no sum to compare.
        ({"公务接待费支出决算 0.00 万元，": ""}, False),
    ],
)
def test_a_sangong_total_is_checked_against_its_own_items(replace, found):
    """The narrative's 三公 total against the three items the same section prints, with no
    table needed (Chromium's rendering of luolong cuts the 三公 table's header over two pages)."""
    from gongkai.extract.findings import sangong_total_mismatches
    from gongkai.extract.narrative import Paragraph

    paragraphs = []
    for text, level in LUOLONG_SANGONG:
        for old, new in replace.items():
            text = text.replace(old, new)
        paragraphs.append(Paragraph(text, 16, level))
    findings = sangong_total_mismatches(paragraphs, "决算", 2024)
    assert bool(findings) == found
    if found:
        assert [finding.evidence["total"] for finding in findings] == [1.5]
        assert "1.50" in findings[0].message and "0.00" in findings[0].message


def test_a_sangong_total_in_another_section_is_not_added_to_these_items():
    from gongkai.extract.findings import sangong_total_mismatches
    from gongkai.extract.narrative import Paragraph

    paragraphs = [Paragraph(text, 16, level) for text, level in LUOLONG_SANGONG]
    paragraphs.insert(2, Paragraph("十、其他重要事项的情况说明", 17, 1))
    assert sangong_total_mismatches(paragraphs, "决算", 2024) == []
