"""What a document is: title, 预算 or 决算, fiscal year, department, region, cover date."""

from __future__ import annotations

import re
from collections import Counter

from pathlib import Path

from .catalog import BUDGET_NAMES, FINAL_ACCOUNT_NAMES, table_code, table_name
from .pdf import Page
from .text import PAGE_NUMBER, join_lines, squash, tidy

_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "O": 0}
_CN = "〇零○一二三四五六七八九十"
COVER_DATE = re.compile(
    rf"(\d{{4}}|[{_CN}]{{4}})\s*年\s*(\d{{1,2}}|[{_CN}]{{1,3}})\s*月"
    rf"(?:\s*(\d{{1,2}}|[{_CN}]{{1,3}})\s*日)?"
    r"|(\d{4})\s*[.．/-]\s*(\d{1,2})(?:\s*[.．/-]\s*(\d{1,2}))?"  # 2024.10.15, 2024-10
)
FISCAL_YEAR = re.compile(r"(20\d{2})\s*年(?!\s*\d{1,2}\s*月)")
DEPARTMENT_LABEL = re.compile(
    r"(?:部门名称|预算部门|预算单位|编制部门|编制单位|填报单位|单位名称|部\s*门)\s*[:：]\s*"
    r"(?P<name>[^\s:：]{2,40})"
)
REGION = re.compile(
    r"^(?P<province>[\u4e00-\u9fff]{2,8}?(?:省|自治区))?"
    r"(?P<city>[\u4e00-\u9fff]{1,8}?(?:市|州|盟|地区))?"
    r"(?P<county>[\u4e00-\u9fff]{1,5}?(?:区|县|旗)|[\u4e00-\u9fff]{1,3}?市)?"
)
ORGAN_PREFIX = re.compile(r"^(?:中国共产党|中共|共青团|中国人民政治协商会议|政协|中国国民党革命委员会|民革)")
TITLE_LIKE = re.compile(r"(?:部门|单位|整体)(?:预算|决算)|(?:预算|决算)(?:信息)?公开")
TOC_OR_PART = re.compile(r"^(?:目\s*录|第[一二三四五六七八九十]+部分)")


def _cn_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if len(text) == 4:  # a year written digit by digit: 二〇二四
        return int("".join(str(_CN_DIGITS.get(c, 0)) for c in text))
    if "十" in text:  # 十, 十一, 二十, 二十一
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return _CN_DIGITS.get(text, 0)


def _visual_lines(page: Page) -> list[str]:
    """A page's lines in reading order, with pieces of one printed line joined: a year set in
    a larger font sits a little lower than the words beside it ("年部门预算" / "2017":
    js-jianchayuan-2017-doc's cover)."""
    rows: list[list] = []
    for line in sorted(page.lines, key=lambda line: line.top):
        height = max(line.bottom - line.top, 1.0)
        row = rows[-1] if rows else None
        if row and min(line.bottom, max(l.bottom for l in row)) - max(line.top, min(l.top for l in row)) > 0.4 * height:
            row.append(line)
        else:
            rows.append([line])
    return [" ".join(line.text.strip() for line in sorted(row, key=lambda line: line.x0)) for row in rows]


def cover_lines(pages: list[Page]) -> list[str]:
    """The lines of the first page before its table of contents or first part, page numbers
    left out."""
    if not pages:
        return []
    lines = []
    for line in _visual_lines(pages[0]) or pages[0].text.splitlines():
        if TOC_OR_PART.match(line.strip()):
            break
        if line.strip() and not PAGE_NUMBER.match(line.strip()):
            lines.append(line.strip())
    return lines


# Where a cover title stops: the 部门/单位 line, who printed it, a table's own title.
_COVER_END = re.compile(r"(?:部\s*门|单\s*位|编制)\s*[:：]|印制|^\s*单位\s*[:：]")


def title(pages: list[Page]) -> str | None:
    """The cover title: the cover lines up to the date, joined ("2023 年度…部门决算公开");
    None for a file of tables that starts with its first table."""
    parts = []
    for line in cover_lines(pages)[:8]:
        if COVER_DATE.search(line) and not re.search(r"预算|决算", line):
            break
        if re.search(r"[。，；,;]", line) or _COVER_END.search(line):  # a sentence, 部门：…
            break
        if table_name(line) or table_code(line):
            break  # a table: the file has no cover
        parts.append(line)
    text = join_lines(parts)
    if re.search(r"预算|决算", text):
        return tidy(squash(text))
    for page in pages[:3]:  # no cover: the first line that reads like a disclosure title
        for line in page.text.splitlines():
            if (TITLE_LIKE.search(line) and len(line.strip()) <= 60 and not re.search(r"[。，；：:]", line)
                    and not TOC_OR_PART.match(line.strip()) and not table_name(line)):
                return tidy(squash(line))
    return None


_DISCLOSURE_WORDS = re.compile(r"(?:部门|单位)(预算|决算)|(预算|决算)(?:信息)?公开")


