"""Crawl a mock district government site built from the shapes of real portals, twice.

The site is generated into a temporary folder and served by tests/sites/server.py on
127.0.0.1: a district's home page, its 财政预决算 column, and its departments' portals, each
laid out the way one family of real portals is (the stored copies of real pages each shape
follows are named beside it).  Lists are written by a CMS's pager script, or filled by
scripts from list endpoints of several shapes (JSON with a page number, JSONP with an offset,
an HTML fragment posted as a form), paged by "下一页" and "加载更多" controls that only call
scripts; articles are themselves the 部门决算 with an .xls attached; download links name
nothing; hard negatives sit beside the disclosures (the government's own budget and final
account, reports to the people's congress, notices, procurement, performance reports, rules,
a whole district's 三公); a department is linked as /x/ and as /x/index.html; robots.txt
forbids a folder holding a disclosure and a statistics call a list script makes.

It prints recall and precision of the first crawl (URLs archived against the disclosures
laid out), requests made twice in a run, requests robots.txt forbids, and for the unchanged
re-crawl the bodies of archived files and articles downloaded again (goal: none).

    .venv/bin/python benchmarks/crawl_district.py [--keep DIR]

Add a portal shape: write ``@shape("name") def name(site, dept) -> str`` that lays out one
department's portal under ``dept.base`` with ``site.page``, ``site.entry`` (a list item:
its file, article or HTML disclosure) and ``site.endpoint``, and returns the URL its
department is linked by; then give a department in DEPARTMENTS that shape.
"""

from __future__ import annotations

import argparse
import itertools
import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from gongkai.archive import Archive  # noqa: E402
from gongkai.crawler import run_crawl  # noqa: E402
from sites.server import render_pdf, request_log, serve  # noqa: E402

DISTRICT = "梧桐区"
SETTINGS = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_START_DELAY": 0, "AUTOTHROTTLE_MAX_DELAY": 1,
            "DOWNLOAD_TIMEOUT": 30, "RETRY_TIMES": 1, "LOG_LEVEL": "WARNING"}
# An Excel file's first bytes (OLE2): what a crawler sees of an attached .xls.
XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


@dataclass
class Doc:
    """One list item.  ``form``: ``pdf`` (the list links the file), ``article`` (an article
    page links the file as 附件1), ``html`` (the article's own text is the 决算, its tables
    attached as .xls), ``page`` (an article with no file)."""

    title: str
    disclosure: bool = True
    form: str = "pdf"
    date: str = "2024-09-20"


@dataclass
class Department:
    slug: str
    name: str
    shape: str
    docs: list[Doc]

    @property
    def base(self) -> str:
        return f"/bm/{self.slug}/"


