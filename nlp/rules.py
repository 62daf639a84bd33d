"""Apply the cue rules to one normalized text: which labels, carried by which clauses.

This is the rule half of the hybrid classifier, and on its own the fallback when no
model is installed. It follows the codebook's rules for coders: cues count only inside
the reason (rule 9), no-difference statements and zero changes are read in the whole
sentence (rules 4, 11), a directionless staff change takes the gap's direction (rule 5),
a statement that a fund does not exist is `other` (rule 10), a clause that only
restates the gap is no reason (rule 12).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .clauses import Clause, clause_at, reason_region, split_clauses
from .cues import BOND_LATE, BOND_QUOTA, CueRules, is_restatement, negated

_LESS = re.compile(r"小于|低于|少于|减少|下降|降低|节约|结余|未完成|减支")
_MORE = re.compile(r"大于|高于|多于|超过|超出|增加|增长|上升|超支|增支")
_CHANGED = re.compile(r"[^,;:。]{0,4}(?:增加|减少|上涨|下降|增长|提高|降低|上升|节约|增多)")
_LESS_REASON = re.compile(r"减少|下降|降低|压减|缩减|调减|完成|结束|完工|收尾|不再|取消|退休|调出|调离|离职")
_MORE_REASON = re.compile(r"增加|增多|增长|新增|新建|新进|新开|扩大|调入|招录")
_SUBJECT_OF_REASON = re.compile(
    r"[^,;:。]{0,8}?(?:减少|增加|下降|增长)?(?:的)?(?:主要)?(?:原因)?(?:是由于|是因为|主要是|原因是|系|源于|是)")
_COMPLETION = re.compile(r"完成(?:年初)?预算(?:数)?的(\d+(?:\.\d+)?)%")
# A gap that is not zero ("比去年增加 1.05 万元", "大于预算数"): stated after a no-difference
# phrase in front of the reason, it is the gap the reason explains (梧州 2020 三公 说明:
# "…比预算无增减变化,比去年增加 1.05 万元,…增加原因主要是…").
# The figure may be missing ("比去年增加,增加原因主要是…", "较上年有所减少"): any change word that is
# not negated (无增加, 或减少) and not a zero counts.
_NONZERO_GAP = re.compile(r"(?<![无未没不或])(?:增加|减少|增长|下降|上升|降低|节约|减支|增支|超支)"
                          r"(?!(?:\((?:减少|下降|降低)\))?了?\s*0(?:\.0+)?\s*(?:万元|元|亿元|%))|[大小高低]于")


@dataclass
class RuleResult:
    """What the rules found in one normalized text."""

    text: str
    region: tuple[int, int]
    clauses: list[Clause]
    hits: dict[str, list[Clause]] = field(default_factory=dict)  # label → clauses, in order
    says_other: bool = False
    stated_direction: int = 0  # +1 / -1 when the reason itself only rises or only falls
    # Clauses where a running cost itself rose or fell ("办公费增加"): a reason of its own.
    standalone_items: set[Clause] = field(default_factory=set)
    # Clauses whose running-cost word is also the sentence's subject (公务接待费…接待费用增加).
    subject_items: set[Clause] = field(default_factory=set)
    # Labels whose only cue restated the sentence's subject (rule 12): the model may not give
    # them back alone ("公务接待费减少的原因是公务接待支出减少" is `other`).
    restated: set[str] = field(default_factory=set)
    # Clauses whose running-cost cue states a cause of its own ("车辆使用频率高", "出国(境)费标准调整",
    # "增加了部门和车辆"): kept beside any other cause in the clause.
    item_causes: set[Clause] = field(default_factory=set)
    # Clauses where a pay cue named a rule (调资, 标准, 改革…), not just a pay item (绩效工资).
    pay_rules: set[Clause] = field(default_factory=set)

    def add(self, label: str, clause: Clause | None) -> None:
        if clause is None:
            return
        carried = self.hits.setdefault(label, [])
        if clause not in carried:
            carried.append(clause)

    def keep(self, label: str, clauses: list[Clause]) -> None:
        """Keep only ``clauses`` as the label's carriers: a label left with none is dropped."""
        if clauses:
            self.hits[label] = clauses
        else:
            self.hits.pop(label, None)


_COMPARED = re.compile(r"比|较|相比|同比")


