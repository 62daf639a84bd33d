"""The focus rules as tables: which links lead toward disclosures, which files are
disclosures, and the portal link patterns (TRS pager, JSON lists, Content-Disposition)."""

from __future__ import annotations

import pytest

from gongkai.crawler import focus
from gongkai.crawler.cms import jpage, jsonlist, trs
from gongkai.crawler.disposition import filename_from_disposition
from gongkai.crawler.middlewares.sessionid import strip_session_ids

D, N, U = focus.Verdict.DISCLOSURE, focus.Verdict.NOT_DISCLOSURE, focus.Verdict.UNKNOWN


@pytest.mark.parametrize("names,verdict", [
    (["2023年度部门决算公开.pdf"], D),
    (["示例区财政局2024年部门预算"], D),
    (["2024年部门预决算公开"], D),
    (["附件1", "P020241015123456.pdf"], U),
    (["附件下载", "downfile.jsp"], U),
    (["招标公告.pdf"], N),
    (["关于召开2024年预算培训会议的通知"], N),
    (["XX项目采购公告（预算金额120万元）"], N),
    (["2024年部门预算", "办公设备采购公告.pdf"], N),  # the servlet's name wins over a generic page
    (["会议通知.docx"], N),
    ([None, ""], U),
])
def test_name_verdict(names, verdict):
    assert focus.name_verdict(*names) is verdict


@pytest.mark.parametrize("text,verdict", [
    ("洛阳市偃师区政务服务和大数据管理局\n2023年度部门决算", D),
    ("目 录\n第一部分 部门概况", U),
    ("示例区政务中心物业服务采购项目招标公告\n项目预算：120万元", N),
    ("", U),
])
def test_first_page_verdict(text, verdict):
    assert focus.text_verdict(text) is verdict


@pytest.mark.parametrize("url,attachment", [
    ("http://x.gov.cn/art/2024/10/15/P020241015387162.pdf", True),
    ("http://x.gov.cn/files/报表.XLSX", True),
    ("http://x.gov.cn/module/download/downfile.jsp?classid=0&filename=abc.pdf", True),
    ("http://x.gov.cn/attachment.aspx?id=12", True),
    ("http://x.gov.cn/download.do?id=7", True),
    ("http://x.gov.cn/art/2024/10/15/art_1_2.html", False),
    ("http://x.gov.cn/col/col123/index.html", False),
])
def test_attachment_links(url, attachment):
    assert focus.is_attachment_link(url) is attachment


@pytest.mark.parametrize("url,name,file_format", [
    ("http://x/a/P020241015387162.pdf", "P020241015387162.pdf", "pdf"),
    ("http://x/files/%E9%83%A8%E9%97%A8%E9%A2%84%E7%AE%97.xls", "部门预算.xls", "xls"),
    ("http://x/module/download/downfile.jsp?classid=0&filename=P0202409.pdf", "P0202409.pdf", "pdf"),
    ("http://x/download.do?id=7", "download.do", None),
])
def test_file_names_from_urls(url, name, file_format):
    assert focus.file_name_from_url(url) == name
    assert focus.attachment_format(url) == file_format


@pytest.mark.parametrize("text,url,drift,expected", [
    ("财政预决算", "http://x/col/col1/index.html", 1, 0),        # toward: reset
    ("政府信息公开", "http://x/a.html", 1, 0),
    ("某某新闻", "http://x/zwgk/a.html", 1, 0),                   # URL toward (zwgk)
    ("下一页", "http://x/col/index_2.html", 1, 1),                # pagination keeps drift
    ("3", "http://x/list.jsp?pageNo=3", 0, 0),
    ("区长调研春耕", "http://x/news/a.html", 0, 1),               # one step off topic
    ("区长调研春耕", "http://x/news/a.html", 1, None),            # too far
    ("登录", "http://x/login.html", 0, None),                     # never
    ("宣传片", "http://x/video.mp4", 0, None),
])
def test_follow_drift(text, url, drift, expected):
    assert focus.follow_drift(text, url, drift, max_drift=1) == expected


