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
from .subjects import heading_subject, named_before_reason, subject
from .text import NUMBER, compact, parse_number, tidy
from .wording import (
    ACTUAL, AFTER_CHANGE, AMOUNT, BRACKETED_PCT, BUDGET, BUDGET_VS_ACTUAL, CAUSE, CHANGE, CHANGE_PCT, CHANGE_WORD,
    COMPARISON, CONSEQUENCE, DIFFERENCE, DOWN, ITEM_NUMBER, NO_DIFFERENCE, OBJECT_CHANGE, OPENING_CAUSE, RATE, REASON,
    REPORT, SUBJECT_MARK, UP, USE, USE_AFTER, YEAR_OVER_YEAR, amount_value, signed,
)

# A sentence ends at 。！？, and at a half-width full stop after a word or a percentage when a
# word follows ("…下降43.66%.下降的主要原因都是…": ah-nanling-xuzhen); "1.工资福利" and "36.45" go on.
_STOP = r"[。！？!?]|(?<![\d.])\.(?=[\u4e00-\u9fff])"
SENTENCE = re.compile(rf"(?:(?!{_STOP}).)*(?:{_STOP}|$)", re.S)
_FIGURE = re.compile(rf"{AMOUNT}|[%％]")  # an amount or a percentage


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
    # (change, change %) of another comparison in the statement's sentence, printed without a
    # reason of its own ("完成预算100%,较上年增加2.4万元,增长0.24%。决算数小于预算数的主要原因是…"):
    # not the statement's figures, but a printed % the findings recheck.
    checks: list = field(default_factory=list, repr=False)


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
    history: list[_Clause] = []  # the section's clauses before the current paragraph
    alone: list[tuple[_Clause, list[Explanation]]] = []  # statements without a reason, and their clause
    dropped: set[int] = set()
    skip = 0
    blocks = _blocks(items)
    skip_blocks = 0  # whole paragraphs the statement before took as its reason's points
    for position, block in enumerate(blocks):
        if skip_blocks:
            skip_blocks -= 1
            history += _clauses(block, section)
            continue
        if block.level is not None:
            section = block.text if block.level > 0 else section
            carry, history = [], []
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
                # "全年预算为 0.00 万元，支出决算为 0.00 万元。决算数与预算数无差异。" — never a
                # comparison with another base ("比预算无增减变化,比去年无增减变化": two statements)
                following = clauses[index + 1]
                next_reason = _reason_start(following, pending + [clause])
                if (next_reason is not None and next_reason[0] <= 2) or (
                    NO_DIFFERENCE.search(following.flat) and not re.search(AMOUNT, following.flat)
                    and not following.item and _ends_sentence(clause.text)
                    and not _another_base(clause.text, following.text)
                ):
                    pending.append(clause)
                    index += 1
                    clause, reason_at = following, next_reason
            if index and any(source is clauses[index - 1] for source, _ in alone) \
                    and re.match(rf"\s*(?:{COMPARISON.pattern})", clause.text):
                # "其中:公务用车购置支出决算为0万元,完成预算0万元的--%," then "比上年决算数增加0万元,";
                # "公务用车运行维护费支出决算比预算无增减变化," then "比去年增加1.05万元,…增加原因…":
                # the same subject compared with another base
                made, used = _explanation([clause], reason_at, clauses[index + 1:], [], department, year, clauses,
                                          opening=clauses[index - 1])
                for explanation in made:
                    explanation.subject = explanation.subject or (found[-1].subject if found else None)
                found += made
                if reason_at is None:
                    alone.append((clause, made))
                index += 1 + used
                continue
            if no_gap and pending and subject([clause.text], department):
                # "其中:因公出国(境)费支出决算增加0元,增长0%;" names its own subject: a statement
                # of its own; the comparison before it waits for its reason
                made, _ = _explanation([clause], None, [], pending[-1:], department, year, clauses)
                found += made
                alone.append((clause, made))
                index += 1
                continue
            if not pending and index == 0 and carry and reason_at is not None \
                    and reason_at[0] <= 2:
                # "…下降 56.15%。" then a new paragraph "主要原因：减少项目经费支出。"
                pending = carry
            if reason_at is not None and _cause_first(clause.text, reason_at):
                # "…比去年增加3290万元。受减税降费和疫情双重影响,…下降11.07%": a cause opening its
                # sentence explains the comparison after it, never one finished before
                done = [at for at, earlier_clause in enumerate(pending)
                        if _ends_sentence(earlier_clause.text) and _compares_with_figures(earlier_clause.text)]
                pending = pending[done[-1] + 1:] if done else pending
            if reason_at is not None and not compact(clause.text[:reason_at[0]]):
                pending = _without_breakdown(pending)
            if reason_at is not None and _bare_rate(clause.text[:reason_at[0]]):
                pending = []  # "其中:税收收入8.37亿元,下降1.9 %,主要是…" prints its own figures: not the total's before it
            earlier = history + clauses[:index]
            statement, claimed = _trim(pending, clause, reason_at, department, earlier)
            if claimed is not None:
                for made in [made for source, made in alone if source is claimed]:
                    dropped.update(id(explanation) for explanation in made)  # its reason comes later: "…持平的主要原因是…"
            before = pending[: len(pending) - len(statement) + 1][-1:] if claimed is None else []
            following = clauses[index + 1:]
            overleaf = not following and position + 1 < len(blocks) and blocks[position + 1].level is None
            sizes: list[int] = []
            if overleaf:
                # "…存在差异的主要原因：" with the reasons in the next paragraph, and its points in the
                # paragraphs after it when each starts a point of the same numbering ("1.…；" / "2.…。")
                following = []
                bare = clause.text[reason_at[1]:].strip(" 。.；;：:，,") if reason_at is not None else ""
                points = not bare or _NUMBERING.match(bare) is not None  # a reason told in points
                for later in blocks[position + 1:]:
                    if later.level is not None or (sizes and (
                            not points or COMPARISON.search(compact(later.text)) or _numbering(later.text) is None
                            or _numbering(later.text) != _numbering(following[0].text))):
                        break
                    later_clauses = _clauses(later, section)
                    if not later_clauses:
                        break
                    following += later_clauses
                    sizes.append(len(later_clauses))
            every = _for_every(clause, reason_at)
            peers = _peers(pending + [clause] if every else statement, reason_at, department)
            made, used = [], 0
            opening = (peers[0][0] if every else statement[0]) if peers else None
            for group in peers or [statement]:
                group_made, used = _explanation(group, reason_at, following, before, department, year, clauses,
                                                claimed is not None, opening)
                made += group_made
            for explanation in made:
                if not before and claimed is None and explanation.subject:
                    # the amount compared printed for the subject in the paragraph before:
                    # "2018年财政拨款“三公”经费预算总额为2.7万元，…" / "2018年“三公”经费预算数比2017年…"
                    explanation.context = _amount_named(
                        [c for c in earlier[-2:] if c.paragraph is not statement[0].paragraph],
                        explanation.subject, compact(statement[0].text)) + explanation.context
                if explanation.kind == "budget_vs_actual" and explanation.actual is None and explanation.subject \
                        and reason_at is not None and reason_at[0] <= 2 and claimed is None:
                    # a reason sentence after a comparison that prints no amount: the 决算 printed for
                    # the subject earlier in the section ("经汇总,2021年度全镇“三公”经费支出合计40.14万元。"
                    # … "经比较,…较年初预算数减少0.36万元。主要是…": cq-fuling-xinmiao)
                    explanation.actual = _actual_named(earlier, explanation.subject)
                if explanation.subject is None and found and found[-1].page == explanation.page \
                        and found[-1].section == explanation.section:
                    # "…比预算无增减变化，比去年增加1.05万元…", "按与上年统计口径一致相比，本年比上年
                    # 减少…": the subject of the sentence it continues
                    explanation.subject = found[-1].subject
                if explanation.subject in (None, "收入", "支出") and section:
                    # "(一)因公出国(境)经费" / "2022年预算安排0万元,与2021年预算持平"; a bare 支出
                    # under "(3)公务接待费支出情况。" ("…210人次,支出2.05万元,较上年减少…")
                    explanation.subject = heading_subject(section, department) or explanation.subject
            found += made
            if reason_at is None:
                alone.append((clause, made))
            pending = []
            index += 1 + (0 if overleaf else used)
            skip = used if overleaf else 0
            while overleaf and sizes and skip >= sizes[0] and len(sizes) > 1:
                skip -= sizes.pop(0)  # a paragraph of points taken whole
                skip_blocks += 1
        carry = pending
        history += clauses
    return [explanation for explanation in found if id(explanation) not in dropped]