# A reason that ends on the money it is about and says nothing changed ("应急公务用车及机要通信用车费用",
# "本部门无此项支出") only says what the money is (codebook rules 10, 12).
_MONEY_NOUN_END = re.compile(r"(?:费|费用|支出|经费|资金|开支)(?:等)?\s*[。;]?\s*$")


def _names_the_money(result: "RuleResult", reason: str) -> bool:
    return (set(result.hits) <= {"operating_costs"} and bool(_MONEY_NOUN_END.search(reason))
            and not _CHANGE_WORD.search(_ZERO_FIGURE.sub("", reason)))


def _explains_another_gap(text: str, match, start: int, substantive: list) -> bool:
    """A no-difference clause about one comparison ("比预算无增减变化") followed by a non-zero gap of
    another ("比去年增加 1.05 万元") whose reason the text gives: the reason is that gap's, not
    no_difference's (coding note on "比预算增加 0 万元,比去年增加…"). Rule 4 still holds for a
    reason given to the equal figures themselves ("持平的主要原因是…")."""
    gap = _NONZERO_GAP.search(text, match.end)
    if not gap:
        return False
    if gap.start() < start:
        return True  # the gap is stated before the reason begins
    # inside the reason only a stated comparison counts ("…一致;较上年减少,系压减…"), not a change the
    # reason for the equal figures names ("持平的原因是严控开支,减少了会议次数")
    return bool(_COMPARED.search(text, max(0, gap.start() - 8), gap.start())) and any(
        m.start >= gap.end() for m in substantive)


def gap_direction(text: str, before: int) -> int:
    """-1 when the sentence states a shortfall or a fall, +1 for an excess or a rise, 0
    when it does not say; the statement before the reason wins over the reason itself."""
    for scope in (text[:before], text):
        completion = _COMPLETION.search(scope)
        if completion:
            rate = float(completion.group(1))
            if rate != 100:
                return -1 if rate < 100 else 1
        less, more = _LESS.search(scope), _MORE.search(scope)
        if less or more:
            if less and more:
                return -1 if less.start() < more.start() else 1
            return -1 if less else 1
    return 0


def reason_direction(reason: str) -> int:
    """+1 when the reason only speaks of rising (增加, 新建…), -1 when only of falling."""
    less, more = bool(_LESS_REASON.search(reason)), bool(_MORE_REASON.search(reason))
    return 0 if less == more else (1 if more else -1)


def apply_rules(text: str, rules: CueRules) -> RuleResult:
    """Labels and their clauses for one normalized text."""
    start, end = reason_region(text)
    whole = split_clauses(text)
    clauses = split_clauses(text, start, end) or whole
    result = RuleResult(text, (start, end), clauses)
    # No-difference and zero-change statements anywhere in the sentence (rules 4, 11).
    substantive = [m for m in rules.find(text, start, end) if m.label != "no_difference"]
    for match in rules.find(text, labels=("no_difference",)):
        if _explains_another_gap(text, match, start, substantive):
            continue
        if _ALTERNATIVE.search(text, max(0, match.start - 12), match.start):
            continue  # a template's choice, not a statement: "决算数小于预算数(或与预算数持平)的主要原因是…"
        result.add("no_difference", clause_at(whole, match.start))
    subject = text[:start]
    for match in rules.find(text, start, end):
        if match.label == "no_difference":
            continue
        clause = clause_at(clauses, match.start)
        if match.label in ("austerity", "operating_costs") and clause \
                and (_INTENT.search(text, clause.start, match.start) or _PROMISE.search(text, _sentence_start(text, start, clause.start), clause.start)):
            continue  # "我镇将…尽力压缩开支,确保公务用车运行费用不超过…" promises; it caused nothing
        if match.label == "operating_costs":
            if _names_subject(text, match, subject, clause):
                result.restated.add(match.label)
                continue
            if _CHANGED.match(text, match.end, end):
                result.standalone_items.add(clause)
            if clause and _OWN_CAUSE.search(text, max(clause.start, match.start - 10), min(clause.end, match.end + 8)):
                result.item_causes.add(clause)
            if text[match.start:match.end] in subject:
                result.subject_items.add(clause)
        if match.label == "pay_policy" and _PAY_RULE.search(text, match.start, match.end):
            result.pay_rules.add(clause)
        result.add(match.label, clause)
    _drop_received_visits(result)
    _drop_visitor_staff(result, text)
    _drop_moved_cuts(result)
    _drop_named_items(result, text)
    _drop_moved_pay(result)
    _drop_corrected_estimate(result)
    _drop_timing_of_carried_money(result)
    _drop_revenue_line(result, text)
    staff_changes = rules.staff_changes(text, start, end)
    staff_changes = [m for m in staff_changes if not _is_travel(text, clause_at(clauses, m.start))]
    if staff_changes and not {"staff_increase", "staff_decrease"} & result.hits.keys():
        direction = gap_direction(text, start)
        if direction:
            label = "staff_decrease" if direction < 0 else "staff_increase"
            for match in staff_changes:
                result.add(label, clause_at(clauses, match.start))
    result.says_other = rules.says_other(text, start, end) or (
        not result.hits and rules.names_no_cause([clause.text for clause in clauses])) or _names_the_money(
        result, text[start:end])
    # A model-only staff or project label follows the reason's direction, or when the
    # reason states none, the gap's (as codebook rule 5 does for the rules).
    result.stated_direction = reason_direction(text[start:end]) or gap_direction(text, start)
    _bond_quota(result)
    return result


