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
from .subjects import named_before_reason, subject
from .text import compact, parse_number, tidy
from .wording import (
    ACTUAL, AMOUNT, BRACKETED_PCT, BUDGET, BUDGET_VS_ACTUAL, CAUSE, CHANGE, CHANGE_PCT, COMPARISON,
    DOWN, ITEM_NUMBER, NO_DIFFERENCE, RATE, REASON, SUBJECT_MARK, UP, USE, YEAR_OVER_YEAR, amount_value, signed,
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


def explanations(items: list[Paragraph], department: str | None = None,
                 year: int | None = None) -> list[Explanation]:
    """Every explanation statement in the narrative paragraphs, in order.

    :param department: the document's department, dropped from the front of subjects.
    :param year: the fiscal year: "与2021年度预算相比" in a 2021 document compares with the budget.
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
            no_gap = reason_at is None and _says_no_gap(clause, pending[-1:] + clauses[max(index - 2, 0):index])
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
            if no_gap and pending and subject([clause.text], department):
                # "其中:因公出国(境)费支出决算增加0元,增长0%;" names its own subject: a statement
                # of its own; the comparison before it waits for its reason
                made, _ = _explanation([clause], None, [], pending[-1:], department, year)
                found += made
                index += 1
                continue
            if not pending and index == 0 and carry and reason_at is not None \
                    and reason_at[0] <= 2:
                # "…下降 56.15%。" then a new paragraph "主要原因：减少项目经费支出。"
                pending = carry
            statement = _trim(pending, clause, reason_at, department) + [clause]
            before = pending[: len(pending) - len(statement) + 1][-1:]
            following = clauses[index + 1:]
            overleaf = not following and position + 1 < len(blocks) and blocks[position + 1].level is None
            if overleaf:
                # "…存在差异的主要原因：" with the reasons in the next paragraph
                following = _clauses(blocks[position + 1], section)
            made, used = _explanation(statement, reason_at, following, before, department, year)
            for explanation in made:
                if explanation.subject is None and found and found[-1].page == explanation.page \
                        and re.match(rf"\s*(?:{COMPARISON.pattern})", statement[0].text):
                    # "…比预算无增减变化，比去年增加1.05万元…": the same subject, compared again
                    explanation.subject = found[-1].subject
            found += made
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
        if previous is not None and previous.level == 3 and item.level is None and SUBJECT_MARK.match(item.text.strip()):
            # "5.住房保障支出（类）住房改革支出（款）住房公积金" read as a heading, "（项）。年初…" after it
            blocks[-1] = Paragraph(previous.text + item.text, previous.page, None, previous.page_breaks)
            continue
        if (
            previous is not None
            and previous.level is None
            and item.level is None
            and not re.search(r"[。！？!?；;：:]\s*$", previous.text)
            and not ITEM_NUMBER.match(item.text)
            and not re.match(r"\s*[一二三四五六七八九十]+\s*[、.．]", item.text)
            # "…预算数无增减" / "2018年公务用车…": a line that closes its statement, then the next
            and not (re.match(r"\s*\d{4}\s*年", item.text)
                     and re.search(rf"(?:{NO_DIFFERENCE.pattern}|[%％]|万元)\s*$", previous.text))
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
            if COMPARISON.search(compact(clause)) or REASON.search(clause) or NO_DIFFERENCE.search(compact(clause)) \
                    or (not (REASON.search(sentence[: semicolon.start()]) or CAUSE.search(sentence[: semicolon.start()]))
                        and (_names_own_change(clause) or CHANGE_PCT.search(compact(clause)))):
                cuts.append(semicolon.end())
        for comma in re.finditer(r"[，,]", sentence):
            segment = sentence[max(c for c in cuts if c <= comma.start()):comma.start()]
            if REASON.search(segment) or CAUSE.search(segment):
                continue  # a reason's own commas never cut
            if len(re.findall(r"[（(]", sentence[:comma.start()])) > len(re.findall(r"[)）]", sentence[:comma.start()])):
                continue  # inside brackets: "(基数为0,不可比)"
            rest = re.split(r"[，,；;。]", sentence[comma.end():])[0]
            head = sentence[max(c for c in cuts if c <= comma.start()):comma.start()]
            if ((_compares_with_figures(rest) and _another_base(head, rest)) or _names_own_change(rest)) and (
                    _compares_with_figures(head) or CHANGE.search(compact(head)) or CHANGE_PCT.search(compact(head))):
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


def _another_base(head: str, rest: str) -> bool:
    """Whether a comparison compares with another base than the one before it (last year, then
    the budget; 2023, then 2019), not the same comparison told twice ("比上年预算减15600元,
    同比下降19.60%")."""
    def base(text: str) -> tuple:
        flat = compact(text)
        return _kind(flat, flat), tuple(re.findall(r"\d{4}年", flat))
    return base(head) != base(rest)


def _names_own_change(clause: str) -> bool:
    """A clause naming another item with its own change: "公务用车运行维护费增加2.01万元"."""
    return bool(re.match(rf"(?:其中[:：]?)?[\u4e00-\u9fff（）()“”\"]{{2,24}}?(?:{UP}|{DOWN})(?:了)?\d", compact(clause)))


def _compares_with_figures(clause: str) -> bool:
    """A clause that makes its own comparison and prints its own change ("比去年增加1.55 万元")
    or says there is none ("比预算无增减变化")."""
    flat = compact(clause)
    mark = re.search(f"{YEAR_OVER_YEAR.pattern}|[较比](?:年初|全年|调整后)?预算", flat)
    if not mark:
        return False
    scope = flat[mark.start():]
    return bool(CHANGE.search(scope) or CHANGE_PCT.search(scope) or NO_DIFFERENCE.search(scope))


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
    phrase = NO_DIFFERENCE.search(flat)
    if phrase:
        context = compact("".join(c.text for c in pending[-2:])) + flat
        return phrase.group().startswith(("与", "和", "同")) or bool(
            COMPARISON.search(context) or re.search(r"与上年|上年数|较\d{4}年|比\d{4}年", context))
    change = CHANGE.search(flat)
    context = compact("".join(c.text for c in pending))
    # a change of 0 in its comparison, or in a list after one ("…比2021年增加….其中:因公出国(境)费
    # 支出决算增加0元，增长0%;")
    if change and (COMPARISON.search(flat[: change.start()] or flat) or COMPARISON.search(context)) \
            and amount_value(change.group(2), change.group(3)) == 0:
        pct = CHANGE_PCT.search(flat)
        return pct is None or parse_number(pct.group(2)) == 0
    budget, actual = BUDGET.search(flat), ACTUAL.search(flat)
    return bool(budget and actual and amount_value(*budget.groups()) == 0 and amount_value(*actual.groups()) == 0
                and not CHANGE.search(flat))


def _trim(pending: list[_Clause], anchor: _Clause | None = None, reason_at: tuple[int, int] | None = None,
          department: str | None = None) -> list[_Clause]:
    """The clauses that belong to the statement: from its numbered item, or from the first
    that names a subject or makes a comparison, with the one before it when that one states
    the amount compared ("项目支出预算数为 4,968.34 万元。" / "与上年相比增加…").

    A comparison naming another subject starts the statement again ("其中公务接待较上年同期减少
    …。公务用车运行费用较上年同期增加…"), and a reason sentence that names its own subject before
    its marker takes the figures printed for that subject ("…“三公”经费预算总额为1969万元,较2024年
    …;其中:…;公务用车购置及运行维护费1687万元,…。2025年“三公”经费预算下降的原因主要是…")."""
    if anchor is not None and reason_at is not None and not re.search(r"\d", re.sub(
            r"\d{4}年度?", "", compact(anchor.text[: reason_at[0]]))):
        named = named_before_reason(compact(anchor.text[: reason_at[1]]), department)
        if named:
            for index in range(len(pending) - 1, -1, -1):
                if named in compact(pending[index].text) and re.search(AMOUNT, pending[index].flat):
                    return pending[index:index + 1] + [
                        c for c in pending[index + 1:] if re.match(rf"\s*(?:{COMPARISON.pattern})", c.text)]
    keep_from = len(pending)
    for index, clause in enumerate(pending):
        if clause.item:
            keep_from = index
    if keep_from == len(pending):
        for index, clause in enumerate(pending):
            if SUBJECT_MARK.search(clause.flat) or COMPARISON.search(clause.flat):
                keep_from = index
                break
        for index in range(keep_from + 1, len(pending)):
            if _compares_with_figures(pending[index].text) and not re.match(
                    rf"\s*(?:{COMPARISON.pattern})", pending[index].text) and subject([pending[index].text], department):
                keep_from = index  # another subject compared: the statement starts again there
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
    before: list[_Clause], department: str | None, year: int | None,
) -> tuple[list[Explanation], int]:
    """The explanations a statement makes (one per comparison), and how many following
    clauses its reason took."""
    anchor = statement[-1]
    flat = compact("".join(clause.text for clause in statement))
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
        reason = tidy(reason).strip().rstrip("。.!！?？；;，,").lstrip("：:，, ").strip()
        reason = re.sub(r"^(?:主要(?:原因)?(?:是|为))+(?=.)", "", reason)  # "增加原因主要是主要是…"
        reason = re.sub(r"[，,]?具体(?:情况)?如下[:：]?.*$", "", reason) or None  # a lead-in to a list
        figures = "".join(clause.text for clause in statement[:-1]) + stated
    said = compact(figures) or flat
    if reason is None and not (reason_at is None or NO_DIFFERENCE.search(flat) or _changes(said)[0] == 0):
        return [], used  # "主要变动原因如下：" over items that are statements of their own
    marker = anchor.text[reason_at[0]:reason_at[1]] if reason_at else ""
    if not (YEAR_OVER_YEAR.search(flat) or BUDGET_VS_ACTUAL.search(flat) or CHANGE.search(said)
            or CHANGE_PCT.search(said) or NO_DIFFERENCE.search(flat) or re.search(r"增|减|升|降|差异|持平|变", marker)
            or (BUDGET.search(flat) and ACTUAL.search(flat))):
        return [], used  # a reason for one figure, nothing compared: "结转下年资金预算数为0万元，主要原因是…"
    first = statement[0]
    common = dict(
        section=anchor.section,
        subject=subject([c.text for c in statement[:-1]] + [stated], department,
                        anchor.text[: reason_at[1]] if reason_at else None),
        reason=reason,
        page=first.paragraph.page_at(first.offset),
        text=_span(statement),
        context="".join(clause.text for clause in before + statement),
    )
    # One subject compared with two bases ("较上年减少19万元，…，较年初预算数减少4万元，…"): one
    # statement per comparison, each with its own figures and the reason they share.
    bases = [compact(c.text) for c in statement[:-1] if _compares_with_figures(c.text)]
    bases += [compact(stated)] if _compares_with_figures(stated) else []
    if len({(_kind(base, base, year), tuple(re.findall(r"\d{4}年", base))) for base in bases}) < 2:
        bases = []  # "比上年预算减15600元,同比下降19.60%": one comparison told twice
    explanations_made = []
    for scope in (bases if len(bases) > 1 else [said]):
        kind = _kind(scope, scope, year) if len(bases) > 1 else _kind(flat, anchor.flat, year)
        change, change_pct = _changes(scope)
        compared = kind == "budget_vs_actual"
        explanations_made.append(Explanation(
            kind=kind,
            budget=_figure(BUDGET, scope if len(bases) > 1 else said) if compared else None,
            actual=_first_known(_figure(ACTUAL, said), _stated_amount(compact(stated)), _stated_amount(said))
            if compared else None,
            rate=_rate(said) if compared else None,
            change=change,
            change_pct=change_pct,
            no_difference=reason_at is None or bool(NO_DIFFERENCE.search(_without_alternatives(flat)))
            or (change == 0 and not change_pct),
            **common,
        ))
    return explanations_made, used


def _without_alternatives(flat: str) -> str:
    """A template's bracketed alternative left out: "决算数小于预算数(或与预算数持平)的主要原因"."""
    return re.sub(r"[（(]或[^)）]*[)）]", "", flat)


def _span(statement: list[_Clause]) -> str:
    """The statement as printed, in one piece: from the start of the sentence (or ；clause) of
    its first clause to the end of the one of its last, so that a comparison cut off at a comma
    ("公务接待费支出决算比预算无增减变化," before "比去年增加0.5万元…") keeps its whole sentence."""
    first, last = statement[0], statement[-1]
    if first.paragraph is not last.paragraph:
        return "".join(clause.text for clause in statement).strip()
    text = first.paragraph.text
    start = max(text.rfind(stop, 0, first.offset) for stop in "。；;！？") + 1
    end = last.offset + len(last.text)
    if not re.search(r"[。；;！？]\s*$", text[:end]):
        stops = [found for found in (text.find(stop, end) for stop in "。；;！？") if found >= 0]
        end = min(stops) + 1 if stops else len(text)
    return text[start:end].strip()


def _first_known(*values: float | None) -> float | None:
    return next((value for value in values if value is not None), None)


def _stated_amount(flat: str) -> float | None:
    """The amount a statement gives for its subject ("公务接待费支出2.14万元，与2021年度预算相比，
    增加1.14万元"): its first amount that is no change, share or budget."""
    for match in re.finditer(AMOUNT, flat):
        if not re.search(r"(?:增加|减少|增长|下降|增|减|占|预算(?:数)?(?:为|是)?|[较比][^，,。]*)$", flat[: match.start()]):
            return amount_value(match.group(1), match.group(2))
    return None


_ENUMERATION = re.compile(r"\s*(?:[一二三四五六七八九十]是|其[一二三四五]|第[一二三四五]|[（(]?[1-9一二三四五][)）.、．])")


def _continued_reason(reason: str, following: list[_Clause]) -> list[_Clause]:
    """The sentences a reason goes on into: after "主要原因：" with nothing else, after
    "由以下因素…", and after a first point ("增加原因，一是…。含…。二是…。": js-jianchayuan-2018
    page 23), up to the next statement; never a numbered item that makes its own comparison
    ("主要变动原因如下：" then "1.工资福利支出较上年增…")."""
    bare = reason.strip(" 。.；;：:，,")
    if bare and not _ENUMERATION.match(bare) and not re.search(r"由以下|^以下|^如下", bare):
        return []
    taken: list[_Clause] = []
    for clause in following:
        flat = clause.flat
        if (COMPARISON.search(flat) or REASON.search(clause.text) or NO_DIFFERENCE.search(flat)
                or re.fullmatch(r"其中[:：]?", flat) or (clause.item and (SUBJECT_MARK.search(flat)
                                                                       or re.search(AMOUNT, flat)))):
            break
        if bare and not _ENUMERATION.match(clause.text) and not re.match(r"\s*(?:含|包括|即|具体)", clause.text):
            break  # a point's own detail ("含…", "包括…") goes on; other sentences do not
        taken.append(clause)
    return taken


def _kind(flat: str, anchor: str, year: int | None = None) -> str:
    if year and re.search(rf"(?:与|较|比){year}年度?(?:年初)?预算", flat):
        return "budget_vs_actual"  # "与2021年度预算相比" in the 2021 决算
    if BUDGET.search(flat) and ACTUAL.search(flat) and not YEAR_OVER_YEAR.search(flat):
        return "budget_vs_actual"  # "预算数为 0.00 万元，支出决算数为 0.00 万元"
    for scope in (anchor, flat):
        yoy = [m.start() for m in YEAR_OVER_YEAR.finditer(scope)]
        bva = [m.start() for m in BUDGET_VS_ACTUAL.finditer(scope)]
        if yoy or bva:
            return "year_over_year" if max(yoy, default=-1) > max(bva, default=-1) else "budget_vs_actual"
    return "year_over_year"  # a change with no base named ("公务用车购置全区增加126.72万元") is on last year


def _figure(pattern: re.Pattern, flat: str) -> float | None:
    match = pattern.search(flat)
    return amount_value(match.group(1), match.group(2)) if match else None


def _rate(flat: str) -> float | None:
    match = RATE.search(flat)
    return parse_number(match.group(1)) if match else None


def _changes(flat: str) -> tuple[float | None, float | None]:
    """(change, change %) of the comparison: the first change after the last comparison that
    prints one, and the percentage in the same clause (never one from another sentence)."""
    marks = list(COMPARISON.finditer(flat))
    mark = next((m for m in reversed(marks) if CHANGE.search(flat[m.start():]) or CHANGE_PCT.search(flat[m.start():])),
                marks[0] if marks else None)
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
