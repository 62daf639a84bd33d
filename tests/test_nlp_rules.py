"""The classifier on real sentences from the sample disclosures and on the codebook's
rules for coders, one row per case."""

from pathlib import Path

import pytest

from gongkai import nlp

from gongkai.nlp.classifier import ADD, Classifier
from gongkai.nlp.dataset import load_real

SAMPLES = Path(__file__).parent.parent / "samples" / "source"


@pytest.fixture(scope="module")
def rules_only():
    return Classifier()


@pytest.fixture(scope="module")
def shipped():
    return nlp.load_classifier()


def sample_sentence(name: str, contains: str) -> str:
    """The first line of a sample document holding ``contains`` (the real sentence)."""
    for line in (SAMPLES / name).read_text(encoding="utf-8").splitlines():
        if contains in line:
            return line
    raise AssertionError(f"{contains!r} not in {name}")


SAMPLE_CASES = [
    ("yanshi-2023-juesuan.txt", "增长 64.59%。主要原因是人员增加", ["staff_increase"]),
    ("yanshi-2023-juesuan.txt", "存在差异的主要原因是财政未及时清算。", ["payment_timing"]),
    ("yanshi-2023-juesuan.txt", "财政未及时清算，该项资金已结转下年", ["payment_timing"]),
    ("yanshi-2023-juesuan.txt", "人员经费支出增加 34.84 万元", ["staff_increase"]),
    # The reason is 人员增加; the 主要包括 list of running costs after it is not a reason.
    ("yanshi-2023-juesuan.txt", "公用经费支出增加 3.22 万元", ["staff_increase"]),
    ("luolong-2024-juesuan.txt", "“紧日子”政策，严控支出，厉行节俭", ["austerity"]),
    ("luolong-2024-juesuan.txt", "收、支总计各减少 43.72 万元", ["fiscal_tightness"]),
    ("luolong-2024-juesuan.txt", "事业单位离退休（项）", ["fiscal_tightness", "payment_timing"]),
    ("luolong-2024-juesuan.txt", "出现偏差的原因为预算批复未能及时支付", ["payment_timing"]),
    ("zhongzhan-2023-juesuan.txt", "收、支总计各减少 123.84 万元", ["payment_timing", "project_decrease"]),
    ("zhongzhan-2023-juesuan.txt", "机关运行经费支出 308.11万元", ["payment_timing", "project_decrease"]),
]


@pytest.mark.parametrize("name, contains, expected", SAMPLE_CASES)
def test_sample_sentences(rules_only, shipped, name, contains, expected):
    text = sample_sentence(name, contains)
    for classifier in (rules_only, shipped):
        assert sorted(classifier.classify(text)["labels"]) == sorted(expected)