def _amount_named(clauses: list[_Clause], name: str, compared: str) -> str:
    """"X预算总额为2.7万元。" when one of the clauses prints the amount of ``name`` right after
    it, as the same figure the statement compares (its 预算 when it compares "预算数比…", never
    a 年初预算 when it compares the 决算: "机关运行经费年初预算为3.76万元…" / "…较上年度增长")."""
    own = re.search(r"(年初|全年)?(预算|决算)", compared.split("比")[0].split("较")[0])
    for clause in reversed(clauses):
        found = re.search(rf"{re.escape(compact(name))}([^，,。；;\d]{{0,8}}?){AMOUNT}", clause.flat)
        if not found:
            continue
        words = re.search(r"(年初|全年)?(预算|决算)", found.group(1))
        if words is None or (own is not None and own.groups() == words.groups()):
            return found.group() + "。"
    return ""


def _actual_named(clauses: list[_Clause], name: str) -> float | None:
    """The latest amount printed right after ``name`` in the clauses that is no budget and no
    change ("“三公”经费支出合计40.14万元", "“三公”经费决算总额为1023万元")."""
    for clause in reversed(clauses):
        found = re.search(rf"{re.escape(compact(name))}([^，,。；;\d]{{0,8}}?){AMOUNT}", clause.flat)
        if found and not re.search(rf"预算|{UP}|{DOWN}|[较比]", found.group(1)):
            return amount_value(found.group(2), found.group(3))
    return None


def _ends_sentence(text: str) -> bool:
    return re.search(r"(?:[。！？!?]|(?<![\d.])\.)\s*$", text) is not None


def _peers(statement: list[_Clause], reason_at: tuple[int, int] | None,
           department: str | None) -> list[list[_Clause]]:
    """Comparisons of two subjects in the sentence before one reason sentence ("比上年收入增加
    50.8%,支出比上年增加42.5%。主要原因是…"): one statement each, sharing the reason.  Not a
    total and its parts (其中：…), whose reason is the total's."""
    anchor = statement[-1]
    if reason_at is None or reason_at[0] > 2 or len(statement) < 3:
        return []
    sentence = statement[:-1]
    start = max((i for i, c in enumerate(sentence) if i == 0 or _ends_sentence(sentence[i - 1].text)), default=0)
    sentence = sentence[start:]
    comparing = [c for c in sentence if _compares_with_figures(c.text) or _names_own_change(c.text)]
    if _for_every(anchor, reason_at):
        # "…比上年预算数字下降35.45%,比上年决算数字下降34.26%;其中公务接待费…;公务用车运行维护费…
        # 下降43.66%.下降的主要原因都是…": every subject, its comparison with another base included
        comparing = [c for c in comparing if subject([c.text], department)] if comparing and subject(
            [comparing[0].text], department) else []
    elif any(re.search(r"其中", c.flat) for c in sentence) \
            or not all(subject([c.text], department, generic=True) for c in comparing):
        return []
    if len(comparing) < 2:
        return []
    groups = []
    for position, clause in enumerate(comparing):
        first = sentence.index(clause) if position else 0
        last = sentence.index(comparing[position + 1]) if position + 1 < len(comparing) else len(sentence)
        own = sentence[first: sentence.index(clause) + 1]
        bases = [c for c in sentence[sentence.index(clause) + 1: last] if re.match(rf"\s*(?:{COMPARISON.pattern})", c.text)]
        groups.append(own + bases + [anchor])
    return groups


def _for_every(anchor: _Clause, reason_at: tuple[int, int] | None) -> bool:
    """A reason said of every comparison before it: "下降的主要原因都是…", "…原因均为…"."""
    return reason_at is not None and re.search(r"(?:都|均)(?:是|为)", anchor.text[reason_at[0]:reason_at[1]]) is not None


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
            # a reason with no full stop, then the next subject's figures
            and not ((REASON.search(previous.text) or CAUSE.search(previous.text)) and _opens_statement(item.text))
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
                        and (_names_own_change(clause) or CHANGE_PCT.search(compact(clause)))) \
                    or (_names_own_change(clause) and (CAUSE.search(clause) or AFTER_CHANGE.search(clause))):
                # "…原因为…不再安排;公务用车购置及运行费增加23.4万元,为新增单位…": an item with its own
                # change and cause after a reason is a statement of its own, not more of that reason
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
        return _kind(flat, flat), _base_years(flat)
    return base(head) != base(rest)


_OWN_CHANGE = re.compile(rf"(?:其中[:：，,]?)?(?:[\u4e00-\u9fff（）()“”\"]{{2,24}}?(?:{UP}|{DOWN})(?:了)?\d"
                         rf"|{OBJECT_CHANGE.pattern})")


