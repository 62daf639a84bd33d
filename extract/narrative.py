"""The 情况说明 narrative: lines outside tables, rebuilt into paragraphs and sections.

Converters break sentences across lines and pages and split headings; paragraphs are rebuilt
from geometry (a line that stops short of the right margin ends its paragraph, an indented
line starts one), headings are recognised by their numbering (一、 / （一） / 1. / 1、).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .pdf import Line, Page
from .text import PAGE_NUMBER, compact, join_lines, squash

_CN_NUM = "一二三四五六七八九十"
PART = re.compile(rf"^#*\s*第[{_CN_NUM}]+部分")
HEADING_LEVELS = [
    (1, re.compile(rf"^[{_CN_NUM}]+\s*[、.．]")),
    (2, re.compile(rf"^[（(]\s*[{_CN_NUM}]+\s*[)）]")),
    (3, re.compile(r"^\d{1,2}\s*(?:[.．](?!\d)|、)")),
    (3, re.compile(r"^[（(]\s*\d{1,2}\s*[)）]")),
]
TOC = re.compile(r"^目\s*录$")
# Some converters leave "## " or "- " prefixes, and a page laid out in table cells leaves their
# borders as "|" at a line's ends and on lines of their own (hn-yueyang-linye-2022-yusuan).
MARKDOWN_NOISE = re.compile(r"^[#\-*|\s]+|\*\*|[\s|]+$")
MAX_HEADING_CHARS = 40
# A numbered line that compares ("2.商品和服务支出较上年无增减。") is a statement, not a heading.
_STATES_A_GAP = re.compile(r"(?:较|比|与)(?:上年|去年|年初|全年|\d{4}\s*年)|无增减|持平|无变化|无差异|不存在差异")
# A line that opens with a unit or punctuation continues the sentence above it.
CONTINUATION = re.compile(r"^(?:万元|元|%|％|[，,。；;：:、）)”’])")


@dataclass
class Paragraph:
    text: str
    page: int
    level: int | None = None  # heading level (0 for 第X部分), None for body text
    # (offset in text, page) where the paragraph runs onto a later page.
    page_breaks: list[tuple[int, int]] = field(default_factory=list)

    def page_at(self, offset: int) -> int:
        """The page on which the character at ``offset`` is printed."""
        page = self.page
        for start, later in self.page_breaks:
            if offset >= start:
                page = later
        return page


@dataclass
class Section:
    heading: str
    level: int
    page: int
    text: str


def heading_level(text: str) -> int | None:
    """The heading level of a paragraph, or None when it is body text.

    Numbered items such as "1. 一般公共服务支出（类）…。年初预算数为…" are body: a heading is
    short and is not a sentence.
    """
    if PART.match(text):
        return 0
    body = text.rstrip("。.")
    # "1.社会保障和就业支出467.99万元:主要用于本单位在" (a sentence broken by a line) says
    # something after its colon: no heading
    if len(body) > MAX_HEADING_CHARS or re.search(r"[。，,；;]|[:：].{2,}", body) or _STATES_A_GAP.search(body):
        return None
    for level, pattern in HEADING_LEVELS:
        if pattern.match(body):
            return level
    return None


def paragraphs(pages: list[Page]) -> list[Paragraph]:
    """All paragraphs of text outside tables, in reading order, table-of-contents dropped."""
    result: list[Paragraph] = []
    current: list[str] = []
    pages_of_lines: list[int] = []
    start_page = 0
    previous: Line | None = None
    previous_right = 0.0

    def flush() -> None:
        if current:
            text = join_lines(current)
            if text:
                breaks = []
                for index in range(1, len(current)):
                    if pages_of_lines[index] != pages_of_lines[index - 1]:
                        breaks.append((len(join_lines(current[:index])), pages_of_lines[index]))
                result.append(Paragraph(text, start_page, heading_level(text), breaks))
            current.clear()
            pages_of_lines.clear()

    furniture = _running_lines(pages)
    for page in pages:
        lines = [line for line in page.lines if not PAGE_NUMBER.match(line.text.strip())]
        if lines and _furniture_key(lines[0].text) in furniture:
            lines = lines[1:]
        if lines and _furniture_key(lines[-1].text) in furniture:
            lines = lines[:-1]
        if any(TOC.match(squash(line.text)) for line in lines):
            flush()
            previous = None
            continue
        left = min((line.x0 for line in lines), default=0.0)
        # The right margin mirrors the left when no line on the page reaches it (a title page).
        right = max(max((line.x1 for line in lines), default=page.width), page.width - left)
        for line in lines:
            text = MARKDOWN_NOISE.sub("", line.text.strip())
            if not text:
                continue
            size = max(line.bottom - line.top, 6.0)
            indented = line.x0 > left + 1.5 * size
            if previous is None or indented or _ends_paragraph(
                previous, previous_right, size, current, text
            ):
                flush()
                start_page = page.page
            current.append(text)
            pages_of_lines.append(page.page)
            previous, previous_right = line, right
    flush()
    return _merge_part_titles(result)


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", compact(text))


def _running_lines(pages: list[Page]) -> set[str]:
    """Running headers and footers: a first or last line of a page printed the same (page
    numbers aside) on at least three pages and a third of them, which would otherwise land in
    the middle of a sentence that runs over the page break."""
    counts: dict[str, int] = {}
    for page in pages:
        lines = [line for line in page.lines if not PAGE_NUMBER.match(line.text.strip())]
        for key in {_furniture_key(line.text) for line in lines[:1] + lines[-1:]}:
            counts[key] = counts.get(key, 0) + 1
    return {key for key, count in counts.items() if count >= 3 and count * 3 >= len(pages) and len(key) <= 40}


def _ends_paragraph(
    previous: Line, right: float, size: float, current: list[str], text: str
) -> bool:
    """Whether the previous line closed its paragraph.

    A line that stops short of the margin ends a paragraph only with more evidence, because
    word-wrapping leaves numbers ("37.46 万元") on the next line: terminal punctuation, a
    heading so far, a numbered item or heading next, or a line well under full width.
    """
    if CONTINUATION.match(text):
        return False
    closed = re.search(r"[。！？；：:!?;]$", MARKDOWN_NOISE.sub("", previous.text.strip())) is not None
    numbered = any(pattern.match(text) for _, pattern in HEADING_LEVELS) or PART.match(text)
    if numbered and (closed or heading_level(text) is not None):
        # "…的支出。" then "八、国有资本…": a full last line still ends it; so does a
        # whole heading line after a sentence left without its full stop ("…无差异" /
        # "六、一般公共预算财政拨款基本支出决算情况说明": luolong-2024 page 18)
        return True
    if previous.x1 >= right - 2 * size:
        return False
    if closed or numbered or heading_level(join_lines(current)) is not None:
        return True
    return previous.x1 - previous.x0 < 0.7 * (right - previous.x0)


PART_TITLE_END = re.compile(r"(?:说明|概况|解释|附件|附表|[预决]算表|公开表|报表|情况|目录)\s*$")


def _merge_part_titles(items: list[Paragraph]) -> list[Paragraph]:
    """Join "第三部分" with the title line that follows it ("2023 年度部门决算情况说明"), also
    a part title wrapped after the department ("第三部分 江苏省人大常委会办公厅" /
    "2017 年度部门预算情况说明": js-rendachang-2017-doc page 23)."""
    merged: list[Paragraph] = []
    for item in items:
        previous = merged[-1] if merged else None
        if previous and previous.level == 0 and (
            PART.fullmatch(previous.text.strip())
            or (not PART_TITLE_END.search(previous.text) and len(item.text) <= 30
                and not re.search(r"[。，,；;]", item.text) and PART_TITLE_END.search(item.text))
        ):
            merged[-1] = Paragraph(f"{previous.text.strip()} {item.text}", previous.page, 0)
            continue
        merged.append(item)
    return merged


def narrative(items: list[Paragraph]) -> list[Paragraph]:
    """The paragraphs of the 情况说明 part(s), or of the whole text when it has no parts.

    A part title that appears twice (a table of contents running onto a page without the
    word 目录) counts once, at its last appearance: the body follows the contents.
    """
    parts = [i for i, item in enumerate(items) if item.level == 0]
    last = {compact(items[i].text): i for i in parts}
    starts = [i for i in parts if "说明" in items[i].text and last[compact(items[i].text)] == i]
    if not starts:
        return items
    chosen: list[Paragraph] = []
    for start in starts:
        end = next((i for i in parts if i > start), len(items))
        chosen += items[start + 1 : end]
    return chosen


def sections(items: list[Paragraph]) -> list[Section]:
    """Headed blocks of the narrative: each heading with the body text up to the next one."""
    result: list[Section] = []
    for item in items:
        if item.level is not None and item.level > 0:
            result.append(Section(item.text, item.level, item.page, ""))
        elif result:
            joined = f"{result[-1].text}\n{item.text}" if result[-1].text else item.text
            result[-1].text = joined
    return result
