"""Each quirk component alone, built from a settings dict; the production settings stay
polite; tldextract never goes to the network."""

from __future__ import annotations

import subprocess
import sys

import pytest
from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from gongkai.archive import Archive
from gongkai.crawler import CrawlError
from gongkai.crawler import settings as production
from gongkai.crawler.middlewares.challenge import ChallengeMiddleware, looks_like_challenge
from gongkai.crawler.middlewares.conditional import ConditionalRequestMiddleware
from gongkai.crawler.middlewares.encoding import EncodingMiddleware
from gongkai.crawler.middlewares.robots import RobotsCrawlDelayMiddleware
from gongkai.crawler.middlewares.sessionid import SessionIdMiddleware
from gongkai.crawler.process import crawl_settings


def crawler_with(**settings):
    base = {name: default for name, (default, _) in production.GONGKAI_SETTINGS.items()}
    return get_crawler(settings_dict={**base, **settings})


@pytest.mark.parametrize("component,setting", [
    (SessionIdMiddleware, "SESSION_ID_ENABLED"),
    (EncodingMiddleware, "ENCODING_FIX_ENABLED"),
    (ChallengeMiddleware, "CHALLENGE_ENABLED"),
    (ConditionalRequestMiddleware, "CONDITIONAL_REQUESTS_ENABLED"),
    (RobotsCrawlDelayMiddleware, "ROBOTSTXT_OBEY"),
])
def test_each_component_switches_off_by_its_setting(component, setting, tmp_path):
    archive = str(tmp_path / "a.db")
    assert component.from_crawler(crawler_with(GONGKAI_ARCHIVE=archive, ROBOTSTXT_OBEY=True))
    with pytest.raises(NotConfigured):
        component.from_crawler(crawler_with(GONGKAI_ARCHIVE=archive, **{setting: False}))


PAGE = '<html><head>{meta}<title>t</title></head><body><a href="a.html">2023年部门决算</a></body></html>'


@pytest.mark.parametrize("content_type,meta,encoding", [
    ("text/html; charset=ISO-8859-1", '<meta charset="gb2312">', "gbk"),   # Tomcat default header
    ("text/html; charset=utf-8", "", "gbk"),                                # header lies
    ("text/html", "", "gbk"),                                               # nothing declared
    ("text/html", '<meta http-equiv="Content-Type" content="text/html; charset=GBK">', "gbk"),
    ("text/html; charset=utf-8", "", "utf-8"),                              # the truth is kept
])
def test_encoding_component_decodes_chinese_pages(content_type, meta, encoding):
    body = PAGE.format(meta=meta).encode(encoding)
    response = HtmlResponse("http://x.gov.cn/", body=body, headers={"Content-Type": content_type})
    fixed = EncodingMiddleware.from_crawler(crawler_with()).process_response(Request(response.url), response)
    assert fixed.css("a::text").get() == "2023年部门决算"


def test_without_the_encoding_component_gbk_with_a_latin1_header_is_mojibake():
    body = PAGE.format(meta='<meta charset="gb2312">').encode("gbk")
    response = HtmlResponse("http://x.gov.cn/", body=body,
                            headers={"Content-Type": "text/html; charset=ISO-8859-1"})
    assert response.css("a::text").get() != "2023年部门决算"


def test_session_id_component_rewrites_requests():
    middleware = SessionIdMiddleware.from_crawler(crawler_with())
    out = list(middleware.process_spider_output(None, [Request("http://x/a.jsp;jsessionid=1?sid=2&id=3"), {"k": 1}]))
    assert out[0].url == "http://x/a.jsp?id=3" and out[1] == {"k": 1}