# A running-cost word in a clause whose cause is another category (timing, a project, pay…) names what
# was paid, not why ("部分办公费用年底未支付完成", zhongzhan-2023 p.3): rule 9.
_CAUSES_OVER_ITEMS = ("staff_increase", "staff_decrease", "fiscal_tightness", "payment_timing", "accounting_reclass", "carryover",
                      "unbudgeted", "budget_estimation", "project_decrease", "project_increase",
                      "reorganization", "pay_policy")
# A clause after 导致 / 造成 / 从而 / 故 states what followed, not why: "…招商引资项目增加导致公务接待
# 有所增加" (鄂城 2022 三公), "因系统卡顿…,导致2024年公务用车运行维护费增加" (涪陵 2024 三公).
_EFFECT_BEFORE = re.compile(r"(?:导致|致使|造成|从而|使得|因此|所以|故)\s*$")
_EFFECT_START = re.compile(r"(?:因此|所以|故|相应|从而|使得|使)")
# "公用经费相应减少", "办公费用随之增加": a running cost that followed the cause named before it.
_EFFECT_INSIDE = re.compile(r"(?:相应|随之)(?:地)?(?:有所|大幅|略有)?(?:增加|减少|增长|下降|上升|降低|增多)")
# A promise in the reason ("我镇将…尽力压缩开支") is not what caused the gap.
_INTENT = re.compile(r"(?:将|拟|力争|确保|尽力|计划)")
# A promise governs the clauses after it to the end of its sentence ("本局将按照相关规定的要求,严格控制,
# 节约使用,使年底的执行数…下降", 北京 2013 三公): a promising verb and what it promises to do.
_PROMISE = re.compile(r"(?:将|拟|力争|尽力|计划)(?:要)?(?:按照|根据|继续|进一步|严格|加强|切实|认真|坚持|厉行|从严|努力)")
_SENTENCE_END = re.compile(r"[。;!?]")


