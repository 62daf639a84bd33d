"""HTML disclosures (extract/html.py): an article whose own text is the 部门决算, in the page
shapes real portals use, read into the same facts, explanations and tables as a PDF."""

from __future__ import annotations

import pytest

from gongkai.extract import NoTextLayer, extract_bytes
from gongkai.extract.html import is_html, read_article

# The narrative of 重庆市开州区人民政府办公室2023年度部门决算公开说明 (its stored copy), shortened.
NARRATIVE = [
    "一、部门基本情况",
    "(一)职能职责",
    "负责区政府机关日常运转工作。",
    "二、部门决算情况说明",
    "(一)收入支出决算总体情况说明",
    "1.总体情况。2023年度收入总计2479.85万元，支出总计2479.85万元。收支较上年决算数增加91.74万元，"
    "增长3.84%，主要原因是项目支出增加。",
    "(二)财政拨款“三公”经费支出决算情况说明",
    "2023年度“三公”经费财政拨款支出决算为6.50万元，完成预算的65.0%，决算数小于预算数的主要原因是"
    "厉行节约，压减公务接待。",
]
TITLE = "重庆市开州区人民政府办公室2023年度部门决算公开说明"
NAVIGATION = "".join(f'<li><a href="/c{n}/">栏目{n}：部门预算决算公开</a></li>' for n in range(30))
EXPENSE_TABLE = """
<table border="1">
  <tr><td colspan="4">一般公共预算财政拨款支出决算表</td></tr>
  <tr><td colspan="2">部门：重庆市开州区人民政府办公室</td><td colspan="2">单位：万元</td></tr>
  <tr><th>科目编码</th><th>科目名称</th><th>年初预算数</th><th>决算数</th></tr>
  <tr><td>201</td><td>一般公共服务支出</td><td>2,300.00</td><td>2,350.10</td></tr>
  <tr><td>20103</td><td>政府办公厅（室）及相关机构事务</td><td>2,300.00</td><td>2,350.10</td></tr>
  <tr><td>2010301</td><td>行政运行</td><td>1,800.00</td><td>1,850.10</td></tr>
  <tr><td>2010350</td><td>事业运行</td><td>500.00</td><td>500.00</td></tr>
  <tr><td colspan="2">合计</td><td>2,300.00</td><td>2,350.10</td></tr>
</table>"""


def trs_article(charset: str = "utf-8") -> bytes:
    """A TRS-style article: metadata tags, a navigation menu, the text in TRS_Editor
    paragraphs indented with full-width spaces, a hidden block, a script and a footer."""
    paragraphs = "\n".join(f'<p style="text-indent:2em">\u3000\u3000{line}</p>' for line in NARRATIVE)
    page = f"""<!DOCTYPE html><html><head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<meta name="ArticleTitle" content="{TITLE}"><meta name="PubDate" content="2024-10-23 09:30">
<title>{TITLE}_开州区人民政府</title><script>var title = "部门预算";</script></head><body>
<div class="header"><ul class="nav-menu">{NAVIGATION}</ul></div>
<div class="crumbs">您当前的位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a></div>
<div class="main"><div class="article-title">{TITLE}</div>
<div class="info">发布日期：2024-10-23 来源：区政府办</div>
<div id="zoom"><div class="TRS_Editor">
{paragraphs}
<p style="display:none">隐藏的文字，主要原因是模板残留。</p>
{EXPENSE_TABLE}
<p>附件：<a href="/P020241023.xls">2023年度部门决算公开表.xls</a></p>
</div></div></div>
<div class="footer">主办：重庆市开州区人民政府办公室 版权所有 网站地图 联系我们</div>
<script>document.write("主要原因是脚本");</script></body></html>"""
    return page.encode(charset)


def layout_table_article() -> bytes:
    """An older portal: the page laid out by nested tables, the text one cell with <br>s."""
    text = "<br>".join(f"&nbsp;&nbsp;{line}" for line in NARRATIVE)
    page = f"""<html><head><meta charset="gbk"><title>{TITLE}</title></head><body>
<table width="1000"><tr><td><table><tr><td><a href="/">首页</a></td><td><a href="/zwgk/">政务公开</a></td>
<td><a href="/czyjs/">财政预决算</a></td></tr></table></td></tr>
<tr><td><table width="900"><tr><td align="center"><b>{TITLE}</b></td></tr>
<tr><td>{text}</td></tr><tr><td>{EXPENSE_TABLE}</td></tr></table></td></tr></table></body></html>"""
    return page.encode("gbk")