def test_conditional_component_uses_the_archive_state(tmp_path):
    path = tmp_path / "a.db"
    with Archive(path) as archive:
        run = archive.start_run(["http://x/"])
        sha, _ = archive.store_file(b"%PDF-1.4 v1", url="http://x/a.pdf", file_format="pdf")
        archive.record_fetch(run_id=run, url="http://x/a.pdf", kind="file", outcome="new", sha256=sha,
                             etag='"v1"', last_modified="Tue, 14 Nov 2023 22:13:20 GMT")
    middleware = ConditionalRequestMiddleware.from_crawler(crawler_with(GONGKAI_ARCHIVE=str(path)))
    known = Request("http://x/a.pdf", meta={"kind": "file"})
    middleware.process_request(known)
    assert known.headers["If-None-Match"] == b'"v1"'
    assert known.headers["If-Modified-Since"] == b"Tue, 14 Nov 2023 22:13:20 GMT"
    assert 304 in known.meta["handle_httpstatus_list"]
    unknown = Request("http://x/b.pdf", meta={"kind": "file"})
    middleware.process_request(unknown)
    assert b"If-None-Match" not in unknown.headers


def test_spider_start_issues_the_start_requests():
    """Scrapy >= 2.13 starts spiders through ``async def start()``: ours yields the start
    pages itself, through the duplicate filter (so Redis-shared workers fetch them once)."""
    import asyncio

    from gongkai.crawler.spiders.portal import PortalSpider

    crawler = crawler_with()
    spider = PortalSpider.from_crawler(crawler, start_urls=["http://x.gov.cn/zwgk/", "http://y.gov.cn/"])

    async def collect():
        return [request async for request in spider.start()]

    requests = asyncio.run(collect())
    assert [r.url for r in requests] == ["http://x.gov.cn/zwgk/", "http://y.gov.cn/"]
    assert all(r.callback == spider.parse_page and not r.dont_filter for r in requests)
    assert spider.allowed_domains == ["x.gov.cn", "y.gov.cn"]


@pytest.mark.parametrize("status,body,challenge", [
    (521, b"<html><script>document.cookie='a=1';location.reload()</script></html>", True),
    (412, b"<HTML><SCRIPT>var x=1</SCRIPT></HTML>", True),
    (521, b"<html>Web server is down</html>", False),
    (200, b"<html><script></script></html>", False),
])
def test_challenge_recognition(status, body, challenge):
    assert looks_like_challenge(status, body, [521, 412]) is challenge


def test_production_settings_are_polite():
    settings = crawl_settings({"start_urls": ["https://www.example.gov.cn/"], "archive_path": "a.db"})
    assert settings.getbool("ROBOTSTXT_OBEY")
    assert settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") <= 2
    assert settings.getfloat("DOWNLOAD_DELAY") >= 1 and settings.getfloat("AUTOTHROTTLE_START_DELAY") >= 1
    assert "+https://" in settings["USER_AGENT"]
    assert settings["TWISTED_REACTOR"] == "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
    launch = settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS")
    assert launch["executable_path"] == "/usr/bin/chromium" and "--no-sandbox" in launch["args"]


def test_loopback_portals_get_no_delay_but_explicit_settings_win():
    loopback = crawl_settings({"start_urls": ["http://127.0.0.1:8000/"], "archive_path": "a.db"})
    assert loopback.getfloat("DOWNLOAD_DELAY") == 0
    assert loopback.getbool("AUTOTHROTTLE_ENABLED")
    explicit = crawl_settings({"start_urls": ["http://127.0.0.1:8000/"], "archive_path": "a.db",
                               "settings": {"DOWNLOAD_DELAY": 3}})
    assert explicit.getfloat("DOWNLOAD_DELAY") == 3


def test_redis_url_switches_to_a_shared_frontier():
    settings = crawl_settings({"start_urls": ["http://x.gov.cn/"], "archive_path": "a.db",
                               "redis_url": "redis://127.0.0.1:6379/0", "frontier": "gongkai:x"})
    assert settings["SCHEDULER"] == "scrapy_redis.scheduler.Scheduler"
    assert settings["DUPEFILTER_CLASS"] == "gongkai.crawler.frontier.RedisDupeFilter"
    assert settings["SCHEDULER_QUEUE_KEY"] == "gongkai:x:requests"