def _sentence_start(text: str, start: int, at: int) -> int:
    """Where the sentence holding ``at`` begins, not before ``start``."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text, start, at)]
    return ends[-1] if ends else start


# Words that say something changed: a running-cost word in a clause without one only names an
# item ("卫生监督车辆属执法执勤车辆", "因公出国、公务接待费没预算", "公务用车购置支出0万元").
_CHANGE_WORD = re.compile(r"增|减|降|升|涨|多|少|节约|节俭|压|控|改|购|更新|报废|老化|维修|停|取消|"
                          r"恢复|开展|未|无法|不再|变|调|超|高|低|提|频|长|短")
# An operating-cost cue that carries its own change or cause (a trip or reception called a task is its
# own cause: coding note).
_VEHICLE = r"(?:车辆|公务用车|公车|执法车)"
_OWN_CAUSE = re.compile(r"恢复|频率|频次|标准(?:的)?(?:调整|提高|上调|变化)|/辆|/车|(?:出访|出国|出境|接待)任务"
                        rf"|(?:增加|新增|减少|新购|购置|购买|更新|报废|处置)(?:了)?[^,;:。]{{0,6}}{_VEHICLE}"
                        rf"|{_VEHICLE}(?:的)?(?:购置|购买|更新|报废|处置)")
# "(或与预算数持平)": one of a template's alternatives left in the text.
_ALTERNATIVE = re.compile(r"\(或[^()]*$")
_ZERO_FIGURE = re.compile(r"(?<![\d.])0(?:\.0+)?(?:万元|元)")
# A pay cue that names a rule: the rest (绩效工资, 年终考核奖) name a pay item only.
_PAY_RULE = re.compile(r"调|改革|政策|标准|晋|增资|基数|比例|费率|并轨|缴纳|补缴|上涨|增长|提高|套改|规范|落实")
# Scope and payer changes (codebook rule 15 and the coding notes): pay items moved this way are
# what moved, not a change of pay ("因代发检察官学院绩效工资增加", "将年终考核奖…纳入部门年度预算").
_SCOPE = re.compile(r"代(?:扣|发|缴)|纳入|列入|统一(?:发放|支付)|改由|口径")
# The generic budget-adjustment cues of `unbudgeted` ("年末决算对年初预算调整较大") beside an estimate
# the text calls wrong are the estimate corrected (codebook: budget_estimation), not new money.
_ADJUSTED = re.compile(r"预算调整|调整(?:了)?(?:年初)?预算|对(?:年初)?预算(?:进行)?(?:了)?调整")


def _is_effect(text: str, clause: Clause) -> bool:
    return bool(_EFFECT_BEFORE.search(text, max(0, clause.start - 3), clause.start)
                or _EFFECT_START.match(clause.text) or _EFFECT_INSIDE.search(clause.text))


def _drop_named_items(result: RuleResult, text: str) -> None:
    """Running-cost words that only name what a cause of another category moved (rule 9): in
    that cause's own clause, or in a clause stating its effect."""
    items = result.hits.get("operating_costs", [])
    causes = {clause for label in _CAUSES_OVER_ITEMS for clause in result.hits.get(label, [])}
    projects = set(result.hits.get("project_increase", []) + result.hits.get("project_decrease", []))
    kept = [clause for clause in items
            if clause in result.item_causes and not (causes - {clause} and _is_effect(text, clause))
            or not (causes and _is_effect(text, clause))
            and not (causes - {clause} and not _CHANGE_WORD.search(_ZERO_FIGURE.sub("", clause.text)))
            and (clause not in causes
                 or (clause in result.standalone_items and clause not in projects
                     and clause not in result.subject_items))]
    result.keep("operating_costs", kept)


# Visits the department receives (上级扶贫检查次数增加, 外地县市来航考察活动增加) bring receptions, not
# tasks of its own: the coding notes code them as running costs, never `project_increase`.
_RECEIVED = re.compile(r"(?:上级(?!要求|部署|安排|文件)|外地|兄弟|外省|外市|省市|各级|(?<!往)(?<!以)(?<!未)(?<!带)来|(?<!受)(?<!达)(?<!得)(?<!收)到)[^,;:。]{0,10}(?:调研|检查|视察|考察|督察|督查|督导|学习|参观|指导)")


def _drop_received_visits(result: RuleResult) -> None:
    kept = [clause for clause in result.hits.get("project_increase", []) if not _RECEIVED.search(clause.text)]
    result.keep("project_increase", kept)


# Staff cues among visitors and trips count guests, not the department's people (coding notes:
# "公务接待次数和人数减少"); 人员流动 in an epidemic year is travel, not staff turnover.
_VISITORS = re.compile(r"接待|陪同|出访|团组|来访|来客|考察|参训|培训|学员|出行|出差")
_TRAVEL = re.compile(r"人员(?:流动|往来|出行)")


def _is_travel(text: str, clause: Clause | None) -> bool:
    return bool(clause) and bool(_VISITORS.search(clause.text) or (_TRAVEL.search(clause.text) and "疫情" in text))


def _drop_visitor_staff(result: RuleResult, text: str) -> None:
    for label in ("staff_increase", "staff_decrease"):
        kept = [clause for clause in result.hits.get(label, []) if not _is_travel(text, clause)]
        result.keep(label, kept)


# Money moved from one item to another ("从会议费预算中调减403.75万元用于培训费开支") is booked
# elsewhere (rule 15), not a project cut.
_MOVED = re.compile(r"用于|调整(?:至|到)|调剂|调入|划入|转入")


def _drop_moved_cuts(result: RuleResult) -> None:
    moved = set(result.hits.get("accounting_reclass", []))
    kept = [clause for clause in result.hits.get("project_decrease", [])
            if not (clause in moved and _MOVED.search(clause.text))]
    result.keep("project_decrease", kept)


