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
        # 重庆 检察院 决算 (2022): the outline's next heading follows the last point in the same line.
        "1.总体情况。2022年度收入总计3,345.01万元,支出总计3,345.01万元。收支较上年决算数减少84.69万元,下降2.5%,"
        "主要原因是:一是根据市财政统一要求,按人头数压减公用经费;二是年底受新冠疫情影响,部分检察业务工作未能开展。"
        "2.收入情况。",
        dict(change=-84.69, change_pct=-2.5,
             reason="一是根据市财政统一要求,按人头数压减公用经费;二是年底受新冠疫情影响,部分检察业务工作未能开展"),
        id="enumerated-reason-ends-at-a-number-of-another-style",
    ),
    pytest.param(
        "与上年相比增加20.00万元,增长10.00%。增加原因，（1）人员增加。（2）追加专项经费。",
        dict(change=20.0, change_pct=10.0, reason="（1）人员增加。（2）追加专项经费"),
        id="enumerated-reason-keeps-points-of-its-own-style",
    ),
    pytest.param(
        # points numbered "1)" are one style like "1.": the outline's "二、" ends them
        "与上年相比增加20.00万元,增长10.00%。增加原因：1)人员增加。2)追加专项经费。二、收入情况。",
        dict(change=20.0, change_pct=10.0, reason="1)人员增加。2)追加专项经费"),
        id="enumerated-reason-with-closing-parenthesis-ends-at-the-outline",
    ),
    pytest.param(
        "与上年相比增加20.00万元,增长10.00%。增加原因：一是人员增加。1.5万元用于购置设备。",
        dict(change=20.0, change_pct=10.0, reason="一是人员增加"),
        id="a-sum-opening-a-sentence-is-no-numbered-point",
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
    # Wordings of the second round of real texts (tests/real/texts/, EXTRACTOR_VERSION 11).
    pytest.param(  # sc-dyrmt-2022-juesuan: two subjects' figures printed as pairs
        "2022年度收、支总计各是4125.49,4143.91万元。与2021年相比,收、支总计各减少1267.86,2570.97万元,各下降23.51%、"
        "38.28%。主要变动原因是天府旅游名县创建工作完成,项目收入减少。",
        [dict(subject="收、支总计", change=-1267.86, change_pct=-23.51, reason="天府旅游名县创建工作完成,项目收入减少"),
         dict(subject="收、支总计", change=-2570.97, change_pct=-38.28, reason="天府旅游名县创建工作完成,项目收入减少")],
        id="paired-figures",
    ),
    pytest.param(  # js-jianchayuan-2017-doc: "各增加3,958.67" is one figure with a thousands comma
        "与上年相比收、支预算总计各增加3,958.67 万元，增长 21.95 %。主要原因是政策性调整。",
        dict(change=3958.67, change_pct=21.95), id="thousands-comma-is-no-pair",
    ),
    pytest.param(  # js-fayuan-2018-doc: the % sign left out
        "5．法院（款）案件执行（项）支出950万元，与上年相比减少100万元，减少9.52，主要原因是压减了案件执行经费的支出预算安排。",
        dict(subject="法院（款）案件执行（项）", change=-100.0, change_pct=-9.52), id="percent-sign-left-out",
    ),
    pytest.param(  # hb-echeng-2022-sangong: 万 without 元; a clause naming its own subject and change
        "会议费减少87.51万元,培训费增加4.66万,增加的原因一是2021年因为疫情,组织部的村委培训没有开展,二是2022年人大代表人数"
        "有所增加,导致人大培训费有所增加。",
        dict(subject="培训费", change=4.66, text="培训费增加4.66万,增加的原因一是2021年因为疫情,组织部的村委培训没有开展,"
             "二是2022年人大代表人数有所增加,导致人大培训费有所增加。"),
        id="万-and-own-subject",
    ),
    pytest.param(  # gx-sanjiang-heping-2016-juesuan: two subjects compared, one reason after them
        "2016年部门收入5649006.18元,支出5238630.16元,比上年收入增加50.8%,支出比上年增加42.5 %。主要原因是2016年度新增"
        "和平乡人口计划与生育服务站,计生部门有一部公务车",
        [dict(subject="收入", change_pct=50.8, reason="2016年度新增和平乡人口计划与生育服务站,计生部门有一部公务车"),
         dict(subject="支出", change_pct=42.5, reason="2016年度新增和平乡人口计划与生育服务站,计生部门有一部公务车")],
        id="one-reason-for-two-subjects",
    ),
    pytest.param(  # gd-yingde-2016-sangong: 对比, 减少率 in the next ；clause, a bare 原因
        "1、公务接待费2016年预算8万元,2015年预算12.5万元;对比减少4.35万元;减少率35.22%,原因执行八项规定厉行节约。",
        dict(kind="year_over_year", subject="公务接待费", change=-4.35, change_pct=-35.22, reason="执行八项规定厉行节约"),
        id="对比-减少率-bare-原因",
    ),
    pytest.param(  # gx-wuzhou-1242-2020-sangong: no gap with either base, two statements
        "其中,因公出国支出决算比预算无增减变化,比去年无增减变化;",
        [dict(kind="budget_vs_actual", subject="因公出国支出", no_difference=True),
         dict(kind="year_over_year", subject="因公出国支出", no_difference=True)],
        id="no-gap-with-two-bases",
    ),
    pytest.param(  # cq-fuling-qxz-2024-sangong: a change of its own is the comparison 主要是 needs
        "公务接待费减少0万元,主要是各单位严格落实我区过“紧日子”十条举措,压缩接待开支,降低运行成本。",
        dict(subject="公务接待费", change=0.0, no_difference=True,
             reason="各单位严格落实我区过“紧日子”十条举措,压缩接待开支,降低运行成本"),
        id="主要是-after-its-own-change",
    ),
    pytest.param(  # nx-yinchuan-dangan-2016-sangong: nothing in either year, in words
        "与上年预算相比,上年与本年均无因公出国(境)情况; 公务接待费预算无变化;公务用车购置及运行费预算无变化。",
        [dict(subject="因公出国(境)", no_difference=True), dict(subject="公务接待费", no_difference=True),
         dict(subject="公务用车购置及运行费", no_difference=True)],
        id="均无-and-无变化",
    ),
    pytest.param(  # nx-yinchuan-dangan-2016-sangong: a count compared is no statement
        "2016年我单位公务用车保有量1辆,与2015年相比无变化。", [], id="a-count-is-no-money",
    ),
    pytest.param(  # nx-yinchuan-dangan-2016-sangong: the subject printed before its year
        "公务接待费2015年年末支出1.36万元(共接待9批、52人次),2016年预算与上年实际支出相比,减少26.47%。减少支出的原因是:"
        "根据“三公”经费的管理要求,逐年需要减少支出。",
        dict(subject="公务接待费", change_pct=-26.47), id="subject-before-its-year",
    ),
    pytest.param(  # yn-baoshan-huanbao-2019-sangong: the change before the comparison word, in 元
        "公务用车运行维护费325000元,增72000元,同比增长28.46%,主要原因:一是监测任务增加车辆使用频率高。",
        dict(subject="公务用车运行维护费", change=7.2, change_pct=28.46), id="change-before-同比",
    ),
    pytest.param(  # sc-youxian-zhengfuban-2022-sangong: the % before the change
        "2022游仙区政府办“三公”经费财政拨款预算数9万元,较2021年预算下降40%,减少6万元。主要原因是节约开支。",
        dict(change=-6.0, change_pct=-40.0, reason="节约开支"), id="percent-before-the-change",
    ),
    pytest.param(  # gx-wuzhou-1443-2023-juesuan: the reason's own words say nothing of the kind
        "6.其他收入0.00万元,为预算单位在“财政拨款收入”“事业收入”“经营收入”之外取得的收入。较2022年度决算数增加0.00万元,"
        "增长0%,主要原因是:本单位无其他收入,与去年相比无变化,与预算相比无变化。",
        dict(kind="year_over_year", subject="其他收入", change=0.0, no_difference=True), id="kind-from-the-figures",
    ),
    pytest.param(  # yn-xundian-zhengfawei-2022-sangong: 等于预算数 is no difference
        "2022年度一般公共预算财政拨款“三公”经费支出年初预算为6,283.70元,支出决算为6,283.70元,完成年初预算的100%。"
        "2022年度一般公共预算财政拨款“三公”经费支出决算数等于预算数的主要原因是单位认真贯彻中央八项规定。",
        dict(kind="budget_vs_actual", budget=0.62837, actual=0.62837, rate=100.0, no_difference=True),
        id="等于预算数",
    ),
    pytest.param(  # sc-dyrmt-2023-juesuan: the reason names its base; the other one's figures are not its own
        "2022年“三公”经费财政拨款支出决算为3.46万元,完成预算100%,较上年增加2.4万元,增长0.24%。决算数小于预算数"
        "(或与预算数持平)的主要原因是公务用车年久失修。",
        dict(kind="budget_vs_actual", actual=3.46, rate=100.0, change=None, change_pct=None, no_difference=True),
        id="base-named-by-the-reason",
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


def test_reason_sentences_take_the_figures_printed_for_their_subject():
    """sh-jiading-sifaju-2017-sangong: items compared after 其中, then one reason sentence per item;
    an item at 0 is not a statement of its own when a reason sentence names it later."""
    found = explanations([HEADING, Paragraph(
        "2017年度“三公”经费财政拨款支出决算数比2016年度减少0.28万元,降低3.09%,其中:因公出国(境)费支出决算减少0万元,"
        "降低0%;公务用车购置及运行维护费支出决算减少0.29万元,降低3.31%;公务接待费支出决算增加0.01万元,增长3.45%。"
        "因公出国(境)费支出持平的主要原因是严格执行八项规定。公务用车购置及运行维护费支出减少的主要原因是严格执行八项规定。"
        "公务接待费支出增加的主要原因是公务接待批次人数略有增加。", 3)])
    assert [(item.subject, item.change, item.change_pct, item.no_difference, item.text) for item in found] == [
        ("因公出国(境)费", 0.0, 0.0, True, "因公出国(境)费支出持平的主要原因是严格执行八项规定。"),
        ("公务用车购置及运行维护费", -0.29, -3.31, False, "公务用车购置及运行维护费支出减少的主要原因是严格执行八项规定。"),
        ("公务接待费", 0.01, 3.45, False, "公务接待费支出增加的主要原因是公务接待批次人数略有增加。"),
    ]


def test_a_reason_paragraph_names_the_base_of_an_earlier_sentence():
    """gd-czt-2023-sangong: two reason paragraphs, one for the budget, one for last year."""
    found = explanations([HEADING, Paragraph(
        "广东省财政厅2023年度“三公”经费财政拨款支出决算为62.07万元,完成全年预算84.82万元的73.2%,比上年决算数增加38.97万元,"
        "增长168.7%;比2019年(疫情前)决算数减少24.87万元,降低28.6%。其中:公务接待费支出决算为22.59万元,完成预算43.2万元的"
        "52.3%,比上年决算数增加20.63万元,增长1,055.4%。", 3),
        Paragraph("2023年度“三公”经费支出决算小于预算数的主要情况:认真贯彻落实中央八项规定精神和厉行节约的要求。", 3),
        Paragraph("2023年度“三公”经费支出决算大于上年决算数的主要情况:2022年受疫情等因素影响,人员流动减少。", 3)],
        "广东省财政厅")
    assert [(item.kind, item.subject, item.budget, item.actual, item.rate, item.change, item.change_pct)
            for item in found] == [
        ("budget_vs_actual", "“三公”经费财政拨款支出", 84.82, 62.07, 73.2, None, None),
        ("year_over_year", "“三公”经费财政拨款支出", None, None, None, 38.97, 168.7),
    ]


def test_a_bare_marker_takes_the_next_sentence_as_reason():
    """gx-wuzhou-1443-2023-juesuan: "主要原因是:" ends the line; the reason compares in words."""
    found = explanations([HEADING, Paragraph("7.使用非财政拨款结余(含专用结余)0.00 万元。较 2022 年度决算数增加 0.00 万元,"
                                             "增长 0%,主要原因是:", 3),
                          Paragraph("本单位无使用非财政拨款结余,与去年相比无变化,与预算相比无变化。", 3)])
    [item] = found
    assert (item.kind, item.change, item.reason) == (
        "year_over_year", 0.0, "本单位无使用非财政拨款结余,与去年相比无变化,与预算相比无变化")


def test_a_heading_names_the_subject_a_sentence_leaves_out():
    """sc-youxian-zhengfuban-2022-sangong."""
    found = explanations([Paragraph("(一)因公出国(境)经费", 2, 2), Paragraph("2022年预算安排0万元,与2021年预算持平。", 2)])
    [item] = found
    assert (item.subject, item.no_difference) == ("因公出国(境)经费", True)


# --- rules the held-out set (tests/real/heldout) showed ------------------------------------

def test_a_marker_printed_twice_and_a_reason_for_every_item():
    """hn-hualong-2020-sangong ("减少原因原因是"); ah-nanling-xuzhen-2020-sangong ("主要原因都是")."""
    [item] = explanations([Paragraph(
        "公务接待支出124万元,比上年累计支出148万元下降24万元,下降16%,减少原因原因是减少压缩开支,减少公务接待。", 1)])
    assert (item.change, item.change_pct, item.reason) == (-24.0, -16.0, "减少压缩开支,减少公务接待")
    [item] = explanations([Paragraph(
        "公务用车运行维护费20万元,比上年决算数字下降43.66%,下降的主要原因都是按照上级三公经费管理的规定,逐年减少三公经费支出。", 1)])
    assert item.reason == "按照上级三公经费管理的规定,逐年减少三公经费支出"


def test_a_reason_ends_before_the_breakdown_of_the_amount():
    """hn-hualong-2018-sangong: "…原因为…厉行节约;其中:因公出国(境)支出0万元;…" lists figures."""
    [item] = explanations([Paragraph(
        "2018年度本部门一般公共预算财政拨款安排的“三公”经费支出2.05万元,较上年2.08减少0.03万元,减少了1.44%,"
        "原因为严格落实中央八项规定精神,厉行节约;其中:因公出国(境)支出0万元;公务用车购置支出0万元;"
        "公务接待费支出2.05万元,占“三公”经费的100%。", 1)])
    assert (item.subject, item.change, item.reason) == ("“三公”经费", -0.03, "严格落实中央八项规定精神,厉行节约")


def test_what_there_is_none_of_and_a_heading_for_a_bare_amount():
    """hn-hualong-2018-sangong: "本部门本年度无因公出国(境)支出,较上年无变化。"; "支出2.05万元" under
    a heading that names the item."""
    [item] = explanations([Paragraph("本部门本年度无因公出国(境)支出,较上年无变化。", 1)])
    assert (item.subject, item.no_difference) == ("因公出国(境)支出", True)
    [item] = explanations([Paragraph("(3)公务接待费支出情况。", 1, 2), Paragraph(
        "2018年公务接待24批次,210人次,支出2.05万元,较上年减少0.03万元,减少了1.44%,原因为严格落实中央八项规定精神,厉行节约。", 1)])
    assert (item.subject, item.change) == ("公务接待费", -0.03)


def test_a_gap_printed_without_its_sign():
    """hn-hualong-2018-sangong: budget, 决算 and a 差值 whose sign the figures give; 差值为0 is no gap."""
    found = explanations([Paragraph(
        "2018年度本部门一般公共预算财政拨款安排的“三公\"经费支出2.05万元,年初预算为2.95万元,差值为0.9万元。"
        "其中:因公出国(境)支出0万元,年初预算为0万元,差值为0万元,原因为落实中央八项规定精神,压缩各项开支;"
        "公务用车运行维护费支出0万元,年初预算为0.95万元,差值为0.95万元,原因为厉行节约,压减开支;"
        "公务接待费支出2.05万元,年初预算为2万元,差值为0.05万元,原因为项目增多,下乡次数增加。", 1)])
    assert [(e.kind, e.budget, e.actual, e.change, e.no_difference) for e in found] == [
        ("budget_vs_actual", 0.0, 0.0, 0.0, True),
        ("budget_vs_actual", 0.95, 0.0, -0.95, False),
        ("budget_vs_actual", 2.0, 2.05, 0.05, False),
    ]


def test_a_sentence_saying_no_gap_takes_no_change_from_the_one_before():
    """ah-xuancheng-guangdian-2021-sangong."""
    found = explanations([Paragraph(
        "(三)公务用车运行维护及购置费支出预算24.50万元,比2020年预算减少12.00万元,下降32.88%。其中:公务用车运行维护费"
        "支出预算24.50万元,与2020年预算持平,持平的原因主要是根据三公经费只减不增的原则编制 2021 年预算数。", 1)])
    [item] = found
    assert (item.subject, item.change, item.change_pct, item.no_difference) == ("公务用车运行维护费", None, None, True)


def test_the_amount_of_an_item_compared_with_a_budget_of_zero():
    """yn-diqing-2021-sangong: "因公出国(境)费为0万元,…,较预算数0万元无增减"."""
    found = explanations([Paragraph(
        "其中:因公出国(境)费为0万元,较上年6万元减少6万元,下降100%,较预算数0万元无增减;公务接待费为122万元。", 1)])
    [item] = found
    assert (item.kind, item.budget, item.actual, item.no_difference) == ("budget_vs_actual", 0.0, 0.0, True)


def test_one_reason_for_every_subject_and_base_after_a_half_width_stop():
    """ah-nanling-xuzhen-2020-sangong: three subjects, each against last year's budget and last
    year's 决算, then "下降的主要原因都是…" after "43.66%." — six statements sharing the reason."""
    text = ("许镇镇2020年“三公”经费决算数共计35.5万元,比上年预算数字下降35.45%,比上年决算数字下降34.26%;"
            "其中公务接待费15.5万元,比上年预算数字下降18.42%,比上年决算数字下降16.22%;公务用车运行维护费20万元,"
            "比上年预算数字下降44.44%,比上年决算数字下降43.66%.下降的主要原因都是按照上级三公经费管理的规定,逐年减少三公经费支出。")
    found = explanations([Paragraph(text, 1)])
    assert [(e.subject, e.change_pct) for e in found] == [
        ("“三公”经费", -35.45), ("“三公”经费", -34.26), ("公务接待费", -18.42), ("公务接待费", -16.22),
        ("公务用车运行维护费", -44.44), ("公务用车运行维护费", -43.66)]
    assert {e.reason for e in found} == {"按照上级三公经费管理的规定,逐年减少三公经费支出"}
    assert all(e.text == text for e in found)


def test_one_comparison_told_twice_is_one_statement():
    """yn-baoshan-huanbao-2019-sangong: 比上年预算 and 同比 are the same comparison."""
    found = explanations([Paragraph("安排公务接待费64000元,比上年预算减15600元,同比下降19.60%。主要是严格执行厉行节约。", 1)])
    [item] = found
    assert (item.change, item.change_pct) == (-1.56, -19.6)


def test_the_whole_town_s_scope_is_no_part_of_the_subject():
    """heldout cq-fuling-xinmiao-2021-sangong: "全镇" says whose, the subject is “三公”经费."""
    found = explanations([Paragraph("经比较,2021年度全镇“三公”经费较上年减少2.97万元,下降6.89%,主要是严格落实过紧日子举措。", 1)])
    assert [item.subject for item in found] == ["“三公”经费"]


def test_a_reason_sentence_takes_the_amount_printed_earlier_in_its_section():
    """cq-fuling-xinmiao-2021-sangong: the 决算 two paragraphs before the comparison with the budget."""
    found = explanations([
        Paragraph("经汇总,2021年度全镇“三公”经费支出合计40.14万元。其中,因公出国(境)费0万元;公务接待费9.21万元。", 1),
        Paragraph("2021年度全镇因公出国(境)团组数0个,因公出国(境)0人次;公务用车保有量12 辆。", 1),
        Paragraph("经比较,2021年度全镇“三公”经费较上年减少2.97万元,下降6.89% ,较年初预算数减少0.36万元。"
                  "主要是严格落实我镇过紧日子十条举措,严控一般性支出,压减“三公”经费。", 1),
    ])
    assert [(e.kind, e.actual, e.change) for e in found] == [
        ("year_over_year", None, -2.97), ("budget_vs_actual", 40.14, -0.36)]


def test_a_cause_after_the_figures_opened_by_因():
    """2018年湛江市质量技术监督局“三公”经费预算情况说明 (http://www.duoyuan-iws.com.cn/zdlyxxgk/
    czyjshsg/sgjf/content/post_1359858.html): "因…" after the comparison is its reason."""
    [item] = explanations([Paragraph("公务用车运行维护费28.6万元,与上年持平,因车辆无变动;", 1)])
    assert (item.subject, item.no_difference, item.reason) == ("公务用车运行维护费", True, "车辆无变动")


def test_a_cause_after_the_figures_named_by_受_影响():
    """2014年中央本级“三公”经费预算安排情况, 财政部 quoted (http://m.zgkjsz.com/page/2014/0527/1147068.shtml):
    "主要受…等因素影响" gives the reason as 主要是由于 does."""
    [item] = explanations([Paragraph(
        "与2013年预算执行数相比,2014年因公出国(境)费增加2.84亿元,财政部表示,因公出国(境)费增加,"
        "主要受出国(境)费标准调整、出访任务增多、参加国际赛事等因素影响。", 1)])
    assert (item.change, item.reason) == (28400.0, "受出国(境)费标准调整、出访任务增多、参加国际赛事等因素影响")


def test_a_cause_opening_its_sentence_explains_the_comparison_after_it():
    """2021年阳江高新区第三次财政预算调整方案(草案) (http://www.yjgx.gov.cn/zwgk/zwgkml/content/post_574491.html):
    "四是因…," before the figures it explains."""
    [item] = explanations([Paragraph(
        "四是因政府性基金收入短收,从政府性基金调入资金补充一般公共预算减少,调入资金与年初预算数相比减少5000万元。", 1)])
    assert (item.kind, item.change, item.reason) == ("budget_vs_actual", -5000.0, "政府性基金收入短收")


def test_a_cause_opening_a_sentence_is_never_the_reason_of_the_sentence_before():
    """heldout cq-lagm-2017-sangong: "因我县财力不足" says why two items have no budget, not why the car
    fee fell; 长寿区 关于2020年区级预算调整方案的报告 (http://cqcs.gov.cn/bm/qczj_75254/zwgk_73772/
    fdzdgknr_73775/czyjs_czj/qjys_bm/202104/t20210413_9157192_wap.html): "受…影响" explains the fall
    after it, not the rise before."""
    assert explanations([Paragraph(
        "2017年县级一般公共预算安排“三公”经费支出预算中公务用车运行维护费为39.6万元,比上年减少0.9万元,下降2%。"
        "因我县财力不足,因公出(境)国、公务接待费没预算。", 1)]) == []
    found = explanations([Paragraph(
        "年初预算税收收入267,000万元,比去年增加3290万元。受减税降费和疫情双重影响,截至10月底,区级税收收入完成"
        "202,890万元,下降11.07%,较去年同期减收25,247万元。", 1)])
    assert [(e.change, e.change_pct, e.reason) for e in found] == [(None, -11.07, "受减税降费和疫情双重影响")]


def test_a_cause_after_the_change_named_by_为():
    """中国残疾人联合会2013年“三公经费”预算 (中新网, copy at https://m.johnnytowncar.com/gn/2013/04-19/4745531.shtml):
    the second item has its own change and cause ("为新增单位…"), a statement of its own, not more of the first
    item's reason; 重庆市人民政府关于2020年决算的报告 (https://czj.cq.gov.cn/zwgk_268/fdzdgknr/ysjs/zfjs/202108/
    t20210805_9546865.html): "主要为…" after the change.  为 after an amount that is no change defines it
    (http://117.141.250.58:10060/wzyjsgkpt/uploadFile/upload1201/upload20220906/BA376D4490B297975A1E469C1A381661.html)."""
    found = explanations([Paragraph(
        "其中:因公出国(境)费减少161.92万元,原因为2012年中国残疾人艺术团临时接受国家安排的出访任务已经完成,"
        "本年预算不再安排;公务用车购置及运行费增加23.4万元,为新增单位中国视障文化资讯中心的车辆运行费;", 1)])
    assert [(e.subject, e.change, e.reason) for e in found] == [
        ("因公出国(境)费", -161.92, "2012年中国残疾人艺术团临时接受国家安排的出访任务已经完成,本年预算不再安排"),
        ("公务用车购置及运行费", 23.4, "新增单位中国视障文化资讯中心的车辆运行费")]
    [item] = explanations([Paragraph("调出资金增加12亿元,主要为区县调出。", 1)])
    assert (item.subject, item.change, item.reason) == ("调出资金", 120000.0, "区县调出")
    [item] = explanations([Paragraph(
        "1.一般公共预算财政拨款收入382.17万元,为市本级财政当年拨付的资金。较2020年度决算数减少157.86万元,下降29.2%,"
        "主要原因:一是军休人员自然减员减少下拨相应的离退休费、生活补助及其他经费;二是2020年下拨了军休人员抚恤金74.31万元;"
        "三是按要求压减了机构管理经费。", 1)])
    assert item.reason.startswith("一是军休人员自然减员") and "市本级财政" not in item.reason


def test_a_clause_of_what_was_done_right_after_the_change_is_its_cause():
    """天山区2019年度本级“三公”经费 (http://www.xjtsq.gov.cn/info/3269/139451.htm): "同比减少144.92万元,
    各部门单位贯彻落实…" gives the cause with no marker; a clause followed by another comparison does not."""
    [item] = explanations([Paragraph(
        "2019年度,天山区本级一般公共预算财政拨款三公经费支出合计585.53万元(包括基本支出和项目支出安排的经费),"
        "同比减少144.92万元,各部门单位贯彻落实中央自治区和市委有关落实厉行节约、反对铺张浪费规定,采取措施,降低支出。", 1)])
    assert (item.kind, item.change, item.reason) == (
        "year_over_year", -144.92, "各部门单位贯彻落实中央自治区和市委有关落实厉行节约、反对铺张浪费规定,采取措施,降低支出")
    assert explanations([Paragraph(
        "2019年度,天山区本级一般公共预算财政拨款三公经费支出合计585.53万元,同比减少144.92万元,"
        "各部门单位贯彻落实厉行节约规定,较年初预算减少20万元。", 1)]) == []


def test_a_cause_after_the_change_of_an_item_named_with_its_year():
    """95个中央部门2015年部门预算, 北京青年报 (https://www1.cs.com.cn/xwzx/hg/201504/t20150419_4691098.html):
    "2015年财政部的…支出减少700.82 万元,主要是…" compares by its own change; the year is no part of it."""
    [item] = explanations([Paragraph(
        "2015年财政部的对外合作与交流支出减少700.82 万元,主要是2014年亚太经合组织(APEC)相关会议在中国召开,"
        "相应安排了预算,而按照轮换机制,2015年该会议在其他成员国召开。", 1)])
    assert (item.change, item.reason) == (
        -700.82, "2014年亚太经合组织(APEC)相关会议在中国召开,相应安排了预算,而按照轮换机制,2015年该会议在其他成员国召开")


def test_a_report_quoting_the_department_s_explanation():
    """退役军人事务部2019年部门预算, 中国网 (http://news.china.com.cn/2019-04-03/content_74643617.htm): "该部门对此
    解释为"; the same report on 财政部 2015 (https://www1.cs.com.cn/xwzx/hg/201504/t20150419_4691098.html): "其解释称"."""
    [item] = explanations([Paragraph(
        "但对比之下,退役军人事务部2019年“三公”经费预算比2018年增加511.04万元。该部门对此解释为,退役军人事务部为新组建"
        "部门,2018年年初无“三公”经费预算,2018年执行中调整“三公”经费预算额度较小,难以维持新部门工作的正常开展。", 1)])
    assert (item.subject, item.change) == ("“三公”经费", 511.04)
    assert item.reason.startswith("退役军人事务部为新组建部门") and item.reason.endswith("难以维持新部门工作的正常开展")
    [item] = explanations([Paragraph(
        "财政部2015年的因公出国(境)费增加1560万元,其解释称,2015年是亚洲基础设施投资银行、金砖国家新开发银行筹备成立的"
        "关键之年,赴外协商谈判工作任务增加,因此相应增加出国经费预算。", 1)])
    assert (item.subject, item.change, item.reason) == (
        "因公出国(境)费", 1560.0, "2015年是亚洲基础设施投资银行、金砖国家新开发银行筹备成立的关键之年,赴外协商谈判工作任务增加,"
        "因此相应增加出国经费预算")


def test_a_sentence_opening_with_its_cause_after_the_comparison_and_its_parts():
    """中央本级2013年“三公”经费执行和2014年预算情况, 财政部预算司 (copy at http://qqjr.com/hgwg/2014-04-18/549.html):
    "主要是…" opens the sentence after the total and its parts (其中,…): the total's reason; "因公出国(境)费增加主要是
    受…影响" names the part again, whose own change it explains."""
    [item] = explanations([Paragraph(
        "与2013年年初预算相比,中央本级2013年“三公”经费财政拨款执行数减少8.15亿元,下降10.2%。其中,因公出国(境)费减少"
        "4.44亿元,公务用车购置及运行费减少1.46亿元,公务接待费减少2.25亿元。主要是各部门贯彻落实中央八项规定和厉行节约"
        "有关要求,压缩、取消部分出国(境)团组,加强公务用车管理,规范公务接待活动,“三公”经费支出减少。", 1)])
    assert (item.change, item.change_pct) == (-81500.0, -10.2)
    assert item.reason.startswith("各部门贯彻落实中央八项规定") and item.subject != "公务接待费"
    [item] = explanations([Paragraph(
        "与2013年执行数相比,2014年中央本级“三公”经费财政拨款预算减少0.03亿元,下降0.04%。其中,因公出国(境)费增加"
        "2.84亿元,公务用车购置及运行费减少1.26亿元,公务接待费减少1.61亿元。因公出国(境)费增加主要是受出国(境)费标准"
        "调整、出访任务增多、参加国际赛事等因素影响。", 1)])
    assert (item.subject, item.change, item.reason) == (
        "因公出国(境)费", 28400.0, "受出国(境)费标准调整、出访任务增多、参加国际赛事等因素影响")


def test_what_the_department_said_after_the_comparison_is_its_reason():
    """环境保护部2011年“三公经费”, 文汇报 (http://news.wenweipo.com/2011/07/22/NN1107220007.htm): "该部表示,…"
    opens the sentence after a comparison with no reason, and prints no amount nor comparison of its own."""
    [item] = explanations([Paragraph(
        "环保部还公布称,今年其「三公经费」预算合计数为2646万元,比2010年预算数减少22.9万元。该部表示,今年「三公经费」"
        "预算严格控制在去年「三公经费」预算规模之内,同时,今年的公务车辆购置及运行费预算将在此基础上调减2%。", 1)])
    assert (item.change, item.reason) == (-22.9, "今年「三公经费」预算严格控制在去年「三公经费」预算规模之内,同时,"
                                                  "今年的公务车辆购置及运行费预算将在此基础上调减2%")


def test_a_cause_and_the_change_it_brought_joined_by_故_or_所以():
    """乐昌市林业局2018年第四季度“三公经费” (http://www.lechang.gov.cn/zdlyxxgk/dzjg/lcslyj/czysjshsgjfgk/content/
    post_2225967.html): "因…,故…增加2万元" with no base named; 大英县教育和体育局2020年部门预算
    (https://dyrmt.com/article-67938-2.html): "由于…,所以公务接待费较2019年预算增加…", whose subject has no 所以."""
    [item] = explanations([Paragraph("因本年度我单位下属大瑶山林场增加一个车辆编制,故我单位2018年车编费增加2万元。", 1)])
    assert (item.subject, item.change, item.reason) == ("车编费", 2.0, "本年度我单位下属大瑶山林场增加一个车辆编制")
    [item] = explanations([Paragraph(
        "2020年教体局使用财政拨款安排公务接待费预算40000.00元,由于2019年未安排安排公务接待费预算,所以公务接待费较"
        "2019年预算增加40000.00元。", 1)])
    assert (item.subject, item.change, item.reason) == ("公务接待费", 4.0, "2019年未安排安排公务接待费预算")


def test_every_numbered_cause_is_kept():
    """民政部2013年“三公经费”预算, 中新网 (https://johnnytowncar.com/gn/2013/04-18/4743562.shtml): "一是…;二是受…影响"
    after the change, with no marker: the first cause is not dropped for the second's 受…影响."""
    [item] = explanations([Paragraph(
        "“三公经费”(不含外事接待费)2012年执行数比2012年财政拨款预算数减少105.5万元,一是民政部采取措施厉行节约,严格控制"
        "“三公经费”支出;二是受相关国际组织或外方工作安排影响,部分出访任务在2012年未能全部实施,相应的因公出国(境)经费需"
        "结转到2013年继续执行。", 1)])
    assert item.change == -105.5
    assert item.reason.startswith("一是民政部采取措施厉行节约") and "二是受相关国际组织" in item.reason
    assert item.reason.endswith("结转到2013年继续执行")


def test_numbered_causes_on_lines_of_their_own():
    """js-jianchayuan-2018's layout (the points of "主要原因：" one to a line, each a paragraph): every point is
    the reason, up to a line that makes a comparison of its own."""
    found = explanations([
        Paragraph("与上年相比,收、支总计各增加1808.29万元,增长6.69%。主要原因：", 1),
        Paragraph("一是政策性调整因素。", 1),
        Paragraph("二是省财政加强预算管理，将年度收支全部纳入部门预算。", 1),
        Paragraph("基本支出较上年增加1408.29万元，主要原因是人员增加。", 1),
    ])
    assert [(e.change, e.reason) for e in found] == [
        (1808.29, "一是政策性调整因素。二是省财政加强预算管理，将年度收支全部纳入部门预算"), (1408.29, "人员增加")]


def test_a_reason_in_brackets():
    """绍兴市2023年教育经费执行情况 (https://jyj.sx.gov.cn/art/2025/1/25/art_1229352953_59028682.html): the
    marker inside brackets, the reason ends at their close; a bracketed cause printed as a sentence of its own
    after the comparison ("(2019年追加的项目未完成,结转至2020年)", as the collector corpus3 quoted it from a
    重庆 page), never a note on what a figure holds."""
    [item] = explanations([Paragraph(
        "普通高等学校生均一般公共预算教育经费38149.03元,比上年下降27.37%(主要原因为基建等一次性经费减少)。", 1)])
    assert (item.change_pct, item.reason) == (-27.37, "基建等一次性经费减少")
    [item] = explanations([Paragraph("项目支出较上年增加12.5万元,增长20%。(2019年追加的项目未完成,结转至2020年)", 1)])
    assert item.reason == "2019年追加的项目未完成,结转至2020年"
    assert explanations([Paragraph("项目支出较上年增加12.5万元,增长20%。(不含外事接待费)", 1)]) == []


def test_a_reason_goes_on_into_a_short_sentence_that_still_explains():
    """上海市普陀区石泉路街道办事处（本级）2026年度单位预算 (GovBudgetChecker tmp/shiquan_unit26_pages.json):
    "…更新经费。2026年维持原有预算。" ends the paragraph and prints no figure: the reason's second half.
    A sentence with figures of its own is another statement."""
    [item] = explanations([Paragraph(
        "2025年当年预算执行数为62.51万元，2026年预算安排18万元，比2025年预算执行数减少71.20%。主要原因是：2025年增加"
        "图书、设备购置经费以及设施与空间更新经费。2026年维持原有预算。", 1)])
    assert (item.change_pct, item.reason) == (-71.2, "2025年增加图书、设备购置经费以及设施与空间更新经费。2026年维持原有预算")
    found = explanations([Paragraph(
        "2026年预算安排18万元，比2025年预算执行数减少71.20%。主要原因是：2025年增加图书经费。2026年预算安排20万元。", 1)])
    assert [e.reason for e in found] == ["2025年增加图书经费"]


def test_a_reason_stops_before_the_next_item_s_own_change():
    """三亚市2020年财政决算情况的报告 (https://rd.sanya.gov.cn/rdsite/c52hy/202108/6cc8a86cdb374bd1b07fbc2761e707b6.shtml):
    after a reason with no figure, ";调入资金增加10,239万元;…" lists other gaps; a reason made of changes goes on.
    The same lines printed without full stops, one to a line: the next subject's figures start a statement."""
    [item] = explanations([Paragraph(
        "上级补助收入增加37,721万元,主要是增加省对市的结算补助收入;调入资金增加10,239万元;上解上级支出减少19,144万元;"
        "调出资金增加10,239万元;以上收支变化增加的结余转入预算稳定调节基金。", 1)])
    assert (item.change, item.reason) == (37721.0, "增加省对市的结算补助收入")
    [item] = explanations([Paragraph(
        "江苏省高级人民法院2017年度收入、支出预算总计28849.38万元，与上年相比收、支预算总计各增加1808.29万元，增长6.69%。"
        "主要原因是基本支出增加1408.29万元;项目支出安排增加400万元。", 1)])
    assert item.reason == "基本支出增加1408.29万元;项目支出安排增加400万元"
    found = explanations([Paragraph("上级补助收入较上年增加37,721万元,主要是增加省对市的结算补助收入", 1),
                          Paragraph("调入资金较上年增加10,239万元,主要是盘活存量资金", 1)])
    assert [(e.change, e.reason) for e in found] == [(37721.0, "增加省对市的结算补助收入"), (10239.0, "盘活存量资金")]


def test_a_change_printed_verb_first():
    """国务院国资委2014年“三公”经费, 中国经济网 (http://finance.ce.cn/rolling/201404/18/t20140418_2685519.shtml):
    "作出说明,压缩公务接待费52万元,主要是…"; 白云区食品药品监督管理局2015年, 南方都市报
    (http://news.sohu.com/20150415/n411288286.shtml): "据了解,…,所以增加购置公务执法车经费324万元"."""
    [item] = explanations([Paragraph("国资委就此作出说明,压缩公务接待费52万元,主要是贯彻落实中央“八项规定”的精神。", 1)])
    assert (item.subject, item.change, item.reason) == ("公务接待费", -52.0, "贯彻落实中央“八项规定”的精神")
    [item] = explanations([Paragraph(
        "据了解,白云区食品药品监督管理局在各街镇设立了食品药品监督管理所,所以增加购置公务执法车经费324万元,一下将公车"
        "购置费乃至全区的“三公”经费拉高。", 1)])
    assert (item.subject, item.change, item.reason) == (
        "购置公务执法车经费", 324.0, "白云区食品药品监督管理局在各街镇设立了食品药品监督管理所")


def test_the_reason_of_one_amount_with_nothing_compared():
    """js-rendachang-2019-doc page 10 and 汉阳区2019年“三公”经费 (http://www.hanyang.gov.cn/zwgk_38/xxgkml/czzj/
    czyjs/qjczyjs/202005/t20200528_1349003.html): 原因 given for one amount is a statement of kind other, with no
    figures; 海南省审计厅2016年“三公经费”预算数说明 (http://audit.hainan.gov.cn/xxgk/0700/0702/201812/
    t20181219_1659328.html): "主要是…费用" after an amount says what the money is, no statement."""
    [item] = explanations([Paragraph("4．结转下年资金预算数为0万元，主要原因是本部门无此项资金。", 1)])
    assert (item.kind, item.subject, item.change, item.budget, item.reason, item.no_difference) == (
        "other", "结转下年资金", None, None, "本部门无此项资金", False)
    [item] = explanations([Paragraph(
        "3.公务接待支出756万元(排已公开的6个区最高)。公务接待支出较大的原因主要是我区加大招商引资力度、城中村改造需协调"
        "各部门关系增加等,造成支出仍然较大。", 1)])
    assert (item.kind, item.subject) == ("other", "公务接待支出")
    assert explanations([Paragraph("“公务用车运行维护费”预算数50万元,主要是应急公务用车及机要通信用车费用。", 1)]) == []


def test_numbered_parts_after_the_marker_are_one_reason():
    """重庆市沙坪坝区凤鸣山幼儿园2021年度部门决算 (http://www.cqspb.gov.cn/bm/qjw/zwgk_63232/fdzdgknr_63234/ysjs/js/
    202208/t20220824_11034472.html): "(2)…" after the ；is the reason's second part, not a statement; 沈阳市文联2015年度
    部门决算 (https://www.shenyang.gov.cn/zwgk/fdzdgknr/ysjs/bmczyjsbgjsgjf/bmjs_new/2016nbmjs/202307/
    t20230706_4490358.html): points after "主要原因为:" in its own sentence.  Points with reasons of their own are
    statements of their own."""
    [item] = explanations([Paragraph(
        "1.总体情况。2021年度收入总计321.30万元,支出总计321.30万元。收支较上年决算数减少289.23万元、下降47.4%,主要原因是"
        "(1)本年度财政拨款收入、支出均较上年决算数减少358.94万元,下降61.7%; (2)本年度事业收入及相应支出均较上年决算数"
        "增加69.71万元,增长238.8%;本年度无结余分配。", 1)])
    assert (item.change, item.change_pct) == (-289.23, -47.4)
    assert item.reason == ("(1)本年度财政拨款收入、支出均较上年决算数减少358.94万元,下降61.7%; (2)本年度事业收入及相应支出"
                           "均较上年决算数增加69.71万元,增长238.8%;本年度无结余分配")
    [item] = explanations([Paragraph(
        "1、机关运行经费支出情况。2015年决算为保障机构正常运行而发生的购买货物和服务各项支出合计141.55万元,2014年为107.89万元,"
        "较2014年增加33.66万元,增加31%。主要原因为:(1)2015年比2014年人员增加1人,公用经费2万元,采暖费0.4万元;(2)绩效奖金较"
        "2014年增长12.4万元:(3)2015年人员经费定额较2014年上涨2000元/人:(4)2015年增加小机构公用经费补助5万元;(5)2014年对个人"
        "和家庭补助经费中医疗费超支占用保运转定额8.04万元。因此产生2015年为保障机构正常运行而发生的购买货物和服务各项支出合计较"
        "2014年有较大增加。", 1)])
    assert (item.change, item.change_pct) == (33.66, 31.0)
    assert item.reason.startswith("(1)2015年比2014年人员增加1人") and item.reason.endswith("医疗费超支占用保运转定额8.04万元")
    found = explanations([Paragraph(
        "基本支出较上年增加30万元,增长10%。主要原因为:(1)工资福利支出较上年增加20万元,主要是人员增加;(2)商品和服务支出较上年"
        "增加10万元,主要是办公费增加。", 1)])
    assert [e.reason for e in found][-2:] == ["人员增加", "办公费增加"]


def test_a_growth_rate_alone_before_the_cause():
    """北京市2023年1-2月财政收支情况, 京报网 (http://yc.xinxuanze.com.cn/zuiguandian/2023/0315/124808.html) and
    关于彭水苗族土家族自治县2022年预算执行情况和2023年预算草案的报告 (http://www.psx.gov.cn/zwgk_174/fdzdgknr/czyjs/
    xjys/202302/t20230213_11596660.html, "1.9 %" printed with a space): an amount, then its rate on last year with no
    base named.  A share is no change."""
    [item] = explanations([Paragraph(
        "三大主体税种中:增值税完成423.5亿元,增长5.2%,主要是市场主体经营活动逐步恢复,企业营业收入有所增加带动。", 1)])
    assert (item.kind, item.subject, item.change, item.change_pct, item.reason) == (
        "year_over_year", "增值税", None, 5.2, "市场主体经营活动逐步恢复,企业营业收入有所增加带动")
    [item] = explanations([Paragraph(
        "——全县一般公共预算收入完成16.75亿元,增长23%。其中:税收收入8.37亿元,下降1.9 %,主要是受新冠疫情、经济下行和减税退税"
        "等因素影响;非税收入8.38亿元,增长64.8%。", 1)])
    assert (item.subject, item.change_pct, item.reason) == ("税收收入", -1.9, "受新冠疫情、经济下行和减税退税等因素影响")
    found = explanations([Paragraph(
        "1-2月,全市一般公共预算收入完成1243.2亿元,增长0.6%;完成年度预算的20.9%,超过时间进度4.2个百分点。其中:全市地方级税收"
        "收入完成1068.0亿元,下降3.2%,主要受上年同期一次性税款入库抬高基数等因素影响。", 1)])
    assert [(e.subject, e.change_pct) for e in found if e.reason] == [("地方级税收收入", -3.2)]
    assert explanations([Paragraph("其中:税收收入8.37亿元,占比60%,主要是增值税和企业所得税。", 1)]) == []


def test_a_reason_ends_before_what_the_money_is_for():
    """重庆市九龙坡区石新路小学校2026年单位预算 (http://cqjlp.gov.cn/zwgk_251/zfxxgkml/czyjs/bmczyjsqk/ysjs2/202602/
    t20260206_15391658_wap.html) and 云阳县大阳镇大阳小学2025年 (https://www.yunyang.gov.cn/zwgk_257/zfxxgkml/czyjs/ys/
    bmys/xjw_220093/202502/t20250210_14285106.html): ",主要用于保障…" is the template's tail (codebook rule 12); a
    reason that only says what the money is for (重庆市巴南区石滩镇中心小学校2022年, http://cqbn.gov.cn/zwgk_252/
    fdzdgknr/czyjs/qzfbm_162688/qzfbm/jw/202202/t20220214_10388837.html) stays as printed."""
    [item] = explanations([Paragraph(
        "其中:基本支出1890.14万元,比2024年增加91.32万元,要原因是增人增资,主要用于保障学校本年度在职人员工资福利及社会保险"
        "缴费、退休人员补助和单位正常运转的各项商品服务支出;", 1)])
    assert (item.change, item.reason) == (91.32, "增人增资")
    [item] = explanations([Paragraph(
        "其中:基本支出695.37万元,比2024年减少35.51万元,主要原因是农村学校生源减少,教师减少,相继教育经费减少,主要用于保障在职"
        "人员工资福利及社会保险缴费,离休人员离休费,退休人员补助等,保障单位正常运转的各项商品服务支出;", 1)])
    assert item.reason == "农村学校生源减少,教师减少,相继教育经费减少"
    [item] = explanations([Paragraph("教育支出增加3.84万元,主要用于保障教师工资福利支出;", 1)])
    assert item.reason == "用于保障教师工资福利支出"


def test_a_reason_after_a_colon_goes_on_to_its_paragraph_s_end():
    """柳州市阳和第三幼儿园2023年部门预算 (http://bbstxq.liuzhou.gov.cn/zwgk/fdzdgknr/yjsgk/xqbmys/2023_bmys/
    t19700101_3225733.shtml): after "减少的主要原因:" the paragraph's last sentence, with no figure, still explains.
    A sentence with figures of its own is not the reason's."""
    text = ("2023年收入总预算1185.53万元,同比减少38.65万元,同比下降3.16%。其中:一般公共预算拨款1185.53万元,同比减少38.65万元,"
            "同比下降3.16%。2023年收入预算总体减少的主要原因:受退税减税及疫情冲击等影响,地方财政收入罕见出现下滑,而刚性支出不减,"
            "收支矛盾有所加大。")
    tail = "政府拟采取除保工资、保运转、保基本民生等刚性支出外,大力度调减非急需、非刚性支出。"
    [item] = explanations([Paragraph(text + tail, 1)])
    assert (item.change, item.reason) == (-38.65, "受退税减税及疫情冲击等影响,地方财政收入罕见出现下滑,而刚性支出不减,收支矛盾"
                                                  "有所加大。政府拟采取除保工资、保运转、保基本民生等刚性支出外,大力度调减非急需、非刚性支出")
    [item] = explanations([Paragraph(text + "政府拟安排刚性支出1000万元。", 1)])
    assert item.reason.endswith("收支矛盾有所加大")