CODEBOOK_CASES = [
    ("人员增加", ["staff_increase"]),
    ("新调入及招录13人", ["staff_increase"]),
    ("信创项目和政务云项目经费支出减少,新调入及招录13人导致人员经费增加", ["project_decrease", "staff_increase"]),
    ("本年有2名同志退休", ["staff_decrease"]),
    ("调整工资标准，养老保险缴费基数提高", ["pay_policy"]),
    ("财政资金紧张", ["fiscal_tightness"]),
    ("严格落实过紧日子要求，压减一般性支出", ["austerity"]),
    ("资金未到位，结转下年支付", ["payment_timing"]),
    ("上年实施的项目已完成", ["project_decrease"]),
    ("年初无此预算，年中追加", ["unbudgeted"]),
    ("使用上年结转资金", ["carryover"]),
    ("机构改革，职能划转", ["reorganization"]),
    ("人员工资改由财政统发，调整列支科目", ["accounting_reclass"]),
    ("差旅费和会议费减少", ["operating_costs"]),
    # rule 2: 人员经费变动 with no staff direction and no pay rule is `other`
    ("人员经费变动", ["other"]),
    # rule 4: equal figures are no_difference, even with a reason
    ("与上年持平，主要原因是严格执行八项规定", ["no_difference"]),
    ("决算数与年初预算数一致，不存在差异", ["no_difference"]),
    # rule 5: a directionless staff change takes the direction of the gap
    ("决算数小于年初预算数，主要原因是人员变动", ["staff_decrease"]),
    ("决算数大于年初预算数，主要原因是人员变动", ["staff_increase"]),
    ("完成年初预算的85.2%，主要原因是人员流动", ["staff_decrease"]),
    # rule 6
    ("按项目推进情况年中调减项目经费", ["project_decrease"]),
    ("年中追加了乡村振兴项目经费", ["project_increase", "unbudgeted"]),
    # rule 7
    ("部分预算调整至街镇使用", ["accounting_reclass"]),
    # rule 8
    ("2020年下拨了抚恤金", ["project_decrease"]),
    # rule 9
    ("办公经费节约", ["austerity", "operating_costs"]),
    ("严控开支", ["austerity"]),
    ("部分办公费用年底未支付完成", ["payment_timing"]),
    # rule 10
    ("本单位无政府性基金预算财政拨款收入", ["other"]),
    # rule 11
    ("公务接待费增加0万元", ["no_difference"]),
    ("增(减)0元", ["no_difference"]),
    # rule 12
    ("公务接待费减少的原因是公务接待支出减少", ["other"]),
    # rule 13
    ("公车改革，车辆移交机关事务中心", ["operating_costs"]),
    ("车辆老化，维修费用增加", ["operating_costs"]),
    # rule 14 (payment by progress)
    ("按项目进度支付，剩余尾款次年支付", ["payment_timing"]),
    ("按合同进度支付，部分款项未完全付清", ["payment_timing"]),
    ("项目按进度拨付，延至次年支付，同时年中调减了项目预算", ["payment_timing", "project_decrease"]),
    # rule 15 (another fund, another subject)
    ("主要是调入资金增加", ["accounting_reclass"]),  # money moved in, not people
    ("该项资金调整至政府性基金预算安排", ["accounting_reclass"]),
    ("调整至其他城乡社区支出类款项下核算", ["accounting_reclass"]),
    ("功能科目代码调整", ["accounting_reclass"]),
    # rule 16 (pay with rank, post or title; people counted are staff)
    ("职级职位变动", ["pay_policy"]),
    ("职工职称变动，导致费用增加", ["pay_policy"]),
    ("2018年度增资及新增人员", ["staff_increase", "pay_policy"]),
    # two causes, both kept
    ("一是公用经费节约，二是项目年中调减", ["austerity", "operating_costs", "project_decrease"]),
    ("年中追加预算，年初未预算该项支出", ["unbudgeted"]),
    # real budget phrasings (江苏 部门预算 2017–2019; 临沧, 涪陵, 梧州 说明)
    ("政策性调增住房公积金和提租补贴", ["pay_policy"]),
    ("因增设机构而增加了在职人数，机关运行经费有所增长", ["staff_increase", "reorganization"]),
    ("本年机关运行经费统计口径与上年不一致", ["accounting_reclass"]),
    ("退休人员基本养老金已由省社会保险基金中心统一发放", ["accounting_reclass"]),
    ("根据省相关政策,将在职人员基本养老保险单位缴费部分纳入部门预算管理", ["accounting_reclass"]),
    ("编外人员经费支出列入基本支出", ["accounting_reclass"]),
    ("案件执行专项业务经费的支出预算安排减少", ["project_decrease"]),
    ("南京铁路检察院增加了40万元的检察办案费预算", ["project_increase"]),
    ("增加人员经费中单位预留机动安排的其他工资福利等支出", ["budget_estimation"]),
    ("增加离退休人员的支出", ["other"]),
    ("公务接待批次和人数减少", ["operating_costs"]),
    ("市级没有安排预算", ["project_decrease"]),
    ("2020年度未安排因公出国(境)", ["other"]),
    ("2022年因新冠疫情缓解,各项业务工作增加", ["project_increase"]),
    # a whole sentence: 比预算增加0万元 comes before the year-over-year gap the reason explains
    ("“三公”经费支出决算总额为 5.48 万元,比预算增加 0 万元,比去年增加1.55 万元,增长 39.4%,"
     "增加原因主要是公务用车运行支出增加", ["operating_costs"]),
    ("按与上年统计口径一致相比，本年比上年减少 161.96 万元，主要原因为在编人员减少。", ["staff_decrease"]),
    ("因公出国(境)费支出0万元,与2020年度预算相比,增加0万元,原因是2020年度未安排因公出国(境)。",
     ["no_difference"]),
    # the first frozen set, read in error analysis (nlp/data/README.md): one real text per family
    ("主要原因是加强公务用车的管理", ["austerity", "operating_costs"]),  # 海南 审计厅: 加强…管理 of an item
    ("2023年随着公务往来恢复正常及深调研工作开展,相关“三公”经费支出增加",
     ["project_increase", "operating_costs"]),  # 广东: own research work, official contacts resumed
    ("2022年受疫情等因素影响,人员流动减少,“三公”经费支出大幅下降;2023年随着公务往来恢复正常",
     ["operating_costs"]),  # 人员流动 in an epidemic year: travel, not staff
    ("一是严格控制接待标准和陪同人数,公务接待次数和人数减少", ["austerity", "operating_costs"]),  # guests counted
    ("上级扶贫检查次数增加,公务接待费支出费用也就相应增加", ["operating_costs"]),  # visits received
    ("从会议费预算中调减403.75万元用于培训费开支", ["accounting_reclass"]),  # 江苏人大: moved, not cut
    ("一是学校压缩公务接待费支出,二是本年支出的公务接待费主要从非税资金中安排资金,减少预算内资金支付公务接待费",
     ["austerity", "accounting_reclass", "operating_costs"]),  # 寻甸: paid from another fund
    ("公安局即墨分局和原黄岛分局上划为市直单位,市级费用相应增加", ["reorganization"]),  # 青岛
    ("工商、质检、药监部门由省级垂直管理下划至市县管理", ["reorganization"]),  # management moved, not money
    ("2016年度新增和平乡人口计划与生育服务站", ["reorganization"]),  # 梧州: a new unit
    ("减少新冠疫情防控经费支出", ["project_decrease"]),  # 重庆
    ("两年来未申报因公出国出境人员", ["other"]),  # rule 10
    ("一位副主席出国计划属于2014年12月,但结算时间为2015年度", ["payment_timing"]),  # 山东: settled next year
    ("按照全市综合定额全年4万元/辆", ["budget_estimation", "operating_costs"]),  # 银川: quota budget
    ("一是监测任务增加车辆使用频率高导致车辆燃料费、过桥过路费较上年增加",
     ["project_increase", "operating_costs"]),  # 云南: both causes kept
    ("主要受出国(境)费标准调整、出访任务增多、参加国际赛事等因素影响", ["project_increase", "operating_costs"]),
    ("机构改革增加了部门和车辆", ["reorganization", "operating_costs"]),
    ("2022年“三公”经费财政拨款支出决算为3.46万元,完成预算100%,较上年增加2.4万元,增长0.24%。"
     "决算数小于预算数(或与预算数持平)的主要原因是公务用车年久失修。", ["operating_costs"]),  # template choice
    # families of wording no document of the training data holds (each failed before): rule 14 and
    # the 结转下年 note — not paid to the end, not yet due, late, by progress, for earlier years, returned
    ("决算数小于预算数的主要原因是部分项目资金当年未执行完毕", ["payment_timing"]),
    ("预留质保金待质保期满后支付", ["payment_timing"]),
    ("决算数小于预算数的主要原因是部分项目跨年度实施", ["payment_timing"]),
    ("决算数大于预算数的主要原因是支付以前年度工程欠款", ["payment_timing"]),
    ("支出较上年减少,主要是上年支付了以前年度的工程款", ["payment_timing"]),
    ("决算数小于预算数的主要原因是项目结余资金交回财政", ["payment_timing"]),
    ("决算数小于预算数主要是项目尚在建设中", ["payment_timing"]),
    ("项目实施进度较慢", ["payment_timing"]),
    # carryover: prior-year money however it is named
    ("决算数大于年初预算数,主要是年初结转和结余资金用于本年支出", ["carryover"]),
    ("动用历年结余", ["carryover"]),
    # the boundary: last year's money used this year is carryover, money sent on to next year is timing
    ("主要是上年未使用完的资金在本年继续使用", ["carryover"]),
    ("使用上年结转资金,部分项目资金结转下年", ["carryover", "payment_timing"]),
    # more money for named work where no 项目 word appears
    ("决算数大于预算数的主要原因是信息化建设经费增加", ["project_increase"]),
    ("主要原因是实施农村人居环境整治工程", ["project_increase"]),
    ("主要原因是加大了对乡村振兴的投入", ["project_increase"]),
    ("支出较上年增加,主要是本年开展人大代表换届选举", ["project_increase"]),
    ("主要原因是根据上级要求新增环保督察整改任务", ["project_increase"]),  # 上级要求 is no visit received
    # two causes kept; a running cost that only followed the staff change is no cause of its own
    ("主要是因为受疫情影响,公务接待减少,且部分项目暂停实施", ["operating_costs", "project_decrease"]),
    ("主要原因是人员减少,公用经费相应减少", ["staff_decrease"]),
    # rule 6's boundary: a grant added in the year names no work of the department's own
    ("上级追加转移支付资金", ["unbudgeted"]),
    ("2020年新增了605.99万元政府性基金预算财政拨款-抗疫特别国债资金,主要用于保健院住院楼项目建设购置设备",
     ["project_increase"]),  # 梧州 (real.jsonl): the money names its work
    ("一般公共服务支出决算为120万元,比年初预算增加20万元,主要原因是年中追加人大换届选举经费;"
     "比上年增加30万元,主要原因是人员增加。", ["project_increase", "staff_increase", "unbudgeted"]),
    # rule 12: a reason naming no cause
    ("保障机构正常运转", ["other"]),
    ("应急公务用车及机要通信用车费用", ["other"]),  # 宁夏 预算 (real.jsonl): only what the money is
    ("人员经费工资福利及机关事业单位养老保险、职业年金缴费等增加", ["other"]),  # 江苏 法院 (real.jsonl): restated
    # a no-difference clause about one comparison, then the reason of another stated without a figure
    ("公务用车运行维护费支出决算比预算无增减变化,比去年增加,增加原因主要是车辆老化维修费用增加", ["operating_costs"]),
    ("2021年一般公共预算财政拨款支出决算与年初预算持平,较上年有所增加,主要是人员增加", ["staff_increase"]),
    ("公务接待费支出决算比预算无增减变化,比上年减少的主要原因是严格执行八项规定,压减接待费用",
     ["austerity", "operating_costs"]),
    # negations
    ("没有新增人员，主要是调资", ["pay_policy"]),
    ("并非人员增加所致，主要是办公费上涨", ["operating_costs"]),
    # full width, spaces and line breaks from PDF text layers
    ("新调入及招录１３人", ["staff_increase"]),
    ("财政未及\n时清算", ["payment_timing"]),
    ("工作需要", ["other"]),
]


