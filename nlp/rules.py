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
from .cues import CueRules, is_restatement

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
_NONZERO_GAP = re.compile(r"(?:增加|减少|增长|下降|上升|降低|节约)了?\s*(?!0(?:\.0+)?\s*(?:万元|元|%))\d|[大小高低]于")


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

    def add(self, label: str, clause: Clause | None) -> None:
        if clause is None:
            return
        carried = self.hits.setdefault(label, [])
        if clause not in carried:
            carried.append(clause)


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
    for match in rules.find(text, labels=("no_difference",)):
        if match.end <= start and _NONZERO_GAP.search(text, match.end, start):
            continue
        result.add("no_difference", clause_at(whole, match.start))
    subject = text[:start]
    for match in rules.find(text, start, end):
        if match.label == "no_difference":
            continue
        clause = clause_at(clauses, match.start)
        if match.label == "operating_costs":
            if _names_subject(text, match, subject, clause):
                continue
            if _CHANGED.match(text, match.end, end):
                result.standalone_items.add(clause)
        result.add(match.label, clause)
    _drop_named_items(result)
    staff_changes = rules.staff_changes(text, start, end)
    if staff_changes and not {"staff_increase", "staff_decrease"} & result.hits.keys():
        direction = gap_direction(text, start)
        if direction:
            label = "staff_decrease" if direction < 0 else "staff_increase"
            for match in staff_changes:
                result.add(label, clause_at(clauses, match.start))
    result.says_other = rules.says_other(text, start, end)
    # A model-only staff or project label follows the reason's direction, or when the
    # reason states none, the gap's (as codebook rule 5 does for the rules).
    result.stated_direction = reason_direction(text[start:end]) or gap_direction(text, start)
    return result


# A running-cost word in a clause whose cause is another category (timing, a project, pay…) names what
# was paid, not why ("部分办公费用年底未支付完成", zhongzhan-2023 p.3): rule 9.
_CAUSES_OVER_ITEMS = ("payment_timing", "accounting_reclass", "carryover", "unbudgeted",
                      "budget_estimation", "project_decrease", "project_increase",
                      "reorganization", "pay_policy")


def _drop_named_items(result: RuleResult) -> None:
    items = result.hits.get("operating_costs", [])
    causes = {clause for label in _CAUSES_OVER_ITEMS for clause in result.hits.get(label, [])}
    kept = [clause for clause in items if clause not in causes or clause in result.standalone_items]
    if kept:
        result.hits["operating_costs"] = kept
    else:
        result.hits.pop("operating_costs", None)


def _names_subject(text: str, match, subject: str, clause: Clause | None) -> bool:
    """A running-cost word that only repeats the sentence's subject in a restated gap
    ("公务接待费减少的原因是公务接待支出减少") is not a reason (rules 9, 12)."""
    word = text[match.start:match.end]
    if clause and _SUBJECT_OF_REASON.match(text, match.end, clause.end):
        return True  # "公用经费减少是由于压减一般性支出": the item is what the reason explains
    return bool(clause) and word in subject and is_restatement(clause.text)
