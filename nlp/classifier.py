"""The hybrid classifier: model scores plus cue rules, one decision per reason.

An obvious cue is never missed (a rule hit scores at least ``RULE_SCORE``); the model adds
labels for wording the rules do not know; `no_difference` and `other` never share a text
with another label; `other` is given when nothing passes.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Protocol

from .clauses import Clause
from .cues import CueRules
from .labels import EXCLUSIVE, LABELS
from .normalize import Normalized, normalize
from .rules import RuleResult, apply_rules, reason_direction as _direction_of

RULE_SCORE = 0.95
THRESHOLD = 0.5
HERE = Path(__file__).parent
# The bars a label only the model sees must clear, per label: ``model_alone`` when the rules
# found nothing, ``model_extra`` beside rule labels, in a clause that carries none of them (a
# clause the rules did not understand): the model never relabels a clause the rules explained.
# Chosen on the province-grouped split by `gongkai evaluate --calibrate` (nlp.evaluate.
# calibrate_bars); a label without a bar is never the model's alone.
BARS = HERE / "data" / "bars.json"
# Beside rule labels the model must be surer than alone.
EXTRA_FLOOR = 0.9
# A clause that states a consequence ("人员经费相应增加") or denies ("并非调资") is not a
# cause of its own.
_NOT_A_CAUSE = re.compile(r"相应|随之|随着|也有所|同步|^(?:不是|并非|非|没有|无|未)")
# A model-only label never contradicts the direction of a rule label, and a directed one
# needs the direction stated by the reason or its figures ("项目增多" is not project_decrease).
DIRECTION = {"staff_increase": 1, "staff_decrease": -1, "project_increase": 1, "project_decrease": -1}
OPPOSITES = {a: b for a in DIRECTION for b in DIRECTION
             if a != b and a.split("_")[0] == b.split("_")[0]}
# A staff label needs a change in the number of people (codebook rules 2, 3, 16): the model
# may not read one into "人员经费增加" or "人员工资福利支出增加" (江苏 部门预算 2017–2019).
STAFF = ("staff_increase", "staff_decrease")
_PEOPLE = re.compile(r"\d+\s*(?:人|名)|人数|编制|在编|在职|增人|减员|自然减员|调入|调出|调离|招录|招聘|"
                     r"遴选|新进|退休\d|退休(?:人员)?(?:增加|减少)|人员(?:增加|减少|变化|变动|调整|流动)|离职|去世")

MODEL_DIR = HERE / "model"  # the same directory nlp.model.train_shipped writes


class TextModel(Protocol):
    """What the classifier needs from a trained model (nlp.model.LinearModel)."""

    files: list[Path]

    def scores(self, texts: list[str]) -> list[dict[str, float]]: ...


class Classifier:
    """Classify 差异原因 texts into codebook labels.

    :param model: a trained text model, or None for the cue rules alone.
    :param model_alone: the score a model-only label needs when no rule fired.
    :param model_extra: the score a model-only label needs in a clause without rule labels.
    """

    def __init__(self, model: TextModel | None = None, rules: CueRules | None = None,
                 model_alone: float | dict[str, float] | None = None,
                 model_extra: float | dict[str, float] | None = None):
        self.model = model
        self.rules = rules or CueRules()
        shipped = shipped_bars() if model_alone is None or model_extra is None else {}
        self.model_alone = _per_label(shipped["model_alone"] if model_alone is None else model_alone)
        self.model_extra = _per_label(shipped["model_extra"] if model_extra is None else model_extra)
        self.version = _version(model, self.rules, (sorted(self.model_alone.items()),
                                                    sorted(self.model_extra.items())))

    def classify(self, text: str) -> dict:
        return self.classify_many([text])[0]

    def classify_many(self, texts: Iterable[str]) -> list[dict]:
        texts = [text or "" for text in texts]
        normalized = [normalize(text) for text in texts]
        found = [apply_rules(n.text, self.rules) for n in normalized]
        whole = self._scores([r.text[r.region[0]:r.region[1]] for r in found])
        decided = [self._labels(result, scores) for result, scores in zip(found, whole)]
        clause_scores = self._clause_scores(found, decided)
        extra = self._free_clause_labels(found, decided)
        return [
            self._result(text, n, result, labels, scores, clause_scores.get(index), extra.get(index, {}))
            for index, (text, n, result, (labels, scores))
            in enumerate(zip(texts, normalized, found, decided))
        ]

    def _scores(self, texts: list[str]) -> list[dict[str, float]]:
        if self.model is None or not texts:
            return [{} for _ in texts]
        return self.model.scores(texts)

    def _labels(self, result: RuleResult, model: dict[str, float]) -> tuple[list[str], dict]:
        """The decision: rule labels, model labels over their bar, exclusive labels alone."""
        scores = {label: float(model.get(label, 0.0)) for label in LABELS}
        for label in result.hits:
            scores[label] = max(scores[label], RULE_SCORE)
        rule_substantive = [l for l in LABELS if l in result.hits and l not in EXCLUSIVE]
        counts_people = bool(_PEOPLE.search(result.text))
        substantive = rule_substantive or [
            l for l in LABELS if l not in EXCLUSIVE and scores[l] >= self.model_alone[l]
            and _states(l, result.stated_direction) and (l not in STAFF or counts_people)
            and l not in result.restated
        ]
        best = max([scores[l] for l in substantive], default=0)
        if "no_difference" in result.hits:
            labels = ["no_difference"]
        elif result.says_other:
            labels = ["other"]
        elif not rule_substantive and scores["no_difference"] >= max(self.model_alone["no_difference"], best):
            labels = ["no_difference"]
        elif not rule_substantive and scores["other"] >= best:
            labels = ["other"]
        else:
            labels = substantive or ["other"]
        if labels == ["other"]:
            scores["other"] = max(scores["other"], 1 - max(scores[l] for l in LABELS if l != "other"))
        return labels, scores

    def _clause_scores(self, found: list[RuleResult], decided: list) -> dict[int, list[dict]]:
        """Model scores per clause, only for texts where a label came from the model alone
        and there is more than one clause it could point at."""
        wanted = [
            index for index, (result, (labels, _)) in enumerate(zip(found, decided))
            if len(result.clauses) > 1 and any(l not in result.hits and l not in EXCLUSIVE for l in labels)
        ]
        scored = iter(self._scores([c.text for i in wanted for c in found[i].clauses]))
        return {i: [next(scored) for _ in found[i].clauses] for i in wanted}

    def _free_clause_labels(self, found: list[RuleResult], decided: list) -> dict[int, dict]:
        """Labels the model finds in clauses no rule label came from, beside rule labels:
        {text index: {label: (score, clause)}}."""
        if self.model is None:
            return {}
        free = {
            index: [c for c in result.clauses
                    if not any(c in carried for carried in result.hits.values())
                    and not _NOT_A_CAUSE.search(c.text)]
            for index, (result, (labels, _)) in enumerate(zip(found, decided))
            if len(result.clauses) > 1 and any(l in result.hits for l in labels)
            and not set(labels) & set(EXCLUSIVE)
        }
        scored = iter(self._scores([c.text for clauses in free.values() for c in clauses]))
        extra: dict[int, dict] = {}
        for index, clauses in free.items():
            hits = found[index].hits
            for clause in clauses:
                scores = next(scored)
                for label in LABELS:
                    if (label in EXCLUSIVE or label in hits or scores[label] < self.model_extra[label]
                            or OPPOSITES.get(label) in hits
                            or (label in STAFF and not _PEOPLE.search(clause.text))):
                        continue
                    if _states(label, _direction_of(clause.text)):
                        extra.setdefault(index, {}).setdefault(label, (scores[label], clause))
        return extra

    def _result(self, text: str, normalized: Normalized, result: RuleResult, labels: list[str],
                scores: dict[str, float], clause_scores: list[dict] | None,
                extra: dict[str, tuple[float, Clause]]) -> dict:
        for label, (score, _) in extra.items():
            scores[label] = max(scores[label], score)
        labels = sorted(set(labels) | set(extra), key=LABELS.index)
        spans = []
        for label in labels:
            carriers = result.hits.get(label) or ([extra[label][1]] if label in extra else None)
            for clause in carriers or [_best_clause(label, result, clause_scores)]:
                start, end = normalized.original_span(clause.start, clause.end)
                spans.append({"start": start, "end": end, "label": label})
        spans.sort(key=lambda span: (span["start"], LABELS.index(span["label"])))
        return {
            "text": text,
            "labels": labels,
            "scores": {label: round(score, 4) for label, score in scores.items()},
            "spans": spans,
            **self._confidence(labels, scores, result),
            "model": self.version,
        }

    def _confidence(self, labels: list[str], scores: dict[str, float], result: RuleResult) -> dict:
        """How far the decision is from flipping: the distance between a score the model gave
        and the bar it had to clear (labels a rule decided are not in doubt, nor then `other`
        and `no_difference`, which a rule label excludes; nor labels the model may not give).
        ``label_confidence``: per label given, its own margin, lowered to the closest withheld
        label's (a near miss puts the whole label set in doubt); ``confidence``: the smallest.
        Near 0 the decision is a coin toss: `gongkai labels review` and the archive's
        `least_sure_explanations` query list those first."""
        settled = set(result.hits) | (set(EXCLUSIVE) if result.hits else set())
        # beside a rule label the model adds one only past its extra bar
        bars = self.model_extra if any(l not in EXCLUSIVE for l in result.hits) else self.model_alone
        open_labels = [label for label in LABELS if label not in settled and bars[label] <= 1]
        withheld = min((bars[label] - scores[label] for label in open_labels if label not in labels),
                       default=1.0)
        per_label = {label: round(max(0.0, min(scores[label] - bars[label] if label in open_labels
                                               else 1.0, withheld)), 4)
                     for label in labels}
        return {"confidence": min(per_label.values(), default=round(max(0.0, min(withheld, 1.0)), 4)),
                "label_confidence": per_label}


@lru_cache(maxsize=1)
def shipped_bars(path: Path = BARS) -> dict[str, dict[str, float]]:
    """The calibrated bars (nlp/data/bars.json): ``{"model_alone": {label: bar}, "model_extra": …}``."""
    import json

    stored = json.loads(path.read_text(encoding="utf-8"))
    return {"model_alone": stored["model_alone"], "model_extra": stored["model_extra"]}


def extra_bars(alone: dict[str, float]) -> dict[str, float]:
    """Beside rule labels, a label's bar is its own or ``EXTRA_FLOOR``, the higher."""
    return {label: max(bar, EXTRA_FLOOR) for label, bar in alone.items()}


