"""List endpoints as tables: items read from answers of any shape, the page parameter
learned from the calls a rendered page made, and the requests for the next pages."""

from __future__ import annotations

import json

import pytest

from gongkai.crawler import endpoints, scripted
from gongkai.crawler.endpoints import Call, ListEndpoint

BASE = "http://x.gov.cn/open/api/list"


@pytest.mark.parametrize("text,expected", [
    # the common keys
    ('{"data": {"list": [{"DOCTITLE": "2023年部门决算", "DOCPUBURL": "/art/2024/1.html"},'
     ' {"title": "无链接"}, {"name": "附件", "fileUrl": "./P01.pdf"}]}}',
     [("http://x.gov.cn/art/2024/1.html", "2023年部门决算"), ("http://x.gov.cn/open/api/P01.pdf", "附件")]),
    # keys of no CMS we know (pinyin abbreviations), the title is the Chinese string
    ('{"code":0,"rows":[{"bt":"示例区教育局2024年部门预算","lj":"/bm/jyj/t1.html","rq":"2024-02-01"}]}',
     [("http://x.gov.cn/bm/jyj/t1.html", "示例区教育局2024年部门预算")]),
    # JSONP
    ('cb({"items":[{"t":"2023年度部门决算","u":"../files/a.pdf"}]});',
     [("http://x.gov.cn/open/files/a.pdf", "2023年度部门决算")]),
    # an HTML fragment
    ('<li><a href="/a/1.html">2024年部门预算公开</a></li><li><a href="javascript:;">更多</a></li>',
     [("http://x.gov.cn/a/1.html", "2024年部门预算公开")]),
    ('{"total": 0, "rows": []}', []),
])
def test_items_of_any_shape(text, expected):
    assert endpoints.payload_links(text, BASE) == expected


def test_two_calls_show_the_page_parameter():
    calls = [Call(f"{BASE}?col=12&pn={n}&ps=3&_=1712345678901", "GET", None, None,
                  json.dumps({"rows": [{"bt": f"2024年部门预算{n}", "lj": f"/a/{n}.html"}]})) for n in (1, 2)]
    [endpoint] = endpoints.learn("http://x.gov.cn/list/", calls)
    assert (endpoint.page_param, endpoint.location, endpoint.first, endpoint.step) == ("pn", "query", 1, 1)
    assert endpoints.page_value(endpoint, calls[1]) == 2
    assert endpoint.request(3)[0] == f"{BASE}?col=12&pn=3&ps=3&_=1712345678901"


@pytest.mark.parametrize("body,content_type,param,location,step,next_body", [
    ('{"pageIndex":1,"pageSize":4,"channel":"yjs"}', "application/json", "pageIndex", "json", 1,
     '{"pageIndex":2,"pageSize":4,"channel":"yjs"}'),
    ("start=0&limit=10&col=7", "application/x-www-form-urlencoded", "start", "form", 10, "start=10&limit=10&col=7"),
])
def test_one_post_is_read_by_parameter_names(body, content_type, param, location, step, next_body):
    call = Call(BASE, "POST", body, content_type, '{"list":[{"name":"2024年单位预算","url":"/b/1.html"}]}')
    [endpoint] = endpoints.learn("http://x.gov.cn/list/", [call])
    assert (endpoint.page_param, endpoint.location, endpoint.step) == (param, location, step)
    assert endpoint.request(endpoint.first + endpoint.step) == (BASE, "POST", next_body)


def test_calls_without_items_are_not_endpoints():
    calls = [Call("http://x.gov.cn/api/visits?id=3", "GET", None, None, '{"count": 1024}')]
    assert endpoints.learn("http://x.gov.cn/list/", calls) == []


@pytest.mark.parametrize("text,expected", [
    ('{"data":{"rows":[1,2,3],"pages":7}}', 7),
    ('{"result":{"list":[1,2,3,4],"total":9}}', 3),     # 9 items, 4 a page (pageSize)
    ('{"rows":[1]}', None),
])
def test_stated_page_counts(text, expected):
    endpoint = ListEndpoint(page_url="p", url=BASE, method="POST", body='{"pageIndex":1,"pageSize":4}',
                            content_type="application/json", page_param="pageIndex", location="json")
    assert endpoints.total_pages(text, endpoint, 3) == expected


LIST_PAGE = """<html><head><title>预决算公开</title><script src="/js/jquery.min.js"></script>
<script>{script}</script></head><body><ul class="news-list">{items}</ul></body></html>"""


@pytest.mark.parametrize("script,items,url,title,render", [
    ("var u='/open'+'/api'; $.get(u + '/list?pn=1', show);", "", "http://x.gov.cn/bm/jyj/yjsgk/", "预决算公开", True),
    ("var u='/open'+'/api'; $.get(u + '/list?pn=1', show);",
     "".join(f'<li><a href="/a/{n}.html">{y}年部门预算</a></li>' for n, y in enumerate((2022, 2023, 2024))),
     "http://x.gov.cn/bm/jyj/yjsgk/", "预决算公开", False),                       # the list is in the HTML
    ("", "", "http://x.gov.cn/bm/jyj/yjsgk/", "预决算公开", False),                 # no script at all
    ("document.title += '';", "", "http://x.gov.cn/about/", "联系我们", False),     # not a list page
])
def test_which_pages_are_rendered(script, items, url, title, render):
    html = LIST_PAGE.format(script=script, items=items)
    links = [(f"http://x.gov.cn/a/{n}.html", f"{y}年部门预算") for n, y in enumerate((2022, 2023, 2024))] if items else []
    assert scripted.needs_rendering(html, url, links, title=title) is render
