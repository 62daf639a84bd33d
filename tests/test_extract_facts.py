"""Document facts (title, department, region, fiscal year, 预算/决算) from lines real disclosures
print, each rule with the line that showed it (tests/real/texts/<slug>.txt unless said)."""

import pytest

from gongkai.extract import metadata
from gongkai.extract.pdf import Line, Page


def _pages(*texts: str) -> list[Page]:
    return [Page(page=number, width=595, height=842, text=text, lines=[], tables=[])
            for number, text in enumerate(texts, 1)]


@pytest.mark.parametrize(
    "text,department,region",
    [
        # a name cut before the words a title prints after it
        ("银川市档案局关于2016年度预算公开的补充说明", "银川市档案局", "银川市"),  # nx-yinchuan-dangan
        ("山南市司法局机关2024年度部门决算公开", "山南市司法局", "山南市"),  # xz-shannan-sifaju
        ("水文局汇总2023年度部门决算公开报告", "水文局", None),  # xz-shuiwen
        ("游仙区政府办财政拨款“三公”经费2022年预算情况的说明", "游仙区政府办", "游仙区"),  # sc-youxian
        ("广水市白泉卫生院部门2023年度部门决算", "广水市白泉卫生院", "广水市"),  # hb-guangshui-baiquan
        # a name after the year, before 单位预算 / 安排; schools end in 小学 / 中学
        ("2024年沂源县中庄镇社庄完全小学单位预算\n第一部分 单位概况", "沂源县中庄镇社庄完全小学", "沂源县"),
        ("2014年达州市环城公路养护中心安排公务接待费预算8万元", "达州市环城公路养护中心", "达州市"),
        # words before the name: a heading printed short, 纳入 … 编制范围
        ("第三部广水市白泉卫生院2023年度部门决算情况说明", "广水市白泉卫生院", "广水市"),
        ("纳入天津市武清区河西务镇人民政府2023年部门预算编制范围的预算单位",
         "天津市武清区河西务镇人民政府", "天津市武清区"),  # tj-wuqing-hexiwu
        # a sentence or heading about the unit itself, and the 单位： label
        ("重庆市梁平区明达镇天台完全小学内设2个机构科室,分别是", "重庆市梁平区明达镇天台完全小学", "重庆市梁平区"),
        # pages outside the corpus (/work/raw/pages.jsonl): mz.gov.cn 清平镇 2023 预算, bx.gov.cn 观音阁 2023 决算
        ("第五部分 2023年部门预算表\n(一)绵竹市清平镇人民政府主要职能。", "绵竹市清平镇人民政府", "绵竹市"),
        ("第一部分 辽宁省本溪观音阁经济开发区管委会概况\n一、主要职责",
         "辽宁省本溪观音阁经济开发区管委会", "辽宁省"),
        # the sentence that starts a unit's 职责 (qingyang.chinagscourt.gov.cn, rs.gov.cn)
        ("一、部门职责\n庆阳市中级人民法院是国家审判机关,依法独立行使审判权,对市人民代表大会及其常务委员会负责",
         "庆阳市中级人民法院", "庆阳市"),
        ("一、职能简介\n县人社局贯彻落实中央关于人力资源和社会保障工作的方针政策", "县人社局", None),
        # an organ's second name in brackets (qiantang.gov.cn 2021 决算)
        ("杭州市钱塘区综合行政执法局 (杭州市钱塘区城市管理局) 2021年度部门决算",
         "杭州市钱塘区综合行政执法局", "杭州市钱塘区"),
        ("单位:张家川回族自治县龙山镇四方中学", "张家川回族自治县龙山镇四方中学", "张家川回族自治县"),
        # a sector's 部门 is a name of its own
        ("海南省交通运输部门2022年“三公”经费预算情况说明", "海南省交通运输部门", "海南省"),  # hi-jiaotong
        # the unit a document cites (《…的批复》) is not the document's (js-zhengxie-2019-doc p9, p12)
        ("江苏省政协办公厅2019年度收入、支出预算总计13,377.11万元\n"
         "根据《江苏省财政厅关于 2019 年省级部门预算的批复》（苏财预", "江苏省政协办公厅", "江苏省"),
    ],
)
def test_department_and_region_from_lines_units_print(text, department, region):
    pages = _pages(text)
    found = metadata.department(pages, [], metadata.title(pages))
    assert found == department
    assert metadata.region(found, pages) == region


