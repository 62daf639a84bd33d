"""The relevance decision: hard negatives whose titles are full of the right words, the
department disclosures they resemble, and the shipped model as its training data makes it."""

from __future__ import annotations

import json

import pytest

from gongkai.crawler import relevance
from gongkai.crawler.relevance import Verdict

D, N, U = Verdict.DISCLOSURE, Verdict.NOT_DISCLOSURE, Verdict.UNKNOWN


@pytest.mark.parametrize("title", [
    "2024年部门预算公开",
    "示例区教育局2023年度部门决算",
    "重庆市梁平区明达镇天台完全小学2024年单位预算情况说明",
    "2023年度泸州市中医医院单位决算",
    "2024年度民乐县卫生健康局(本级)部门决算",
    "收入支出决算总表.xls",
    "一般公共预算财政拨款“三公”经费支出决算表",
    "附件2：2025年部门预算公开表.xlsx",
    "一般公共预算财政拨款“三公”经费及会议费、培训费支出决算表",  # 培训费 is no training notice
    "合肥市科技馆2022年“三公”经费预算",                            # a body's own 三公
    "酉阳土家族苗族自治县公安局2023年度决算公开说明(本级)",           # (本级): the body's own office
    "单位收支总表.xls",                                               # tables and sections that never
    "国有资产占用情况",                                               # say 预算/决算
    "部门整体支出绩效自评表",                                         # a 决算's own table, no 绩效 report
    "2023年度示例县城关镇人民政府决算公开",                             # a township's own 决算
    "十六、县对下转移支付预算表",                                     # a department's table (Yunnan)
    "中国人民政治协商会议示例县委员会2023年度部门决算",                  # 会议 in a body's name
    "示例市国际会议中心2024年部门预算",
])
def test_department_disclosures_are_in(title):
    assert relevance.judge(title) is D


@pytest.mark.parametrize("title", [
    "渌口区2024年政府预算公开",                                     # the government's budget
    "下陆区政府2023年政府决算公开",
    "关于下陆区2023年财政决算草案的报告",                               # 财政决算
    "渌口区2023年预算执行情况和2024年预算草案的报告",                    # 预算执行情况 / 预算草案
    "2024年区级一般公共预算基本支出明细表",                              # a region's tables
    "关于编制2025年部门预算的通知",                                    # a notice
    "关于做好2025年双塔区部门预算信息公开工作的通知",
    "红河州数据发展中心2024年度项目支出绩效单位自评报告",                    # 绩效评价 reports
    "南县住房和城乡建设局2018年度整体支出 绩效评价报告",
    "示例区政务中心物业服务采购项目招标公告",                              # 招标 / 采购
    "2024年度办公设备采购意向公开（预算金额50万元）",
    "预算决算公开管理办法及实施细则最新",                              # rules and guides
    "2022年度部门决算报表说明及附表(财政汇总编写格式).docx",
    "我国预算包括哪些部分构成",                                        # a question
    "中央部门相继披露2023年度部门决算",                                # news
    "全省137个县市区预算全公开",                                      # a whole region
    "2019年度鹿寨县“三公”经费支出决算情况",                            # a region's own 三公
    "一般公共预算本级支出预算表",                                      # a region's tables
    "(01表)一般公共预算收支决算总表",
    "财政预决算公开专栏",                                              # a column, not a document
    "预决算公开",
    "政府性基金预算转移性收支决算表",                                  # 转移性收支: the government's
    "2022年度项目支出绩效自评表及项目绩效评价报告",                    # a 绩效 report beside the table
    "6、本级一般公共预算基本支出预算表",                               # 本级 funds
    "表十四:2022年示例区一般公共预算拨款部门经济分类",                   # a region's funds
    "示例县2023“三公”经费决算财政拨款情况统计表",                       # a region's 三公, no 年
    "示例局召开2025年部门预算编制工作会议",                             # news: meetings
    "示例省教育厅组织召开2025年部门预算编制工作推进会",
    "示例市80所学校晒预算:3所破亿",                                    # news: 晒, amounts
    "示例省百余个部门向社会公开决算信息,公众可上网查询",                   # news: two clauses
    "部门决算公开自查报告范文(精选5篇)",
])
def test_hard_negatives_are_out(title):
    assert relevance.judge(title) is N


