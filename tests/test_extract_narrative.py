"""Paragraphs rebuilt from line geometry, and the 情况说明 part picked out of the document."""

from __future__ import annotations

from gongkai.extract.narrative import Paragraph, narrative, paragraphs, sections
from gongkai.extract.pdf import Line, Page

LEFT, RIGHT, SIZE = 90.0, 510.0, 12.0


def line(text: str, top: float, *, indent: bool = False, full: bool | None = None) -> Line:
    """A line of text; full lines reach the right margin, others stop where their text ends."""
    x0 = LEFT + (2 * SIZE if indent else 0)
    reaches = full if full is not None else not text.endswith(("。", "明", "况"))
    x1 = RIGHT if reaches else x0 + SIZE * len(text) * 0.9
    return Line(text, x0, min(x1, RIGHT), top, top + SIZE)


def page(number: int, *lines: Line) -> Page:
    return Page(page=number, width=595, height=842, text="\n".join(l.text for l in lines),
                lines=list(lines), tables=[])


def test_wrapped_lines_join_and_page_breaks_continue():
    pages = [
        page(1,
             line("一、收入支出决算总体情况说明", 100),
             line("2023 年度收、支总计均为 95.46 万元。与上年度相比，收、支总计各增加", 120, indent=True, full=False),
             line("37.46 万元，增长 64.59%。主要原因是人员增加。", 140),
             line("公用经费 7.20 万元，与上年度相比，公用经费支出增加 3.22 万元，增长", 160, indent=True),
             line("- 5 -", 800)),
        page(2,
             line("80.90%。主要原因是人员增加。", 60),
             line("八、国有资本经营预算财政拨款支出决算情况说明", 80, full=True)),
    ]
    items = paragraphs(pages)
    assert [item.text for item in items] == [
        "一、收入支出决算总体情况说明",
        "2023 年度收、支总计均为 95.46 万元。与上年度相比，收、支总计各增加37.46 万元，增长 64.59%。主要原因是人员增加。",
        "公用经费 7.20 万元，与上年度相比，公用经费支出增加 3.22 万元，增长80.90%。主要原因是人员增加。",
        "八、国有资本经营预算财政拨款支出决算情况说明",
    ]
    assert [item.level for item in items] == [1, None, None, 1]
    assert items[2].page == 1 and items[2].page_at(len("公用经费 7.20")) == 1 and items[2].page_at(70) == 2


def test_a_unit_opening_a_line_continues_the_sentence():
    pages = [page(1,
                  line("4. 社会保障和就业支出(类)行政事业单位养老支出(款) 机关事业单位基本养老保险缴费支出(项)。年初预算为 6.52", 100, full=False),
                  line("万元,支出决算为 6.52 万元。决算数与年初预算数不存在差异。", 120))]
    [item] = paragraphs(pages)
    assert "年初预算为 6.52万元" in item.text


def test_table_of_contents_pages_are_skipped():
    pages = [page(1, line("目 录", 60), line("第三部分 2023 年度部门决算情况说明", 80)),
             page(2, line("第三部分 2023 年度部门决算情况说明", 60), line("一、收入支出决算总体情况说明", 80))]
    items = paragraphs(pages)
    assert [item.text for item in items] == ["第三部分 2023 年度部门决算情况说明", "一、收入支出决算总体情况说明"]


def test_narrative_is_the_last_copy_of_each_explanation_part():
    items = [
        Paragraph("第三部分 2023 年度部门决算情况说明", 2, 0),  # contents running onto page 2
        Paragraph("一、收入支出决算总体情况说明", 2, 1),
        Paragraph("第四部分 名词解释", 2, 0),
        Paragraph("第一部分 部门概况", 3, 0),
        Paragraph("一、部门职责", 3, 1),
        Paragraph("第三部分 2023 年度部门决算情况说明", 13, 0),
        Paragraph("一、收入支出决算总体情况说明", 13, 1),
        Paragraph("2023 年度收、支总计均为 95.46 万元。", 13),
        Paragraph("第四部分 名词解释", 20, 0),
        Paragraph("一、财政拨款收入：…", 20, 1),
        Paragraph("第五部分 其他重要事项的情况说明", 21, 0),
        Paragraph("一、机关运行经费支出情况", 21, 1),
    ]
    story = narrative(items)
    assert [item.page for item in story] == [13, 13, 21]
    assert [(s.heading, s.page, s.text) for s in sections(story)] == [
        ("一、收入支出决算总体情况说明", 13, "2023 年度收、支总计均为 95.46 万元。"),
        ("一、机关运行经费支出情况", 21, ""),
    ]


def test_without_parts_the_whole_text_is_the_narrative():
    items = [Paragraph("一、部门收支总体情况", 1, 1), Paragraph("收入预算 289.81 万元。", 1)]
    assert narrative(items) == items
