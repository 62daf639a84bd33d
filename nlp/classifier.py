"""The hybrid classifier: cue rules and model scores, weighed by a learned arbiter.

A cue's label stands; where no cue fired, the arbiter (nlp/decision.py) decides from the
model's scores weighed against what the rules saw (a stated direction, people counted, a
restated gap, clauses); `no_difference` and `other` never share a text with another label;
`other` is given when nothing passes.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Iterable, Protocol

from .clauses import Clause, split_clauses
from .cues import CueRules
from .decision import DECISION, Arbiter, Evidence
from .labels import DIRECTION, EXCLUSIVE, LABELS, STAFF
from .normalize import Normalized, normalize
from .rules import RuleResult, apply_rules, bond_only

RULE_SCORE = 0.95  # a rule label's score when no model weighs it
HERE = Path(__file__).parent
# The arbiter's bar for a label when no cue fired, chosen on the province-grouped split
# (nlp/data/README.md, "The arbiter"). A cue's label stands, and beside cue labels the arbiter
# adds none: both measured worse on rows nobody had read (and overruling cues overrode
# codebook cases: 部分项目跨年度实施 is payment_timing by rule 14, whatever 项目 weighs).
ADD = 0.5

MODEL_DIR = HERE / "model"  # the same directory nlp.model.train_shipped writes


class TextModel(Protocol):
    """What the classifier needs from a trained model (nlp.model.LinearModel)."""

    files: list[Path]

    def scores_and_clauses(self, texts: list[str]) -> list[tuple[dict[str, float], list[dict[str, float]]]]: ...


class Classifier:
    """Classify 差异原因 texts into codebook labels.

    :param model: a trained text model, or None for the cue rules alone.
    :param arbiter: the weights that decide between rules and model; by default the one
        trained beside the shipped model (nlp/model/decision.json).
    """

    def __init__(self, model: TextModel | None = None, rules: CueRules | None = None,
                 arbiter: Arbiter | None = None):
        self.model = model
        self.rules = rules or CueRules()
        self.arbiter = (arbiter or shipped_arbiter()) if model is not None else None
        self.version = _version(model, self.rules, self.arbiter)

    def classify(self, text: str) -> dict:
        return self.classify_many([text])[0]

    def classify_many(self, texts: Iterable[str]) -> list[dict]:
        texts = [text or "" for text in texts]
        normalized = [normalize(text) for text in texts]
        found = [self._rules(n.text) for n in normalized]
        evidence = [Evidence.of(result) for result in found]
        scored = self._scores([r.text[r.region[0]:r.region[1]] for r in found])
        decided = [self._labels(result, e, whole) for result, e, (whole, _) in zip(found, evidence, scored)]
        return [
            self._result(text, n, result, labels, scores, margins, clauses)
            for text, n, result, (labels, scores, margins), (_, clauses)
            in zip(texts, normalized, found, decided, scored)
        ]

    def evidence(self, text: str) -> Evidence:
        """What the cue rules find in ``text``, as the arbiter reads it."""
        return Evidence.of(self._rules(normalize(text).text))

    def _rules(self, text: str) -> RuleResult:
        return apply_rules(text, self.rules)

    def _scores(self, texts: list[str]) -> list[tuple[dict[str, float], list[dict[str, float]]]]:
        if self.model is None or not texts:
            return [({}, []) for _ in texts]
        return self.model.scores_and_clauses(texts)

    def _labels(self, result: RuleResult, evidence: Evidence, model: dict[str, float]) -> tuple[list[str], dict, dict]:
        """The decision: labels, a score per label, and how far each label given (and the
        closest withheld one) is from flipping."""
        cued = [label for label in LABELS if label in result.hits and label not in EXCLUSIVE]
        if "no_difference" in result.hits or result.says_other or cued or self.arbiter is None:
            labels = ["no_difference"] if "no_difference" in result.hits else ["other"] if result.says_other \
                else cued or ["other"]
            scores = {label: RULE_SCORE if label in result.hits else 0.0 for label in LABELS}
            if self.arbiter is not None:  # how sure the arbiter is of the others
                scores.update({label: max(score, scores[label])
                               for label, score in self.arbiter.probabilities(evidence, model).items()})
            scores["other"] = 1 - max(scores[l] for l in LABELS if l != "other")
            return labels, scores, {label: 1.0 for label in labels}
        scores = self.arbiter.probabilities(evidence, model)
        open_labels = [label for label in LABELS if label not in EXCLUSIVE
                       and self._may_add(label, result, evidence.people)]
        added = [label for label in open_labels if scores[label] >= ADD]
        if scores["no_difference"] >= max([ADD] + [scores[l] for l in added]):
            labels = ["no_difference"]
        else:
            labels = added or ["other"]
        scores["other"] = 1 - max(scores.values())
        # each label given is as close to flipping as its score is to the bar, and as the
        # closest label withheld is
        withheld = min([ADD - scores[l] for l in open_labels + ["no_difference"] if l not in labels], default=1.0)
        margins = {label: min(withheld, ADD - max([scores[l] for l in open_labels], default=0.0)
                              if label == "other" else scores[label] - ADD) for label in labels}
        return labels, scores, {label: round(max(0.0, min(margin, 1.0)), 4) for label, margin in margins.items()}

    @staticmethod
    def _may_add(label: str, result: RuleResult, people: bool) -> bool:
        """Codebook rules no weight overrides: a restated gap is no cause (rule 12), a staff
        label needs people counted (rules 2, 3), a directed label its direction stated
        ("支出用途详见项目说明" is no project cut), bond quota alone is no project."""
        return (label not in result.restated and (label in STAFF) <= people
                and (label not in DIRECTION or DIRECTION[label] * result.stated_direction > 0)
                and not (label == "project_increase" and bond_only(result)))

    def _result(self, text: str, normalized: Normalized, result: RuleResult, labels: list[str],
                scores: dict[str, float], margins: dict[str, float], clause_scores: list[dict]) -> dict:
        """The classification, with its confidence: ``label_confidence`` per label given is
        its distance from flipping (lowered to the closest withheld label's: a near miss puts
        the whole label set in doubt; a label a rule settles alone is 1); ``confidence`` is the
        smallest. Near 0 the decision is a coin toss: `gongkai labels review` and the
        archive's `least_sure_explanations` query list those first."""
        spans = []
        for label in labels:
            for clause in result.hits.get(label) or [_best_clause(label, result, clause_scores)]:
                start, end = normalized.original_span(clause.start, clause.end)
                spans.append({"start": start, "end": end, "label": label})
        spans.sort(key=lambda span: (span["start"], LABELS.index(span["label"])))
        return {
            "text": text,
            "labels": labels,
            "scores": {label: round(scores[label], 4) for label in LABELS},
            "spans": spans,
            "confidence": min(margins.values()),
            "label_confidence": margins,
            "model": self.version,
        }


