"""HTML disclosures: an article whose own text is a 部门预算/决算, read as the pages a PDF gives.

Many portals publish the 部门决算 as the article itself, the narrative in the page and the
tables attached as .xls (柞水县审计局2020年部门决算, 重庆市开州区人民政府办公室2023年度部门决算
公开说明, in the stored pages of real portals).  The article's visible text blocks become the
lines of one page, each block a paragraph (headings are known by their numbering, as in a
PDF); simple HTML tables become grids (rowspan/colspan as merged cells); the pages of its
attached spreadsheets (converted like any .xls) follow.  ``document.build_record`` then
finds the narrative, explanations, tables and findings exactly as it does for a PDF.

Pure: bytes in, a record out.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from collections import defaultdict
from dataclasses import dataclass

from .convert import sniff_format, to_pdf
from .document import build_record
from .errors import ExtractError, NoTextLayer, NotPdf
from .pdf import Line, Page, RawTable, read_pages

HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml", ".jsp", ".asp", ".aspx", ".php")
DOCUMENT_SUFFIXES = {"pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "zip", "odt", "ods", "rtf", "txt"}
# Elements whose text no reader sees.
INVISIBLE = {"script", "style", "noscript", "template", "iframe", "object", "embed", "select", "option",
             "button", "textarea", "svg", "canvas", "head", "title", "meta", "link"}
BLOCKS = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
          "dl", "dt", "dd", "blockquote", "pre", "center", "table", "tbody", "thead", "tfoot", "tr", "td",
          "th", "caption", "form", "fieldset", "header", "footer", "nav", "aside", "figure", "figcaption",
          "address", "hr", "body"}
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# Navigation, page furniture and sharing widgets inside a page (not the article).
CHROME = re.compile(r"(?:^|[\s_-])(?:nav|menu|footer|breadcrumb|crumbs?|share|sidebar|toolbar|copyright|"
                    r"position|location|friendlink|yqlj)(?:$|[\s_-])", re.I)
# Metadata tags portal CMSs write (TRS, Hanweb JCMS, 政府网站集约化平台).
TITLE_META = ("ArticleTitle", "articletitle", "title")
DATE_META = ("PubDate", "pubdate", "publishdate", "firstpublishedtime", "dc.date")
PUBLISHED = re.compile(r"(?:发布|公开|成文|更新)(?:时间|日期)\s*[:：]?\s*(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})")
TITLE_SUFFIX = re.compile(r"\s*[-_|—–]+\s*[^-_|—–]*(?:政府|门户|网站|网|人民政府|财政局|信息公开)[^-_|—–]*$")
MAX_SPAN = 100          # rowspan/colspan beyond this is a typo, not a table
MAX_CELL_CHARS = 300    # a "table" whose cell holds a longer text lays the page out
PAGE_WIDTH = 1000.0     # the synthetic page: one text line per block, one row per table row
LINE_HEIGHT = 20.0
COLUMN_WIDTH = 100.0


def is_html(data: bytes, filename: str | None) -> bool:
    """An HTML page: by its name, or by its first bytes when the name says nothing.  An HTML
    page under a document's name (an error page saved as ``report.pdf``) is a broken
    document, not a disclosure."""
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"%pdf", b"pk\x03\x04", b"\xd0\xcf\x11\xe0")):
        return False
    name = (filename or "").lower()
    if name.endswith(HTML_SUFFIXES):
        return True
    if Path(name).suffix.lstrip(".") in DOCUMENT_SUFFIXES:
        return False
    return head.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in data[:4096].lower()


@dataclass
class Article:
    """What a page says of itself: title, publication date, and the text as one page."""

    title: str | None
    published: str | None
    page: Page


def decode(data: bytes) -> str:
    """The page's text: its declared charset, else UTF-8, else GB18030 (GBK's superset, what
    portals without a declaration send)."""
    declared = re.search(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", data[:4096], re.I)
    names = [declared.group(1).decode("ascii").lower()] if declared else []
    for name in names + ["utf-8", "gb18030"]:
        if name in ("gb2312", "gbk"):
            name = "gb18030"
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("gb18030", "replace")


def read_article(data: bytes, filename: str | None = None) -> Article:
    """The article as one page: its title first, then its text blocks and tables.

    :raises NoTextLayer: when the page holds no text (its tables may be images).
    """
    from lxml import html as lxml_html

    try:
        tree = lxml_html.document_fromstring(decode(data))
    except Exception as error:  # noqa: BLE001 - lxml raises several kinds on hostile markup
        raise NotPdf(f"the HTML cannot be parsed ({type(error).__name__})", filename) from None
    title = _title(tree)
    published = _meta(tree, DATE_META)
    root = _content_root(tree)
    items = _blocks(root)
    if title and (not items or not isinstance(items[0], str) or _squash(items[0]) != _squash(title)):
        items.insert(0, title)
    if all(isinstance(item, str) and _squash(item) == _squash(title or "") for item in items):
        raise NoTextLayer("the article has no text of its own (its tables may be images)", filename)
    body = tree.find("body")
    date = _date(published) or _date(_clean(_visible_text(body))[:2000] if body is not None else None)
    return Article(title, date, _page(items))


def extract_html(data: bytes, filename: str | None = None, attachments=(), *, convert_timeout: float = 120) -> dict:
    """The record of an HTML disclosure and its attachments, as ``extract_bytes`` gives for a PDF.

    :param attachments: ``(bytes, filename)`` of the files the article attaches (its .xls
        tables); their pages follow the article's, so their tables are the document's.
        One that cannot be read is listed with its error under ``attachments`` and left out.
    """
    article = read_article(data, filename)
    pages, listed = [article.page], []
    for blob, name in attachments:
        first = len(pages) + 1
        try:
            attached = _attachment_pages(blob, name, convert_timeout)
        except ExtractError as error:
            listed.append({"file": name, "error": error.to_dict()})
            continue
        for offset, page in enumerate(attached):
            number = first + offset
            pages.append(dataclasses.replace(
                page, page=number, tables=[dataclasses.replace(t, page=number) for t in page.tables]))
        listed.append({"file": name, "first_page": first, "last_page": len(pages)})
    record = build_record(pages, data, filename, "html", title=article.title)
    record["published"] = record["published"] or article.published
    record["attachments"] = listed
    return record


def _attachment_pages(blob: bytes, name: str | None, convert_timeout: float) -> list[Page]:
    file_format = sniff_format(blob, name)
    if file_format is None:
        raise NotPdf("the attachment is neither a PDF nor an office document", name)
    return read_pages(blob if file_format == "pdf" else to_pdf(blob, file_format, name, convert_timeout), name)


# -- the article ---------------------------------------------------------------------------

def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# A line break in the page's source between two Chinese characters is no space a reader sees.
_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_SOURCE_BREAK = re.compile(rf"(?<=[{_CJK}])[ \t\r]*\n\s*(?=[{_CJK}])")
# Where a <br>, <p> or <div> breaks a table cell's text (not whitespace, so it survives _clean).
_BREAK = "\x00"


def _clean(text: str) -> str:
    """Spaces as a reader sees them: runs of blanks (&nbsp; and the full-width indent 　　 too)
    become one space, none at the ends, none where the source broke a line of Chinese."""
    text = _SOURCE_BREAK.sub("", text)
    return re.sub(r"[\s\u00a0\u3000]+", " ", text).strip()


def _meta(tree, names: tuple[str, ...]) -> str | None:
    for name in names:
        for element in tree.xpath(f'//meta[@name="{name}" or @property="{name}"]'):
            content = _clean(element.get("content") or "")
            if content:
                return content
    return None


def _title(tree) -> str | None:
    """The article's title: the CMS's ArticleTitle, a heading naming a 预算/决算, or the
    page title without the site's name."""
    candidates = [_meta(tree, TITLE_META)]
    candidates += [_clean(h.text_content()) for h in tree.iter("h1", "h2", "h3")]
    candidates += [_clean(e.text_content()) for e in tree.xpath(
        '//*[contains(concat(" ", normalize-space(@class), " "), " title ") or @id="title"]')]
    page_title = tree.find(".//title")
    if page_title is not None:
        candidates.append(TITLE_SUFFIX.sub("", _clean(page_title.text_content())))
    candidates = [c for c in candidates if c and len(c) <= 120]
    return next((c for c in candidates if re.search(r"预算|决算", c)), candidates[0] if candidates else None)


