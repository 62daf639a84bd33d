"""Statements in the narrative that explain a gap, or say there is none.

A statement ends at a sentence holding a reason (原因是 / 原因为 / 原因：) or a no-difference
phrase (无差异 / 不存在差异); it starts after the previous such sentence in the paragraph, at
the numbered item that names the subject ("1. 一般公共服务支出（类）…（项）。年初预算数为…")
or at the sentence that makes the comparison.  Figures are read only from the statement's own
text, with the spaces converters put inside numbers removed ("599. 47" → 599.47).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .narrative import Paragraph
from .text import NUMBER, compact, parse_number, tidy

NUM = rf"({NUMBER})"
SENTENCE = re.compile(r"[^。！？!?]*(?:[。！？!?]|$)")
REASON = re.compile(r"原因(?:主要)?(?:是|为|在于|如下)[:：]?|原因[:：]")
# "决算数大于预算数，主要是由于人员增加": a reason without the word 原因, taken only in a
# statement that makes a comparison.
CAUSE = re.compile(r"主要(?:是)?(?:由于|因为)|主要系")
NO_DIFFERENCE = re.compile(r"(?:无|不存在|没有)(?:明显|较大)?差异")
ITEM_NUMBER = re.compile(r"^\s*(?:\d{1,2}\s*[.、．](?!\d)|[（(]\s*[\d一二三四五六七八九十]{1,3}\s*[)）])\s*")

YEAR_OVER_YEAR = re.compile(
    r"与上年度?(?:预算|决算)?(?:数)?相比|较上年|比上年|上年度相比|同比"
    r"|与\d{4}年度?(?:预算|决算)?(?:数)?相比|比\d{4}年度?|较\d{4}年度?"
)
BUDGET_VS_ACTUAL = re.compile(
    r"决算数?与(?:年初|全年|调整后)?预算数?|完成(?:了)?(?:年初|全年|调整后)?预算"
    r"|(?:年初|全年)预算(?:数|资金)?(?:为|是)?[-−\d]|执行数|执行率|决算数?[大小]于预算"
    r"|[较比超](?:年初|全年|调整后)预算|与(?:年初|全年|调整后)预算(?:数)?相比"
)
COMPARISON = re.compile(f"{YEAR_OVER_YEAR.pattern}|{BUDGET_VS_ACTUAL.pattern}|预算数|决算数")
SUBJECT_MARK = re.compile(r"[（(]\s*[类款项]\s*[)）]")

BUDGET = re.compile(rf"(?:年初|全年|调整后)?预算(?:数|资金)?(?:为|是)?[:：]?{NUM}万元")
ACTUAL = re.compile(rf"(?:(?:支出)?决算(?:数)?|执行数)(?:为|是)?[:：]?{NUM}万元")
RATE = re.compile(rf"(?:完成(?:了)?(?:年初|全年|调整后)?预算(?:数)?的?|执行率(?:为|是)?){NUM}[%％]")
_UP = "增加|增长|上升|超支|增"
_DOWN = "减少|下降|降低|节约|减"
CHANGE = re.compile(rf"({_UP}|{_DOWN}){NUM}万元")
CHANGE_PCT = re.compile(rf"({_UP}|{_DOWN}){NUM}[%％]")


@dataclass
class Explanation:
    kind: str
    section: str | None
    subject: str | None
    budget: float | None
    actual: float | None
    rate: float | None
    change: float | None
    change_pct: float | None
    reason: str | None
    no_difference: bool
    page: int
    text: str
    subject_code: str | None = None
    # The statement with the sentence before it: where the amount compared sits
    # ("收、支总计均为 95.46 万元。与上年度相比…").  Evidence for findings, not output.
    context: str = field(default="", repr=False)


@dataclass
class _Sentence:
    text: str
    paragraph: Paragraph
    offset: int
    section: str | None


def explanations(items: list[Paragraph]) -> list[Explanation]:
    """Every explanation statement in the narrative paragraphs, in order."""
    found: list[Explanation] = []
    section: str | None = None
    carry: list[_Sentence] = []
    for position, paragraph in enumerate(items):
        if paragraph.level is not None:
            section = paragraph.text if paragraph.level > 0 else section
            carry = []
            continue
        sentences = _sentences(paragraph, section)
        pending: list[_Sentence] = []
        for index, sentence in enumerate(sentences):
            is_reason = REASON.search(sentence.text) is not None or (
                CAUSE.search(sentence.text) is not None
                and COMPARISON.search(compact("".join(s.text for s in pending[-1:] + [sentence])))
                is not None
            )
            is_none = not is_reason and NO_DIFFERENCE.search(sentence.text) is not None
            if not (is_reason or is_none):
                pending.append(sentence)
                continue
            if not pending and index == 0 and carry and re.match(r"\s*(?:主要)?原因", sentence.text):
                # "…下降 56.15%。" then a new paragraph "主要原因：减少项目经费支出。"
                pending = carry
            kept = _trim(pending)
            before = pending[: len(pending) - len(kept)][-1:]
            statement = kept + [sentence]
            following = sentences[index + 1 :]
            if not following and position + 1 < len(items) and items[position + 1].level is None:
                # "…存在差异的主要原因：" with the reasons in the next paragraph
                following = _sentences(items[position + 1], section)
            found.append(_explanation(statement, is_reason, following, before))
            pending = []
        carry = pending
    return found


def _sentences(paragraph: Paragraph, section: str | None) -> list[_Sentence]:
    """Sentences (to 。), further cut at a ； that starts a new comparison or reason.

    "…原因是人员调资及新招录人员2人；项目支出 18.00 万元，与 2024 年相比减少…，主要原因是…"
    holds two statements; "原因是：一是…；二是…。" holds one.
    """
    result = []
    for match in SENTENCE.finditer(paragraph.text):
        sentence, start = match.group(), match.start()
        if not sentence.strip():
            continue
        cut = 0
        for semicolon in re.finditer(r"[；;]", sentence):
            clause = re.split(r"[；;]", sentence[semicolon.end():])[0]
            if COMPARISON.search(compact(clause)) or REASON.search(clause):
                result.append(_Sentence(sentence[cut : semicolon.end()], paragraph, start + cut, section))
                cut = semicolon.end()
        result.append(_Sentence(sentence[cut:], paragraph, start + cut, section))
    return result


def _trim(pending: list[_Sentence]) -> list[_Sentence]:
    """Drop leading sentences that neither name a subject nor make a comparison."""
    keep_from = len(pending)
    for index, sentence in enumerate(pending):
        text = compact(sentence.text)
        if (
            ITEM_NUMBER.match(sentence.text)
            or SUBJECT_MARK.search(text)
            or COMPARISON.search(text)
        ):
            keep_from = index
            break
    return pending[keep_from:]


def _explanation(
    statement: list[_Sentence], is_reason: bool, following: list[_Sentence],
    before: list[_Sentence],
) -> Explanation:
    text = "".join(sentence.text for sentence in statement).strip()
    context = "".join(sentence.text for sentence in before + statement)
    flat = compact(text)
    anchor = statement[-1]
    reason = None
    if is_reason:
        match = REASON.search(anchor.text) or CAUSE.search(anchor.text)
        reason = tidy(anchor.text[match.end() :]).rstrip("。.!！?？；;").strip()
        if not reason and following:
            reason = tidy(following[0].text).rstrip("。.!！?？；;").strip() or None
    change = _signed(CHANGE.search(flat))
    change_pct = _signed(CHANGE_PCT.search(flat))
    first = statement[0]
    kind = _kind(flat, compact(anchor.text))
    # 预算/决算/完成率 belong to a budget-vs-actual statement; in "机关运行经费预算 14.20 万元，
    # 与 2024 年相比增加 3.70 万元" the 预算 is this year's amount, not a budget compared.
    compared = kind == "budget_vs_actual"
    return Explanation(
        kind=kind,
        section=anchor.section,
        subject=_subject(first.text),
        budget=_figure(BUDGET, flat) if compared else None,
        actual=_figure(ACTUAL, flat) if compared else None,
        rate=_figure(RATE, flat) if compared else None,
        change=change,
        change_pct=change_pct,
        reason=reason or None,
        no_difference=not is_reason,
        page=first.paragraph.page_at(first.offset),
        text=text,
        context=context,
    )


def _kind(flat: str, anchor: str) -> str:
    for scope in (anchor, flat):
        yoy = [m.start() for m in YEAR_OVER_YEAR.finditer(scope)]
        bva = [m.start() for m in BUDGET_VS_ACTUAL.finditer(scope)]
        if yoy or bva:
            return "year_over_year" if max(yoy, default=-1) > max(bva, default=-1) else "budget_vs_actual"
    return "other"


def _figure(pattern: re.Pattern, flat: str) -> float | None:
    match = pattern.search(flat)
    return parse_number(match.group(1)) if match else None


def _signed(match: re.Match | None) -> float | None:
    if not match:
        return None
    value = parse_number(match.group(2))
    if value is None:
        return None
    return -abs(value) if re.fullmatch(_DOWN, match.group(1)) else value


def _subject(first_sentence: str) -> str | None:
    """The 类/款/项 text of a numbered item as printed (spaces dropped), else None."""
    flat = compact(ITEM_NUMBER.sub("", first_sentence, count=1))
    marks = list(SUBJECT_MARK.finditer(flat))
    return flat[: marks[-1].end()] if marks else None