@lru_cache(maxsize=None)
def shipped_arbiter(model_dir: Path = MODEL_DIR) -> Arbiter:
    """The arbiter `gongkai train` fitted beside the model (nlp/model/decision.json)."""
    return Arbiter.load(Path(model_dir) / DECISION)


def _best_clause(label: str, result: RuleResult, clause_scores: list[dict]) -> Clause:
    """Where a label the rules did not see points: the clause the model scores highest, when the
    model read the rules' clauses (it splits the reason region as the rules do; checked here, the
    one place the clause scores are used, not for every text)."""
    if label in EXCLUSIVE or not result.clauses:
        start, end = result.region if label == "other" else (0, len(result.text))
        return Clause(start, end, result.text[start:end])
    region = result.text[result.region[0]:result.region[1]]
    if not clause_scores or [c.text for c in split_clauses(region)] != [c.text for c in result.clauses]:
        return result.clauses[0] if len(result.clauses) == 1 else Clause(
            result.clauses[0].start, result.clauses[-1].end,
            result.text[result.clauses[0].start:result.clauses[-1].end])
    best = max(range(len(result.clauses)), key=lambda i: clause_scores[i].get(label, 0.0))
    return result.clauses[best]


def _version(model: TextModel | None, rules: CueRules, arbiter: Arbiter | None) -> str:
    """Changes with the rules in use, the decision logic, the labels, the model bytes and
    the arbiter's weights only (nlp/version.py): a comment or a docstring leaves it, and the
    archive, alone."""
    import sys

    from . import clauses, cues, decision, labels, normalize, rules as rule_module, segment
    from .version import fingerprint

    modules = [normalize, segment, clauses, cues, rule_module, labels, sys.modules[__name__]]
    if model is not None:  # how the model reads a text (nlp/model.py) and how it is weighed decide labels too
        modules += [sys.modules[type(model).__module__], decision]
    tables = [f"{label}:{pattern.pattern}" for label, pattern in rules.patterns] + [
        p.pattern for p in (*rules.other, rules.staff_change, rules.used_for, rules.empty_clause)]
    if arbiter is not None:
        tables.append(repr((arbiter.intercept, arbiter.weights)))
    files = [segment.FISCAL_DICTIONARY] + (model.files if model is not None else [])
    return f"{'hybrid' if model is not None else 'rules'}-{fingerprint(modules, tables, files)[:12]}"


@lru_cache(maxsize=None)
def load_classifier(model_dir: str | None = None) -> Classifier:
    """The shipped classifier (cached): the trained model in nlp/model/ (or ``model_dir``)
    with the arbiter fitted beside it, plus the rules; the rules alone when no model has been
    trained yet. A model without its own arbiter is refused (ModelMissing): weighed by an
    arbiter fitted for another model, its scores would mean something else."""
    path = Path(model_dir) if model_dir else MODEL_DIR
    from .model import FEATURES, LinearModel

    if not (path / FEATURES).exists():
        return Classifier()
    return Classifier(LinearModel.load(path), arbiter=shipped_arbiter(path))


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
