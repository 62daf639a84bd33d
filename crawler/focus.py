"""Which links lead toward disclosures, and which files are disclosures.

Pure functions over link text, URLs, file names and page titles: no Scrapy, no HTTP, so
the rules are tested as tables (tests/test_crawler_focus.py).  A portal's 部门预算/部门决算
files hide behind 政务公开 → 财政预决算 → list pages → articles; the crawler follows links
whose text or URL points that way and spends a small budget ("drift") on the others.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import parse_qsl, unquote, urlsplit

from . import relevance
from .relevance import Verdict, says_nothing  # noqa: F401  (the spider's vocabulary)

# Formats a disclosure is published in (archive.DISCLOSURE_FORMATS; WPS Office's own
# formats wps/et appear on county portals).
ATTACHMENT_EXTENSIONS = ("pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "zip")

# Files that are never pages and never disclosures.
IGNORED_EXTENSIONS = frozenset(
    "jpg jpeg png gif bmp webp svg ico tif tiff mp3 mp4 avi wmv flv mov swf css js "
    "rar 7z gz tar exe apk dmg iso txt xml rss ofd ceb".split()
)

# Download servlets name the file only in Content-Disposition (e.g. TRS/JCMS
# ``downfile.jsp?fileid=…``, ``download.do?id=…``, ``attachment.aspx?id=…``).
DOWNLOAD_SERVLET = re.compile(
    r"(?:^|/)(?:down(?:load)?(?:file)?|getfile|attach(?:ment)?|fileDown\w*|file_?down\w*)"
    r"(?:\.(?:jsp|do|action|aspx?|php|ashx))?$",
    re.IGNORECASE,
)

DISCLOSURE_TERMS = re.compile(r"预算|决算")

# Link text or URL fragments on the way to disclosures.
TOWARD_TERMS = re.compile(r"预算|决算|财政|财务|公开|部门|政务|资金|三公|经费|绩效|专项|列表|栏目|目录|更多|专栏")
TOWARD_URL = re.compile(
    r"yusuan|juesuan|yjs|yjsgk|czyjs|czzj|czxx|czgk|caizheng|czj|zfxxgk|xxgk|zwgk|"
    r"gkml|xxgkml|bmys|bmjs|budget|finance|fiscal|public|openness",
    re.IGNORECASE,
)
# Pagination: follow without spending drift.
PAGINATION_TEXT = re.compile(r"^\s*(?:下一?页|上一?页|尾页|末页|首页|更多|\d{1,4}|>+|<+|»|«)\s*$")
PAGINATION_URL = re.compile(r"(?:index|list|default)_\d+\.s?html?$|[?&](?:page|pageNo|pageIndex|p|curPage)=\d+", re.IGNORECASE)
# Links that never lead to disclosures.
AWAY_TERMS = re.compile(
    r"登录|注册|English|无障碍|适老|长者|繁體|繁体|RSS|打印|关闭|收藏|分享|微博|微信|"
    r"网站地图|联系我们|设为首页|加入收藏|视频|图片|领导|招聘|互动|信箱|留言|投诉|"
    r"在线办事|办事服务|政民互动|搜索"
)


# URL fragments that name budget disclosures themselves (not just 公开/信息 columns).
DISCLOSURE_URL = re.compile(r"yusuan|juesuan|yjs|czyjs|bmys|bmjs|budget", re.IGNORECASE)


def file_name_from_url(url: str) -> str:
    """The last path segment, percent-decoded (``./P020241015….pdf`` → ``P020241015….pdf``),
    or the file a download servlet names in its query (``downfile.jsp?filename=P0….pdf``)."""
    parts = urlsplit(url)
    name = unquote(posixpath.basename(parts.path))
    if DOWNLOAD_SERVLET.search(parts.path):
        for key, value in parse_qsl(parts.query):
            if key.lower() in ("filename", "name", "file", "fname") and extension(value):
                return posixpath.basename(value.replace("\\", "/"))
    return name


def extension(name: str) -> str:
    """Lower-case extension without the dot, or ``""``."""
    base = name.rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def attachment_format(url: str, filename: str | None = None) -> str | None:
    """The disclosure format of a URL or file name (``pdf`` …), or None."""
    for name in (filename, file_name_from_url(url)):
        if name and extension(name) in ATTACHMENT_EXTENSIONS:
            return extension(name)
    return None


def is_download_servlet(url: str) -> bool:
    return bool(DOWNLOAD_SERVLET.search(urlsplit(url).path))


def is_attachment_link(url: str) -> bool:
    """A link to fetch as a file rather than parse as a page."""
    return attachment_format(url) is not None or is_download_servlet(url)


def is_ignored(url: str) -> bool:
    """Images, media, scripts: neither pages nor disclosures."""
    return extension(file_name_from_url(url)) in IGNORED_EXTENSIONS


def name_verdict(*names: str | None) -> Verdict:
    """Judge a file by its names (link text, file name, Content-Disposition name, the
    title of the page that links it): ``crawler.relevance`` decides."""
    return relevance.judge(*names)


def text_verdict(first_page_text: str) -> Verdict:
    """Judge a file by its first page: a 部门预算/部门决算 cover names itself in its first
    lines (``洛阳市偃师区…管理局 / 2023年度部门决算``)."""
    lines = [re.sub(r"\s+", "", line) for line in first_page_text.splitlines()]
    head = "".join(line for line in lines if line)[:120]
    return relevance.judge(head)


def is_toward(text: str | None, url: str) -> bool:
    """Does a link's text or URL point toward budget disclosures?"""
    return bool((text and TOWARD_TERMS.search(text)) or TOWARD_URL.search(urlsplit(url).path))


def is_pagination(text: str | None, url: str) -> bool:
    return bool((text and PAGINATION_TEXT.match(text)) or PAGINATION_URL.search(url))


def is_away(text: str | None) -> bool:
    return bool(text and AWAY_TERMS.search(text))


def follow_drift(text: str | None, url: str, drift: int, max_drift: int) -> int | None:
    """The drift of a page link found on a page at ``drift``, or None not to follow it.

    Links toward disclosures reset the drift to 0, pagination keeps it, any other link
    spends one step; a page more than ``max_drift`` steps off topic is not fetched.
    """
    if is_away(text) or is_ignored(url):
        return None
    if is_toward(text, url):
        return 0
    if is_pagination(text, url):
        return drift
    return drift + 1 if drift + 1 <= max_drift else None


def link_priority(text: str | None, url: str, drift: int) -> int:
    """Scheduling priority of a page link: links naming 预算/决算 first, then other links
    toward disclosures, then pagination, then detours (so a ``--max-pages`` budget is
    spent where the disclosures are)."""
    if (text and DISCLOSURE_TERMS.search(text)) or DISCLOSURE_URL.search(urlsplit(url).path):
        return 3
    if is_toward(text, url):
        return 2
    if is_pagination(text, url):
        return 1
    return -drift
