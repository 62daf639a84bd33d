"""What an explanation statement explains, named as the document names it.

A numbered item's 类/款/项 chain ("政协事务（款）行政运行（项）"), else the words before the
amount a clause states ("项目支出预算数为 4,968.34 万元" → 项目支出) or before its comparison
("工资福利支出较上年增…"), else the words between the comparison and its verb ("与上年相比，
财政拨款收、支总计各增加…").  The department, the year and words that only say which figure
follows (预算数为, 支出决算, 均为) are left out.
"""

from __future__ import annotations

import re

from .text import NUMBER, compact
from .wording import DOWN, ITEM_NUMBER, SUBJECT_MARK, UP, YEAR_OVER_YEAR

_LEADING = re.compile(
    r"^(?:其中|此外|另外|同时|具体情况如下|具体如下)?[:：，,]?\s*"
    r"(?:(?:截至|截止)?\s*\d{4}\s*年(?:度|末|底)?[，,]?\s*)?(?:本部门|本单位|我部门|我单位|我局|本局|本年度?|当年)?\s*"
)
# Words after a subject that only say which figure follows: "预算数为", "支出决算", "均为"; a
# 费 item's "预算支出" ("公务接待费预算支出 397.5 万元").  "一般公共预算收入预算" stays whole.
_TRAILING = [
    re.compile(r"(?:年初|全年|调整后)?(?:预算|决算)(?:数|资金)?(?:为|是)$"),
    re.compile(r"(?:年初|全年|调整后)?(?:预算|决算)数$"),
    re.compile(r"(?<=支出)(?:预算|决算)$"),
    re.compile(r"(?<!支出)(?<!支)(?:预算|决算)(?=支出(?:数|为|数为)?$)"),
    re.compile(r"(?<=费|用|置)支出(?:预算|决算)?数?(?:为)?$"),
    re.compile(r"(?<=费)(?:预算|决算)$"),
    re.compile(r"(?:均|各|合计|总额|共计|累计)?(?:为|是)?(?:[\d.,]+(?:万元|元)?)?$"),
    re.compile(r"(?<=支出)(?:数|为|数为)$"),
    re.compile(r"[：:（(]$"),
]
# A department printed short before the subject ("省检察院一般公共预算机关运行经费"), or
# the sentence's own framing ("…一般公共预算拨款安排的会议费").
_ORGAN_BEFORE = re.compile(
    r"^.*?(?:院|厅|局|委|办|会|中心|部门|单位|本级)"
    r"(?=一般公共|财政拨款|政府性基金|国有资本|[“\"]?三公|机关运行|基本支出|项目支出|人员经费|公用经费|单位预留|收入|支出|收、支)"
)
_VERB = rf"(?:各|均)?(?:{UP}|{DOWN}|增减|持平|无|没有|未|保持|一致|与|相比)"


def subject(texts: list[str], department: str | None) -> str | None:
    """What the statement explains, as printed: a numbered item's 类/款/项 text, or the
    words naming the amount compared (收、支总计, 基本支出, 人员经费, 公务接待费 …).

    :param texts: the statement's clauses, the last one without its reason.
    """
    flat = compact(ITEM_NUMBER.sub("", texts[0], count=1))
    marks = list(SUBJECT_MARK.finditer(flat))
    if marks and marks[0].start() < 40:
        return flat[: marks[-1].end()]
    flats = [ITEM_NUMBER.sub("", compact(text), count=1) for text in reversed(texts)]
    for flat in flats:  # the amount a clause states, latest clause first
        for found in _named_amounts(flat):
            cleaned = _clean(found, department)
            if _valid(cleaned):
                return cleaned
    for flat in flats:  # "与上年相比，财政拨款收、支总计各增加…"
        after = re.search(
            rf"(?:{YEAR_OVER_YEAR.pattern}|与(?:年初|全年|调整后)?预算(?:数)?相比)[，,]?(?P<s>[^，,。；;\d]{{2,30}}?){_VERB}", flat
        )
        if after:
            cleaned = _clean(after.group("s"), department)
            if _valid(cleaned):
                return cleaned
    return None


def _named_amounts(flat: str):
    """The words before an amount a clause states ("项目支出预算数为 4,968.34 万元") or before
    its comparison ("工资福利支出较上年增…"); never a change, a share or a comparison."""
    before = re.search(
        rf"(?P<s>[^，,。；;：:]{{2,40}}?)(?:{NUMBER}\s*(?:万元|亿元|元)[，,]?)?(?:[，,]?(?:占[^，,。]*[，,])?)"
        rf"(?:[较比](?:上年|去年|年初|全年|调整后|预算|同期|\d{{4}})|同比|与上年|与\d{{4}}年|本年数)",
        flat,
    )
    if before:
        yield before.group("s")
    for amount in re.finditer(rf"(?:{NUMBER})?\s*(?:万元|亿元|(?<=\d)元)", flat):
        head = flat[: amount.start()]
        if re.search(rf"(?:{UP}|{DOWN}|占|差值为|相比|[较比][^，,。]*)(?:了|为)?[)）]?$", head):
            continue
        for piece in reversed(re.split(r"(?<!\d)[，,]|[，,](?!\d)|[：:；;]", head)):
            if piece and not re.search(r"[（(][^)）]*$", piece):
                yield piece
        break


def _clean(text: str, department: str | None) -> str:
    text = compact(text)
    if department:
        text = text.split(compact(department), 1)[-1]
    text = re.sub(r"^.*?\d{4}年(?:度|末|底)?[，,]?", "", text) if re.search(r"\d{4}年", text) else text
    text = _LEADING.sub("", text)
    text = re.sub(r"^.*安排的", "", text)
    text = _ORGAN_BEFORE.sub("", text)
    previous = None
    while previous != text:
        previous = text
        for pattern in _TRAILING:
            text = pattern.sub("", text)
    return text


def _valid(text: str | None) -> bool:
    """A subject names something: not a verb, a share, or what the money is for."""
    return bool(text) and len(text) >= 2 and re.search(r"[\u4e00-\u9fff]{2}", text) is not None and not re.match(
        rf"(?:{_VERB}|较|比|同比|占|其中|主要|全年|年初|预算|决算|合计|总计|执行数|执行率)$"
        rf"|^(?:较|比|与|占|全部|主要|其中|包括|用于|均为|分别|各|均|{UP}|{DOWN}|增减|[（(])", text
    )
