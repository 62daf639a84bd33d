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
        dict(kind="year_over_year", subject="收、支总计", budget=None, actual=None, rate=None, change=-123.84,
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
    # Real wording from other templates (stored portal pages and the Jiangsu PDFs of tests/real).
    pytest.param(
        "工资福利支出预算 905709.06 元,占基本支出预算 79.89%,同比增加 21557.64 元,增长 2.44%,增长原因是调整社保基数"
        "标准,支出增加。",
        dict(kind="year_over_year", subject="工资福利支出", change=2.155764, change_pct=2.44,
             reason="调整社保基数标准,支出增加", no_difference=False),
        id="yuan-增长原因是",
    ),
    pytest.param(
        "机关运行经费支出 12.50 万元，较上年增加 2.30 万元，系新增办公用房物业费。",
        dict(subject="机关运行经费", change=2.3, reason="新增办公用房物业费"), id="系",
    ),
    pytest.param(
        "由于人员增加，基本支出较上年增加 10.00 万元，增长 5.00%。",
        dict(subject="基本支出", change=10.0, change_pct=5.0, reason="人员增加"), id="由于-before-the-comparison",
    ),
    pytest.param(
        "（2）政府性基金收入预算0万元，与上年相比增加（减少）0万元，增长（减少）0%。主要原因是本部门无此项收入。",
        dict(subject="政府性基金收入预算", change=0.0, change_pct=0.0, reason="本部门无此项收入", no_difference=True),
        id="change-of-zero-keeps-its-reason",
    ),
    pytest.param(
        "2020 年度一般公共预算财政拨款安排的“三公”经费支出决算总额为 5.48 万元,比预算增加 0 万元,比去年增加1.55 万元,"
        "增长 39.4%,增加原因主要是公务用车运行支出增加。",
        [dict(kind="budget_vs_actual", change=0.0, no_difference=True, reason=None),
         dict(kind="year_over_year", change=1.55, change_pct=39.4, reason="公务用车运行支出增加", no_difference=False)],
        id="two-comparisons-one-sentence",
    ),
    pytest.param(
        "1.一般公共服务（类）支出 10,271.56 万元，主要用于单位行政运行。与上年相比增加 2,444.1 万元，增长 31.22%。"
        "主要原因是政策性增资。",
        dict(subject="一般公共服务（类）", change=2444.1, change_pct=31.22, reason="政策性增资"),
        id="主要用于-is-no-reason",
    ),
    pytest.param(
        "单位预留机动经费预算数为1973.86万元。与上年相比增加1777.14万元，增长903.39%,主要是用于工资福利支出的增加部分。",
        dict(subject="单位预留机动经费", change=1777.14, change_pct=903.39, reason="用于工资福利支出的增加部分"),
        id="主要是用于-after-the-change",
    ),
    pytest.param(
        "收入、支出预算总计21,955.35 万元，与上年相比收、支预算总计各增加3,958.67 万元，增长 21.95 %。增加原因，一是政策性"
        "调整因素。含员额制检察官工资改革。二是省财政加强预算管理。其中：",
        dict(subject="收入、支出预算总计", change=3958.67, change_pct=21.95,
             reason="一是政策性调整因素。含员额制检察官工资改革。二是省财政加强预算管理"),
        id="enumerated-reason-over-sentences",
    ),
    pytest.param(
        "其中，公务用车购置费 0 万元，与上年数一致；公务用车运行维护费156.60 万元，与上年数一致。",
        [dict(subject="公务用车购置费", no_difference=True), dict(subject="公务用车运行维护费", no_difference=True)],
        id="two-subjects-one-sentence",
    ),
    pytest.param(
        "3．公务接待费预算支出156.55万元，本年数小于上年预算数29.65万元，主要是省检察院严格贯彻落实中央八项规定。",
        dict(kind="year_over_year", subject="公务接待费", change=-29.65, reason="省检察院严格贯彻落实中央八项规定"),
        id="小于上年预算数",
    ),
    pytest.param(
        "项目支出预算数为5853.96万元。与上年持平。",
        dict(kind="year_over_year", subject="项目支出", no_difference=True, reason=None), id="持平",
    ),
    pytest.param(  # one subject compared with two bases: one statement per comparison
        "其中:公务用车购置及运行维护费21万元,较上年减少16万元,较年初预算数减少4万元,主要是事业单位公车改革,公务用车保有量减少4辆;",
        [dict(kind="year_over_year", subject="公务用车购置及运行维护费", change=-16.0, actual=None,
              reason="事业单位公车改革,公务用车保有量减少4辆"),
         dict(kind="budget_vs_actual", subject="公务用车购置及运行维护费", change=-4.0, actual=21.0,
              reason="事业单位公车改革,公务用车保有量减少4辆")],
        id="two-bases",
    ),
    pytest.param(  # a reason sentence naming its subject before the marker
        "公务用车购置增长的原因主要是政法部门及城管等执法部门增加执法车辆。",
        dict(kind="year_over_year", subject="公务用车购置", reason="政法部门及城管等执法部门增加执法车辆"),
        id="subject-before-the-marker",
    ),
    pytest.param(  # items listed after 其中 with a change of their own, split at their commas
        "与2023年预算相比增长16.75%,其中因公出国(境)费增加0万元,公务用车运行维护费增加2.01万元,原因是系统卡顿。",
        [dict(subject="因公出国(境)费", change=0.0, no_difference=True),
         dict(subject="公务用车运行维护费", change=2.01, no_difference=False, reason="系统卡顿")],
        id="items-with-their-own-change",
    ),
    pytest.param(
        "其中:因公出国(境)经费0万元,和年初预算持平;",
        dict(kind="budget_vs_actual", subject="因公出国(境)经费", actual=0.0, no_difference=True),
        id="和年初预算持平",
    ),
    pytest.param(
        "2025 年“三公”经费预算 1.20 万元，全部为公务用车运行维护费，较 2024 年无变化。",
        dict(kind="year_over_year", subject="“三公”经费", change=None, reason=None, no_difference=True),
        id="无变化-is-no-difference",
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


def test_numbered_items_are_statements_not_the_reason_before_them():
    """Lincang's 预算 说明: the items under "主要变动原因如下：" compare figures of their own."""
    found = explanations([HEADING, Paragraph("2018年基本支出预算较上年增17.1万元,增幅17.18% 。主要变动原因如下:", 3),
                          Paragraph("1.工资福利支出较上年增18.67万元,增21.86%。主要原因是:职工职称变,在职人员工资增加。", 3),
                          Paragraph("2.商品和服务支出较上年无增减。", 3)])
    assert [(item.subject, item.change, item.change_pct, item.reason, item.no_difference) for item in found] == [
        ("工资福利支出", 18.67, 21.86, "职工职称变,在职人员工资增加", False),
        ("商品和服务支出", None, None, None, True),
    ]


def test_a_statement_broken_by_a_page_is_one_statement():
    found = explanations([
        HEADING,
        Paragraph("2.行政事业单位离退休（款）机关事业单位基本养老保险缴费支出", 13),
        Paragraph("（项）415.33 万元，与上年相比增加 7.52 万元，增长 1.84%。主要原因是缴费基数调", 14),
        Paragraph("整，支出增加。", 14),
    ])
    [item] = found
    assert item.subject == "行政事业单位离退休（款）机关事业单位基本养老保险缴费支出（项）"
    assert (item.change, item.change_pct, item.reason, item.page) == (7.52, 1.84, "缴费基数调整，支出增加", 13)