def _names_own_change(clause: str) -> bool:
    """A clause naming another item with its own change: "公务用车运行维护费增加2.01万元", "压缩公务接待费52万元"."""
    return bool(_OWN_CHANGE.match(compact(clause)))


# "完成全年预算84.82万元的73.2%", "完成预算0万元的--%(基数为0,不可比)": the budget compared, in figures
COMPLETION = re.compile(rf"完成(?:了)?(?:年初|全年|调整后)?预算(?:数)?(?:{NUMBER}\s*(?:万元|亿元|元))?的?\s*(?:{NUMBER}|-+|—+)\s*[%％]")


def _compares_with_figures(clause: str) -> bool:
    """A clause that makes its own comparison and prints its own change ("比去年增加1.55 万元")
    or completion rate ("完成全年预算84.82万元的73.2%"), or says there is no gap
    ("比预算无增减变化")."""
    flat = compact(clause)
    if COMPLETION.search(flat):
        return True
    mark = re.search(f"{YEAR_OVER_YEAR.pattern}|[较比](?:年初|全年|调整后)?预算", flat)
    if not mark:
        return False
    scope = flat[mark.start():]
    return bool(CHANGE.search(scope) or CHANGE_PCT.search(scope) or NO_DIFFERENCE.search(scope))


def _cause_first(text: str, reason_at: tuple[int, int]) -> bool:
    """Whether a clause's reason comes before the comparison it explains: "由于人员增加，基本支出较上年
    增加 10 万元", "受疫情影响，…", "四是因政府性基金收入短收,…与年初预算数相比减少5000万元"."""
    start, end = reason_at
    opens = re.match(r"\s*(?:[一二三四五六七八九十]是)?(?:(?:这|这是|是)?由于|因|受|据(?:了解|介绍|悉))", text[start:])
    if opens and _consequence(text[end:]) is not None:
        return True
    parts = re.split(r"[，,]", text[end:], maxsplit=1)
    return len(parts) == 2 and bool(opens and COMPARISON.search(compact(parts[1])))


def _within_brackets(reason: str) -> str:
    """A reason up to the bracket its marker was printed in closes (the rest is the sentence's)."""
    depth = 0
    for at, char in enumerate(reason):
        depth += (char in "(（") - (char in ")）")
        if depth < 0:
            return reason[:at]
    return reason


def _before_next_item(reason: str) -> str:
    """A reason that prints no figure, up to the ；before another item's own change: "主要是增加省对市的
    结算补助收入;调入资金增加10,239万元;上解上级支出减少19,144万元;…" (三亚市2020年财政决算) lists other
    gaps after it, as ";非税收入8.38亿元,增长64.8%" (an amount and its rate) does.  A reason made of changes
    ("人员经费增加10万元;公用经费增加5万元") and numbered causes go on."""
    if "；" not in reason and ";" not in reason:
        return reason
    parts = re.split(r"(?<=[；;])", reason)
    if _FIGURE.search(compact(parts[0])):
        return reason
    for at, part in enumerate(parts[1:], 1):
        if (_names_own_change(part) or _bare_rate(part)) and not _NUMBERING.match(part):
            return "".join(parts[:at]).rstrip("；; ")
    return reason


def _opens_statement(text: str) -> bool:
    """A paragraph that opens with another subject's comparison or change ("公务用车运行维护费支出决算比
    上年增加…", "调入资金增加…"): never the rest of a reason on a page printed without full stops."""
    first = re.split(r"[。！？；;]", text, maxsplit=1)[0]
    return not re.match(rf"\s*(?:{COMPARISON.pattern}|[，,、])", first) and (
        _names_own_change(re.split(r"[，,]", first, maxsplit=1)[0])
        or (_compares_with_figures(first) and subject([first], None) is not None))


def _goes_on(clause: _Clause, lead_in: bool = False) -> bool:
    """A short sentence that goes on explaining after a reason's sentence: it opens with a year or a
    consequence (因此, 所以, 从而 …) and prints no figure, comparison, reason or numbered item of its own.
    After a marker ending in a colon ("减少的主要原因:") the reason is a block: any such sentence of up to
    60 characters goes on (柳州市阳和第三幼儿园 "…收支矛盾有所加大。政府拟采取…调减非急需、非刚性支出。")."""
    flat = clause.flat
    return len(flat) <= (60 if lead_in else 30) and _ends_sentence(clause.text) and not clause.item \
        and not _NUMBERING.match(clause.text) \
        and (lead_in or bool(re.match(r"(?:\d{4}年度?|因此|所以|故|从而|进而|致使|导致|使得?)(?![\d%％])", flat))) \
        and not re.search(r"\d", re.sub(r"\d{4}年度?", "", flat)) \
        and not (COMPARISON.search(flat) or NO_DIFFERENCE.search(flat) or REASON.search(clause.text)
                 or CAUSE.search(clause.text))


_BRACKETED = re.compile(r"\s*[（(]([^()（）]{6,}?)[)）]\s*[。.]?\s*$")


def _bracket_group(text: str) -> re.Match | None:
    """A sentence that is one bracketed cause, with no figure, comparison or note on scope."""
    group = _BRACKETED.match(text) if text.lstrip()[:1] in ("(", "（") else None
    words = compact(group.group(1)) if group else ""
    if not group or re.match(r"含|不含|包括|包含|其中|即|注|见|详见|单位|下同|以下|数据|口径", words) \
            or _FIGURE.search(words) or COMPARISON.search(words) or NO_DIFFERENCE.search(words):
        return None
    return group


def _bracketed_reason(clause: _Clause, pending: list[_Clause]) -> tuple[int, int] | None:
    """A reason printed in brackets as a sentence of its own, right after the comparison it explains
    gave none: "…。(2019年追加的项目未完成,结转至2020年)".  Never a note on what a figure holds
    ("(不含外事接待费)", "(含…)") nor one that prints figures or a comparison."""
    group = _bracket_group(clause.text)
    if not group or not pending or not _ends_sentence(pending[-1].text):
        return None
    last = pending[max(i for i, c in enumerate(pending) if i == 0 or _ends_sentence(pending[i - 1].text)):]
    if not any(_compares_a_change(c) for c in last):
        return None
    return group.start(1), group.start(1)


def _consequence(rest: str) -> re.Match | None:
    """故/所以/因此 after a cause, when what follows prints the change the cause brought ("…,故我单位
    2018年车编费增加2万元"), with its own comparison or none."""
    found = CONSEQUENCE.search(rest)
    after = compact(re.split(r"[。！？!?；;]", rest[found.end():])[0]) if found else ""
    return found if found and (CHANGE.search(after) or CHANGE_PCT.search(after) or OBJECT_CHANGE.search(after)) else None