@pytest.mark.parametrize("text, expected", CODEBOOK_CASES)
def test_codebook_rules(rules_only, shipped, text, expected):
    for classifier in (rules_only, shipped):
        assert sorted(classifier.classify(text)["labels"]) == sorted(expected), classifier.version


@pytest.mark.parametrize("text", ["人员增加", "持平", "工作需要", "", "   "])
def test_result_shape(shipped, text):
    result = shipped.classify(text)
    assert set(result) == {"text", "labels", "scores", "spans", "confidence", "label_confidence",
                           "model"}
    assert 0.0 <= result["confidence"] <= 1.0
    # one confidence per label given; the least sure of them is the text's
    assert set(result["label_confidence"]) == set(result["labels"])
    assert min(result["label_confidence"].values()) == result["confidence"]
    assert result["text"] == text
    assert set(result["scores"]) == set(nlp.LABELS)
    assert all(0.0 <= s <= 1.0 for s in result["scores"].values())
    assert result["labels"] and all(l in nlp.LABELS for l in result["labels"])
    assert result["model"] == shipped.version
    for exclusive in ("no_difference", "other"):
        if exclusive in result["labels"]:
            assert result["labels"] == [exclusive]


def test_classify_many_matches_classify(shipped):
    texts = [line for _, line, _ in SAMPLE_CASES] + [text for text, _ in CODEBOOK_CASES]
    assert shipped.classify_many(texts) == [shipped.classify(text) for text in texts]


