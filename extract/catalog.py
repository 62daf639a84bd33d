"""The standard tables of 部门决算 and 部门预算 disclosures, with the names portals print.

Each entry is (canonical name, other printed names).  Names are matched on text with spaces
removed and quotes unified, longest first, so 财政拨款收入支出决算总表 is never taken for
收入支出决算总表.
"""

from __future__ import annotations

import re

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
    ("财政拨款“三公”经费支出决算表", ["一般公共预算财政拨款“三公”经费支出决算表", "“三公”经费支出决算表"]),
]

BUDGET_TABLES = [
    ("部门收支预算表", ["收支预算总表", "部门收支预算总表", "部门收支总表", "收支总表"]),
    ("部门收入预算表", ["收入预算表", "部门收入总表", "收入总表"]),
    ("部门支出预算表", ["支出预算表", "部门支出总表", "支出总表"]),
    ("财政拨款收支预算表", ["财政拨款收支预算总表", "财政拨款收支总表"]),
    ("一般公共预算支出预算表", ["一般公共预算支出表", "一般公共预算财政拨款支出预算表"]),
    (
        "一般公共预算基本支出预算表",
        ["一般公共预算基本支出表", "一般公共预算财政拨款基本支出预算表"],
    ),
    ("支出经济分类汇总表", ["部门支出经济分类汇总表", "一般公共预算支出经济分类汇总表"]),
    (
        "一般公共预算“三公”经费预算表",
        ["一般公共预算“三公”经费支出预算表", "一般公共预算“三公”经费支出表", "“三公”经费预算表"],
    ),
    ("政府性基金支出预算表", ["政府性基金预算支出表", "政府性基金预算支出预算表"]),
    ("国有资本经营支出预算表", ["国有资本经营预算支出表", "国有资本经营预算支出预算表"]),
    (
        "行政（事业）单位机构运转经费预算表",
        ["行政(事业)单位机构运转经费预算表", "机关运行经费预算表", "机构运转经费预算表"],
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
    re.compile(rf"预算\s*(?:公开)?\s*表?\s*{_NUMBER}\s*表?"),
    re.compile(rf"(?:^|\s)附?表\s*{_NUMBER}(?=[\s:：、.．]|$)"),  # "附表1：收入支出决算总表" too
]
UNIT = re.compile(r"单位\s*[:：]\s*(万元|千元|元)")


def normalize(text: str) -> str:
    """Text as names are compared: no spaces, one kind of quote and parenthesis."""
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"[“”„‟〝〞＂]", '"', text)
    return text.replace("(", "（").replace(")", "）")


def _index() -> list[tuple[str, str]]:
    pairs = []
    for name, aliases in FINAL_ACCOUNT_TABLES + BUDGET_TABLES:
        for printed in [name, *aliases]:
            pairs.append((normalize(printed), name))
    return sorted(pairs, key=lambda pair: -len(pair[0]))


_NAMES = _index()


def table_name(line: str) -> str | None:
    """The canonical name of the standard table a title line names, if any.

    A title line is short: the name plus at most a code, a year or a department, so that
    notes ("注：本表反映…") and narrative that mention a table are not taken for titles.
    """
    text = normalize(line)
    if len(text) > 60 or text.startswith(("注", "说明")) or "。" in text:
        return None
    for printed, name in _NAMES:
        if printed in text:
            return name
    return None


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
    when its second line reads as a shorter name ("…财政拨款" / "收入支出决算总表")."""
    if table_name(first):
        return None
    name = table_name(first.strip() + second.strip())
    alone = table_name(second)
    return name if name and (alone is None or len(name) > len(alone)) else None


def table_code(line: str) -> str | None:
    """The table's number as printed, written 公开01表 (决算 templates) or 表1 (预算 templates);
    :func:`canonical_code` rewrites it for the table it turns out to number."""
    for kind, pattern in enumerate(CODES):
        match = pattern.search(line)
        if match:
            number = _number(match.group(1))
            if kind == 0 and isinstance(number, int):
                return f"公开{number:02d}表"
            return f"表{number}"
    return None


def canonical_code(code: str | None, name: str) -> str | None:
    """A code in the form of the named table's template: 决算 公开NN表, 预算 表N (表1-1 stays)."""
    if code is None:
        return None
    number = re.search(r"\d+(?:-\d+)?", code).group()
    if name in FINAL_ACCOUNT_NAMES and number.isdigit():
        return f"公开{int(number):02d}表"
    if name in BUDGET_NAMES:
        return f"表{int(number) if number.isdigit() else number}"
    return code


def _number(text: str) -> int | str:
    text = re.sub(r"\s+", "", text)
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
