"""extract.text: radicals, numbers and spacing as the converters leave them."""

import pytest

from gongkai.extract.tables import cell_value
from gongkai.extract.text import compact, join_lines, map_radicals, parse_number


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("部⻔", "部门"),  # U+2ED4 CJK RADICAL C-SIMPLIFIED GATE
        ("⽀出", "支出"),  # U+2F40 KANGXI RADICAL BRANCH
        ("⼈员增加", "人员增加"),  # U+2F08 KANGXI RADICAL MAN
        ("⻋辆", "车辆"),
        ("⻓期", "长期"),
        # Not NFKC: full-width punctuation and digits are evidence and stay as printed.
        ("（类）１２％，", "（类）１２％，"),
    ],
)
def test_map_radicals(raw, expected):
    assert map_radicals(raw) == expected


@pytest.mark.parametrize(
    "cell,value",
    [
        ("95.46", 95.46),
        ("599. 47", 599.47),
        ("1,234.50", 1234.5),
        ("12,345", 12345.0),
        ("0.00", 0.0),
        ("0", 0.0),
        ("-12.5", -12.5),
        (" 3\n", 3.0),
        ("-", None),
        ("—", None),
        ("", None),
        (None, None),
        ("合计", None),
        ("2010301 行政运行", None),
        # Negative amounts as portals print them (the variants fixtures' 三公 table).
        ("(12.50)", -12.5),
        ("（1.61）", -1.61),
        ("－12.50", -12.5),
        ("−3", -3.0),
        ("(12.50", None),
        # Empty as printed: dashes and slashes.
        ("--", None),
        ("/", None),
        ("－", None),
        ("——", None),
        # Rates and amounts with their unit.
        ("78.10%", 78.1),
        ("211.08%", 211.08),
        ("-16.10%", -16.1),
        ("－40.25％", -40.25),
        ("12.50万元", 12.5),
        ("3,862.00元", 3862.0),
        ("12.50万", None),
    ],
)
def test_parse_number(cell, value):
    assert parse_number(cell) == value


@pytest.mark.parametrize(
    "cell,unit,value",
    [
        ("3,862,415.26", "元", 386.241526),
        ("12.50万元", "元", 12.5),  # the cell's own unit wins
        ("125,000.00元", "万元", 12.5),
        ("211.08%", "元", 211.08),  # a rate is no amount: never scaled
        ("(1.61)", "万元", -1.61),
        ("1,000", "千元", 100.0),
        ("—", "万元", None),
        ("/", "元", None),
        ("--", "万元", None),
        ("无", "万元", "无"),  # no figure: kept as printed
    ],
)
def test_cell_value_in_wan_yuan(cell, unit, value):
    assert cell_value(cell, unit) == (pytest.approx(value) if isinstance(value, float) else value)


def test_compact_removes_converter_spaces():
    assert compact("支出 599. 47 万元") == "支出599.47万元"


def test_join_lines_joins_chinese_without_spaces():
    assert join_lines(["主要包", "括：基本工资", ""]) == "主要包括：基本工资"
    assert join_lines(["IPV6", "upgrade"]) == "IPV6 upgrade"


def test_radicals_in_a_real_pdf_text_layer_come_out_as_ideographs():
    """A PDF whose text layer holds 部⻔ / ⽀出 / ⼈员 (as some fonts' ToUnicode maps give)."""
    import io

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from gongkai import extract

    font = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"  # Debian fonts-wqy-zenhei
    pdfmetrics.registerFont(TTFont("WenQuanYi", font, subfontIndex=0))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.setFont("WenQuanYi", 12)
    page.drawString(72, 720, "2023 年度部⻔决算公开")
    page.drawString(72, 700, "⼀般公共预算财政拨款⽀出，主要原因是⼈员增加。")
    page.showPage()
    page.save()
    record = extract.extract_bytes(buffer.getvalue(), "radicals.pdf")
    text = record["pages"][0]["text"]
    assert "部门决算" in text and "一般公共预算财政拨款支出" in text and "人员增加" in text
    assert not any(0x2E80 <= ord(char) <= 0x2FDF for char in text)
    assert record["title"] == "2023年度部门决算公开"


@pytest.mark.parametrize(
    "department,region",
    [
        ("洛阳市偃师区政务服务和大数据管理局", "洛阳市偃师区"),
        ("许昌市公共资源交易中心", "许昌市"),
        ("许昌市市场监督管理局", "许昌市"),
        ("新乡市卫滨区市场监督管理局", "新乡市卫滨区"),
        ("河南省兰考县财政局", "河南省兰考县"),
        ("伊川县教育局", "伊川县"),
        ("巩义市教育局", "巩义市"),
        ("中共洛阳市委宣传部", "洛阳市"),
        ("中国人民政治协商会议洛阳市偃师区委员会", "洛阳市偃师区"),
        ("财政局", None),
        (None, None),
    ],
)
def test_region_from_department(department, region):
    from gongkai.extract.metadata import region as region_of

    assert region_of(department) == region


@pytest.mark.parametrize(
    "cover,expected",
    [
        (["2023 年度", "洛阳市偃师区政务服务和大数据管理局部门", "决算公开", "二〇二四年十月"], "2024-10"),
        (["2024 年度", "洛阳市洛龙区政务服务中心部门决算", "公开", "2025 年 8 月"], "2025-08"),
        (["许昌市公共资源交易中心", "2025 年部门预算", "2025年2月14日"], "2025-02-14"),
        (["新乡市卫滨区市场监督管理局", "2024 年度部门决算", "编制日期：2025.09.26"], "2025-09-26"),
        (["某某局 2024 年度部门决算", "二〇二五年九月三十日"], "2025-09-30"),
        (["招标公告", "三、投标截止时间：2024年4月9日9时30分。"], None),
        (["2023 年度部门决算"], None),
    ],
)
def test_published_is_the_cover_date(cover, expected):
    from gongkai.extract.metadata import published
    from gongkai.extract.pdf import Page

    page = Page(page=1, width=595, height=842, text="\n".join(cover), lines=[], tables=[])
    assert published([page]) == expected