def test_confidence_is_lowest_where_the_decision_is_closest_to_its_bar(shipped):
    """Labels a cue decided, unopposed, are sure; a reason the arbiter decides a hair from its
    bar is not: `gongkai labels review` lists those first. The least sure of the real reasons
    is chosen here, not named, since which text sits at the bar moves as the real data grows."""
    sure = shipped.classify("新调入及招录13人，同时厉行节约压减会议费")
    assert sure["confidence"] == 1.0
    results = shipped.classify_many([e.text for e in load_real()])
    least = min(results, key=lambda r: r["confidence"])
    assert least["confidence"] < 0.05
    # its confidence is how far one of its scores is from the bar
    assert any(abs(abs(ADD - score) - least["confidence"]) <= 1e-4 for score in least["scores"].values())
    # the rules alone settle every label they give
    assert Classifier().classify("工作需要")["confidence"] == 1.0


@pytest.mark.parametrize("text, wrong", [
    ("主要是加大税收征管力度", "project_increase"),  # collecting revenue is no spending task
    ("经党组会议审议通过,新增执法办案经费", "operating_costs"),  # the meeting only decided
])
def test_a_word_in_another_sense_is_no_cue(rules_only, shipped, text, wrong):
    for classifier in (rules_only, shipped):
        assert wrong not in classifier.classify(text)["labels"]


def test_money_moved_in_is_not_people_coming_in(rules_only, shipped):
    """调入 of money (江苏人大 2019 预算, real.jsonl) is a move between items, not staff coming in."""
    text = "上年度列入此项的预留机动经费128.43万元本年度调入行政运行项"
    for classifier in (rules_only, shipped):
        labels = classifier.classify(text)["labels"]
        assert "accounting_reclass" in labels and "staff_increase" not in labels



# Bond quota (cues.BOND_QUOTA, applied per clause by rules._bond_quota): money added in the year,
# `unbudgeted`, and no project unless one is named; negated, or late or less, it is neither.
@pytest.mark.parametrize("text, expected", [
    ("主要是新增地方政府一般债券", ["unbudgeted"]),
    ("新增专项债券资金", ["unbudgeted"]),  # 专项 of a bond is no 新增专项 (project)
    ("今年未申请新增债券", ["other"]),
    ("新增一般债券发行较上年后移", ["other"]),
])
def test_bond_quota_is_money_added_in_the_year(rules_only, text, expected):
    assert rules_only.classify(text)["labels"] == expected