def test_a_city_is_not_cut_inside_its_name_or_the_name_after_it():
    # ah-ningguo-chengguan: 宁国市 is the region, not "宁国市城市"
    assert metadata.region("宁国市城市管理行政执法局") == "宁国市"
    # nor is a city ending in 州市 cut after 州 (sc-dazhou-gonglu)
    assert metadata.region("达州市环城公路养护中心") == "达州市"
    assert metadata.region("恩施土家族苗族自治州财政局") == "恩施土家族苗族自治州"


def test_a_department_without_its_region_takes_the_one_its_organs_print():
    # hn-yueyang-linye: "市直林业部门", whose units are named 岳阳市…
    pages = _pages("二、部门预算单位构成 1、岳阳市林业局本级 2、湖南东洞庭湖国家级自然保护区管理局、"
                   "岳阳市林业科学研究所、岳阳市木材检查检疫站 |")
    assert metadata.region("市直林业部门", pages) == "岳阳市"
    # xz-shuiwen: "负责辖区内…" is no place, and one mention is not enough
    assert metadata.region("水文局", _pages("负责辖区内水资源调查评价工作。拉萨水文水资源分局")) is None
    # "自治区水利厅" twice: 自治区 alone is no place
    assert metadata.region("水文局", _pages("承办自治区水利厅交办的其他工作。\n承办自治区水利厅交办的工作。")) is None


@pytest.mark.parametrize(
    "text,region",
    [
        # tests/real/heldout/texts: a town's own summary, the opening sentence, 州本级
        ("许镇镇2020年“三公”经费决算数共计35.5万元,比上年预算数字下降35.45%", "许镇镇"),
        ("要求,现将涪陵区新妙镇2021年度“三公”经费决算情况公布如下:\n经汇总,2021年度全镇“三公”经费支出合计40.14万元。",
         "涪陵区"),
        ("迪庆州州本级2021年度“三公”经费决算支出情况说明", "迪庆州"),
    ],
)
def test_a_region_s_own_summary_names_no_department(text, region):
    pages = _pages(text)
    assert metadata.department(pages, [], metadata.title(pages)) is None  # not "许镇镇", not "度全镇"
    assert metadata.region(None, pages) == region


def test_a_department_named_by_its_level_takes_the_place_of_that_level():
    # heldout ah-xuanzhou-zhigongwei: "区直工委", whose full name the page prints once
    pages = _pages("下降的原因是宣州区于2016年5月实行公车改革,中共宣城市宣州区直属机关工作委员会共有车辆0")
    assert metadata.region("区直工委", pages) == "宣城市宣州区"
    # rs.gov.cn: "拟订全县…" names no place
    assert metadata.region("县人社局", _pages("1.拟订全县人力资源和社会保障事业发展规划")) is None


def test_a_region_summed_by_its_finance_bureau():
    # sc-mianzhu: the city's own 三公 summary names no department
    pages = _pages("经绵竹市财政局汇总,2025年全市行政单位(含参照公务员法管理的事业单位)、事业单位和其他单位")
    assert metadata.region(None, pages) == "绵竹市"