def _date(text: str | None) -> str | None:
    if not text:
        return None
    match = PUBLISHED.search(text) or re.match(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\b", text)
    if match is None:
        return None
    year, month, day = (int(g) for g in match.groups())
    return f"{year:04d}-{month:02d}-{day:02d}" if 1990 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31 \
        else None


def _hidden(element) -> bool:
    if not isinstance(element.tag, str) or element.tag.lower() in INVISIBLE:
        return True
    return element.get("hidden") is not None or bool(HIDDEN_STYLE.search(element.get("style") or ""))


def _chrome(element) -> bool:
    if element.tag in ("nav", "footer"):
        return True
    return bool(CHROME.search(f"{element.get('class') or ''} {element.get('id') or ''}"))


LEAF_BLOCKS = ("p", "div", "td", "th", "li", "pre", "dd", "blockquote")


def _content_root(tree):
    """The element holding the article: the one whose paragraphs carry the most text that
    is not link text (a paragraph counts for its parent, half for its grandparent), as
    readability tools find it; chrome (navigation, footers) and hidden text count for nothing."""
    body = tree.find("body")
    if body is None:
        return tree
    scores: dict = defaultdict(float)
    for element in body.iter(*LEAF_BLOCKS):
        if any(isinstance(d.tag, str) and d.tag in BLOCKS for d in element.iterdescendants()):
            continue  # not a paragraph: its paragraphs count
        if _hidden(element) or any(_hidden(a) or _chrome(a) for a in element.iterancestors()):
            continue
        length = len(_squash(_visible_text(element, links=False)))
        parent = element.getparent()
        if length < 10 or parent is None:
            continue
        scores[parent] += length
        if parent.getparent() is not None:
            scores[parent.getparent()] += length / 2
    if not scores:
        return body
    root = max(scores, key=scores.get)
    while root.tag in ("tr", "tbody", "thead", "tfoot") and root.getparent() is not None:
        root = root.getparent()  # a page laid out by a table: the article is that table's
    return root


def _visible_text(element, *, links: bool = True, breaks: bool = False) -> str:
    """The text a reader sees in ``element`` (without links' text unless ``links``); with
    ``breaks``, a <br>, <p> or <div> inside starts a new line (marked ``_BREAK``)."""
    pieces: list[str] = []

    def walk(node) -> None:
        pieces.append(node.text or "")
        for child in node:
            if isinstance(child.tag, str) and not _hidden(child) and (links or child.tag != "a"):
                if breaks and child.tag in ("br", "p", "div"):
                    pieces.append(_BREAK)
                walk(child)
            pieces.append(child.tail or "")

    walk(element)
    return "".join(pieces)


def _is_data_table(table) -> bool:
    """A table of figures, not one that lays the page out: no table inside it, two rows and
    two columns at least, and no cell holding a whole text."""
    if table.find(".//table") is not None:
        return False
    rows = table.xpath("./tr|./*/tr")
    if len(rows) < 2 or max(len(row.xpath("./td|./th")) for row in rows) < 2:
        return False
    return all(len(_squash(cell.text_content())) <= MAX_CELL_CHARS for row in rows for cell in row.xpath("./td|./th"))


def _blocks(root) -> list:
    """The visible text of ``root`` in reading order: one string per block (a paragraph,
    a heading, a line ended by <br>), and a ``_Grid`` per data table."""
    items: list = []
    current: list[str] = []

    def flush() -> None:
        text = _clean("".join(current))
        current.clear()
        if text:
            items.append(text)

    def walk(element) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if _hidden(element) or (element is not root and _chrome(element)):
            return
        if tag == "table" and _is_data_table(element):
            flush()
            items.append(_grid(element))
            return
        if tag == "br":
            flush()
            return
        block = tag in BLOCKS
        if block:
            flush()
        current.append(element.text or "")
        for child in element:
            if isinstance(child.tag, str):
                walk(child)
            current.append(child.tail or "")
        if block:
            flush()

    walk(root)
    flush()
    return items


@dataclass
class _Grid:
    cells: list[list[str | None]]
    origin: list[list[tuple[int, int] | None]]


def _span(value: str | None) -> int:
    try:
        return min(max(int(value or 1), 1), MAX_SPAN)
    except ValueError:
        return 1


def _grid(table) -> _Grid:
    """The table's cells on a grid, merged cells kept as spans (as ``pdf.RawTable`` has them)."""
    rows = table.xpath("./tr|./*/tr")
    covered: dict[tuple[int, int], tuple[int, int]] = {}
    texts: dict[tuple[int, int], str] = {}
    for r, row in enumerate(rows):
        c = 0
        for cell in row.xpath("./td|./th"):
            while (r, c) in covered:
                c += 1
            rows_spanned, columns_spanned = _span(cell.get("rowspan")), _span(cell.get("colspan"))
            for dr in range(min(rows_spanned, len(rows) - r)):
                for dc in range(columns_spanned):
                    covered[(r + dr, c + dc)] = (r, c)
            lines = (_clean(line) for line in _visible_text(cell, breaks=True).split(_BREAK))
            texts[(r, c)] = "\n".join(line for line in lines if line)
            c += columns_spanned
    width = max((c for _, c in covered), default=-1) + 1
    cells = [[texts.get((r, c)) if covered.get((r, c)) == (r, c) else None for c in range(width)]
             for r in range(len(rows))]
    origin = [[covered.get((r, c)) for c in range(width)] for r in range(len(rows))]
    return _Grid(cells, origin)


def _page(items: list) -> Page:
    """One synthetic page: each text block a line of its own (short of the margin, so each
    ends its paragraph), each table a grid between them with the lines above as caption."""
    lines: list[Line] = []
    tables: list[RawTable] = []
    text: list[str] = []
    y, above = 0.0, 0.0
    for item in items:
        if isinstance(item, str):
            lines.append(Line(item, 0.0, min(len(item), 20) * 10.0, y, y + LINE_HEIGHT * 0.6))
            text.append(item)
            y += LINE_HEIGHT
            continue
        width = len(item.cells[0]) if item.cells else 0
        bottom = y + LINE_HEIGHT * len(item.cells)
        caption = [line.text for line in lines if line.top >= above]
        tables.append(RawTable(1, (0.0, y, COLUMN_WIDTH * width, bottom), item.cells, item.origin,
                               [COLUMN_WIDTH * c for c in range(width)], caption))
        text += [" ".join(cell for cell in row if cell) for row in item.cells]
        y = above = bottom + LINE_HEIGHT / 2
    trailing = [line.text for line in lines if line.top >= above] if tables else []
    return Page(page=1, width=PAGE_WIDTH, height=max(y, LINE_HEIGHT), text="\n".join(text), lines=lines,
                tables=tables, trailing=trailing)
