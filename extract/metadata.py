"""What a document is: title, 预算 or 决算, fiscal year, department, region, cover date."""

from __future__ import annotations

import re
from collections import Counter

from .catalog import BUDGET_NAMES, FINAL_ACCOUNT_NAMES
from .pdf import Page
from .text import join_lines, squash, tidy

_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "O": 0}
_CN = "〇零○一二三四五六七八九十"
COVER_DATE = re.compile(
    rf"(\d{{4}}|[{_CN}]{{4}})\s*年\s*(\d{{1,2}}|[{_CN}]{{1,3}})\s*月"
    rf"(?:\s*(\d{{1,2}}|[{_CN}]{{1,3}})\s*日)?"
    r"|(\d{4})\s*[.．/-]\s*(\d{1,2})(?:\s*[.．/-]\s*(\d{1,2}))?"  # 2024.10.15, 2024-10
)
FISCAL_YEAR = re.compile(r"(20\d{2})\s*年(?!\s*\d{1,2}\s*月)")
DEPARTMENT_LABEL = re.compile(
    r"(?:部门名称|预算部门|预算单位|编制部门|编制单位|填报单位|单位名称|部门)\s*[:：]\s*"
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


def cover_lines(pages: list[Page]) -> list[str]:
    """The lines of the first page before its table of contents or first part."""
    if not pages:
        return []
    lines = []
    for line in pages[0].text.splitlines():
        if TOC_OR_PART.match(line.strip()):
            break
        if line.strip():
            lines.append(line.strip())
    return lines


def title(pages: list[Page]) -> str | None:
    """The cover title: the cover lines up to the date, joined ("2023 年度…部门决算公开")."""
    parts = []
    for line in cover_lines(pages)[:8]:
        if COVER_DATE.search(line) and not re.search(r"预算|决算", line):
            break
        if re.search(r"[。，；,;]", line):  # body text: a cover title is not a sentence
            break
        parts.append(line)
    text = join_lines(parts)
    if re.search(r"预算|决算", text):
        return tidy(squash(text))
    for page in pages[:3]:  # no cover: the first line that reads like a disclosure title
        for line in page.text.splitlines():
            if TITLE_LIKE.search(line) and len(line.strip()) <= 60 and not re.search(r"[。，；：:]", line):
                return tidy(squash(line))
    return None


def doc_type(title_text: str | None, table_names: list[str]) -> str | None:
    """决算 or 预算, from the title, else from the standard tables found; None otherwise
    (a 招标公告 that mentions 预算金额 is neither)."""
    if title_text:
        if "决算" in title_text:
            return "决算"
        if "预算" in title_text:
            return "预算"
    if any(name in FINAL_ACCOUNT_NAMES for name in table_names):
        return "决算"
    if any(name in BUDGET_NAMES for name in table_names):
        return "预算"
    return None


def fiscal_year(title_text: str | None, pages: list[Page]) -> int | None:
    """The year the figures are for: the title's year, else the most common "20NN 年度"."""
    if title_text:
        match = FISCAL_YEAR.search(title_text)
        if match:
            return int(match.group(1))
    years = Counter(
        int(match.group(1))
        for page in pages[:20]
        for match in re.finditer(r"(20\d{2})\s*年度", page.text)
    )
    return years.most_common(1)[0][0] if years else None


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


def department(pages: list[Page], captions: list[str], title_text: str | None) -> str | None:
    """The department's full name as printed beside the tables (部门名称：…), most common first.

    Falls back to the title without its year and "部门决算公开" words.
    """
    names = Counter()
    for line in captions + [line for page in pages for line in page.text.splitlines()]:
        for match in DEPARTMENT_LABEL.finditer(line):
            name = match.group("name").strip()
            if not re.match(r"^(?:万?元|\d)", name):
                names[name] += 1
    if names:
        return names.most_common(1)[0][0]
    if not title_text:
        return None
    name = re.sub(r"^.*?20\d{2}\s*年度?", "", title_text.replace(" ", ""))
    name = re.sub(r"(?:部门|单位)?(?:整体)?(?:预算|决算).*$", "", name)
    return name or None


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