@pytest.mark.parametrize(
    "cover,expected",
    [
        # a line that only finishes the title (sc-meishan-jianchayuan, henan-luolong)
        (["眉山市人民检察院", "关于财政拨款“三公”经费预算", "2014年情况的说明"],
         "眉山市人民检察院关于财政拨款“三公”经费预算2014年情况的说明"),
        (["2024 年度", "洛阳市洛龙区政务服务中心部门决算", "公开", "2025 年 8 月"],
         "2024年度洛阳市洛龙区政务服务中心部门决算公开"),
        # the title of a set of tables above its first table (ah-lieshan)
        (["2023年区本级“三公”经费预算公开报表", "一、2023年烈山区本级“三公”经费预算表", "(单位:万元)"],
         "2023年区本级“三公”经费预算公开报表"),
        # the marks a portal's table layout leaves (hn-yueyang-linye)
        (["市直林业部门2022年度部门预算 |", "|", "目录 |"], "市直林业部门2022年度部门预算"),
        # a title ending in 预算信息 (jw.beijing.gov.cn 2022 预算)
        (["北京市教育委员会2022年部门预算信息", "日期:2022-02-17 来源:北京市教育委员会"], "北京市教育委员会2022年部门预算信息"),
        # a file of tables starts with its first table: no title
        (["公开01表", "收支预算总表", "部门：江苏省政协办公厅"], None),
    ],
)
def test_title_from_cover_lines(cover, expected):
    assert metadata.title(_pages("\n".join(cover))) == expected


def _page_of(lines: list[tuple[str, float, float]]) -> Page:
    placed = [Line(text=text, x0=x0, x1=x1, top=50 + 18 * row, bottom=62 + 18 * row)
              for row, (text, x0, x1) in enumerate(lines)]
    return Page(page=1, width=420, height=595, text="\n".join(text for text, _, _ in lines),
                lines=placed, tables=[])


def test_the_first_line_of_a_paragraph_is_no_title():
    # gx-wuzhou-1242 in Chromium's rendering: the sentence's first line ends in 决算 (x from that PDF)
    paragraph = _page_of([
        ("2020 年度一般公共预算财政拨款安排的“三公”经费支出决算", 62.7, 378.7),
        ("总额为 5.48 万元,比预算增加 0 万元,比去年增加1.55 万元,增长", 39.8, 358.1),
        ("39.4%,增加原因主要是公务用车运行支出增加,导致“三公”经费", 39.8, 368.6),
    ])
    assert metadata.title([paragraph]) is None
    # js-shengwei-2018-tables' cover: a centred title over a narrower 部门 line stays a title
    cover = _page_of([
        ("江苏省2018年度", 308.8, 562.7),
        ("省级部门预算公开报表", 254.5, 616.7),
        ("部 门:中共江苏省委办公厅", 280.2, 591.2),
    ])
    assert metadata.title([cover]) == "江苏省2018年度省级部门预算公开报表"


@pytest.mark.parametrize(
    "text,year",
    [
        ("经比较2020年度镇本级“三公”经费41万元,较上年减少19万元", 2020),  # cq-fuling-jsz: 经比较 is no base
        ("较 2022 年度决算数增加 0.00 万元,增长 0%", 2023),  # gx-wuzhou-1443: the year after its base
        ("公务用车运行维护费28.91万元,较2014年度增加14.79万元,原因为:", 2015),  # gs-gannan
        ("与2016年相比, 因公出国(境)经费支出减少28.23万元。2017年,我区严格执行", 2017),  # fj-changle
        ("支出决算较2022年预算数减少5万元", None),  # a 决算 against its own year's budget: no year
        # a year in what the text cites is not its own (sc-mianzhu)
        ("根据《关于印发四川省预决算公开操作规程(2022年修订)的通知》,2025年全市“三公”经费预算总额为1969万元", 2025),
    ],
)
def test_fiscal_year_when_no_title_names_it(text, year):
    assert metadata.fiscal_year(None, _pages(text)) == year


@pytest.mark.parametrize(
    "slug,kind",
    [
        ("sc-mianzhu-2025-sangong", "预算"),  # 预决算 in a cited rule is neither
        ("fj-changle-2017-sangong", "决算"),  # spending down since 2016, no 预算 word: what was spent
        ("hb-hanyang-2019-sangong", None),  # growth explained, no year compared: could be either
    ],
)
def test_doc_type_of_a_passage_without_a_title(slug, kind):
    from pathlib import Path

    text = (Path(__file__).parent / "real" / "texts" / f"{slug}.txt").read_text()
    assert metadata.doc_type(None, [], _pages(text)) == kind