def _per_label(bar: float | dict[str, float]) -> dict[str, float]:
    """One bar for every label, or a bar per label (a label missing from the table, or over 1,
    is never the model's alone)."""
    if isinstance(bar, dict):
        return {label: float(bar.get(label, 2.0)) for label in LABELS}
    return {label: float(bar) for label in LABELS}


def _states(label: str, direction: int) -> bool:
    """A directed label (staff_increase …) from the model needs the text to state its
    direction: "支出用途详见项目说明" is no project cut, whatever 项目 weighs."""
    return label not in DIRECTION or DIRECTION[label] * direction > 0


def _best_clause(label: str, result: RuleResult, clause_scores: list[dict] | None) -> Clause:
    """Where a label the rules did not see points: the clause the model scores highest."""
    if label in EXCLUSIVE or not result.clauses:
        start, end = result.region if label == "other" else (0, len(result.text))
        return Clause(start, end, result.text[start:end])
    if not clause_scores:
        return result.clauses[0] if len(result.clauses) == 1 else Clause(
            result.clauses[0].start, result.clauses[-1].end,
            result.text[result.clauses[0].start:result.clauses[-1].end])
    best = max(range(len(result.clauses)), key=lambda i: clause_scores[i].get(label, 0.0))
    return result.clauses[best]