@pytest.mark.parametrize("page,name", [
    (trs_article(), "t20241023_13732891.html"),
    (trs_article("gb2312"), "t20241023_13732891.shtml"),
    (layout_table_article(), "118395.html"),
], ids=["trs-utf8", "trs-gb2312", "layout-table-gbk"])
def test_an_article_gives_the_facts_explanations_and_tables_a_pdf_would(page, name):
    record = extract_bytes(page, name)
    assert (record["format"], record["title"], record["doc_type"], record["fiscal_year"]) == (
        "html", TITLE, "决算", 2023)
    assert record["engine"] is None  # no PDF engine read it
    reasons = [e["reason"] for e in record["explanations"]]
    assert reasons == ["项目支出增加", "厉行节约，压减公务接待"]
    change = record["explanations"][0]
    assert (change["change"], change["change_pct"], change["section"]) == (91.74, 3.84, "(一)收入支出决算总体情况说明")
    assert record["explanations"][1]["rate"] == 65.0
    assert [t["name"] for t in record["tables"]] == ["一般公共预算财政拨款支出决算表"]
    items = {i["subject_code"]: i["values"] for i in record["line_items"]}
    assert items["2010301"] == {"年初预算数": 1800.0, "决算数": 1850.1}
    assert record["department"] == "重庆市开州区人民政府办公室" and record["region"] == "重庆市开州区"
    assert [f["rule"] for f in record["findings"]] == []  # the table's sums hold


def test_what_no_reader_sees_is_not_read():
    text = extract_bytes(trs_article(), "a.html")["pages"][0]["text"]
    assert "隐藏" not in text and "脚本" not in text and "栏目" not in text and "版权所有" not in text
    assert text.splitlines()[0] == TITLE
    assert "负责区政府机关日常运转工作。" in text.splitlines()  # the full-width indent dropped


def test_the_publication_date_comes_from_the_page():
    assert extract_bytes(trs_article(), "a.html")["published"] == "2024-10-23"
    assert extract_bytes(layout_table_article(), "a.html")["published"] is None


def test_merged_cells_keep_their_place_in_the_grid():
    page = """<html><body><div><p>单位：万元，主要原因是人员增加。部门决算说明如下：</p>
<table><tr><td rowspan="2">项目</td><td colspan="2">本年支出</td></tr>
<tr><td>基本支出</td><td>项目支出</td></tr><tr><td>合计</td><td>1.00</td><td>2.00</td></tr></table>
</div></body></html>""".encode()
    [table] = read_article(page).page.tables
    assert table.cells == [["项目", "本年支出", None], [None, "基本支出", "项目支出"], ["合计", "1.00", "2.00"]]
    assert table.origin[1][0] == (0, 0) and table.origin[0][2] == (0, 1)


def test_a_page_without_text_of_its_own_is_named():
    page = f"<html><head><title>{TITLE}</title></head><body><h1>{TITLE}</h1><img src='1.png'></body></html>"
    with pytest.raises(NoTextLayer) as raised:
        extract_bytes(page.encode(), "t1.html")
    assert raised.value.kind == "no_text_layer" and "t1.html" in str(raised.value)


@pytest.mark.parametrize("data,name,expected", [
    (b"<!DOCTYPE html><html><body>x</body></html>", None, True),
    (b"\xef\xbb\xbf  <html><body>x</body></html>", "download.do", True),
    (b"<p>x</p>", "index.shtml", True),
    (b"%PDF-1.4 ...", "index.html", False),        # a PDF served under an .html name
    (b"PK\x03\x04...", "t1.html", False),
    (b"<p>x</p>", "a.txt", False),
    (b"<!DOCTYPE html><html><body>404</body></html>", "report.pdf", False),  # an error page saved as a PDF
])
def test_html_is_known_by_name_or_first_bytes(data, name, expected):
    assert is_html(data, name) is expected