@dataclass
class Site:
    """The generated site and what a perfect crawl archives from it."""

    root: Path
    files: dict[str, list[str]] = field(default_factory=dict)    # pdfs.json: path → first-page lines
    expected: set[str] = field(default_factory=set)              # paths a crawl must archive
    negatives: set[str] = field(default_factory=set)             # paths it must not
    forbidden: list[str] = field(default_factory=list)           # robots.txt Disallow prefixes
    numbers: Iterator = field(default_factory=lambda: itertools.count(13666372))

    def write(self, path: str, data: str | bytes) -> None:
        target = self.root / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            target.write_text(data, "utf-8")
        else:
            target.write_bytes(data)

    def page(self, path: str, title: str, body: str, head: str = "") -> None:
        """A portal page with the chrome every one has: navigation, breadcrumb, footer."""
        self.write(path, f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>{head}</head>
<body><div class="top"><a href="/">首页</a> <a href="/zwgk/">政务公开</a> <a href="/hdjl/">互动交流</a>
<a href="/search/?q=">搜索</a> <a href="/wza/">无障碍</a> <a href="/login.html">登录</a></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; {title}</div>
{body}
<div class="footer"><a href="/sitemap.html">网站地图</a> <a href="/lxwm.html">联系我们</a> 主办：{DISTRICT}人民政府办公室</div>
</body></html>""")

    def pdf(self, path: str, doc: Doc, url: str | None = None) -> None:
        """A PDF at ``path`` whose first page names the document; ``url``: how it is linked
        (a query after the path, as /__local/… files carry)."""
        self.files[path] = [doc.title, f"{DISTRICT}  {doc.date}"]
        (self.expected if doc.disclosure else self.negatives).add(url or path)

    def entry(self, folder: str, doc: Doc, *, file_folder: str | None = None,
              file_url: Callable[[str], str] = lambda path: path,
              file_link: Callable[[str], str] = lambda url: f'<a href="{url}">附件1</a>') -> tuple[str, str]:
        """Lay out one list item under ``folder``; returns (URL the list links, link text).

        :param file_folder: where its file lives (default: a month folder beside the article).
        :param file_url: the URL the file is linked by, from its path.
        :param file_link: the markup an article shows its file with.
        """
        number = next(self.numbers)
        stamp = doc.date.replace("-", "")
        name = f"P0{stamp}{number % 1000000:06d}"
        file_path = f"{file_folder or folder + stamp[:6] + '/'}{name}.pdf"
        if doc.form == "pdf":
            self.pdf(file_path, doc, file_url(file_path))
            return file_url(file_path), doc.title
        article = f"{folder}{stamp[:6]}/t{stamp}_{number}.html"
        if doc.form == "article":
            self.pdf(file_path, doc, file_url(file_path))
            body = (f'<h1>{doc.title}</h1><div class="info">发布时间：{doc.date}</div><p>现将有关情况公开如下。</p>'
                    f"<p>附件：{file_link(file_url(file_path))}</p>")
        elif doc.form == "html":
            table = f"{folder}{stamp[:6]}/{name}.xls"
            self.write(table, XLS + doc.title.encode())
            (self.expected if doc.disclosure else self.negatives).update({article, table})
            body = (f'<h1>{doc.title}</h1><div class="info">发布时间：{doc.date}</div>{_narrative(doc.title)}'
                    f'<p>附件：<a href="{table}">部门决算公开表.xls</a></p>')
        else:  # an article with no file (procurement notices, news)
            self.negatives.add(article)
            body = f"<h1>{doc.title}</h1><p>预算金额：32.00万元。采购需求概况：办公设备一批。</p>"
        self.page(article, doc.title, f'<div class="article">{body}</div>')
        return article, doc.title

    def endpoint(self, path: str, params: dict, payload: str) -> None:
        """A list endpoint's answer for these parameters (the server finds it by them)."""
        self.write(f"{path}@" + "&".join(f"{k}={v}" for k, v in sorted(params.items())), payload)


def _narrative(title: str) -> str:
    """The text of an HTML 部门决算 (as 重庆市开州区人民政府办公室2023年度部门决算公开说明 prints it)."""
    name = title.split("2023")[0]
    return "".join(f"<p>{line}</p>" for line in [
        "一、部门基本情况", "（一）职能职责", f"{name}负责本系统的日常运转与行业管理。", "（二）机构设置",
        "内设综合科、业务科、财务科3个科室，下属事业单位1个。", "二、部门决算情况说明", "（一）收入支出决算总体情况说明",
        "2023年度收入总计856.32万元，支出总计856.32万元。与上年相比，收支总计各增加41.20万元，增长5.05%，主要原因是人员增加。",
        "（二）财政拨款收入支出决算总体情况说明", "2023年度财政拨款收入总计812.10万元，支出总计812.10万元。",
        "（三）“三公”经费支出决算情况说明", "2023年度“三公”经费财政拨款支出决算为6.20万元，完成预算的77.50%，决算数小于预算数的主要原因是厉行节约。",
        "（四）机关运行经费支出情况说明", "2023年度机关运行经费支出45.60万元。", "三、名词解释", "机关运行经费：为保障行政单位运行的各项公用经费。"])


SHAPES: dict[str, Callable[[Site, Department], str]] = {}


def shape(name: str):
    def register(function: Callable[[Site, Department], str]):
        SHAPES[name] = function
        return function
    return register


@shape("trs")
def trs(site: Site, dept: Department) -> str:
    """TRS WCM as 重庆 区县 departments run it (cqkz.gov.cn …/fdzdgknr/czyjs/jsgk/,
    rongchang.gov.cn …/fdzdgknr_70834/ysjs/jsgk/): static lists of four, the pager written by
    createPageHTML, articles …/202409/t20240927_13666372.html, attachments 附件1."""
    folder = f"{dept.base}zwgk_104134/fdzdgknr_104136/ysjs_104142/"
    items = [site.entry(folder, doc) for doc in dept.docs]
    pages = [items[i:i + 4] for i in range(0, len(items), 4)]
    for number, chunk in enumerate(pages):
        links = "".join(f'<li><a href="{url}" title="{text}">{text}</a><span>2024-09-27</span></li>' for url, text in chunk)
        site.page(folder + ("index.html" if number == 0 else f"index_{number}.html"), f"预算/决算-{dept.name}",
                  f'<ul class="list">{links}</ul><div class="page"><script>createPageHTML({len(pages)}, {number}, "index", "html");</script></div>')
    site.page(f"{dept.base}index.html", dept.name,
              f'<ul class="nav"><li><a href="{dept.base}zwgk_104134/">政务公开</a></li>'
              f'<li><a href="{folder}">预算/决算</a></li><li><a href="{dept.base}xwdt/">工作动态</a></li></ul>')
    return f"{dept.base}index.html"


@shape("vsb")
def vsb(site: Site, dept: Department) -> str:
    """博达 VSB as 云南/甘肃 counties run it (luliang.gov.cn/pub/description/53106.html,
    tsqs.gov.cn/info/5618/788540.htm): the newest list page ysjs.htm, older ones counting down
    ysjs/2.htm, ysjs/1.htm; articles info/1711/NNNN.htm; attachments under /__local/ named by
    a number ("附件【1724750955062082423.pdf】"), so the article's title decides."""
    local = f"{dept.base}__local/A/3F/"
    items = [site.entry(f"{dept.base}info/1711/", doc, file_folder=local, file_url=lambda path: path + "?e=.pdf",
                        file_link=lambda url: f'<a href="{url}">附件【{url.rsplit("/", 1)[1][3:-10]}.pdf】</a>')
             for doc in dept.docs]
    pages = [items[i:i + 5] for i in range(0, len(items), 5)]
    names = ["ysjs.htm"] + [f"ysjs/{len(pages) - n}.htm" for n in range(1, len(pages))]
    for number, chunk in enumerate(pages):
        links = "".join(f'<li><a href="{url}">{text}</a></li>' for url, text in chunk)
        pager = "".join(f'<a href="{dept.base}xxgk/{names[number + 1]}" class="Next">下页</a>'
                        f'<a href="{dept.base}xxgk/{names[-1]}" class="Next">尾页</a>' if number + 1 < len(pages) else "")
        site.page(f"{dept.base}xxgk/{names[number]}", f"预决算公开-{dept.name}",
                  f'<ul class="list-gl">{links}</ul><div class="pb_sys_common">共{len(items)}条 {pager}</div>')
    site.page(f"{dept.base}index.htm", dept.name, f'<a href="{dept.base}xxgk/ysjs.htm">预决算公开</a>')
    return f"{dept.base}index.htm"


@shape("openness")
def openness(site: Site, dept: Department) -> str:
    """安徽 政务公开 platform (tljq.gov.cn/openness/OpennessContent/show/961898.html): an empty
    list filled by a script from getList?catId=…&curPage=N (JSON, items under data.list with
    docTitle/docUrl, totalPage), "下一页" calling goPage(); a statistics call robots forbids."""
    api = f"{dept.base}openness/getList"
    items = [site.entry(f"{dept.base}openness/OpennessContent/show/", doc) for doc in dept.docs]
    pages = [items[i:i + 4] for i in range(0, len(items), 4)]
    for number, chunk in enumerate(pages, 1):
        site.endpoint(api, {"catId": 12, "curPage": number, "pageSize": 4}, json.dumps({
            "status": "ok", "data": {"totalPage": len(pages), "curPage": number, "list": [
                {"docTitle": text, "docUrl": url, "pubDate": "2023-10-08"} for url, text in chunk]}},
            ensure_ascii=False))
    site.page(f"{dept.base}openness/list.html", f"部门决算情况-{dept.name}", f"""
<ul id="openList"></ul><div class="pager"><a href="javascript:;" onclick="goPage(cur - 1)">上一页</a>
<a href="javascript:;" onclick="goPage(cur + 1)">下一页</a></div>
<script>
var cur = 1;
function goPage(p) {{
  if (p < 1) return;
  var x = new XMLHttpRequest();
  x.open('GET', '{api}?catId=12&curPage=' + p + '&pageSize=4');
  x.onload = function () {{
    var d = JSON.parse(x.responseText).data; cur = d.curPage;
    document.getElementById('openList').innerHTML = d.list.map(function (r) {{
      return '<li><a href="' + r.docUrl + '">' + r.docTitle + '</a><span>' + r.pubDate + '</span></li>'; }}).join('');
  }};
  x.send();
  var s = new XMLHttpRequest(); s.open('GET', '/stat/hit?cat=12'); s.send();
}}
goPage(1);
</script>""")
    site.page(f"{dept.base}index.html", dept.name,
              f'<a href="{dept.base}openness/list.html">部门决算情况</a> <a href="{dept.base}openness/gk.html">信息公开指南</a>')
    return dept.base


@shape("hunan")
def hunan(site: Site, dept: Department) -> str:
    """湖南 政府网站群 (huarong.gov.cn/33822/content_2137721.html, longhui.gov.cn …): a list
    whose items come as an HTML fragment from a form POST (channelId, pageNum), the first page
    on load and the next ones by "加载更多"; one article shows its PDF through pdf.js."""
    api = f"{dept.base}common/list.jsp"

    def viewer(url: str) -> str:
        return f'<iframe src="/pdfjs/web/viewer.html?file={url}" width="100%"></iframe>'

    items = [site.entry(f"{dept.base}33822/", doc, **({"file_link": viewer} if n == 0 else {}))
             for n, doc in enumerate(dept.docs)]
    pages = [items[i:i + 3] for i in range(0, len(items), 3)] + [[]]  # past the end: an empty fragment
    for number, chunk in enumerate(pages, 1):
        site.endpoint(api, {"channelId": 33822, "pageNum": number}, "".join(
            f'<li><a href="{url}" target="_blank">{text}</a><span>2023-09-08</span></li>' for url, text in chunk))
    site.page(f"{dept.base}33822/index.htm", f"财政预决算-{dept.name}", f"""
<ul class="list" id="list"></ul><a id="more" href="javascript:void(0)" onclick="more()">加载更多</a>
<script>
var pageNum = 0, last = {len(pages) - 1};
function more() {{
  pageNum += 1;
  var x = new XMLHttpRequest();
  x.open('POST', '{api}');
  x.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded');
  x.onload = function () {{
    document.getElementById('list').insertAdjacentHTML('beforeend', x.responseText);
    if (pageNum >= last) document.getElementById('more').style.display = 'none';
  }};
  x.send('channelId=33822&pageNum=' + pageNum);
}}
more();
</script>""")
    site.page(f"{dept.base}index.html", dept.name, f'<a href="{dept.base}33822/index.htm">财政预决算</a>')
    return f"{dept.base}index.html"


@shape("guangdong")
def guangdong(site: Site, dept: Department) -> str:
    """广东 政务公开 (…/zdlyxxgk/czyjshsg/bmyjs/bmjs/2021/content/post_1669527.html): the list a
    JSONP answer fills (a plain array), paged by offset (start=0, 3, 6 …) from a "下一页" that
    only calls the script; the column is linked as …/czyjs/ and as …/czyjs/index.html."""
    api = f"{dept.base}api/postList"
    items = [site.entry(f"{dept.base}zdlyxxgk/czyjs/content/", doc) for doc in dept.docs]
    for start in range(0, len(items) + 3, 3):
        site.endpoint(api, {"catId": 5, "start": start, "limit": 3}, json.dumps(
            [{"title": text, "url": url, "publishDate": "2024-09-20"} for url, text in items[start:start + 3]],
            ensure_ascii=False))
    site.page(f"{dept.base}zdlyxxgk/czyjs/index.html", f"部门预决算-{dept.name}", f"""
<div class="list"><ul id="posts"></ul></div><div class="pages"><a class="next" href="javascript:void(0)" onclick="next()">下一页</a></div>
<script>
var start = 0;
function renderList(rows) {{
  document.getElementById('posts').innerHTML = rows.map(function (r) {{
    return '<li><a href="' + r.url + '">' + r.title + '</a></li>'; }}).join('');
}}
function load() {{
  var s = document.createElement('script');
  s.src = '{api}?callback=renderList&catId=5&start=' + start + '&limit=3';
  document.body.appendChild(s);
}}
function next() {{ start += 3; load(); }}
load();
</script>""")
    site.page(f"{dept.base}index.html", dept.name,
              f'<a href="{dept.base}zdlyxxgk/czyjs/">部门预决算</a> <a href="{dept.base}zdlyxxgk/czyjs/index.html">更多</a>')
    return f"{dept.base}index.html"


def finance_column(site: Site) -> str:
    """The district's own 财政预决算 column (as 下陆区, 渌口区, 阳城县 publish theirs): the
    government's budget and final account and its reports — none a department's disclosure —
    and a robots-forbidden folder holding a department's file."""
    folder = "/zwgk/czyjs/"
    docs = [Doc(f"{DISTRICT}2024年政府预算公开", False), Doc(f"{DISTRICT}2023年政府决算公开", False),
            Doc(f"关于{DISTRICT}2023年预算执行情况和2024年预算草案的报告", False),
            Doc(f"关于{DISTRICT}2023年财政决算草案的报告", False),
            Doc("全区2024年“三公”经费预算情况说明", False),
            Doc("2023年度区本级一般公共预算收支决算表", False),
            Doc("关于编制2025年区级部门预算的通知", False)]
    links = "".join(f'<li><a href="{url}">{text}</a></li>' for url, text in (site.entry(folder, doc) for doc in docs))
    hidden = "/private/czyjs/P020240920999999.pdf"
    site.pdf(hidden, Doc(f"{DISTRICT}审计局2023年度部门决算", False))  # forbidden: never to be fetched
    site.page(f"{folder}index.html", "财政预决算",
              f'<ul class="list">{links}</ul><p><a href="{hidden}">{DISTRICT}审计局2023年度部门决算</a></p>')
    site.forbidden += ["/private/", "/stat/", "/search/"]
    return folder


DEPARTMENTS = [
    Department("jyj", f"{DISTRICT}教育局", "trs", [
        Doc(f"{DISTRICT}教育局2024年部门预算", form="article", date="2024-02-05"),
        Doc(f"{DISTRICT}教育局2023年度部门决算公开说明", form="html", date="2024-09-27"),
        Doc(f"{DISTRICT}第一小学2024年单位预算", date="2024-02-06"),
        Doc(f"{DISTRICT}实验中学2023年度单位决算", date="2024-09-28"),
        Doc(f"关于编制{DISTRICT}教育系统2025年部门预算的通知", False, date="2024-08-01"),
        Doc(f"{DISTRICT}教育局2023年度项目支出绩效评价报告", False, date="2024-06-01"),
        Doc(f"{DISTRICT}中心幼儿园2024年单位预算", form="article", date="2024-02-07"),
        Doc(f"{DISTRICT}教育局2023年部门预算", form="article", date="2023-02-05"),
        Doc(f"{DISTRICT}教育局办公设备采购意向公开（预算金额32万元）", False, form="page", date="2024-03-01"),
    ]),
    Department("wjw", f"{DISTRICT}卫生健康局", "vsb", [
        Doc(f"{DISTRICT}卫生健康局2024年度部门决算", form="article", date="2025-09-10"),
        Doc(f"{DISTRICT}人民医院2024年度单位决算", form="article", date="2025-09-11"),
        Doc(f"{DISTRICT}疾病预防控制中心2025年单位预算", form="article", date="2025-02-13"),
        Doc(f"{DISTRICT}卫生健康局2025年部门预算", date="2025-02-12"),
        Doc(f"{DISTRICT}中心卫生院2024年度部门决算", form="article", date="2025-09-12"),
        Doc(f"{DISTRICT}卫生健康局预算绩效管理办法", False, date="2024-05-01"),
        Doc(f"{DISTRICT}卫生健康局2024年度部门整体支出绩效自评报告", False, form="article", date="2025-04-29"),
    ]),
    Department("mzj", f"{DISTRICT}民政局", "openness", [
        Doc(f"{DISTRICT}民政局2022年度部门决算", form="article", date="2023-10-08"),
        Doc(f"{DISTRICT}民政局2023年度部门决算", form="article", date="2024-10-08"),
        Doc(f"{DISTRICT}民政局2024年部门预算", date="2024-02-20"),
        Doc(f"{DISTRICT}社会福利院2024年单位预算", date="2024-02-21"),
        Doc(f"{DISTRICT}民政局2023年度部门决算公开说明", form="html", date="2024-10-09"),
        Doc(f"{DISTRICT}民政局2025年部门预算", date="2025-02-20"),
        Doc(f"{DISTRICT}民政局养老服务设施采购项目招标公告", False, date="2024-05-20"),
        Doc(f"{DISTRICT}民政局2023年度项目支出绩效评价报告", False, form="article", date="2024-06-20"),
        Doc(f"{DISTRICT}殡仪馆2023年度单位决算", form="article", date="2024-10-10"),
    ]),
    Department("nyj", f"{DISTRICT}农业农村局", "hunan", [
        Doc(f"2023年度{DISTRICT}农业农村局部门决算", form="article", date="2024-09-08"),
        Doc(f"{DISTRICT}农业农村局2024年部门预算公开", form="article", date="2024-02-08"),
        Doc(f"{DISTRICT}农业技术推广中心2023年度单位决算", date="2024-09-09"),
        Doc(f"{DISTRICT}农业农村局2025年部门预算公开", form="article", date="2025-02-08"),
        Doc("关于做好2024年度部门决算公开工作的通知", False, date="2024-08-20"),
        Doc(f"{DISTRICT}农业农村局2023年度部门决算公开说明", form="html", date="2024-09-10"),
        Doc(f"{DISTRICT}农业农村局高标准农田建设项目中标结果公告", False, form="page", date="2024-07-01"),
    ]),
    Department("sfj", f"{DISTRICT}司法局", "guangdong", [
        Doc(f"{DISTRICT}司法局2024年度部门决算", form="article", date="2025-09-30"),
        Doc(f"{DISTRICT}司法局2025年部门预算", form="article", date="2025-02-10"),
        Doc(f"{DISTRICT}公证处2024年单位预算", date="2024-02-11"),
        Doc(f"{DISTRICT}司法局2023年度部门决算", form="article", date="2024-09-30"),
        Doc(f"{DISTRICT}司法局2024年部门预算", date="2024-02-10"),
        Doc(f"关于{DISTRICT}司法局2023年度预算执行情况的审计报告", False, date="2024-07-15"),
        Doc("中央部门相继披露2023年度部门决算", False, form="page", date="2024-07-25"),
    ]),
]


def generate(root: Path) -> Site:
    site = Site(root)
    entries = [(dept, SHAPES[dept.shape](site, dept)) for dept in DEPARTMENTS]
    finance = finance_column(site)
    # Departments linked both as /x/ and /x/index.html: the home page and the department list
    # spell their URLs differently.
    home = "".join(f'<li><a href="{url}">{dept.name}</a></li>' for dept, url in entries)
    site.page("/index.html", f"{DISTRICT}人民政府",
              f'<ul class="bm">{home}</ul><a href="{finance}">财政预决算</a> <a href="/zwgk/bmlb.html">部门列表</a>'
              f' <a href="/xwzx/">新闻中心</a>')
    other = "".join(f'<li><a href="{dept.base}{"index.html" if url == dept.base else ""}">{dept.name}</a></li>'
                    for dept, url in entries)
    site.page("/zwgk/bmlb.html", "部门列表", f'<ul class="list">{other}</ul>')
    for path, title in [("/zwgk/index.html", "政务公开"), ("/xwzx/index.html", "新闻中心"),
                        ("/bm/mzj/openness/gk.html", "信息公开指南"), ("/bm/jyj/zwgk_104134/index.html", "政务公开")]:
        site.page(path, title, "<p>栏目建设中。</p>")  # the sections every portal links, with nothing of ours
    site.write("/robots.txt", "User-agent: *\n" + "".join(f"Disallow: {p}\n" for p in site.forbidden))
    site.write("/pdfjs/web/viewer.html", "<html><body>pdf.js</body></html>")
    site.write("/pdfs.json", json.dumps({"files": site.files}, ensure_ascii=False))
    return site


def crawl(base: str, archive: Path) -> tuple[dict, list[dict]]:
    request_log(base, clear=True)
    summary = run_crawl([base + "index.html"], archive, settings=SETTINGS, timeout=900)
    return summary, request_log(base)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="keep the generated site and the archive in this folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gongkai-district-bench-") as scratch:
        work = Path(scratch)
        site = generate(work / "site")
        archive = work / "archive.db"
        started = time.perf_counter()
        with serve(site.root) as base:
            first, first_log = crawl(base, archive)
            second, second_log = crawl(base, archive)
        with Archive(archive) as opened:
            archived = [{url.removeprefix(base.rstrip("/")) for url in opened.stored_urls(run["id"])}
                        for run in (first, second)]
        if args.keep:
            shutil.copytree(work, args.keep, dirs_exist_ok=True)
    found = archived[0] & site.expected
    recall = len(found) / len(site.expected)
    precision = len(found) / len(archived[0]) if archived[0] else 0.0
    twice = [key for key, n in Counter((e["method"], e["path"], e.get("body")) for e in first_log
                                       if e["path"] != "/robots.txt").items() if n > 1]
    forbidden = [e["path"] for log in (first_log, second_log) for e in log
                 if any(e["path"].startswith(prefix) for prefix in site.forbidden)]
    bodies_again = [e["path"] for e in second_log if e["status"] == 200 and e["path"] in site.expected]
    print(f"mock district: {len(DEPARTMENTS)} department portals ({', '.join(sorted(SHAPES))}) and the "
          f"district's finance column; {len(site.expected)} disclosures, {len(site.negatives)} hard negatives")
    print(f"first crawl : recall {recall:.3f} ({len(found)}/{len(site.expected)}), precision {precision:.3f} "
          f"({len(found)}/{len(archived[0])}), requests {len(first_log)}, made twice {len(twice)}, "
          f"forbidden by robots.txt {len(forbidden)}, Chromium renders {first['stats'].get('gongkai/rendered_pages', 0)}")
    for path in sorted(site.expected - archived[0]):
        print(f"  missed     {path}")
    for path in sorted(archived[0] - site.expected):
        print(f"  not wanted {path}")
    for key in twice:
        print(f"  twice      {key}")
    print(f"re-crawl    : requests {len(second_log)}, bodies downloaded again {len(bodies_again)}, "
          f"Chromium renders {second['stats'].get('gongkai/rendered_pages', 0)}, files new {second['files_new']}, "
          f"changed {second['files_changed']} ({time.perf_counter() - started:.0f} s in all)")
    for path in bodies_again:
        print(f"  again      {path}")
    if recall < 1 or precision < 1 or twice or forbidden or bodies_again:
        sys.exit(1)


if __name__ == "__main__":
    main()
