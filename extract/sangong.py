"""The 三公 figures a document prints twice: in its 三公 table and in its narrative.

三公经费 (因公出国（境）费, 公务用车购置及运行（维护）费 with its 购置 and 运行 parts, 公务接待费) are
printed in a one-row table ("财政拨款“三公”经费支出决算表", "“三公”经费、会议费、培训费支出预算表")
and again, item by item, in the narrative ("公务用车购置及运行费支出决算 0.00 万元").  Both are
read here as ``{(side, item): value}`` with side 预算 or 决算, so that findings can compare them.
"""

from __future__ import annotations

import re

from .tables import Table
from .text import compact
from .wording import AMOUNT, SCALE, amount_value

# (item, narrative name, column leaf) — the narrative's words and the table's header words.
ITEMS = [
    ("total", r"[“\"]?三公[”\"]?经费(?:财政拨款)?(?:支出)?", None),
    ("abroad", r"因公出国[（(]境[)）](?:经)?费(?:用)?(?:支出)?", r"因公出国"),
    ("vehicles", r"公务用车购置及运行(?:维护)?费(?:支出)?", r"公务用车购置及运行"),
    ("vehicle_purchase", r"公务用车购置(?:费|支出)(?!及)|公务用车购置(?=(?:预算|决算|为|\s*\d))", r"^公务用车购置费?$"),
    ("vehicle_running", r"公务用车运行(?:维护)?(?:费|支出)", r"^公务用车运行(?:维护)?费$"),
    ("reception", r"公务接待费(?:用)?(?:支出)?", r"公务接待"),
]
_SIDE = r"(?P<side>全年预算|年初预算|调整后预算|预算数?|支出决算数?|决算数?|实际支出)"
_OTHER_YEAR = re.compile(r"(?:上年|去年|上一年|同期|(?P<year>20\d{2})年度?)(?:的)?$")
# narrative_values' patterns, compiled once (it reads every clause of every paragraph)
_CLAUSE_END = re.compile(r"[。；;]")
_ITEM_NAMES = [(item, re.compile(name)) for item, name, _ in ITEMS]
_ANY_ITEM = re.compile("|".join(name for _, name, _ in ITEMS))
_AMOUNT_AFTER = re.compile(rf"(?:为|是|[:：])?{AMOUNT}")
_BRACKET = re.compile(r"\s*[（(]")
_SIDE_AMOUNT = re.compile(rf"{_SIDE}(?:为|是|[:：])?{AMOUNT}")


def _other_year(head: str, year: int | None) -> bool:
    """Whether the words before a figure say it is another year's ("上年公务接待费决算为…")."""
    match = _OTHER_YEAR.search(head)
    return bool(match) and not (match.group("year") and year and int(match.group("year")) == year)


def _side(word: str | None, doc_type: str | None) -> str | None:
    if word is None:
        return doc_type
    return "决算" if ("决算" in word or "实际" in word) else "预算"


def table_values(table: Table, doc_type: str | None) -> dict[tuple[str, str], tuple[float, str]]:
    """{(side, item): (value, column)} of a one-row 三公 table, or {} when the table is not
    read with certainty: an item in two columns, several rows, or a total that is not the sum
    of its items (js-fayuan-2019-doc's merged header read 27 columns for 9)."""
    rows = [row for row in table.rows if any(isinstance(cell, (int, float)) for cell in row)]
    if len(rows) != 1:
        return {}
    row = rows[0]
    extra = any(re.search(r"会议费|培训费", name) for name in table.columns)
    found: dict[tuple[str, str], tuple[float, str]] = {}
    for index, column in enumerate(table.columns):
        path = column.split("/")
        side = "决算" if any("决算" in part for part in path) else "预算" if any("预算" in part for part in path) else doc_type
        if side is None:
            return {}
        item = _column_item(path, extra)
        if item is None:
            continue
        if (side, item) in found:
            return {}
        value = row[index]
        found[(side, item)] = (value if isinstance(value, (int, float)) else 0.0, column)
    return found if _adds_up(found) else {}


def _column_item(path: list[str], extra: bool) -> str | None:
    leaf = path[-1]
    if leaf == "合计":
        return None if extra else "total"  # beside 会议费 and 培训费 the 合计 is no 三公 total
    if leaf == "小计":
        parent = path[-2] if len(path) > 1 else ""
        if re.search(r"公务用车购置及运行", parent):
            return "vehicles"
        return "total" if "三公" in parent else None
    for item, _, column in ITEMS[1:]:
        if re.search(column, leaf) and not (item == "vehicles" and len(path) > 1 and leaf != path[-1]):
            return item
    return None


def _adds_up(found: dict[tuple[str, str], tuple[float, str]]) -> bool:
    """Each side's total is the sum of its items, and 公务用车购置及运行 of its two parts."""
    for side in {side for side, _ in found}:
        value = {item: found[(s, item)][0] for s, item in found if s == side}
        if "total" in value and {"abroad", "vehicles", "reception"} <= set(value):
            if abs(value["total"] - value["abroad"] - value["vehicles"] - value["reception"]) > 0.03:
                return False
        if {"vehicles", "vehicle_purchase", "vehicle_running"} <= set(value):
            if abs(value["vehicles"] - value["vehicle_purchase"] - value["vehicle_running"]) > 0.02:
                return False
    return True


def narrative_values(text: str, doc_type: str | None,
                     year: int | None = None) -> list[tuple[str, str, float, float, str]]:
    """(side, item, value, half its last printed digit, clause) for every 三公 figure a
    narrative paragraph prints:
    "公务用车购置及运行费全年预算为 0.00 万元，支出决算为 0.00 万元" gives 预算 and 决算 of one
    item; a figure printed after the item with no 预算/决算 word is of the document's kind.
    Last year's figures ("比上年预算减少…", "上年预算为…") are left out."""
    found = []
    for clause in _CLAUSE_END.split(compact(text)):
        for item, name in _ITEM_NAMES:
            for match in name.finditer(clause):
                if _other_year(clause[: match.start()], year):
                    continue
                tail = clause[match.end():]
                head = _AMOUNT_AFTER.match(tail)
                if head and not _BRACKET.match(tail[head.end():]):
                    found.append((_side(None, doc_type), item, amount_value(head.group(1), head.group(2)),
                                  _half(head.group(1), head.group(2)), clause))
                stop = _ANY_ITEM.search(tail)
                scope = tail[: stop.start()] if stop else tail
                for side in _SIDE_AMOUNT.finditer(scope):
                    if _other_year(clause[: match.end() + side.start()], year):
                        continue
                    found.append((_side(side.group("side"), doc_type), item,
                                  amount_value(side.group(2), side.group(3)), _half(side.group(2), side.group(3)),
                                  clause))
    return [entry for entry in found if entry[0] is not None and entry[2] is not None]


def _half(number: str, unit: str) -> float:
    """Half the last printed digit of an amount, in 万元: what it may stand for ("0.00" 万元 is
    0 ± 0.005, "12" 元 is 12 ± 0.5 元)."""
    decimals = len(number.split(".")[1]) if "." in number else 0
    return 0.5 * 10 ** -decimals * SCALE[unit]