def _version(model: TextModel | None, rules: CueRules, bars: tuple[float, float]) -> str:
    """Changes with the rules in use, the decision logic, the labels and the model bytes
    only (nlp/version.py): a comment or a docstring leaves it, and the archive, alone."""
    import sys

    from . import clauses, cues, labels, normalize, rules as rule_module, segment
    from .version import fingerprint

    modules = [normalize, segment, clauses, cues, rule_module, labels, sys.modules[__name__]]
    if model is not None:  # how the model reads a text (nlp/model.py) decides labels too
        modules.append(sys.modules[type(model).__module__])
    tables = [repr(bars)] + [f"{label}:{pattern.pattern}" for label, pattern in rules.patterns] + [
        p.pattern for p in (*rules.other, rules.staff_change, rules.used_for, rules.empty_clause)]
    files = [segment.FISCAL_DICTIONARY] + (model.files if model is not None else [])
    return f"{'hybrid' if model is not None else 'rules'}-{fingerprint(modules, tables, files)[:12]}"


@lru_cache(maxsize=None)
def load_classifier(model_dir: str | None = None) -> Classifier:
    """The shipped classifier (cached): the trained model in nlp/model/ plus the rules, or
    the rules alone when no model has been trained yet."""
    path = Path(model_dir) if model_dir else MODEL_DIR
    from .model import FEATURES, LinearModel

    if not (path / FEATURES).exists():
        return Classifier()
    return Classifier(LinearModel.load(path))


def categories_for(classification: dict) -> list[dict]:
    """Rows for ``archive.Archive.save_categories``: one per label (so counting rows counts
    explanations), with its score, how sure the classifier was of it, and the first clause
    that carries it."""
    first: dict[str, dict] = {}
    for span in classification["spans"]:
        first.setdefault(span["label"], span)
    return [
        {
            "label": label,
            "score": classification["scores"].get(label),
            "span_start": first.get(label, {}).get("start"),
            "span_end": first.get(label, {}).get("end"),
            "model_version": classification["model"],
            "confidence": classification["label_confidence"].get(label),
        }
        for label in classification["labels"]
    ]