# Round 6: each family of a label under the bar, as the codebook defines it (every case failed on the
# rules before). Real texts first (real.jsonl: 江苏 政协, 中央 三公, 重庆 交通委 and 海南 of corpus-6,
# 广西 of corpus-4), then the family's other wordings.
FAMILY_CASES = [
    # people and another item sharing one change word (江苏 政协 2018 预算)
    ("本年在职人员和商品服务公用定额数减少等", ["operating_costs", "staff_decrease"]),
    # a budget increased in the year by approval (中央 2012 三公)
    ("国家邮政局新设省级以下邮政监管机构等特殊事项,经国务院批准,增加了一部分‘三公经费’财政拨款预算",
     ["reorganization", "unbudgeted"]),
    # more money handed down as transfer payments (重庆 交通委 2018; rule 7)
    ("支出结构调整、转移支付力度加大等导致资金来源减少,主要用于公路水路交通基础设施建设、铁路民航事业发展", ["accounting_reclass"]),
    ("铁路、民航等重点专项支出增加,主要用于铁路建设、民航发展、港口航道设施等项目", ["project_increase"]),  # 重庆
    # the treasury under strain (广西 2020 预算调整)
    ("受经济下行、国家节能限电、土地交易市场低迷等多重因素影响,全市财政收支压力艰巨,形势严峻", ["fiscal_tightness"]),
    ("收支平衡压力较大", ["fiscal_tightness"]),
    ("按照以收定支原则调整支出", ["fiscal_tightness"]),
    ("存在资金缺口", ["fiscal_tightness"]),
    # a revenue line's own fall explains the revenue (coding note): `other`
    ("一般公共预算收入完成5亿元,比预算减少0.3亿元,主要原因是税收收入下降", ["other"]),
    # money added in the year (海南 2021 决算: settlement grants from the province)
    ("上级补助收入增加37,721万元,主要是增加省对市的结算补助收入", ["unbudgeted"]),
    ("预算执行过程中新增安排", ["unbudgeted"]),
    ("使用预备费", ["unbudgeted"]),
    ("超收收入安排支出", ["unbudgeted"]),
    # rule 14: not finished, accepted or settled in the year
    ("决算数小于预算数的主要原因是部分项目尚未完工", ["payment_timing"]),
    ("部分工程尚未验收", ["payment_timing"]),
    ("项目待验收", ["payment_timing"]),
    ("部分项目正在招标", ["payment_timing"]),
    ("主要是报账不及时", ["payment_timing"]),
    ("部分支出时间延后", ["payment_timing"]),
    ("受项目进度影响", ["payment_timing"]),
    ("年终结余较多", ["payment_timing"]),
    # carryover: earlier years' money spent this year
    ("使用以前年度项目资金", ["carryover"]),
    ("上年专项资金在本年继续使用", ["carryover"]),
    ("本年支出中含结转资金", ["carryover"]),
    # fewer people than the budget was drawn for; people who left
    ("部分编制空缺", ["staff_decrease"]),
    ("新招录人员未到岗", ["staff_decrease"]),
    ("人员分流", ["staff_decrease"]),
    ("1名同志遴选到省直单位", ["staff_decrease"]),
    # accounting: booked apart, another channel
    ("相关支出单独核算", ["accounting_reclass"]),
    ("支出渠道变化", ["accounting_reclass"]),
    ("调出资金增加", ["accounting_reclass"]),  # 调出 of money is no staff (海南 2021 决算)
    # corpus-6 (whole documents), after each batch's first look: a budget drawn by formula (广西 2017),
    # a promise that caused nothing (北京 2013), a vehicle quota (广东 2018), new units, events and work
    # (中央 2012–2015, 广州 白云), zero growth (中央 2012), and the line's own budget restated (江苏 法院)
    ("本部门人员减少,公务接待费预算金额计算公式自动计算减少", ["budget_estimation", "staff_decrease"]),
    ("单位在职人数略有增加,导致预算数增加,本局将按照相关规定的要求,严格控制,节约使用,使年底的执行数与上年数相比呈下降趋势",
     ["staff_increase"]),
    ("因本年度我单位下属大瑶山林场增加一个车辆编制,故我单位2018年车编费增加2万元。", ["operating_costs"]),
    ("经中央编制部门批准,卫生部新增设立国家食品安全风险评估中心,该中心2012年“三公经费”财政拨款预算54.53万元",
     ["reorganization"]),
    ("白云区食品药品监督管理局在各街镇设立了食品药品监督管理所", ["reorganization"]),
    ("人社部2015年将组织参加第43届世界技能大赛,为大力加强职业能力建设,促进我国职业技能水平的提升,扩大了参赛的项目范围,相应的出国费用增加",
     ["project_increase"]),
    ("公务用车购置及运行费预算304.35万元,公务接待费预算1666.85万元,均较2011年预算零增长。", ["no_difference"]),
    ("1．因公出国（境）费预算支出 170 万元，比上年预算减少 10万元，主要原因是 2018 年度因公出国（境）费支出预算的减少。",
     ["other"]),    # a trip called a task names no work beyond itself (科技部 2012, corpus-6; 江苏省政协 2018)
    ("科技部2012年“三公经费”财政拨款预算数4036.72万元,其中:因公出国(境)费预算2065.52万元,由于出访任务增多,较上年增加18万元额度;",
     ["operating_costs"]),
    ("临时性出访任务增加", ["operating_costs"]),
    # whole 决算 and 预算 documents of 上海市普陀区 (corpus-6), after their first look
    ("项目按照进度执行，进度款减少", ["payment_timing"]),  # progress payments (rule 14)
    ("2025年度有部分奖励未发放，调减预算", ["payment_timing", "project_decrease"]),  # money not paid out
    ("决算数小于预算数的主要原因：社保基数调整以及人员的流动原因年中调减职业年金预算。",
     ["pay_policy", "staff_decrease"]),  # a contribution line cut is no project cut; rule 5
    ("机关运行经费支出816.16万元,比2024年度减少165.4万元。主要原因是人员较2024年度减少", ["staff_decrease"]),
    ("人员新增追加预算", ["staff_increase", "unbudgeted"]),
    ("新进在职人员及绩效调增", ["pay_policy", "staff_increase"]),
    ("缴金基数的上升和在职人数的增加", ["pay_policy", "staff_increase"]),
    ("按实发放购房补贴", ["other"]),  # paid as it fell (rule 12)
    ("对公车严格管理，合理用车", ["austerity", "operating_costs"]),
    ("运营经费节约", ["austerity", "operating_costs"]),
    ("费用节省", ["austerity"]),
    ("科普活动开展规模和次数缩减", ["project_decrease"]),
    ("街道统计类事务减少", ["project_decrease"]),
    ("2026年度未安排“15分钟社区生活圈社区规划编制”项目", ["project_decrease"]),
    ("专项统计事项增加", ["project_increase"]),
    ("为进一步加强社区统战力度增加预算", ["project_increase"]),
    ("失独家庭安抚救助增加", ["project_increase"]),
    ("妇女儿童活动预算略有上浮", ["project_increase"]),
    ("追加了“老旧住宅电梯安全评估和住宅电梯配备远程监测装置”项目经费", ["project_increase", "unbudgeted"]),
    ("项目特殊性年初不做预算", ["unbudgeted"]),
    ("预算数以社区人数为基数编制", ["budget_estimation"]),
    ("因公出国（境）费由区外办统一编报预算、统一管理", ["accounting_reclass"]),
    ("此项经费由区统筹安排", ["accounting_reclass"]),
    ("公务接待费保持不变", ["no_difference"]),
]