@pytest.mark.parametrize("html,expected", [
    ('createPageHTML(3, 0, "index", "html");', ["index.html", "index_1.html", "index_2.html"]),
    ("createPageHTML('2','1','list','shtml')", ["list.shtml", "list_1.shtml"]),
    ("createPageHTML('page_div',3,1,'index','html',52);", ["index.html", "index_1.html", "index_2.html"]),
    ("no pager here", []),
])
def test_trs_pager(html, expected):
    links = trs.pagination_links(f"<script>{html}</script>", "http://x.gov.cn/col/czyjs/index.html")
    assert [url.rsplit("/", 1)[1] for url, _ in links] == expected
    assert all(url.startswith("http://x.gov.cn/col/czyjs/") for url, _ in links)


@pytest.mark.parametrize("script,expected", [
    ('fetch("/api/list?col=yjs&page=1")', ["http://x.gov.cn/api/list?col=yjs&page=1"]),
    ("$.getJSON('data/list.json', function(d){})", ["http://x.gov.cn/col/data/list.json"]),
    ('$.ajax({type: "post", url: "/igs/front/search.jhtml", data: {}})', ["http://x.gov.cn/igs/front/search.jhtml"]),
    ('axios.get(`/api/articles`)', ["http://x.gov.cn/api/articles"]),
    ('var s = document.createElement("script"); s.src = "/js/app.js";', []),
])
def test_json_api_urls(script, expected):
    assert jsonlist.api_urls(f"<script>{script}</script>", "http://x.gov.cn/col/index.html") == expected


@pytest.mark.parametrize("header,name", [
    (b"attachment; filename*=UTF-8''%E9%83%A8%E9%97%A8%E5%86%B3%E7%AE%97.pdf", "部门决算.pdf"),
    ('attachment; filename="部门预算.pdf"'.encode("gbk"), "部门预算.pdf"),
    ('attachment; filename=部门预算.xls'.encode("utf-8"), "部门预算.xls"),
    (b'attachment; filename="%E9%83%A8%E9%97%A8%E5%86%B3%E7%AE%97.pdf"', "部门决算.pdf"),
    (b'attachment; filename="fallback.pdf"; filename*=utf-8\'\'%E5%86%B3%E7%AE%97.pdf', "决算.pdf"),
    (b'attachment; filename="C:\\\\upload\\\\2024.pdf"', "2024.pdf"),
    (b"inline", None),
    (None, None),
])
def test_content_disposition_names(header, name):
    assert filename_from_disposition(header) == name


@pytest.mark.parametrize("url,expected", [
    ("http://x/a.jsp;jsessionid=ABC123?id=5", "http://x/a.jsp?id=5"),
    ("http://x/list.html?sid=9f8e&page=2", "http://x/list.html?page=2"),
    ("http://x/a.asp?ASPSESSIONIDQQ=XYZ&id=1", "http://x/a.asp?id=1"),
    ("http://x/a.php?PHPSESSID=1&b=2", "http://x/a.php?b=2"),
    ("http://x/a.html?id=5&side=left", "http://x/a.html?id=5&side=left"),
])
def test_session_ids_are_stripped(url, expected):
    assert strip_session_ids(url, ["jsessionid", "phpsessid", "aspsessionid", "sid"]) == expected


@pytest.mark.parametrize("text,url,drift,priority", [
    ("2024年部门预算", "http://x/a.html", 1, 3),
    ("更多", "http://x/zwgk/czyjs/index.html", 0, 3),
    ("政府信息公开", "http://x/xxgk/index.html", 0, 2),
    ("下一页", "http://x/col/index_2.html", 1, 1),
    ("区长调研春耕", "http://x/news/a.html", 1, -1),
])
def test_link_priority(text, url, drift, priority):
    assert focus.link_priority(text, url, drift) == priority