def doc_type(title_text: str | None, table_names: list[str], pages: list[Page] | None = None,
             filename: str | None = None) -> str | None:
    """决算 or 预算, from the title, else from the standard tables found, else from the words
    the text (部门预算, 决算公开 …) or the file name use most; None otherwise (a 招标公告 that
    mentions 预算金额 is neither)."""
    if title_text:
        if "决算" in title_text:
            return "决算"
        if "预算" in title_text:
            return "预算"
    if any(name in FINAL_ACCOUNT_NAMES for name in table_names):
        return "决算"
    if any(name in BUDGET_NAMES for name in table_names):
        return "预算"
    words = Counter(
        "".join(match.groups(""))
        for page in (pages or [])[:10]
        for match in _DISCLOSURE_WORDS.finditer(re.sub(r"\s+", "", page.text))
    )
    if words:
        return words.most_common(1)[0][0]
    match = _DISCLOSURE_WORDS.search(filename or "") or re.search(r"(预算|决算)", filename or "")
    return next(group for group in match.groups() if group) if match else None


_YEAR_OF_FIGURES = re.compile(
    r"(20\d{2})\s*年\s*(?:度|(?=部门|单位|政府采购|预算|决算|一般公共|[“\"]?三公|收支|省级|市级|县级))"
)


def fiscal_year(title_text: str | None, pages: list[Page], filename: str | None = None) -> int | None:
    """The year the figures are for: the title's year, else the most common "20NN 年度" /
    "20NN年部门…" in the text, else the year in the file name."""
    if title_text:
        match = FISCAL_YEAR.search(title_text)
        if match:
            return int(match.group(1))
    years = Counter(
        int(match.group(1))
        for page in pages[:20]
        for match in _YEAR_OF_FIGURES.finditer(page.text)
    )
    if years:
        return years.most_common(1)[0][0]
    match = re.search(r"(20\d{2})(?!\d)", filename or "")
    return int(match.group(1)) if match else None


def published(pages: list[Page]) -> str | None:
    """The date printed on the cover as ISO (YYYY-MM-DD, or YYYY-MM when no day is given)."""
    for line in cover_lines(pages):
        # The cover date stands on its own line ("二〇二四年十月"), not inside a sentence.
        match = COVER_DATE.fullmatch(re.sub(r"^[^：:]{0,6}[：:]", "", line.strip()))
        if not match:
            continue
        year, month, day_text = (
            match.group(1, 2, 3) if match.group(1) else match.group(4, 5, 6)
        )
        year, month = _cn_number(year), _cn_number(month)
        if not (1990 <= year <= 2100 and 1 <= month <= 12):
            continue
        if day_text:
            day = _cn_number(day_text)
            if 1 <= day <= 31:
                return f"{year:04d}-{month:02d}-{day:02d}"
        return f"{year:04d}-{month:02d}"
    return None


# A department's name ends like an organ's: 局, 厅, 委员会, 中心, 医院, 学校, 办公室 …
_ORGAN_END = re.compile(r"[局厅委办院心部会室站所队处馆校园社团署府司台场科组庭狱大镇乡]"
                        r"(?:[（(](?:本级|汇总)[)）])?$")
_NOT_A_NAME = re.compile(r"^(?:[一二三四五六七八九十\d]+[、.．]|一般公共|政府性|国有资本|财政|合计|项目|单位[:：]|本)")


def _name(text: str) -> str | None:
    """A department name as printed, cut before a year glued to it ("…民防办公室2022年度");
    None for a fragment ("一、", "一般公共")."""
    text = re.split(r"\s*(?:20\d{2}|[〇零○一二三四五六七八九]{4})\s*年", text.strip())[0].strip(" ：:")
    text = re.sub(r"\s+", "", text)
    if len(text) < 3 or _NOT_A_NAME.match(text) or not _ORGAN_END.search(text):
        return None
    return text


def department(pages: list[Page], captions: list[str], title_text: str | None,
               filename: str | None = None) -> str | None:
    """The department's full name as printed beside the tables (部门名称：…), most common first;
    else the name before or after the year in the title ("江苏省委办公厅2018年度部门预算公开",
    "2017年度江苏省高级人民法院部门预算公开"); else the same in the file name."""
    names = Counter()
    for line in captions + [line for page in pages for line in page.text.splitlines()]:
        for match in DEPARTMENT_LABEL.finditer(line):
            name = _name(match.group("name"))
            if name:
                names[name] += 1
    if names:
        return names.most_common(1)[0][0]
    for text in (title_text, Path(filename).stem if filename else None):
        if text:
            name = _name_in_title(text)
            if name:
                return name
    return None


def _name_in_title(text: str) -> str | None:
    text = re.sub(r"\s+", "", text)
    year = re.search(r"(?:20\d{2}|[〇零○一二三四五六七八九]{4})年度?", text)
    before = text[: year.start()] if year else ""
    after = text[year.end():] if year else text
    after = re.sub(r"(?:部门|单位)?(?:整体)?(?:预算|决算).*$", "", after)
    for candidate in (before, after):
        name = _name(candidate)
        if name:
            return name
    return None


def region(department_name: str | None) -> str | None:
    """The administrative region that prefixes a department name (洛阳市偃师区, 许昌市)."""
    if not department_name:
        return None
    department_name = ORGAN_PREFIX.sub("", department_name)  # 中共洛阳市委… → 洛阳市委…
    match = REGION.match(department_name)
    found = match.group(0) if match else ""
    if found and len(found) < len(department_name):
        return found
    return None
