"""Statements in the narrative that explain a gap, or say there is none.

The narrative is read as clauses, each with its own figures: a sentence (to 。), cut further
at a ；or a comma where a new comparison with figures of its own begins ("比预算增加 0 万元,
比去年增加 1.55 万元").  A statement is the clause that makes a comparison, with the clauses
before it that name its subject (a numbered item, "项目支出预算数为 4,968.34 万元。"), closed
by the reason it gives (主要原因是 / 原因为 / 增长原因是 / 下降原因主要是 / 主要是由于 / 系 …)
or by words saying there is no gap (无差异, 持平, 与上年数一致, 无增减变化, 增加 0 万元 …).
A numbered item ("1.工资福利支出较上年增…") always starts a statement of its own: it is never
the reason of the one before.  Figures are read from the statement's clauses only, amounts in
元 converted to 万元.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .narrative import Paragraph
from .subjects import subject
from .text import compact, parse_number, tidy
from .wording import (
    ACTUAL, AMOUNT, BRACKETED_PCT, BUDGET, BUDGET_VS_ACTUAL, CAUSE, CHANGE, CHANGE_PCT, COMPARISON,
    ITEM_NUMBER, NO_DIFFERENCE, RATE, REASON, SUBJECT_MARK, USE, YEAR_OVER_YEAR, amount_value, signed,
)

SENTENCE = re.compile(r"[^。！？!?]*(?:[。！？!?]|$)")


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
class _Clause:
    text: str
    paragraph: Paragraph
    offset: int
    section: str | None
    item: bool = False  # starts a numbered item

    @property
    def flat(self) -> str:
        return compact(self.text)


def explanations(items: list[Paragraph], department: str | None = None) -> list[Explanation]:
    """Every explanation statement in the narrative paragraphs, in order.

    :param department: the document's department, dropped from the front of subjects.
    """
    found: list[Explanation] = []
    section: str | None = None
    carry: list[_Clause] = []
    skip = 0
    blocks = _blocks(items)
    for position, block in enumerate(blocks):
        if block.level is not None:
            section = block.text if block.level > 0 else section
            carry = []
            continue
        clauses = _clauses(block, section)
        pending: list[_Clause] = []
        index, skip = skip, 0  # clauses the statement before took as its reason
        while index < len(clauses):
            clause = clauses[index]
            if clause.item and pending:
                pending = []  # "1.工资福利支出较上年增…" is a statement of its own
            reason_at = _reason_start(clause, pending)
            no_gap = reason_at is None and _says_no_gap(clause, pending)
            if reason_at is None and not no_gap:
                pending.append(clause)
                index += 1
                continue
            if no_gap and index + 1 < len(clauses):
                # The sentence after a gap of zero closes the statement when it gives the reason
                # or says so in words: "…增加（减少）0万元。主要原因是本部门无此项支出。",
                # "全年预算为 0.00 万元，支出决算为 0.00 万元。决算数与预算数无差异。"
                following = clauses[index + 1]
                next_reason = _reason_start(following, pending + [clause])
                if (next_reason is not None and next_reason[0] <= 2) or (
                    NO_DIFFERENCE.search(following.flat) and not re.search(AMOUNT, following.flat)
                    and not following.item
                ):
                    pending.append(clause)
                    index += 1
                    clause, reason_at = following, next_reason
            if not pending and index == 0 and carry and reason_at is not None \
                    and reason_at[0] <= 2:
                # "…下降 56.15%。" then a new paragraph "主要原因：减少项目经费支出。"
                pending = carry
            statement = _trim(pending) + [clause]
            before = pending[: len(pending) - len(statement) + 1][-1:]
            following = clauses[index + 1:]
            overleaf = not following and position + 1 < len(blocks) and blocks[position + 1].level is None
            if overleaf:
                # "…存在差异的主要原因：" with the reasons in the next paragraph
                following = _clauses(blocks[position + 1], section)
            explanation, used = _explanation(statement, reason_at, following, before, department)
            if explanation is not None:
                found.append(explanation)
            pending = []
            index += 1 + (0 if overleaf else used)
            skip = used if overleaf else 0
        carry = pending
    return found


# --- clauses ------------------------------------------------------------------------------

def _blocks(items: list[Paragraph]) -> list[Paragraph]:
    """Paragraphs joined where a sentence runs on: a page break, or a line the layout broke
    early, splits a sentence into two paragraphs ("…机关事业单位基本养老保险缴费支出" /
    "（项）415.33 万元，与上年相比…": js-zhengxie-2019-doc page 13)."""
    blocks: list[Paragraph] = []
    for item in items:
        previous = blocks[-1] if blocks else None
        if (
            previous is not None
            and previous.level is None
            and item.level is None
            and not re.search(r"[。！？!?；;：:]\s*$", previous.text)
            and not ITEM_NUMBER.match(item.text)
            and not re.match(r"\s*[一二三四五六七八九十]+\s*[、.．]", item.text)
        ):
            offset = len(previous.text)
            breaks = previous.page_breaks + [(offset, item.page)] + [
                (start + offset, page) for start, page in item.page_breaks
            ]
            blocks[-1] = Paragraph(previous.text + item.text, previous.page, None, breaks)
            continue
        blocks.append(item)
    return blocks


def _clauses(paragraph: Paragraph, section: str | None) -> list[_Clause]:
    """Sentences (to 。), further cut where another statement begins inside one: at a ；
    before a new comparison or reason, at a comma before a comparison with figures of its
    own when the clause so far has its own, and before a numbered item after a colon."""
    result = []
    text = paragraph.text
    for match in SENTENCE.finditer(text):
        sentence, start = match.group(), match.start()
        if not sentence.strip():
            continue
        cuts = [0]
        for colon in re.finditer(r"[：:]", sentence):
            if ITEM_NUMBER.match(sentence[colon.end():]) and re.match(r"\s*(?:\d|[（(]\d|[①-⑳])", sentence[colon.end():]):
                cuts.append(colon.end())
        for semicolon in re.finditer(r"[；;]", sentence):
            clause = re.split(r"[；;]", sentence[semicolon.end():])[0]
            if COMPARISON.search(compact(clause)) or REASON.search(clause) or NO_DIFFERENCE.search(compact(clause)):
                cuts.append(semicolon.end())
        for comma in re.finditer(r"[，,]", sentence):
            rest = re.split(r"[，,；;。]", sentence[comma.end():])[0]
            head = sentence[max(c for c in cuts if c <= comma.start()):comma.start()]
            if _compares_with_figures(rest) and _compares_with_figures(head):
                cuts.append(comma.end())
        cuts = sorted(set(cuts))
        for first, last in zip(cuts, cuts[1:] + [len(sentence)]):
            piece = sentence[first:last]
            if piece.strip():
                item = bool(ITEM_NUMBER.match(piece)) and (first > 0 or _starts_item(text, start))
                result.append(_Clause(piece, paragraph, start + first, section, item))
    return result


def _starts_item(text: str, start: int) -> bool:
    return start == 0 or re.search(r"[。；;：:]\s*$", text[:start]) is not None


def _compares_with_figures(clause: str) -> bool:
    """A clause that makes its own comparison and prints its own change: "比去年增加1.55 万元"."""
    flat = compact(clause)
    mark = re.search(f"{YEAR_OVER_YEAR.pattern}|[较比](?:年初|全年|调整后)?预算", flat)
    return bool(mark and (CHANGE.search(flat[mark.start():]) or CHANGE_PCT.search(flat[mark.start():])))


def _reason_start(clause: _Clause, pending: list[_Clause]) -> tuple[int, int] | None:
    """(start, end) of the reason marker in a clause, if the clause gives a reason."""
    match = REASON.search(clause.text)
    if match:
        return match.start(), match.end()
    for match in CAUSE.finditer(clause.text):
        if not COMPARISON.search(compact("".join(c.text for c in pending[-2:] + [clause]))):
            return None
        if USE.match(clause.text[match.end():]):
            head = compact(clause.text[: match.start()])
            if not (CHANGE.search(head) or CHANGE_PCT.search(head)):
                continue
        return match.start(), match.end()
    return None


def _says_no_gap(clause: _Clause, pending: list[_Clause]) -> bool:
    """Words saying the figures compared do not differ, or a change of zero printed beside a
    comparison ("比上年增加 0 万元"), or a budget and an actual both printed as zero."""
    flat = clause.flat
    if NO_DIFFERENCE.search(flat):
        context = compact("".join(c.text for c in pending[-2:])) + flat
        return bool(COMPARISON.search(context) or re.search(r"与上年|上年数|较\d{4}年|比\d{4}年", context))
    change = CHANGE.search(flat)
    if change and COMPARISON.search(flat[: change.start()] or flat) and amount_value(change.group(2), change.group(3)) == 0:
        pct = CHANGE_PCT.search(flat)
        return pct is None or parse_number(pct.group(2)) == 0
    budget, actual = BUDGET.search(flat), ACTUAL.search(flat)
    return bool(budget and actual and amount_value(*budget.groups()) == 0 and amount_value(*actual.groups()) == 0
                and not CHANGE.search(flat))


def _trim(pending: list[_Clause]) -> list[_Clause]:
    """The clauses that belong to the statement: from its numbered item, or from the first
    that names a subject or makes a comparison, with the one before it when that one states
    the amount compared ("项目支出预算数为 4,968.34 万元。" / "与上年相比增加…")."""
    keep_from = len(pending)
    for index, clause in enumerate(pending):
        if clause.item:
            keep_from = index
    if keep_from == len(pending):
        for index, clause in enumerate(pending):
            if SUBJECT_MARK.search(clause.flat) or COMPARISON.search(clause.flat):
                keep_from = index
                break
        if keep_from > 0 and _names_amount(pending[keep_from - 1]):
            keep_from -= 1
    return pending[keep_from:]


def _names_amount(clause: _Clause) -> bool:
    """A clause stating an amount ("…预算数为 4,968.34 万元。", also with the figure left out:
    "…政府性基金支出预算支出万元。")."""
    flat = clause.flat
    return bool(re.search(rf"{AMOUNT}|万元", flat)) and not COMPARISON.search(flat) \
        and not re.search(r"其中[:：]?$", flat)


# --- one statement ------------------------------------------------------------------------

def _explanation(
    statement: list[_Clause], reason_at: tuple[int, int] | None, following: list[_Clause],
    before: list[_Clause], department: str | None,
) -> tuple[Explanation | None, int]:
    """The explanation a statement makes, and how many following clauses its reason took."""
    anchor = statement[-1]
    flat = compact("".join(clause.text for clause in statement))
    kind = _kind(flat, anchor.flat)
    used = 0
    reason = None
    figures = "".join(clause.text for clause in statement)
    stated = anchor.text  # the anchor's words without its reason: where figures and subject are
    if reason_at is not None:
        start, end = reason_at
        rest = anchor.text[end:]
        if re.match(r"\s*(?:这|这是|是)?由于|\s*因为", anchor.text[start:]) and re.search(r"[，,]", rest) \
                and COMPARISON.search(compact(re.split(r"[，,]", rest, maxsplit=1)[1])):
            # "由于人员增加，基本支出较上年增加 10 万元": the reason comes first
            reason, stated = re.split(r"[，,]", rest, maxsplit=1)
        else:
            extra = _continued_reason(rest, following)
            used = len(extra)
            reason = rest.rstrip(" ：:") + "".join(clause.text for clause in extra)
            stated = anchor.text[:start]
        reason = tidy(reason).strip().rstrip("。.!！?？；;，,").lstrip("：:，, ").strip() or None
        figures = "".join(clause.text for clause in statement[:-1]) + stated
    change, change_pct = _changes(compact(figures) or flat)
    no_difference = reason_at is None or (change == 0 and not change_pct)
    if reason is None and not no_difference:
        return None, used  # "主要变动原因如下：" over items that are statements of their own
    compared = kind == "budget_vs_actual"
    first = statement[0]
    explanation = Explanation(
        kind=kind,
        section=anchor.section,
        subject=subject([c.text for c in statement[:-1]] + [stated], department),
        budget=_figure(BUDGET, flat) if compared else None,
        actual=_figure(ACTUAL, flat) if compared else None,
        rate=_rate(flat) if compared else None,
        change=change,
        change_pct=change_pct,
        reason=reason,
        no_difference=no_difference,
        page=first.paragraph.page_at(first.offset),
        text="".join(clause.text for clause in statement).strip(),
        context="".join(clause.text for clause in before + statement),
    )
    return explanation, used


_ENUMERATION = re.compile(r"\s*(?:[一二三四五六七八九十]是|其[一二三四五]|第[一二三四五]|[（(]?[1-9一二三四五][)）.、．])")


def _continued_reason(reason: str, following: list[_Clause]) -> list[_Clause]:
    """The sentences a reason goes on into: after "主要原因：" with nothing else, after
    "由以下因素…", and after a first point ("增加原因，一是…。含…。二是…。": js-jianchayuan-2018
    page 23), up to the next statement; never a numbered item that makes its own comparison
    ("主要变动原因如下：" then "1.工资福利支出较上年增…")."""
    bare = reason.strip(" 。.；;：:，,")
    if bare and not _ENUMERATION.match(bare) and not re.search(r"以下|如下", bare):
        return []
    taken: list[_Clause] = []
    for clause in following:
        flat = clause.flat
        if (COMPARISON.search(flat) or REASON.search(clause.text) or NO_DIFFERENCE.search(flat)
                or re.fullmatch(r"其中[:：]?", flat) or (clause.item and SUBJECT_MARK.search(flat))):
            break
        if bare and not _ENUMERATION.match(clause.text) and not re.match(r"\s*(?:含|包括|即|具体)", clause.text):
            break  # a point's own detail ("含…", "包括…") goes on; other sentences do not
        taken.append(clause)
    return taken


def _kind(flat: str, anchor: str) -> str:
    if BUDGET.search(flat) and ACTUAL.search(flat) and not YEAR_OVER_YEAR.search(flat):
        return "budget_vs_actual"  # "预算数为 0.00 万元，支出决算数为 0.00 万元"
    for scope in (anchor, flat):
        yoy = [m.start() for m in YEAR_OVER_YEAR.finditer(scope)]
        bva = [m.start() for m in BUDGET_VS_ACTUAL.finditer(scope)]
        if yoy or bva:
            return "year_over_year" if max(yoy, default=-1) > max(bva, default=-1) else "budget_vs_actual"
    if re.search(r"上年数|上年预算", flat):
        return "year_over_year"
    return "other"


def _figure(pattern: re.Pattern, flat: str) -> float | None:
    match = pattern.search(flat)
    return amount_value(match.group(1), match.group(2)) if match else None


def _rate(flat: str) -> float | None:
    match = RATE.search(flat)
    return parse_number(match.group(1)) if match else None


def _changes(flat: str) -> tuple[float | None, float | None]:
    """(change, change %) of the comparison: the first change after its marker, and the
    percentage in the same clause (never one from another sentence)."""
    mark = COMPARISON.search(flat)
    scope = flat[mark.start():] if mark else flat
    change = CHANGE.search(scope)
    value = None
    if change:
        value = signed(change.group(1), amount_value(change.group(2), change.group(3)))
    bracketed = BRACKETED_PCT.search(scope)
    if bracketed:
        pct = parse_number(bracketed.group(4))
        return value, (-abs(pct) if pct and value is not None and value < 0 else pct)
    clause = scope[change.start():] if change else scope
    clause = re.split(r"[。；;]", clause)[0]
    pct_match = CHANGE_PCT.search(clause)
    pct = None
    if pct_match:
        pct = signed(pct_match.group(1), parse_number(pct_match.group(2)))
    return value, pct
