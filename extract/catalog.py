"""The standard tables of 部门决算 and 部门预算 disclosures, with the names portals print.

Each entry is (canonical name, other printed names).  Names are matched on text with spaces
removed and quotes unified, longest first, so 财政拨款收入支出决算总表 is never taken for
收入支出决算总表.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .text import compact

FINAL_ACCOUNT_TABLES = [
    ("收入支出决算总表", ["部门收入支出决算总表"]),
    ("收入决算表", ["部门收入决算表"]),
    ("支出决算表", ["部门支出决算表"]),
    ("财政拨款收入支出决算总表", []),
    ("一般公共预算财政拨款支出决算表", ["一般公共预算财政拨款支出决算明细表"]),
    (
        "一般公共预算财政拨款基本支出决算明细表",
        ["一般公共预算财政拨款基本支出决算表", "一般公共预算财政拨款基本支出经济分类决算表"],
    ),
    ("政府性基金预算财政拨款收入支出决算表", ["政府性基金预算财政拨款支出决算表"]),
    ("国有资本经营预算财政拨款支出决算表", ["国有资本经营预算财政拨款收入支出决算表"]),
    (
        "财政拨款“三公”经费支出决算表",
        ["一般公共预算财政拨款“三公”经费支出决算表", "“三公”经费支出决算表", "“三公”经费财政拨款支出决算表",
         "财政拨款“三公”经费决算表"],
    ),
]

BUDGET_TABLES = [
    ("部门收支预算表", ["收支预算总表", "部门收支预算总表", "部门收支总表", "收支总表"]),
    ("部门收入预算表", ["收入预算表", "部门收入总表", "收入总表", "收入预算总表"]),
    ("部门支出预算表", ["支出预算表", "部门支出总表", "支出总表", "支出预算总表"]),
    ("财政拨款收支预算表", ["财政拨款收支预算总表", "财政拨款收支总表"]),
    ("一般公共预算支出预算表", ["一般公共预算支出表", "一般公共预算财政拨款支出预算表"]),
    (
        "一般公共预算基本支出预算表",
        ["一般公共预算基本支出表", "一般公共预算财政拨款基本支出预算表"],
    ),
    ("支出经济分类汇总表", ["部门支出经济分类汇总表", "一般公共预算支出经济分类汇总表"]),
    (
        "一般公共预算“三公”经费预算表",
        ["一般公共预算“三公”经费支出预算表", "一般公共预算“三公”经费支出表", "“三公”经费预算表",
         "“三公”经费支出预算表", "“三公”经费、会议费、培训费支出预算表",
         "一般公共预算“三公”经费、会议费、培训费支出预算表"],
    ),
    (
        "政府性基金支出预算表",
        ["政府性基金预算支出表", "政府性基金预算支出预算表", "政府性基金财政拨款支出预算表",
         "财政拨款政府性基金支出预算表", "政府性基金预算财政拨款支出预算表"],
    ),
    ("国有资本经营支出预算表", ["国有资本经营预算支出表", "国有资本经营预算支出预算表"]),
    (
        "行政（事业）单位机构运转经费预算表",
        ["行政(事业)单位机构运转经费预算表", "机关运行经费预算表", "机构运转经费预算表",
         "机关运行经费支出预算表", "一般公共预算机关运行经费支出预算表", "一般公共预算机关运行经费预算表"],
    ),
    ("项目支出预算表", ["项目支出表"]),
    ("绩效目标表", ["项目支出绩效目标表", "部门整体支出绩效目标表", "整体支出绩效目标表"]),
]

FINAL_ACCOUNT_NAMES = [name for name, _ in FINAL_ACCOUNT_TABLES]
BUDGET_NAMES = [name for name, _ in BUDGET_TABLES]
# Table numbers as the templates print them.  决算: 公开01表, 公开表1, 附表1, 表一; 预算: 表1,
# 表1-1, 预算01表, 预算公开01表, 部门预算公开表01, 附表1.  The number is kept; the code is written
# in the form of the table's own template (公开01表 for 决算, 表1 / 表1-1 for 预算).
_NUMBER = r"(\d{1,2}(?:\s*[-－—]\s*\d{1,2})?(?!\d|[.．]\d)|[一二三四五六七八九十]{1,3})"  # never a year or amount
CODES = [
    re.compile(rf"(?:^|[^预算])公开\s*表?\s*{_NUMBER}\s*表?"),
    # a numeral after 预算 only before 表 or the end of the words: "预算 三公" (quotes set
    # apart) is no 表3
    re.compile(rf"预算\s*(?:公开)?\s*表?\s*(?=\d|[一二三四五六七八九十]+(?:\s*表|(?![\u4e00-\u9fff])))"
               rf"{_NUMBER}\s*表?"),
    re.compile(rf"(?:^|\s)附?表\s*{_NUMBER}(?=[\s:：、.．]|$)"),  # "附表1：收入支出决算总表" too
    re.compile(rf"(?:^|\s)附件\s*{_NUMBER}(?=[\s:：、.．]|$)"),
]
UNIT = re.compile(r"单位\s*[:：]\s*(万元|千元|元)")
# Asked of every line of every caption (compiled once: re's cache lookup cost more than the match)
_SPACES_AND_QUOTES = re.compile(r"[\s“”„‟〝〞＂\"]+")
_ENDS_WITH_TABLE = re.compile(r"表\s*$")
_IDEOGRAPH = re.compile(r"[\u4e00-\u9fff]")


def normalize(text: str) -> str:
    """Text as names are compared: no spaces, no quotes (they may be printed apart from the
    line: "一般公共预算 三公 经费…"), one kind of parenthesis."""
    text = _SPACES_AND_QUOTES.sub("", text)
    return text.replace("(", "（").replace(")", "）")


def _index() -> list[tuple[str, str]]:
    pairs = []
    for name, aliases in FINAL_ACCOUNT_TABLES + BUDGET_TABLES:
        for printed in [name, *aliases]:
            pairs.append((normalize(printed), name))
    return sorted(pairs, key=lambda pair: -len(pair[0]))


_NAMES = _index()
STANDARD_NAMES = set(FINAL_ACCOUNT_NAMES) | set(BUDGET_NAMES)

# What may stand before a standard name on its title line: a year ("2024年度收入决算表"), or a
# department ("洛阳市XX局收入支出决算总表", "中共江苏省委办公厅…", "…（本级）").  Anything else makes
# another table: 财政拨款 + 支出预算表 is 财政拨款支出预算表, not 部门支出预算表 (js-*-2017
# 表五), 一般公共预算机关运行经费 + 支出预算表 is the 机关运行经费 table (公开表十一).
_ORGAN_END = "局厅委办院心部会室站所队处馆校园学社团署府司台场科组庭狱大镇乡区县市省"
_PREFIX = re.compile(
    rf"^(?:.*(?:20\d{{2}}|[〇零○一二三四五六七八九]{{4}})年度?|.*[{_ORGAN_END}](?:[（(](?:本级|汇总)[)）])?(?:部门|单位|本级)?|本?部门|单位)?$"
)
# Qualifiers after a title that do not change which table it is: （功能科目）, （经济分类）,
# （一般公共预算）, （续表）, and the code printed on the same line.
_QUALIFIER = re.compile(r"(?:[（(][^（()）]{1,12}[)）])+$")
_CODE_AROUND = re.compile(
    r"^(?:(?:附件|附表|公开表|预算公开表|部门预算公开表|部门决算公开表|公开|预算|表)\s*"
    r"[\d一二三四五六七八九十]{1,3}(?:\s*[-－—]\s*\d{1,2})?\s*表?\s*[:：、.．]?\s*)"
    r"|(?:[:：]?\s*(?:附件|附表|公开表|公开|表)\s*[\d一二三四五六七八九十]{1,3}(?:\s*[-－—]\s*\d{1,2})?\s*表?)$"
)
# A title names a table of figures: it ends with 表 and says what the figures are.
_TABLE_WORDS = re.compile(r"预算|决算|经费|支出|收入|收支|绩效|采购|资产|明细")
_GENERIC = re.compile(
    r"^(?:.*?(?:20\d{2}年度?))?(?:省级|市级|县级)?(?:部门|单位|整体)?(?:预算|决算|预决算)(?:信息)?(?:公开)?(?:报)?表(?:格)?$"
)
# Words a table name starts with, so that a department printed before it can be told apart.
_NAME_START = r"(?:一般公共预算|财政拨款|政府性基金|国有资本|[“\"]?三公|政府采购|项目支出|机关运行|部门整体|整体支出)"
_SENTENCE = re.compile(r"[，。；：:,;！？!?]")
MAX_TITLE_CHARS = 40


def is_standard(name: str | None) -> bool:
    """Whether a table name is one of the standard 决算 or 预算 tables."""
    return name in STANDARD_NAMES


def _strip_code(text: str) -> str:
    previous = None
    while previous != text:
        previous = text
        text = _CODE_AROUND.sub("", text).strip()
    return text


def _standard_name(text: str) -> str | None:
    """The standard name a title (spaces and code removed) prints, with at most a year or a
    department before it and a qualifier after it; None for any other table."""
    bare = _QUALIFIER.sub("", text)
    normal = normalize(bare)
    for printed, name in _NAMES:
        if normal.endswith(printed) and _PREFIX.match(normal[: len(normal) - len(printed)]):
            return name
    return None


@lru_cache(maxsize=16384)  # the same lines are asked about by captions, titles and findings
def table_name(line: str) -> str | None:
    """The name of the table a title line names: the standard name (whatever the template
    calls it), else the title as printed (without code, department or year) when the line
    reads as the title of a table of figures; None for any other line.

    A title line is short: the name plus at most a code, a year or a department, so that
    notes ("注：本表反映…") and narrative that mention a table are not taken for titles.
    """
    text = compact(line)
    if len(text) > 60 or text.startswith(("注", "说明", "见", "详见", "第")) or "。" in text:
        return None
    text = re.sub(r"^[一二三四五六七八九十]{1,3}[、.．]", "", _strip_code(text))  # "一、收支预算总表"
    name = _standard_name(text)
    if name:
        return name
    if _SENTENCE.search(text):
        return None
    if not re.search(r"表(?:[（(][^（()）]{1,12}[)）])*$", text) or not _TABLE_WORDS.search(text):
        return None
    if _GENERIC.match(_QUALIFIER.sub("", text)):
        return None
    # The year and the department before the name: "2017年度江苏省高级人民法院部门财政拨款支出预算表"
    text = re.sub(r"^.*?(?:20\d{2}|[〇零○一二三四五六七八九]{4})年度?(?=.)", "", text)
    text = re.sub(rf"^.*[{_ORGAN_END}](?:本级)?部门(?=.{{4}})", "", text)
    text = re.sub(rf"^.*?[{_ORGAN_END}](?={_NAME_START})", "", text)
    if len(text) > MAX_TITLE_CHARS or not re.match(r"[\u4e00-\u9fff“\"]", text):
        return None
    return text


def printed_title(line: str) -> str:
    """A title line as printed, without spaces, its code or a list number ("表一", "五、")."""
    return re.sub(r"^[一二三四五六七八九十]{1,3}[、.．]", "", _strip_code(compact(line)))


def table_name_in(lines: list[str]) -> tuple[int, str] | None:
    """(index, canonical name) of the last line naming a standard table, counting a title
    wrapped over two lines ("…2024年收入支出决算总" / "表") as one, found at its first line."""
    for index in range(len(lines) - 1, -1, -1):
        name = joined_name(lines[index - 1], lines[index]) if index else None
        if name:
            return index - 1, name
        name = table_name(lines[index])
        if name:
            return index, name
    return None


def joined_name(first: str, second: str) -> str | None:
    """The name two lines print together when neither names it alone: a wrapped title, also
    when its second line reads as a shorter name ("…财政拨款" / "收入支出决算总表").

    A table outside the standard list is joined only from a short second line or one that
    would otherwise read as a shorter standard name ("…机关运行经费" / "支出预算表").
    """
    if table_name(first) or _ENDS_WITH_TABLE.search(first) or not _IDEOGRAPH.search(first):
        return None
    name = table_name(first.strip() + second.strip())
    if name is None:
        return None
    alone = table_name(second)
    if not is_standard(name) and alone is None and len(compact(second)) > 6:
        return None
    return name if alone is None or len(name) > len(alone) else None


def table_code(line: str) -> str | None:
    """The table's number as printed, written 公开01表 (决算 templates) or 表1 (预算 templates);
    :func:`canonical_code` rewrites it for the table it turns out to number."""
    for kind, pattern in enumerate(CODES):
        match = pattern.search(line)
        if match:
            number = _number(match.group(1))
            if kind == 0 and isinstance(number, int):
                return f"公开{number:02d}表"
            return f"附件{number}" if kind == 3 else f"表{number}"
    return None


def canonical_code(code: str | None, name: str) -> str | None:
    """A code in the form of the named table's template: 决算 公开NN表, 预算 表N (表1-1 stays);
    a table outside the standard list follows the 决算 or 预算 its name says."""
    if code is None:
        return None
    if code.startswith("附件"):
        return code
    number = re.search(r"\d+(?:-\d+)?", code).group()
    final = name in FINAL_ACCOUNT_NAMES or (not is_standard(name) and "决算" in name)
    budget = name in BUDGET_NAMES or (not is_standard(name) and "预算" in name and not final)
    if final and number.isdigit():
        return f"公开{int(number):02d}表"
    if budget:
        return f"表{int(number) if number.isdigit() else number}"
    return code


def _number(text: str) -> int | str:
    text = compact(text)
    if text.isdigit():
        return int(text)
    if re.fullmatch(r"\d+[-－—]\d+", text):
        first, second = re.split(r"[-－—]", text)
        return f"{int(first)}-{int(second)}"
    return _chinese_number(text)


def _chinese_number(text: str) -> int:
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")}
    if "十" not in text:
        return digits[text]
    tens, _, ones = text.partition("十")
    return (digits[tens] if tens else 1) * 10 + (digits[ones] if ones else 0)
