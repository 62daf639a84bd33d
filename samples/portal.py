"""Write the static sample portal: two list pages, one article page per attachment.

It mimics a county government's 财政预决算公开 column (TRS-style ``P0…pdf`` attachment names,
relative ``./`` links, pagination through ``index_1.html``), plus the things a crawler must
skip: a 招标公告 PDF, a 会议通知 .docx and a link to another site. One disclosure article
links a truncated PDF, as happens when a portal's upload broke.
"""

import html
import io
import zipfile
from pathlib import Path

from samples.pdf import render_notice

PORTAL_TITLE = "财政预决算公开"
SITE_NAME = "示例区人民政府门户网站（gongkai 样例数据）"
PAGE_SIZE = 5
BROKEN_ATTACHMENT = "P020230928113027.pdf"
BROKEN_KEEP_FRACTION = 0.45

OTHER_ARTICLES = [
    {
        "slug": "zhaobiao-2024-dianzi-zhengwu",
        "title": "洛阳市偃师区电子政务外网运维服务项目招标公告",
        "date": "2024-03-18",
        "text": "受洛阳市偃师区政务服务和大数据管理局委托，现对电子政务外网运维服务项目进行公开招标，欢迎合格的供应商参加投标。",
        "attachment": "P020240318402211.pdf",
        "link_text": "招标公告.pdf",
    },
    {
        "slug": "tongzhi-2024-gongzuo-huiyi",
        "title": "关于召开全区政务服务工作推进会议的通知",
        "date": "2024-05-06",
        "text": "各相关单位：为推进全区政务服务标准化建设，定于近期召开工作推进会议，现将有关事项通知如下。",
        "attachment": "P020240506330918.docx",
        "link_text": "会议通知.docx",
    },
]


def write_portal(portal_dir: Path, rendered: list[tuple[dict, bytes]]) -> dict:
    """Write every page and non-disclosure attachment; return ground truth of the broken PDF."""
    articles_dir = portal_dir / "articles"
    articles = []
    for source, data in rendered:
        article = {"slug": source["slug"], "title": source["title"], "date": source["article"]["date"],
                   "text": source["article"].get("text") or _default_text(source),
                   "attachment": source["attachment"], "link_text": f"{source['title']}.pdf"}
        articles.append(article)
    broken_source, broken_data = next((s, d) for s, d in rendered if s["slug"] == "yanshi-2023-juesuan")
    broken_title = "2022年度洛阳市偃师区政务服务和大数据管理局部门决算公开"
    (articles_dir / BROKEN_ATTACHMENT).write_bytes(broken_data[:int(len(broken_data) * BROKEN_KEEP_FRACTION)])
    articles.append({"slug": "yanshi-2022-juesuan", "title": broken_title, "date": "2023-09-28",
                     "text": "根据《中华人民共和国预算法》和政府信息公开有关规定，现将我局2022年度部门决算予以公开。",
                     "attachment": BROKEN_ATTACHMENT, "link_text": f"{broken_title}.pdf"})
    for other in OTHER_ARTICLES:
        articles.append(other)
    (articles_dir / OTHER_ARTICLES[0]["attachment"]).write_bytes(render_notice(
        OTHER_ARTICLES[0]["title"], [OTHER_ARTICLES[0]["text"],
                                     "一、项目名称：洛阳市偃师区电子政务外网运维服务项目。",
                                     "二、预算金额：48.60 万元。",
                                     "三、投标截止时间：2024年4月9日9时30分。"]))
    (articles_dir / OTHER_ARTICLES[1]["attachment"]).write_bytes(_docx(OTHER_ARTICLES[1]["title"],
                                                                       [OTHER_ARTICLES[1]["text"]]))
    articles.sort(key=lambda a: (a["date"], a["slug"]), reverse=True)
    for article in articles:
        (articles_dir / f"{article['slug']}.html").write_text(_article_page(article), encoding="utf-8")
    pages = [articles[i:i + PAGE_SIZE] for i in range(0, len(articles), PAGE_SIZE)]
    for number, page in enumerate(pages):
        name = "index.html" if number == 0 else f"index_{number}.html"
        (portal_dir / name).write_text(_list_page(page, number, len(pages)), encoding="utf-8")
    return {BROKEN_ATTACHMENT: {"slug": "yanshi-2022-juesuan", "title": broken_title, "doc_type": "决算",
                                "error": {"kind": "truncated"}}}


def _default_text(source: dict) -> str:
    kind = "部门决算" if source["doc_type"] == "决算" else "部门预算"
    return (f"根据《中华人民共和国预算法》和政府信息公开有关规定，现将{source['department']}"
            f"{source['fiscal_year']}年度{kind}予以公开。")


def _page(title: str, body: str, root: str) -> str:
    """A complete UTF-8 page; ``root`` is the relative link to the list's first page."""
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{html.escape(title)}</title>\n</head>\n<body>\n"
        f"<div class=\"header\"><a href=\"{root}\">{SITE_NAME}</a></div>\n"
        f"{body}\n<div class=\"footer\">\n<a href=\"https://www.gov.cn/\">中国政府网</a>\n"
        "<a href=\"https://czt.henan.gov.cn/\">河南省财政厅</a>\n<p>主办：示例区人民政府办公室</p>\n</div>\n"
        "</body>\n</html>\n")


def _list_page(articles: list[dict], number: int, total: int) -> str:
    items = "\n".join(
        f"<li><a href=\"articles/{a['slug']}.html\" title=\"{html.escape(a['title'])}\">"
        f"{html.escape(a['title'])}</a><span class=\"date\">{a['date']}</span></li>" for a in articles)
    links = []
    for n in range(total):
        target = "index.html" if n == 0 else f"index_{n}.html"
        links.append(f"<span class=\"current\">{n + 1}</span>" if n == number else f"<a href=\"{target}\">{n + 1}</a>")
    if number + 1 < total:
        links.append(f"<a href=\"index_{number + 1}.html\">下一页</a>")
    body = (f"<div class=\"position\">当前位置：首页 &gt; 政务公开 &gt; {PORTAL_TITLE}</div>\n"
            f"<h1>{PORTAL_TITLE}</h1>\n<ul class=\"list\">\n{items}\n</ul>\n"
            f"<div class=\"page\">{' '.join(links)}</div>")
    return _page(f"{PORTAL_TITLE}_政务公开", body, "index.html")


def _article_page(article: dict) -> str:
    body = (f"<div class=\"position\">当前位置：首页 &gt; 政务公开 &gt; <a href=\"../index.html\">{PORTAL_TITLE}</a></div>\n"
            f"<h1 class=\"title\">{html.escape(article['title'])}</h1>\n"
            f"<div class=\"info\">发布时间：{article['date']} 来源：示例区财政局</div>\n"
            f"<div class=\"content\">\n<p>{html.escape(article['text'])}</p>\n"
            f"<p>附件：<a href=\"./{article['attachment']}\">{html.escape(article['link_text'])}</a></p>\n</div>")
    return _page(article["title"], body, "../index.html")


def _docx(title: str, paragraphs: list[str]) -> bytes:
    """A minimal valid .docx (WordprocessingML) with fixed timestamps, so output is reproducible."""
    def run(text):
        return f"<w:p><w:r><w:t>{html.escape(text)}</w:t></w:r></w:p>"
    document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
                + "".join(run(t) for t in [title] + paragraphs) + "</w:body></w:document>")
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>'),
        "word/document.xml": document,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), text)
    return buffer.getvalue()