@pytest.mark.parametrize("titles,verdict", [
    (["附件1", "P020241015123456.pdf"], U),          # names that say nothing
    (["2024年部门预算", "办公设备采购公告.pdf"], N),     # any certain "no" wins
    (["部门整体支出绩效目标表", "示例区教育局2025年部门预算"], D),  # a table named by its article
    (["政府采购"], U),                                 # bare column names: the page decides
    (["三公经费", "2023年区本级“三公”经费预算公开报表"], N),
    ([None, ""], U),
    (["2023年", "说明"], U),                          # bare names: the page or first page decides
    (["附件1.xls", "示例区教育局2024年部门预算公开"], D),
    # a numbered part of a document: the model may say yes, never a certain no; its page decides
    (["十三、其他需要说明的情况"], U),
    (["十三、其他需要说明的情况", "示例县中心卫生院2024年度部门决算"], D),
    (["十三、其他需要说明的情况", "示例县2024年政府决算公开"], N),
])
def test_several_names(titles, verdict):
    assert relevance.judge(*titles) is verdict


def test_every_labelled_title_has_a_real_source():
    titles = relevance.load_titles()
    assert len({t["title"] for t in titles}) == len(titles)
    assert all(t["url"].startswith(("http://", "https://")) and t["label"] in (0, 1) for t in titles)


def test_the_shipped_model_is_the_one_its_data_makes():
    retrained = relevance.train(relevance.load_titles()).to_json()
    shipped = json.loads(relevance.MODEL_PATH.read_text("utf-8"))
    assert json.dumps(retrained, sort_keys=True, ensure_ascii=False) == json.dumps(shipped, sort_keys=True,
                                                                                   ensure_ascii=False)


def test_frozen_portals_never_train_the_model():
    titles, frozen = relevance.load_titles(), relevance.load_titles(relevance.FROZEN_PATH)
    assert len({t["title"] for t in frozen}) == len(frozen) >= 200
    assert not {t["title"] for t in titles} & {t["title"] for t in frozen}
    assert not {relevance.site_of(t["url"]) for t in titles} & {relevance.site_of(t["url"]) for t in frozen}


def test_frozen_precision_beats_the_old_keyword_rule():
    frozen = relevance.load_titles(relevance.FROZEN_PATH)
    ours = relevance.evaluate(frozen, relevance.title_verdict)
    keyword = relevance.evaluate(frozen, lambda t: D if relevance.BUDGET.search(t) else U)
    assert ours["precision"] > keyword["precision"]
    assert ours["recall"] >= 0.85


def test_the_data_docs_state_what_the_data_holds():
    titles = relevance.load_titles()
    sites = len({relevance.site_of(t["url"]) for t in titles})
    disclosures = sum(t["label"] for t in titles)
    card = (relevance.DATA_DIR / "README.md").read_text("utf-8")
    counts = f"{len(titles)} titles ({disclosures} disclosures, {len(titles) - disclosures} not) from {sites} sites"
    assert counts in card
    frozen = relevance.load_titles(relevance.FROZEN_PATH)
    frozen_sites = len({relevance.site_of(t["url"]) for t in frozen})
    frozen_disclosures = sum(t["label"] for t in frozen)
    assert (f"{len(frozen)} titles ({frozen_disclosures} disclosures, {len(frozen) - frozen_disclosures} not) "
            f"from {frozen_sites} sites") in card
    crawler_readme = (relevance.DATA_DIR.parent / "README.md").read_text("utf-8")
    assert f"{len(titles)} titles from {sites} sites" in crawler_readme