def _reason_start(clause: _Clause, pending: list[_Clause]) -> tuple[int, int] | None:
    """(start, end) of the reason marker in a clause, if the clause gives a reason."""
    match = REASON.search(clause.text)
    if match:
        return match.start(), match.end()
    report = REPORT.match(clause.text)
    if report and pending and _ends_sentence(pending[-1].text) and _explains_before("", pending) \
            and not CAUSE.search(clause.text):
        # what the department said, when it prints no figure nor comparison of its own
        said = compact(re.split(r"[。！？!?；;]", clause.paragraph.text[clause.offset + report.end():])[0])
        if not (re.search(AMOUNT, said) or COMPARISON.search(said)):
            return report.start(), report.end()
    for match in CAUSE.finditer(clause.text):
        consequence = not clause.text[: match.start()].strip() and _consequence(clause.text[match.end():])
        if not clause.text[: match.start()].strip() and OPENING_CAUSE.match(clause.text, match.start()) \
                and not COMPARISON.search(compact(clause.text[match.end():])) and not consequence:
            continue
        if not consequence and not _compared_before(clause, pending, match.start()):
            return None  # "公务接待费减少0万元,主要是…" compares by its own change
        if USE.match(clause.text[match.end():]):
            head = compact(clause.text[: match.start()])
            if not (CHANGE.search(head) or CHANGE_PCT.search(head)):
                continue
        first = _first_point(clause.text, match.start())
        return (first, first) if first is not None else (match.start(), match.end())
    match = AFTER_CHANGE.search(clause.text)
    if match and _compared_before(clause, pending, match.start("cause")):
        # no figure nor another comparison to the end of its sentence (or ；clause): "…减少1.2万元,
        # 严格控制在预算以内,较预算减少0.5万元" tells no cause after the change
        said = compact(re.split(r"[。！？!?；;]", clause.paragraph.text[clause.offset + match.end("cause"):])[0])
        if not (_FIGURE.search(said) or COMPARISON.search(said)):
            return match.start("cause"), match.end("cause")
    return _bracketed_reason(clause, pending)


def _compared_before(clause: _Clause, pending: list[_Clause], at: int) -> bool:
    """Whether a reason at ``at`` in a clause follows a comparison: a base named in the clause or
    the two before it, or an item's own change before the reason in any of its comma pieces, the
    years printed in it left out ("2015年财政部的对外合作与交流支出减少700.82 万元,主要是…",
    "在收入方面,中央补助减少9亿元,为…")."""
    if COMPARISON.search(compact("".join(c.text for c in pending[-2:] + [clause]))):
        return True
    head = clause.text[:at]
    if pending and _ends_sentence(pending[-1].text) and _explains_before(head, pending):
        return True
    if _names_own_change(head) or _bare_rate(head):
        return True
    pieces = re.split(r"(?<=[，,])", re.sub(r"\d{4}\s*年度?的?", "", head))
    # one change only: "安排预算稳定调节基金减少53亿元、结转下年增加51亿元,主要是…" is two items' reason
    changes = len(CHANGE.findall(compact(head))) + len(OBJECT_CHANGE.findall(compact(head)))
    return changes == 1 and any(_names_own_change(piece) for piece in pieces)


def _bare_rate(head: str) -> bool:
    """An amount then its growth rate alone, the base left unsaid as a budget report does: "增值税完成
    423.5亿元,增长5.2%,主要是…", "税收收入8.37亿元,下降1.9 %,主要是受…影响" (on last year)."""
    pieces = re.split(r"[，,](?!\d{3}(?:\D|$))", compact(head).rstrip("，,。；;"))  # "9,830.96万元" is one piece
    return len(pieces) >= 2 and bool(re.fullmatch(rf"(?:同比)?(?:{UP}|{DOWN})(?:{NUMBER})[%％]", pieces[-1])) \
        and bool(re.search(rf"{AMOUNT}$", pieces[-2])) and not (CHANGE.search(pieces[-2]) or COMPARISON.search(pieces[-2]))


def _without_breakdown(pending: list[_Clause]) -> list[_Clause]:
    """The clauses before a sentence opening with its reason, without the sentences listing the
    parts of the total compared ("…减少8.15亿元,下降10.2%。其中,因公出国(境)费减少4.44亿元,…。
    主要是…"): the reason is the total's, and so are the subject and figures."""
    if not any("其中" in c.text for c in pending):
        return pending
    starts = [i for i, c in enumerate(pending) if i == 0 or _ends_sentence(pending[i - 1].text)]
    end = len(pending)
    for start in reversed(starts):
        sentence = pending[start:end]
        if not start or not re.match(r"\s*其中", sentence[0].text) \
                or any(COMPARISON.search(c.flat) for c in sentence):
            break
        end = start
    return pending[:end]


def _compares_a_change(clause: _Clause) -> bool:
    """A clause comparing with a change in figures: what a cause printed after it can explain."""
    return bool(COMPARISON.search(clause.flat) and (CHANGE.search(clause.flat) or CHANGE_PCT.search(clause.flat)))


def _explains_before(head: str, pending: list[_Clause]) -> bool:
    """Whether a sentence opening with a cause explains the comparison of the sentences before it
    in its paragraph, still without a reason: "…执行数减少8.15亿元,下降10.2%。其中,…。主要是各部门
    贯彻落实…" (财政部预算司 2014), or an item's change named again before the cause: "其中,因公出国(境)费
    增加2.84亿元,…。因公出国(境)费增加主要是受…影响"."""
    if not compact(head):
        return any(_compares_a_change(c) for c in pending)
    named = named_before_reason(compact(head), None)
    return named is not None and any(named in c.flat and CHANGE.search(c.flat) for c in pending)