@pytest.mark.parametrize("html,expected", [
    ('<a href="/pdfjs/web/viewer.html?file=/u/P01.pdf">2023年部门决算</a>',
     {("http://x.gov.cn/pdfjs/web/viewer.html?file=/u/P01.pdf", "2023年部门决算"),
      ("http://x.gov.cn/u/P01.pdf", "2023年部门决算")}),
    ('<iframe src="./P02.pdf"></iframe><embed src="P03.pdf"><object data="/P04.xls"></object>',
     {("http://x.gov.cn/art/P02.pdf", ""), ("http://x.gov.cn/art/P03.pdf", ""), ("http://x.gov.cn/P04.xls", "")}),
    ('<span onclick="window.open(\'/u/P05.pdf\')">部门预算</span><a href="javascript:void(0)">x</a>',
     {("http://x.gov.cn/u/P05.pdf", "部门预算")}),
    ('<a href="javascript:void(0)" onclick="downloadFile(\'/u/P06.pdf\', 3)">2024年部门预算</a>'
     '<a href="javascript:down(\'P07.xls\')">附件</a>',
     {("http://x.gov.cn/u/P06.pdf", "2024年部门预算"), ("http://x.gov.cn/art/P07.xls", "附件")}),
    ('<select onchange="location.href=this.value"><option value="">请选择</option>'
     '<option value="/col/2023/index.html">2023年</option><option value="7">七</option></select>',
     {("http://x.gov.cn/col/2023/index.html", "2023年")}),
    ('<script>var fileurl = "./P020241015393652876891.pdf"; var css = "/style/a.css";'
     "document.write('<a href=\"' + fileurl + '\">附件</a>');</script>",
     {("http://x.gov.cn/art/P020241015393652876891.pdf", "")}),
    ('<a href="a.html#top">A</a><a href="a.html">A again</a><a href="mailto:x@y.cn">mail</a>',
     {("http://x.gov.cn/art/a.html", "A")}),
])
def test_page_links(html, expected):
    from scrapy.http import HtmlResponse

    from gongkai.crawler.links import page_links

    response = HtmlResponse("http://x.gov.cn/art/index.html", body=f"<html><body>{html}</body></html>".encode(),
                            encoding="utf-8")
    assert set(page_links(response)) == expected


JCMS_LIST = """<html><head><title>部门预决算</title></head><body><div id="4521">
<script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=3&columnid=1229&unitid=4521"></a>]]></nextgroup>
<recordset>
<record><![CDATA[<li><a href="/art/2024/9/2/art_1229_1.html" title="2023年度部门决算">2023年度部门决算</a><span>2024-09-02</span></li>]]></record>
<record><![CDATA[
<li><a href="/art/2024/2/1/art_1229_2.html">2024年部门预算</a></li>]]></record>
</recordset></datastore></script></div></body></html>"""


def test_jcms_datastore_records_and_next_group_are_links():
    from scrapy.http import HtmlResponse

    from gongkai.crawler.links import page_links

    response = HtmlResponse("http://czt.example.gov.cn/col/col1229/index.html", body=JCMS_LIST.encode(),
                            encoding="utf-8")
    assert set(page_links(response)) == {
        ("http://czt.example.gov.cn/module/web/jpage/dataproxy.jsp?page=1&webid=3&columnid=1229&unitid=4521", ""),
        ("http://czt.example.gov.cn/art/2024/9/2/art_1229_1.html", "2023年度部门决算"),
        ("http://czt.example.gov.cn/art/2024/2/1/art_1229_2.html", "2024年部门预算"),
    }


def test_jcms_proxy_pages_follow_totalpage():
    url = "http://x.gov.cn/module/web/jpage/dataproxy.jsp?page=1&columnid=9&unitid=7"
    pages = jpage.proxy_pages("<datastore><totalrecord>40</totalrecord><totalpage>3</totalpage></datastore>", url)
    assert [u for u, _ in pages] == [
        "http://x.gov.cn/module/web/jpage/dataproxy.jsp?page=2&columnid=9&unitid=7",
        "http://x.gov.cn/module/web/jpage/dataproxy.jsp?page=3&columnid=9&unitid=7"]
    assert jpage.proxy_pages("<totalpage>3</totalpage>", "http://x.gov.cn/list.html?page=1") == []


@pytest.mark.parametrize("url,domain", [
    ("http://www.bjmy.gov.cn/zwgk/czyjs/index.html", "bjmy.gov.cn"),
    ("https://czj.bjmy.gov.cn/", "bjmy.gov.cn"),
    ("https://www.gov.cn/zhengce/", "www.gov.cn"),
    ("http://www.shanghai.gov.cn/bmys-25-001/index.html", "shanghai.gov.cn"),
    ("http://127.0.0.1:8000/index.html", "127.0.0.1"),
    ("http://localhost:8000/", "localhost"),
])
def test_portal_domain(url, domain):
    from gongkai.crawler.domains import portal_domain

    assert portal_domain(url) == domain