@pytest.mark.parametrize("text, expected", FAMILY_CASES)
def test_families_of_the_labels_under_the_bar(rules_only, shipped, text, expected):
    for classifier in (rules_only, shipped):
        assert sorted(classifier.classify(text)["labels"]) == sorted(expected), classifier.version


# Round 7: each weak label's family as departments across the country word it (codebook definitions and
# Chinese budget practice), not as our rows do. Real wordings found outside our data first, with their
# source; then the family's other wordings (each failed on the rules before).
COUNTRY_FAMILY_CASES = [
    # 财政部 2017 中央本级 (fuzhou.baogaosu.com/xinwen/中央本级工资/56169869): a raise carried into the next year
    ("2017年中央本级工资福利支出4291.6亿元,比2016年执行数增加226.2亿元,增长5.6%,主要是工资标准调整翘尾,"
     "同时奖金计发基数和绩效工资列支口径有所调整。", ["accounting_reclass", "pay_policy"]),
    # 奉节县道路运输事务中心 2023 决算 (wenxue2009.cn/bm_168/jtj/…/t20240819_13518556.html): a grant scheme shrank
    ("收支较上年决算数减少414.56万元,下降17.2%,主要原因是项目经费中农村客运企业补贴较上年减少。", ["project_decrease"]),
    # 中央本级 2015 三公 (news quoting the 财政部 figures, pages corpus): the trips themselves and the event
    ("因公出国(境)费增加主要是受出访任务增加、参加国际赛事等因素影响。", ["operating_costs", "project_increase"]),
    # 保山 2019 三公 (baoshan.gov.cn/info/7419/3481554.htm): fuel for the vehicles
    ("主要原因是车辆燃料费、过桥过路费较上年增加", ["operating_costs"]),
    # pay rules whatever sits between the verb and the item; bonuses and awards paid by rule; the teachers' floor
    ("调整了机关事业单位工作人员基本工资标准", ["pay_policy"]),
    ("缴费工资基数增长", ["pay_policy"]),
    ("增加了年终目标绩效", ["pay_policy"]),
    ("发放了文明单位奖", ["pay_policy"]),
    ("增加了平安建设奖", ["pay_policy"]),
    ("落实义务教育教师平均工资收入水平不低于当地公务员平均工资收入水平", ["pay_policy"]),
    ("增加了乡村教师生活补助", ["pay_policy"]),
    ("执行公务员津贴补贴新标准", ["pay_policy"]),
    ("增加了第13个月工资", ["pay_policy"]),
    ("职业年金实账积累", ["pay_policy"]),
    ("工龄工资增长", ["pay_policy"]),                   # pay with a person's years or title (rule 16)
    ("部分人员职称评聘", ["pay_policy"]),
    ("离退休人员基本养老金增长", ["pay_policy"]),      # the pension raised, not more retirees
    ("机关事业单位工资普调", ["pay_policy"]),
    ("按政策停发了部分津贴", ["pay_policy"]),
    ("离退休费标准调整", ["pay_policy"]),
    ("住房公积金缴存上限提高", ["pay_policy"]),
    ("阶段性降低工伤保险费率", ["pay_policy"]),
    ("发放嘉奖奖金", ["pay_policy"]),
    # booked under another line, subject or payer (rule 15)
    ("该项经费并入基本支出", ["accounting_reclass"]),
    ("部分项目经费划入基本支出", ["accounting_reclass"]),
    ("执行新的政府收支分类科目", ["accounting_reclass"]),
    ("部分支出从商品和服务支出调整至对个人和家庭的补助", ["accounting_reclass"]),
    ("年初预算数按功能分类全部列入其他支出,决算按实际支出科目列支", ["accounting_reclass"]),
    ("该经费转由区人社局支付", ["accounting_reclass"]),
    ("预算由主管部门统一编制", ["accounting_reclass"]),
    ("退休人员经费移交社会化管理", ["accounting_reclass"]),
    ("该项资金自本年起在政府性基金预算中安排", ["accounting_reclass"]),
    ("部分资金通过财政专户核算", ["accounting_reclass"]),
    ("专项资金下达至各乡镇使用", ["accounting_reclass"]),        # rule 7
    ("年中部分资金调剂至其他项目", ["accounting_reclass"]),
    ("决算数含下属单位数据", ["accounting_reclass"]),
    ("该项经费年初列入其他部门预算", ["accounting_reclass"]),
    ("对下转移支付增加", ["accounting_reclass"]),               # rule 7
    # a project, scheme or one-off of the year before that ended or shrank (rule 8)
    ("支出较上年减少,主要原因是上年开展了第七次人口普查", ["project_decrease"]),
    ("支出较上年减少,主要原因是上年为换届选举年", ["project_decrease"]),
    ("支出较上年减少,主要原因是上年有农村危房改造补助资金,本年无", ["project_decrease"]),
    ("支出较上年减少,主要原因是工程建设已基本完成", ["project_decrease"]),
    ("支出较上年减少,主要原因是基础设施建设投入减少", ["project_decrease"]),
    ("支出较上年减少,主要原因是产业扶持资金减少", ["project_decrease"]),
    ("支出较上年减少,主要原因是本年度无大型活动", ["project_decrease"]),
    ("支出较上年减少,主要原因是上年举办了全县运动会", ["project_decrease"]),
    ("支出较上年减少,主要原因是平台已于上年建成", ["project_decrease"]),
    ("支出较上年减少,主要原因是生态补偿补助到期", ["project_decrease"]),
    ("支出较上年减少,主要原因是减少了课题经费", ["project_decrease"]),
    ("支出较上年减少,主要原因是部分项目因政策调整未实施", ["project_decrease"]),
    ("支出较上年减少,主要原因是部分专项整合后不再单独安排", ["project_decrease"]),
    # not paid in the year as contracts, acceptance and procurement word it (rule 14)
    ("按照合同约定付款", ["payment_timing"]),
    ("部分资金需待项目验收合格后拨付", ["payment_timing"]),
    ("设备尚未到货", ["payment_timing"]),
    ("采购合同尚未履行完毕", ["payment_timing"]),
    ("部分资金跨年度使用", ["payment_timing"]),
    ("项目建设周期较长", ["payment_timing"]),
    ("部分项目未能按期完工", ["payment_timing"]),
    ("项目于12月才完成招标", ["payment_timing"]),
    ("项目财政评审未完成", ["payment_timing"]),
    ("政府采购程序较长", ["payment_timing"]),
    ("工程款未结清", ["payment_timing"]),
    ("部分项目处于质保期内", ["payment_timing"]),
    ("受雨季影响施工进度放缓", ["payment_timing"]),
    ("合同签订较晚", ["payment_timing"]),
    ("项目前期手续未办结", ["payment_timing"]),
    ("补贴资金审核发放工作尚未完成", ["payment_timing"]),
    ("上年度部分工程结算款在本年支付", ["payment_timing"]),
    ("年底资金被财政统一收回", ["payment_timing"]),
    # the running-cost items of the 商品和服务支出 class
    ("保洁费增加", ["operating_costs"]),
    ("信息系统运维费增加", ["operating_costs"]),
    ("天然气价格上涨", ["operating_costs"]),
    ("日常公用支出增加", ["operating_costs"]),
    ("公务用车运行维护费比上年减少,主要原因是油料费减少", ["operating_costs"]),
    ("公务接待费减少的主要原因是上级检查减少", ["operating_costs"]),  # visits received (coding note)
    ("公务接待费比上年增加,主要原因是上级部门来我单位调研次数增加", ["operating_costs"]),
    ("电价上调", ["operating_costs"]),
    ("过路过桥费增加", ["operating_costs"]),
    ("外出考察学习增加", ["operating_costs"]),
    ("会议改为视频方式召开", ["operating_costs"]),
    ("本年未新增公务用车", ["operating_costs"]),
    ("会议费开支标准调增", ["operating_costs"]),          # a standard raised, no money added in the year
    ("公务接待费减少,主要是接待任务减少", ["operating_costs"]),  # a reception called a task (coding note)
    # units added, removed, merged or moved
    ("新增二级预算单位", ["reorganization"]),
    ("纳入部门决算的单位增加", ["reorganization"]),
    ("部分职责划转至区城管局", ["reorganization"]),
    ("事业单位重塑性改革", ["reorganization"]),
    ("新增校区", ["reorganization"]),
    ("事业单位分类改革", ["reorganization"]),
    ("撤乡设镇", ["reorganization"]),
    ("国有林场改革", ["reorganization"]),
    ("机构规格调整", ["reorganization"]),
    # the treasury short of money or cash
    ("受财力所限", ["fiscal_tightness"]),
    ("财政无力安排", ["fiscal_tightness"]),
    ("资金调度紧张", ["fiscal_tightness"]),
    ("财政资金未足额到位", ["fiscal_tightness"]),
    ("政府性基金收入未达预期,支出相应减少", ["fiscal_tightness"]),  # less revenue named as why spending fell
    ("财政可用资金减少", ["fiscal_tightness"]),
    # earlier years' money however named
    ("使用存量资金", ["carryover"]),
    ("动用事业基金弥补收支差额", ["carryover"]),
    ("上年未完成项目本年继续实施", ["carryover"]),
    ("上年未支付完的资金在本年支付", ["carryover"]),
    ("借调人员返回原单位", ["staff_decrease"]),
]