def test_tldextract_uses_its_bundled_snapshot():
    code = ("import crawler.process\n"
            "from scrapy.downloadermiddlewares.cookies import _split_domain\n"
            "assert _split_domain.suffix_list_urls == ()\n"
            "print(_split_domain('www.czj.example.gov.cn').suffix)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "gov.cn"


README = open(production.__file__.rsplit("/", 1)[0] + "/README.md", encoding="utf-8").read()


@pytest.mark.parametrize("name", list(production.GONGKAI_SETTINGS))
def test_every_setting_is_documented(name):
    assert f"| `{name}` |" in README


@pytest.mark.parametrize("error", CrawlError.__subclasses__(), ids=lambda e: e.kind)
def test_every_error_kind_is_documented(error):
    assert f"| `{error.kind}` |" in README
    assert error.__doc__ and error.__doc__.split(";")[0].split(".")[0] in README


@pytest.mark.parametrize("component", ["gongkai.crawler.middlewares.encoding.EncodingMiddleware",
                                       "gongkai.crawler.middlewares.challenge.ChallengeMiddleware"])
def test_body_readers_see_unzipped_bodies(component):
    """Responses pass downloader middlewares from the highest number down: components that
    read the body must sit below HttpCompressionMiddleware (gzip pages, tests/sites /gbk/)."""
    from scrapy.settings.default_settings import DOWNLOADER_MIDDLEWARES_BASE

    compression = DOWNLOADER_MIDDLEWARES_BASE["scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware"]
    assert production.DOWNLOADER_MIDDLEWARES[component] < compression



@pytest.mark.parametrize("body,content_type,is_file", [
    (b"%PDF-1.4 ...", "text/html", True),                      # misconfigured server
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 ...", "text/plain", True),  # an old .xls
    (b"PK\x03\x04 ...", "application/zip", True),
    (b"<html><body>not found</body></html>", "text/html", False),
    (b"<html></html>", "application/octet-stream", True),       # the server says it is a download
])
def test_files_are_recognised_by_their_bytes(body, content_type, is_file):
    from scrapy.http import Response, TextResponse

    from gongkai.crawler.spiders.portal import _is_file_response

    cls = TextResponse if content_type.startswith("text/") else Response
    kwargs = {"encoding": "utf-8"} if cls is TextResponse else {}
    response = cls("http://x.gov.cn/downfile.jsp?id=1", body=body, headers={"Content-Type": content_type}, **kwargs)
    assert _is_file_response(response) is is_file


def test_shipped_sites_file_is_valid_and_honest():
    """sites.yaml ships the demo portal; real portals only with their public source and
    marked unverified (nothing has been crawled from this machine)."""
    from pathlib import Path

    from gongkai.crawler.sites import load_sites

    sites = load_sites(Path(production.__file__).resolve().parent.parent / "sites.yaml")
    by_name = {site.name: site for site in sites}
    assert by_name["demo"].verified and by_name["demo"].domains() == ["127.0.0.1"]
    for site in sites:
        if site.name != "demo":
            assert not site.verified and site.source, site.name


def test_a_failed_chromium_visit_to_a_challenge_is_tried_again_up_to_the_limit():
    from scrapy import Request

    from gongkai.crawler.middlewares.challenge import MAX_ATTEMPTS

    middleware = ChallengeMiddleware.from_crawler(crawler_with())
    error = RuntimeError("Navigation interrupted by another navigation")
    plain = Request("http://127.0.0.1/challenge/index.html")
    assert middleware.process_exception(plain, error) is None  # not ours: Scrapy's retry decides
    visit = plain.replace(meta={"playwright": True, "challenge_attempts": 1})
    again = middleware.process_exception(visit, error)
    assert again.meta["challenge_attempts"] == 2 and again.meta["playwright"] and again.dont_filter
    last = plain.replace(meta={"playwright": True, "challenge_attempts": MAX_ATTEMPTS})
    assert middleware.process_exception(last, error) is None