def _says_no_gap(clause: _Clause, pending: list[_Clause]) -> bool:
    """Words saying the figures compared do not differ, or a change of zero printed beside a
    comparison ("比上年增加 0 万元"), or a budget and an actual both printed as zero."""
    flat = clause.flat
    phrase = NO_DIFFERENCE.search(flat)
    if phrase:
        context = compact("".join(c.text for c in pending[-2:])) + flat
        return bool(re.match(r"与|和|同|\d{4}|上年|本年", phrase.group())) or bool(
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


def _trim(pending: list[_Clause], anchor: _Clause, reason_at: tuple[int, int] | None = None,
          department: str | None = None, earlier: list[_Clause] = ()) -> tuple[list[_Clause], _Clause | None]:
    """The clauses that belong to the statement: from its numbered item, or from the first
    that names a subject or makes a comparison, with the one before it when that one states
    the amount compared ("项目支出预算数为 4,968.34 万元。" / "与上年相比增加…"); and the clause
    an earlier statement came from when the statement takes that one's figures (or None).

    A comparison naming another subject starts the statement again ("其中公务接待较上年同期减少
    …。公务用车运行费用较上年同期增加…"); a clause that names its own subject and change is
    a statement by itself ("会议费减少87.51万元,培训费增加4.66万,增加的原因…"); and a reason
    sentence that names its own subject before its marker takes the figures printed for that
    subject, in the sentences before or earlier in its section ("…“三公”经费预算总额为1969万元,
    较2024年…;其中:…。2025年“三公”经费预算下降的原因主要是…"; "…公务接待费602.47万元，比年初
    预算减少516.57万元。" / "…公务接待费低于预算数的主要原因为…")."""
    if reason_at is not None and not re.search(r"\d", re.sub(
            r"\d{4}年度?", "", compact(anchor.text[: reason_at[0]]))):
        named = named_before_reason(compact(anchor.text[: reason_at[1]]), department)
        if named:
            for index in range(len(pending) - 1, -1, -1):
                if _states_for(pending[index], named, department):
                    return pending[index:index + 1] + [
                        c for c in pending[index + 1:] if re.match(rf"\s*(?:{COMPARISON.pattern})", c.text)] + [anchor], None
            rest = [c for c in earlier if c not in pending]
            for index in range(len(rest) - 1, -1, -1):
                if _states_for(rest[index], named, department):
                    compared = []  # its own comparisons cut off at commas: "…,比上年决算数增加38.97万元,…;"
                    for clause in rest[index + 1:]:
                        if not re.match(rf"\s*(?:{COMPARISON.pattern})", clause.text) \
                                or clause.paragraph is not rest[index].paragraph:
                            break
                        compared.append(clause)
                    return [rest[index]] + compared + [anchor], rest[index]
    stated = anchor.text[: reason_at[0]] if reason_at is not None else anchor.text
    if (_compares_with_figures(stated) or _names_own_change(stated)) and not any(c.item for c in pending + [anchor]) \
            and not re.match(rf"\s*(?:{COMPARISON.pattern})", stated) and subject([stated], department):
        return [anchor], None
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
    return pending[keep_from:] + [anchor], None


def _states_for(clause: _Clause, named: str, department: str | None) -> bool:
    """Whether a clause prints an amount or a change for the subject a reason sentence names
    ("公务接待费602.47万元，比年初预算减少516.57万元" for "公务接待费低于预算数的主要原因…")."""
    if named not in clause.flat or not (re.search(AMOUNT, clause.flat) or CHANGE_PCT.search(clause.flat)):
        return False
    own = subject([clause.text], department)
    return own is not None and (own == named or named in own)


def _names_amount(clause: _Clause) -> bool:
    """A clause stating an amount ("…预算数为 4,968.34 万元。", also with the figure left out:
    "…政府性基金支出预算支出万元。")."""
    flat = clause.flat
    return bool(re.search(rf"{AMOUNT}|万元", flat)) and not COMPARISON.search(flat) \
        and not re.search(r"其中[:：]?$", flat)


# --- one statement ------------------------------------------------------------------------

def _explanation(
    statement: list[_Clause], reason_at: tuple[int, int] | None, following: list[_Clause],
    before: list[_Clause], department: str | None, year: int | None, siblings: list[_Clause] = (),
    claimed: bool = False, opening: _Clause | None = None,
) -> tuple[list[Explanation], int]:
    """The explanations a statement makes (one per comparison), and how many following
    clauses its reason took.

    :param siblings: the clauses of the statement's paragraph (where its text ends).
    :param claimed: the figures come from an earlier sentence: the text is the reason sentence.
    :param opening: the clause the statement's text starts from, when not its first.
    """
    anchor = statement[-1]
    flat = compact("".join(clause.text for clause in statement))
    used = 0
    reason = None
    figures = "".join(clause.text for clause in statement)
    stated = anchor.text  # the anchor's words without its reason: where figures and subject are
    marked = anchor.text  # ...with its reason marker ("…下降的原因主要是"), which may name the base
    if reason_at is not None:
        start, end = reason_at
        rest = anchor.text[end:]
        marked = anchor.text[:end]
        if _cause_first(anchor.text, reason_at):
            consequence = _consequence(rest)
            reason, stated = (rest[:consequence.start()], rest[consequence.end():]) if consequence \
                else re.split(r"[，,]", rest, maxsplit=1)
            marked = stated
        else:
            extra = _continued_reason(rest, following, anchor.paragraph,
                                      anchor.text[start:end].rstrip().endswith((":", "：")))
            used = len(extra)
            reason = rest.rstrip(" ：:") + "".join(clause.text for clause in extra)
            stated = anchor.text[:start]
        if len(re.findall(r"[（(]", anchor.text[:start])) > len(re.findall(r"[)）]", anchor.text[:start])):
            reason = _within_brackets(reason)  # "下降27.37%(主要原因为基建等一次性经费减少)"
        reason = tidy(reason).strip().rstrip("。.!！?？；;，,").lstrip("：:，, ").strip()
        reason = re.sub(r"^(?:主要(?:原因)?(?:是|为))+(?=.)", "", reason)  # "增加原因主要是主要是…"
        if anchor.text[start:end].rstrip(" ：:").endswith("是"):
            reason = re.sub(r"^是(?=[\u4e00-\u9fff])", "", reason)  # "增加原因主要是是接待…"
        reason = re.sub(r"[，,]?具体(?:情况)?如下[:：]?.*$", "", reason) or None  # a lead-in to a list
        if reason:  # "…原因为厉行节约;其中:因公出国(境)支出0万元;…": the amounts' breakdown is no reason
            reason = _before_next_item(re.split(r"[；;]\s*其中[:：，,]", reason)[0]) or None
        if reason:  # "增人增资,主要用于保障…支出": what the money is for ends the cause (codebook rule 12)
            reason = USE_AFTER.split(reason, maxsplit=1)[0] or reason
        figures = "".join(clause.text for clause in statement[:-1]) + stated
    said = compact(figures) or flat
    claims = compact("".join(clause.text for clause in statement[:-1]) + marked)  # all but the reason
    if reason is None and not (reason_at is None or NO_DIFFERENCE.search(claims) or _changes(said)[0] == 0):
        return [], used  # "主要变动原因如下：" over items that are statements of their own
    alone = not (YEAR_OVER_YEAR.search(flat) or BUDGET_VS_ACTUAL.search(flat) or CHANGE.search(said)
                 or CHANGE_PCT.search(said) or NO_DIFFERENCE.search(flat) or OBJECT_CHANGE.search(said)
                 or re.search(r"增|减|升|降|差异|持平|变", compact(marked[len(stated):]))
                 or (BUDGET.search(flat) and ACTUAL.search(flat)))
    if alone and not (reason and re.search(AMOUNT, said) and REASON.match(anchor.text, reason_at[0])):
        return [], used  # nothing compared, and no 原因 given for an amount: "…预算数50万元,主要是…车辆费用"
    if not re.search(r"\d\s*(?:万元|亿元|元|万)", said) and re.search(
            r"\d\s*(?:辆|人次|人|批次|批|次|个|台|名|架|艘)", said):
        return [], used  # what is compared is no money: "公务用车保有量1辆,与2015年相比无变化"
    pieces = [anchor] if claimed else ([opening, anchor] if opening else statement)
    common = dict(
        section=anchor.section,
        subject=_subject_of(statement, stated, marked if reason_at else None, department),
        reason=reason,
        page=pieces[0].paragraph.page_at(pieces[0].offset),
        text=_span(pieces, siblings),
        context="".join(clause.text for clause in before + statement[:-1]) + stated,
    )
    # The base a reason sentence names without figures of its own ("…决算小于预算数的主要情况：",
    # "相比2018年公务接待费有所减少，主要是…") is the one compared; else one statement per base
    # ("较上年减少19万元，…，较年初预算数减少4万元，…"), each with its own figures and the reason
    # they share.
    bare = compact(marked)
    named_base = _kind(bare, bare, year) if reason_at and COMPARISON.search(bare) and not re.search(
        r"\d", re.sub(r"\d{4}年度?", "", bare)) else None
    bases = [compact(c.text) for c in statement[:-1] if _compares_with_figures(c.text)]
    bases += [compact(stated)] if _compares_with_figures(stated) else []
    figures_of_last_year = {_last_years_figure(base) for base in bases}
    if (len({(_kind(base, base, year), _base_years(base)) for base in bases}) < 2
            and (len(figures_of_last_year) < 2 or () in figures_of_last_year)) or named_base:
        bases = []  # "比上年预算减15600元,同比下降19.60%": one comparison told twice
    elif reason_at is None:
        # a statement that only says there is no gap is made of the comparisons that say so
        # ("…完成预算29.6万元的92.8%,…;其中:…比上年决算数增加0万元": not the 92.8 %)
        bases = [base for base in bases if _no_gap_in(base)]
        if len(bases) == 1:
            said = bases[0]
    others = [_changes(said, other) for other in ("year_over_year", "budget_vs_actual") if named_base and other != named_base]
    common["checks"] = [pair for pair in others if None not in pair and pair != _changes(said, named_base)]
    own = compact(stated)
    # A sentence of its own that says there is no gap and prints no change takes none from the
    # sentence before ("…比2020年预算减少12.00万元,下降32.88%。其中:公务用车运行维护费支出预算
    # 24.50万元,与2020年预算持平,持平的原因主要是…": not −12.00).
    level = (len(statement) == 1 or _ends_sentence(statement[-2].text)) and NO_DIFFERENCE.search(own) \
        and not (CHANGE.search(own) or CHANGE_PCT.search(own))
    explanations_made = []
    for scope in (bases if len(bases) > 1 else [said]):
        kind = named_base or (_kind(scope, scope, year) if len(bases) > 1 else _kind(
            claims if COMPARISON.search(claims) else flat, compact(marked), year))
        if alone:
            # the 原因 of one amount, with nothing compared: "结转下年资金预算数为0万元，主要原因是本部门无此项
            # 资金", "公务接待支出756万元(…)。公务接待支出较大的原因主要是…": a statement of kind other
            explanations_made.append(Explanation(kind="other", budget=None, actual=None, rate=None, change=None,
                                                 change_pct=None, no_difference=False, **common))
            continue
        compared = kind == "budget_vs_actual"
        pairs = [(None, None)] if level else (
            _paired(scope) or [_changes(scope, kind, _base_years(bare) if named_base else None)])
        rate = _rate(said) if compared else None
        budget = _first_known(_figure(BUDGET, own), _figure(BUDGET, scope if len(bases) > 1 else said)) \
            if compared else None
        actual = _first_known(_figure(ACTUAL, said), _stated_amount(own), _stated_amount(said),
                              _stated_amount(compact(figures))) if compared else None
        for change, change_pct in pairs:
            gap = DIFFERENCE.search(own) if compared and change is None else None
            if gap and budget is not None and actual is not None:
                # "年初预算为0.95万元,差值为0.95万元": the sign is the figures' (spent 0 of 0.95)
                size = amount_value(gap.group(1), gap.group(2))
                change = size if actual >= budget else -size
            explanations_made.append(Explanation(
                kind=kind,
                budget=budget,
                actual=actual,
                rate=rate,
                change=change,
                change_pct=change_pct,
                no_difference=reason_at is None or bool(NO_DIFFERENCE.search(_without_alternatives(claims)))
                or (change == 0 and not change_pct) or (compared and rate == 100 and not change),
                **common,
            ))
    return explanations_made, used


def _subject_of(statement: list[_Clause], stated: str, marked: str | None, department: str | None) -> str | None:
    """The statement's subject; when a reason sentence names it and the sentence it takes its
    figures from names it in full ("般公共预算…" printed for "一般公共预算…"), the full name."""
    texts = [c.text for c in statement[:-1]] + [stated]
    found = subject(texts, department, marked, generic=True)
    verb_first = OBJECT_CHANGE.search(compact(stated))
    if verb_first and not CHANGE.search(compact(stated)) and (found is None or found.startswith(verb_first["verb"])):
        return verb_first["object"]  # "压缩公务接待费52万元" → 公务接待费
    if marked is not None and found and statement[:-1]:
        own = subject([statement[0].text], department)
        if own and found in own and own != found:
            return own
    return found


def _base_years(flat: str) -> tuple:
    """The years a comparison is made with ("较2019年", "与2023年度相比"), not the year stated."""
    return tuple(re.findall(r"(?:较|比|与|相比)\s*(\d{4})\s*年", flat))


def _last_years_figure(flat: str) -> tuple:
    """Which of last year's figures a comparison is made with ("比上年预算数字下降35.45%,比上年决算
    数字下降34.26%": two comparisons; "比上年预算减15600元,同比下降19.60%" is one told twice)."""
    return tuple(re.findall(r"(?:较|比|与)(?:上年度?|去年)(预算|决算)", flat))


def _paired(flat: str) -> list[tuple[float | None, float | None]]:
    """Two subjects' changes printed as a pair ("收、支总计各减少1267.86,2570.97万元,各下降
    23.51%、38.28%"): one (change, change %) for each."""
    pair = re.search(rf"各(?:{UP}|{DOWN})(?:了)?(\d[\d,，]*\.\d+|\d+)\s*(?:万元|亿元|元)?"
                     rf"(?:[、及和]|[,，](?!\d{{3}}(?:\D|$)))({NUMBER})\s*(万元|亿元|元)", flat)  # not "3,958.67"
    if not pair:
        return []
    word = re.search(rf"各({UP}|{DOWN})", pair.group()).group(1)
    changes = [signed(word, amount_value(pair.group(i), pair.group(3))) for i in (1, 2)]
    pcts = re.search(rf"各?({UP}|{DOWN})(?:了)?({NUMBER})[%％][,，、及和]({NUMBER})[%％]", flat[pair.end():])
    percents = [signed(pcts.group(1), parse_number(pcts.group(i))) for i in (2, 3)] if pcts else [None, None]
    return list(zip(changes, percents))


def _no_gap_in(flat: str) -> bool:
    """A comparison that says there is no gap: in words, by a change of 0, or 0 against 0."""
    change = CHANGE.search(flat)
    budget, actual = BUDGET.search(flat), ACTUAL.search(flat)
    return bool(NO_DIFFERENCE.search(flat) or (change and amount_value(change.group(2), change.group(3)) == 0)
                or (budget and actual and amount_value(*budget.groups()) == 0 == amount_value(*actual.groups())))


def _without_alternatives(flat: str) -> str:
    """A template's bracketed alternative left out: "决算数小于预算数(或与预算数持平)的主要原因"."""
    return re.sub(r"[（(]或[^)）]*[)）]", "", flat)


def _starts_subject(clause: _Clause) -> bool:
    """A clause that opens another subject's comparison ("公务用车运行维护费支出决算比预算…")."""
    return not re.match(rf"\s*(?:{COMPARISON.pattern})", clause.text) and (
        _names_own_change(clause.text) or (_compares_with_figures(clause.text) and subject([clause.text], None) is not None))


def _span(statement: list[_Clause], siblings: list[_Clause] = ()) -> str:
    """The statement as printed, in one piece: from the start of the sentence (or ；clause) of
    its first clause to the end of the one of its last, so that a comparison cut off at a comma
    ("公务接待费支出决算比预算无增减变化," before "比去年增加0.5万元…") keeps its whole sentence;
    never into a clause that opens another subject's comparison ("公务用车购置支出决算比预算
    无增减变化,比去年无增减变化,公务用车运行维护费支出决算比预算…")."""
    first, last = statement[0], statement[-1]
    if first.paragraph is not last.paragraph:
        return "".join(clause.text for clause in statement).strip()
    text = first.paragraph.text
    start = max(text.rfind(stop, 0, first.offset) for stop in "。；;！？") + 1
    if _starts_subject(first):
        start = first.offset  # "会议费减少87.51万元,培训费增加4.66万,…": from its own subject
    end = last.offset + len(last.text)
    if not re.search(r"[。；;！？]\s*$", text[:end]):
        stops = [found for found in (text.find(stop, end) for stop in "。；;！？") if found >= 0]
        end = min(stops) + 1 if stops else len(text)
        others = [c.offset for c in siblings if c.paragraph is last.paragraph
                  and last.offset + len(last.text) <= c.offset < end and _starts_subject(c)]
        end = min(others, default=end)
    return text[start:end].strip()


def _first_known(*values: float | None) -> float | None:
    return next((value for value in values if value is not None), None)


def _stated_amount(flat: str) -> float | None:
    """The amount a statement gives for its subject ("公务接待费支出2.14万元，与2021年度预算相比，
    增加1.14万元"): its first amount that is no change, share or budget."""
    for match in re.finditer(AMOUNT, flat):
        if not re.search(r"(?:增加|减少|增长|下降|增|减|占|预算(?:数)?(?:为|是)?|(?<!经)(?<!比)[较比](?!较)[^，,。]*)$",
                         flat[: match.start()]):
            return amount_value(match.group(1), match.group(2))
    return None


# How a point is numbered, one group per style: a reason's points keep the style of its first
# point, so a number of another style is the document's own outline ("…二是…未能开展。2.收入情况").
_NUMBERING = re.compile(r"\s*(?:(?P<shi>[一二三四五六七八九十]是)|(?P<qi>其[一二三四五])|(?P<di>第[一二三四五])|"
                        r"(?P<paren>[（(]\s*(?:[1-9]\d?|[一二三四五六七八九十])\s*[)）])|(?P<digit>[1-9]\d?\s*[.、．)）](?!\d))|"
                        r"(?P<chinese>[一二三四五六七八九十][、.．)）])|(?P<circled>[①-⑳]))")


_FIRST_POINT = {style: re.compile(rf"(?:(?<=[，,：:；;])|^)\s*(?={first})") for style, first in (
    ("shi", "一是"), ("qi", "其一"), ("di", "第一"), ("paren", r"[（(]\s*[1一]\s*[)）]"),
    ("digit", r"1\s*[.、．)）](?!\d)"), ("circled", "①"))}


def _first_point(text: str, at: int) -> int | None:
    """Where the first point of a cause numbered at ``at`` ("二是受…影响") starts, when it is
    printed earlier in the same sentence with no marker before it ("减少105.5万元,一是…;二是受…"):
    every point is the reason, not the one that happens to open with a cause word."""
    sentence = max(text.rfind(stop, 0, at) for stop in "。！？") + 1
    point = max([text.rfind(mark, sentence, at) for mark in "，,；;：:"] + [sentence - 1]) + 1
    style = _numbering(text[point:]) if len(text[point:at].strip()) <= 3 else None  # "二是由于…"
    if style not in _FIRST_POINT or _FIRST_POINT[style].match(text[point:].lstrip()):
        return None
    first = None
    for first in _FIRST_POINT[style].finditer(text[sentence:point]):
        pass
    return sentence + first.end() if first else None


def _numbering(text: str) -> str | None:
    match = _NUMBERING.match(text)
    return match.lastgroup if match else None


def _continued_reason(reason: str, following: list[_Clause], paragraph: Paragraph | None = None,
                      lead_in: bool = False) -> list[_Clause]:
    """The sentences a reason goes on into: after "主要原因：" with nothing else, after
    "由以下因素…", and after a first point ("增加原因，一是…。含…。二是…。": js-jianchayuan-2018
    page 23), up to the next statement; never a numbered item that makes its own comparison
    ("主要变动原因如下：" then "1.工资福利支出较上年增…")."""
    bare = reason.strip(" 。.；;：:，,")
    if bare and following and _ends_sentence(reason) and (
            _bracket_group(following[0].text) or (_goes_on(following[0], lead_in) and following[0].paragraph is paragraph
                                                  and len(following) == 1)):
        # "…主要原因是项目增加。(2019年追加的项目未完成,结转至2020年)"; "主要原因是：2025年增加图书、设备购置经费
        # 以及设施与空间更新经费。2026年维持原有预算。" (the paragraph's last sentence, still explaining)
        return following[:1]
    if bare and not _NUMBERING.match(bare) and not re.search(r"由以下|^以下|^如下", bare):
        return []
    taken: list[_Clause] = []
    if not bare and following and following[0].paragraph is paragraph and not _ends_sentence(reason):
        points = _inline_points(following)
        if points:
            return points
    if not bare:
        # "主要原因是：" ends its line: the next sentence is the reason whatever it says
        # ("本单位无使用非财政拨款结余,与去年相比无变化,与预算相比无变化。"), unless it is an item
        # or a comparison of its own
        for clause in following:
            if (clause.item and (SUBJECT_MARK.search(clause.flat) or re.search(AMOUNT, clause.flat))) \
                    or re.match(rf"\s*(?:{COMPARISON.pattern})", clause.text) or _names_own_change(clause.text):
                break
            taken.append(clause)
            if _ends_sentence(clause.text):
                break
        following = following[len(taken):]
        if taken and not _NUMBERING.match(taken[0].text):
            return taken
    style = _numbering(bare) or _numbering(taken[0].text if taken else "")
    for clause in following:
        flat = clause.flat
        if style and _numbering(clause.text) not in (None, style):
            break
        if style and _numbering(clause.text) == style and not _ends_sentence(taken[-1].text if taken else reason) \
                and not (REASON.search(clause.text) or CAUSE.search(clause.text) or SUBJECT_MARK.search(flat)):
            # the next point in the same sentence, a part with figures of its own: "主要原因是(1)本年度财政拨款
            # 收入、支出均较上年决算数减少358.94万元,下降61.7%; (2)本年度事业收入…增加69.71万元,增长238.8%"
            taken.append(clause)
            continue
        if (COMPARISON.search(flat) or REASON.search(clause.text) or NO_DIFFERENCE.search(flat)
                or re.fullmatch(r"其中[:：]?", flat) or (clause.item and (SUBJECT_MARK.search(flat)
                                                                       or re.search(AMOUNT, flat)))):
            break
        if bare and not _NUMBERING.match(clause.text) and not re.match(r"\s*(?:含|包括|即|具体)", clause.text):
            break  # a point's own detail ("含…", "包括…") goes on; other sentences do not
        taken.append(clause)
    return taken


def _inline_points(following: list[_Clause]) -> list[_Clause]:
    """Numbered points printed after "主要原因为:" in its own sentence, from the first point to the
    sentence's end: "主要原因为:(1)2015年比2014年人员增加1人,…;(2)绩效奖金较2014年增长12.4万元:(3)…"
    (沈阳市文联 2015).  None when a point gives a reason of its own: then each is a statement."""
    style = _numbering(following[0].text)
    if style not in _FIRST_POINT or not _FIRST_POINT[style].match(following[0].text.lstrip()):
        return []
    taken: list[_Clause] = []
    for clause in following:
        if (_numbering(clause.text) not in (None, style) or REASON.search(clause.text) or CAUSE.search(clause.text)
                or SUBJECT_MARK.search(clause.flat)):
            return []
        taken.append(clause)
        if _ends_sentence(clause.text):
            return taken if len(taken) > 1 else []
    return []


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


def _changes(flat: str, kind: str | None = None, years: tuple | None = None) -> tuple[float | None, float | None]:
    """(change, change %) of the comparison: the first change after the last comparison (of the
    statement's kind, when it makes several: "完成全年预算…的73.2%,比上年决算数增加38.97万元")
    that prints one, and the percentage of the same comparison, before or after the change
    ("较2021年预算下降40%,减少6万元"; never one from another sentence)."""
    if years is not None:
        # the base a reason sentence names: "…大于上年决算数的主要情况" is 比上年, not 比2019年
        pieces = [piece for piece in re.split(r"(?<=[；;。])", flat)
                  if _base_years(piece) == years and CHANGE.search(piece) and COMPARISON.search(piece)]
        flat = pieces[0] if len(pieces) == 1 else flat
    marks = [(m.start(), _kind(m.group(), m.group())) for m in COMPARISON.finditer(flat)]
    spans = []
    for number, (start, mark_kind) in enumerate(marks):
        end = next((other for other, other_kind in marks[number + 1:] if other_kind != mark_kind), len(flat))
        spans.append((start, end, mark_kind))
    wanted = [span for span in spans if span[2] == kind] if kind and any(span[2] == kind for span in spans) else spans
    if kind and spans and not wanted:
        wanted = spans
    scope = flat
    for start, end, _ in reversed(wanted):
        if CHANGE.search(flat[start:end]):
            scope = flat[start:end]
            break
    else:
        if len({span[2] for span in spans}) > 1:
            for start, end, _ in reversed(wanted):
                if CHANGE_PCT.search(flat[start:end]):
                    scope = flat[start:end]
                    break
            else:
                if kind:
                    return None, None  # the statement's own comparison prints no figure
        # one base: the change may come before it ("增72000元,同比增长28.46%")
    scope = re.split(r"[。]", scope)[0] if re.split(r"[。]", scope)[0] and (
        CHANGE.search(re.split(r"[。]", scope)[0]) or CHANGE_PCT.search(re.split(r"[。]", scope)[0])) else scope
    change = CHANGE.search(scope)
    value = None
    if change:
        value = signed(change.group(1), amount_value(change.group(2), change.group(3)))
    elif verb_first := OBJECT_CHANGE.search(scope):  # "压缩公务接待费52万元": every verb but 增加 lowers it
        verb, _, number, unit = verb_first.groups()
        size = amount_value(number, unit)
        return (size if verb == "增加" else -size if size is not None else None), None
    bracketed = BRACKETED_PCT.search(scope)
    if bracketed:
        pct = parse_number(bracketed.group(4))
        return value, (-abs(pct) if pct and value is not None and value < 0 else pct)
    # the percentage after the change in its clause, or the next one ("对比减少4.35万元;减少率35.22%"),
    # else before it in the same comparison
    after = scope[change.end():] if change else scope
    pieces = re.split(r"[；;]", after)
    window = pieces[0] + (";" + pieces[1] if len(pieces) > 1 and CHANGE_PCT.match(pieces[1]) else "")
    pct_match = CHANGE_PCT.search(window) or (CHANGE_PCT.search(scope[: change.start()]) if change else None)
    pct = None
    if pct_match:
        pct = signed(pct_match.group(1), parse_number(pct_match.group(2)))
    elif change:
        # the % sign left out after the change: "减少100万元，减少9.52，主要原因是…"
        bare = re.match(rf"[，,]{CHANGE_WORD}({NUMBER})(?=[，,。；;]|$)", scope[change.end():])
        if bare:
            pct = signed(bare.group(1), parse_number(bare.group(2)))
    return value, pct