@pytest.mark.parametrize("text, expected", COUNTRY_FAMILY_CASES)
def test_families_as_the_country_writes_them(rules_only, shipped, text, expected):
    for classifier in (rules_only, shipped):
        assert sorted(classifier.classify(text)["labels"]) == sorted(expected), classifier.version


# Near misses of the round-7 families: the same words in another sense must not give the label, since
# a cue label stands against the model.
@pytest.mark.parametrize("text, wrong", [
    ("开展年度绩效考核工作", "pay_policy"),          # performance review of work, no pay
    ("项目绩效评价结果良好", "pay_policy"),
    ("开展文明城市创建工作", "pay_policy"),          # a campaign, no award paid
    ("提高了伙食补助标准", "operating_costs"),       # an allowance: pay
    ("开展退休人员社会化管理服务工作", "accounting_reclass"),
    ("统一编制规划", "accounting_reclass"),
    ("增加下属单位补助", "reorganization"),          # money for the units, not new units
    ("新增学校食堂设备", "reorganization"),
    ("资金划归财政统一管理", "reorganization"),      # money moved: accounting, not a unit
    ("学校开学推迟", "reorganization"),
    ("上级补助资金减少", "project_decrease"),        # revenue from above, not the department's scheme
    ("生活补助减少", "project_decrease"),
    ("收回存量资金", "carryover"),                    # returned, not spent
    ("按照财政资金调度安排", "fiscal_tightness"),
    ("按照合同约定的标准采购", "payment_timing"),
    ("支出较上年减少,主要是上年支付了以前年度的工程款", "project_decrease"),  # rule 14, not a one-off
    ("受增值税改革翘尾因素影响,收入减少", "pay_policy"),  # a tax's 翘尾 is revenue
    ("综合奖补资金增加", "pay_policy"),                      # 奖补 is a grant, not an award
    ("执行新的绩效管理办法", "pay_policy"),
    ("重大活动安保支出增加", "operating_costs"),              # security for an event is the event's
    ("开展安全生产检查次数增加", "operating_costs"),          # inspections the department makes itself
    ("事业单位绩效工资改革", "reorganization"),              # a pay reform, not a reorganization
    ("养老金支出增长", "pay_policy"),                          # the line restated (rule 12)
    ("精简会议,部分会议合并召开", "reorganization"),         # meetings merged, not units
    ("部分未能及时汇缴,列入来年预算", "accounting_reclass"),  # left for next year: timing
    ("项目收入减少,相关支出减少", "fiscal_tightness"),       # the unit's own income, not the treasury
    ("主要原因是年初未安排该项预算,年中追加", "project_decrease"),  # no start-of-year budget: unbudgeted
    ("原因是对外交流合作任务增多,出访团组增加", "operating_costs"),  # the work the trips serve (coding note)
    ("公务用车购置费0万元,比上年减少25万元,主要原因是无公车购置预算", "operating_costs"),  # the line restated
    ("主要因项目完工后尚未办理结算", "project_decrease"),     # finished but not yet settled: rule 14 alone
])
def test_a_family_word_in_another_sense_is_no_cue(rules_only, text, wrong):
    assert wrong not in rules_only.classify(text)["labels"]
