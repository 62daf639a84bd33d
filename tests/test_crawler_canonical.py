"""Canonical URLs: every spelling of one page is one fingerprint, in the single-process
duplicate filter and in the shared Redis one."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.utils.test import get_crawler

from gongkai.crawler.canonical import CanonicalFingerprinter, canonical_url
from gongkai.crawler.frontier import RedisDupeFilter


@pytest.mark.parametrize("a,b", [
    ("http://www.x.gov.cn/bm/jyj/", "http://www.x.gov.cn/bm/jyj/index.html"),
    ("http://www.x.gov.cn/bm/jyj/", "http://www.x.gov.cn/bm/jyj/index.htm"),
    ("http://www.x.gov.cn/zwgk/", "http://www.x.gov.cn/zwgk/default.aspx"),
    ("http://www.x.gov.cn/zwgk/", "http://www.x.gov.cn/zwgk/index.shtml"),
    ("http://www.x.gov.cn/zwgk/", "http://www.x.gov.cn/zwgk/index.jsp"),
    ("http://www.x.gov.cn/", "http://www.x.gov.cn"),
    ("http://www.x.gov.cn/a/", "HTTP://WWW.X.GOV.CN:80/a/#top"),
    ("https://www.x.gov.cn/a/", "https://www.x.gov.cn:443/a/"),
    ("http://x.gov.cn/list.jsp?a=1&b=2", "http://x.gov.cn/list.jsp?b=2&a=1"),
    ("http://x.gov.cn/list.jsp?id=3", "http://x.gov.cn/list.jsp;jsessionid=0AB1?id=3&sid=77"),
    ("http://x.gov.cn/a/b/c.html", "http://x.gov.cn/a//b/./d/../c.html"),
    ("http://x.gov.cn/%E9%83%A8%E9%97%A8.pdf", "http://x.gov.cn/部门.pdf"),
    ("http://x.gov.cn/%E9%83%A8.pdf", "http://x.gov.cn/%e9%83%a8.pdf"),
])
def test_spellings_of_one_page_are_one_url(a, b):
    assert canonical_url(a) == canonical_url(b)


@pytest.mark.parametrize("a,b", [
    ("http://x.gov.cn/a/", "http://x.gov.cn/b/"),
    ("http://x.gov.cn/list.jsp?page=1", "http://x.gov.cn/list.jsp?page=2"),
    ("http://x.gov.cn/a/index_1.html", "http://x.gov.cn/a/"),
    ("http://x.gov.cn:8080/a/", "http://x.gov.cn/a/"),
    ("http://x.gov.cn/a/", "https://x.gov.cn/a/"),
])
def test_other_pages_stay_apart(a, b):
    assert canonical_url(a) != canonical_url(b)


def test_both_duplicate_filters_use_the_canonical_url():
    crawler = get_crawler(settings_dict={
        "REQUEST_FINGERPRINTER_CLASS": "gongkai.crawler.canonical.CanonicalFingerprinter"})
    assert isinstance(crawler.request_fingerprinter, CanonicalFingerprinter)
    one, two = Request("http://x.gov.cn/a/"), Request("http://x.gov.cn/a/index.html")
    assert crawler.request_fingerprinter.fingerprint(one) == crawler.request_fingerprinter.fingerprint(two)
    redis_filter = RedisDupeFilter(server=None, key="k")
    assert redis_filter.request_fingerprint(one) == redis_filter.request_fingerprint(two)
    post = Request("http://x.gov.cn/a/", method="POST", body=b"page=2")
    assert redis_filter.request_fingerprint(post) != redis_filter.request_fingerprint(one)