def _drop_moved_pay(result: RuleResult) -> None:
    """Pay items in a clause that moves money between payers or scopes are what moved (rule 15)."""
    moved = [clause for clause in result.hits.get("pay_policy", [])
             if clause not in result.pay_rules and clause in result.hits.get("accounting_reclass", [])
             and _SCOPE.search(clause.text)]
    kept = [clause for clause in result.hits.get("pay_policy", []) if clause not in moved]
    result.keep("pay_policy", kept)


def _drop_corrected_estimate(result: RuleResult) -> None:
    """`unbudgeted` only from a generic adjustment, beside budget_estimation: the estimate corrected."""
    clauses = result.hits.get("unbudgeted", [])
    if clauses and "budget_estimation" in result.hits and all(_ADJUSTED.search(c.text) for c in clauses):
        result.hits.pop("unbudgeted")


# Last year's money left unspent and used this year ("上年未使用完的资金在本年继续使用") is carryover;
# it is payment_timing only where the clause sends money on to a later year (coding note on 结转).
_THIS_YEAR = re.compile(r"本年|今年|本年度|当年")
_LATER_YEAR = re.compile(r"下年|次年|明年|下一年|以后年度|收回|上缴|缴回|交回|退回")


def _drop_timing_of_carried_money(result: RuleResult) -> None:
    carried = set(result.hits.get("carryover", []))
    kept = [clause for clause in result.hits.get("payment_timing", [])
            if not (clause in carried and _THIS_YEAR.search(clause.text) and not _LATER_YEAR.search(clause.text))]
    result.keep("payment_timing", kept)


# A revenue line's own fall (税收收入下降, 收入短收) explains the revenue, not what the treasury could
# give: `other` (coding note on revenue lines). It is fiscal_tightness where the sentence is about
# spending, or the reason names the spending it held down (以收定支, 相应压减支出).
_REVENUE_FALL = re.compile(r"收入|减收|短收")
_TREASURY_STRAIN = re.compile(r"紧张|财力|压力|困难|矛盾|缺口|不足|短缺|吃紧|艰巨|严峻|紧平衡|收不抵支|以收定支|支出|拨款|经费")


def _drop_revenue_line(result: RuleResult, text: str) -> None:
    subject = text[:result.region[0]]
    if "收入" not in subject or "支出" in subject:
        return
    kept = [clause for clause in result.hits.get("fiscal_tightness", [])
            if not _REVENUE_FALL.search(clause.text) or _TREASURY_STRAIN.search(clause.text)]
    result.keep("fiscal_tightness", kept)


def _names_subject(text: str, match, subject: str, clause: Clause | None) -> bool:
    """A running-cost word that only repeats the sentence's subject in a restated gap
    ("公务接待费减少的原因是公务接待支出减少") is not a reason (rules 9, 12)."""
    word = text[match.start:match.end]
    if clause and _SUBJECT_OF_REASON.match(text, match.end, clause.end):
        return True  # "公用经费减少是由于压减一般性支出": the item is what the reason explains
    return bool(clause) and word in subject and is_restatement(clause.text)


# Bond quota added in the year (cues.BOND_QUOTA, where the convention is written down).
_BOND_QUOTA = re.compile(BOND_QUOTA)
_BOND_LATE = re.compile(BOND_LATE)
_NAMES_PROJECT = re.compile(r"项目|工程")


def _bond_quota(result: RuleResult) -> None:
    """New bond quota in a clause of the reason is `unbudgeted`; it is a project only where
    the clause names one."""
    bonds = [clause for clause in result.clauses if (match := _BOND_QUOTA.search(clause.text))
             and not negated(clause.text, match.start()) and not _BOND_LATE.search(clause.text)]
    for clause in bonds:
        result.add("unbudgeted", clause)
    kept = [clause for clause in result.hits.get("project_increase", [])
            if clause not in bonds or _NAMES_PROJECT.search(clause.text)]
    result.keep("project_increase", kept)


def bond_only(result: RuleResult) -> bool:
    """The reason speaks of new bond quota and names no project: the model may not read a
    project into it either."""
    reason = result.text[result.region[0]:result.region[1]]
    return bool(_BOND_QUOTA.search(reason)) and not _NAMES_PROJECT.search(reason) and not _BOND_LATE.search(reason)
