"""Explanation statements from narrative text, one case per phrasing seen in real documents.

The sentences are taken from samples/source/*.txt (real 决算 as a converter got them: spaces
inside numbers, half-width punctuation) and from 预算 phrasing quoted in issue 4.
"""

from __future__ import annotations

import pytest

from gongkai.extract.explanations import explanations
from gongkai.extract.narrative import Paragraph

HEADING = Paragraph("（三）具体情况", 1, 2)

CASES = [
    pytest.param(
        "1. 一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）。年初预算数为 36.45 万元，"
        "决算数 76.94 万元，完成年初预算的 211.08%，决算数与年初预算数存在差异的主要原因是人员增加。",
        dict(kind="budget_vs_actual", subject="一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）",
             budget=36.45, actual=76.94, rate=211.08, change=None, change_pct=None, reason="人员增加",
             no_difference=False),
        id="yanshi-item",
    ),
    pytest.param(
        "2023年度收、支总计均为 599.47 万元。与上年度相比,收、支总计各减少 123.84 万元,下降17.12%。"
        "主要原因是一是新建中站区新型智慧城市平台服务项目支出减少,二是部分办公费用年底未支付完成,国库退回。",
        dict(kind="year_over_year", subject=None, budget=None, actual=None, rate=None, change=-123.84,
             change_pct=-17.12, reason="一是新建中站区新型智慧城市平台服务项目支出减少,二是部分办公费用年底未支付完成,国库退回",
             no_difference=False),
        id="zhongzhan-half-width",
    ),
    pytest.param(
        "2023年度一般公共预算财政拨款支出 599. 47 万元,占支出合计的 599.47%。与上年度相比,一般公共预算财政拨款"
        "支出增减少 123.84万元,下降 17.12%。主要原因是财政资金紧张。",
        dict(kind="year_over_year", change=-123.84, change_pct=-17.12, reason="财政资金紧张"),
        id="zhongzhan-typo-增减少",
    ),
    pytest.param(
        "7. 住房保障支出(类)住房改革支出(款)住房公积金(项)。 年初预算为 5.16 万元,支出决算为 5.16万元,"
        "完成年初预算 的 100.00%。决算数与年初预算数不存在差异。",
        dict(kind="budget_vs_actual", subject="住房保障支出(类)住房改革支出(款)住房公积金(项)", budget=5.16,
             actual=5.16, rate=100.0, reason=None, no_difference=True),
        id="zhongzhan-no-difference",
    ),
    pytest.param(
        "3. 社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）。年初预算数为 "
        "20.41 万元，决算数 20.41 万元，完成年初预算的 100%，决算数与年初预算数无差异",
        dict(kind="budget_vs_actual", budget=20.41, actual=20.41, rate=100.0, reason=None, no_difference=True),
        id="luolong-no-full-stop",
    ),
    pytest.param(
        "与 2024 年预算相比，收支总计各减少 371.11 万元，下降 56.15%。主要原因：减少项目经费支出。",
        dict(kind="year_over_year", change=-371.11, change_pct=-56.15, reason="减少项目经费支出"),
        id="yusuan-colon",
    ),
    pytest.param(
        "2023 年度机关运行经费年初预算为 3.76 万元，支出决算为 7.20 万元，完成年初预算的 191.49%。决算数与年初"
        "预算数存在差异的主要原因是人员增加。机关运行经费较上年度增长 3.22 万元，增长 80.90%，主要原因是人员增加。",
        [dict(kind="budget_vs_actual", budget=3.76, actual=7.2, rate=191.49, reason="人员增加"),
         dict(kind="year_over_year", budget=None, change=3.22, change_pct=80.9, reason="人员增加")],
        id="two-statements-one-paragraph",
    ),
    pytest.param(
        "2025 年一般公共预算当年拨款 289.81 万元，其中：基本支出 271.81 万元，与 2024 年相比增加 12.35 万元，增长"
        " 4.76%，主要原因是人员调资；项目支出 18.00 万元，与 2024 年相比减少 383.46 万元，下降 95.52%，主要原因是"
        "升级改造项目已完成。",
        [dict(change=12.35, change_pct=4.76, reason="人员调资"),
         dict(change=-383.46, change_pct=-95.52, reason="升级改造项目已完成")],
        id="semicolon-two-statements",
    ),
    pytest.param(
        "决算数与年初预算数存在差异的主要原因是：一是人员增加；二是追加了专项经费。",
        dict(reason="一是人员增加；二是追加了专项经费"),
        id="semicolon-one-reason",
    ),
    pytest.param(
        "2023 年度公用经费年初预算为 10.00 万元，支出决算为 12.00 万元，完成年初预算的 120.00%，主要是由于办公"
        "设备更新。",
        dict(kind="budget_vs_actual", budget=10.0, actual=12.0, rate=120.0, reason="办公设备更新"),
        id="reason-without-原因",
    ),
    pytest.param(
        "办公费支出 12.00 万元，较年初预算增加 2.00 万元，主要原因是办公设备老化更新。",
        dict(kind="budget_vs_actual", change=2.0, reason="办公设备老化更新"),
        id="较年初预算",
    ),
    pytest.param(
        "由于工作需要，本部门 2023 年度开展了培训。", [], id="由于-without-comparison-is-not-one",
    ),
    pytest.param(
        "2023 年度一般公共预算财政拨款支出年初预算为 122.23 万元，支出决算为 95.46 万元，完成年初预算的 78.10%。其中：",
        [], id="comparison-without-reason-is-not-one",
    ),
    pytest.param(
        "2025 年“三公”经费预算 1.20 万元，全部为公务用车运行维护费，较 2024 年无变化。",
        [], id="无变化-is-not-无差异",
    ),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_explanations(text, expected):
    expected = expected if isinstance(expected, list) else [expected]
    found = explanations([HEADING, Paragraph(text, 7)])
    assert len(found) == len(expected)
    for item, fields in zip(found, expected):
        for field, value in fields.items():
            assert getattr(item, field) == value, field
        assert item.section == "（三）具体情况" and item.page == 7
        assert item.text in text.replace("\n", "")


def test_reason_in_the_next_paragraph():
    found = explanations([
        Paragraph("与 2024 年预算相比，收支总计各减少 371.11 万元，下降 56.15%。", 3),
        Paragraph("主要原因：减少项目经费支出。", 3),
    ])
    [item] = found
    assert (item.change, item.reason) == (-371.11, "减少项目经费支出")


def test_reasons_listed_in_the_next_paragraph():
    found = explanations([
        Paragraph("年初预算数为 3.75 万元，决算数 2.80 万元，完成年初预算的 74.67%，决算数与年初预算数存在差异的"
                  "主要原因：", 5),
        Paragraph("一是人员减少；二是财政未及时清算。", 5),
    ])
    [item] = found
    assert item.reason == "一是人员减少；二是财政未及时清算"
    assert (item.budget, item.actual, item.rate) == (3.75, 2.8, 74.67)
