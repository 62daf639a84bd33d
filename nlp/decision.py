"""The arbiter: how far to trust the cue rules and the model, learned on real reasons.

Rule hits are evidence, not verdicts. For every label the arbiter weighs the model's score
against whether a cue of that label fired and what else the rules saw in the text (other
labels, a restated gap, a used-for statement, the direction the reason states, clauses, a
preamble before the reason), with one logistic regression pooled over labels. It is trained
on real reasons only, each scored by a model that never saw its province (out of fold, by
province group), so the model's weight is what it earns on unseen wording.

A cue's weight must be earned the same way. The cue rules were written reading most of
real.jsonl: on those rows they are nearly always right, which says nothing about text they
never read. So a row the rules have read enters the fit with what rules that had not read
it found there (``UNREAD_RULES``: the cue rules of a commit older than the row, run over it
by scripts/unread_rules.py); rows nobody writing rules has read (corpus-4 …) enter with the
current rules. Rows appended later need no entry as long as nobody reads their misses.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

from .labels import DIRECTION, EXCLUSIVE, LABELS, STAFF
from .normalize import normalize_text

DECISION = "decision.json"  # saved beside the model's files, so a refit changes the version
UNREAD_RULES = Path(__file__).parent / "data" / "unread_rules.jsonl"
# Labels the arbiter weighs; `other` is what is left when none is given.
WEIGHED = tuple(label for label in LABELS if label != "other")
OPPOSITES = {a: b for a in DIRECTION for b in DIRECTION if a != b and a.split("_")[0] == b.split("_")[0]}
SHARED = ("rule_beside_others", "best_other_logit", "others_fired", "direction_stated", "opposite_fired",
          "staff_without_people", "restated", "says_other", "clauses", "preamble", "no_difference_fired")
C = 10.0  # inverse L2 strength; chosen on the grouped split (nlp/data/README.md, "The arbiter")
PROVINCE_GROUPS = 5

# A staff label needs a change in the number of people (codebook rules 2, 3, 16): the model
# may not read one into "人员经费增加" or "人员工资福利支出增加" (江苏 部门预算 2017–2019).
PEOPLE = re.compile(r"\d+\s*(?:人|名)|人数|编制|在编|在职|增人|减员|自然减员|调入|调出|调离|招录|招聘|"
                    r"遴选|新进|退休\d|退休(?:人员)?(?:增加|减少)|人员(?:增加|减少|变化|变动|调整|流动)|离职|去世")


@dataclass(frozen=True)
class Evidence:
    """What the cue rules found in one text, as the arbiter reads it."""

    hits: frozenset[str]
    says_other: bool
    restated: frozenset[str]
    direction: int  # the reason's stated direction (rules.RuleResult.stated_direction)
    clauses: int
    preamble: bool  # the reason region starts after a statement of the gap (a whole sentence)
    people: bool  # the text counts people (``PEOPLE``): a staff label needs it

    @classmethod
    def of(cls, result) -> "Evidence":
        """The evidence in one rules.RuleResult: the one place it is read from."""
        return cls(frozenset(result.hits), result.says_other, frozenset(result.restated),
                   result.stated_direction, len(result.clauses), result.region[0] > 0,
                   bool(PEOPLE.search(result.text)))

    def to_dict(self) -> dict:
        return {"hits": sorted(self.hits, key=LABELS.index), "says_other": self.says_other,
                "restated": sorted(self.restated, key=LABELS.index), "direction": self.direction,
                "clauses": self.clauses, "preamble": self.preamble, "people": self.people}

    @classmethod
    def from_dict(cls, stored: dict) -> "Evidence":
        return cls(frozenset(stored["hits"]), bool(stored["says_other"]), frozenset(stored["restated"]),
                   int(stored["direction"]), int(stored["clauses"]), bool(stored["preamble"]),
                   bool(stored["people"]))


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def features(evidence: Evidence, scores: dict[str, float]):
    """One row per weighed label: the label's own intercept, model logit and cue hit (one-hot
    blocks), then what the rules saw around it (``SHARED``)."""
    import numpy

    logits = {label: _logit(scores.get(label, 0.0)) for label in LABELS}
    fired = [label for label in evidence.hits if label not in EXCLUSIVE]
    # the best other label's logit is the best one's, or for the best label the runner-up's
    first, second = sorted(WEIGHED, key=lambda label: logits[label], reverse=True)[:2]
    rows = numpy.zeros((len(WEIGHED), 3 * len(WEIGHED) + len(SHARED)))
    for index, label in enumerate(WEIGHED):
        hit = float(label in evidence.hits)
        others = [other for other in fired if other != label]
        stated = DIRECTION.get(label, 0) * evidence.direction
        rows[index, index] = 1.0
        rows[index, len(WEIGHED) + index] = logits[label]
        rows[index, 2 * len(WEIGHED) + index] = hit
        rows[index, 3 * len(WEIGHED):] = [
            hit * bool(others), logits[second if label == first else first], float(bool(others)),
            float((stated > 0) - (stated < 0)), float(OPPOSITES.get(label) in evidence.hits),
            float(label in STAFF and not evidence.people), float(label in evidence.restated),
            float(evidence.says_other), math.log(1 + evidence.clauses), float(evidence.preamble),
            float("no_difference" in evidence.hits)]
    return rows


class Arbiter:
    """Fitted weights: ``probabilities(evidence, scores)`` gives each weighed label's chance
    of being right in this text."""

    def __init__(self, weights: list[float], intercept: float, path: Path | None = None):
        self.weights = [float(w) for w in weights]
        self.intercept = float(intercept)
        self.path = path

    def probabilities(self, evidence: Evidence, scores: dict[str, float]) -> dict[str, float]:
        import numpy

        logits = features(evidence, scores) @ numpy.asarray(self.weights) + self.intercept
        return {label: float(p) for label, p in zip(WEIGHED, 1 / (1 + numpy.exp(-logits)))}

    def save(self, output_dir: Path) -> Path:
        path = Path(output_dir) / DECISION
        path.write_text(json.dumps({"labels": list(WEIGHED), "shared": list(SHARED), "intercept": self.intercept,
                                    "weights": self.weights}, indent=1) + "\n", encoding="utf-8")
        self.path = path
        return path

    @classmethod
    def load(cls, path: Path) -> "Arbiter":
        from .errors import ModelMissing

        try:
            stored = json.loads(Path(path).read_text(encoding="utf-8"))
            if stored["labels"] != list(WEIGHED) or stored["shared"] != list(SHARED) \
                    or len(stored["weights"]) != 3 * len(WEIGHED) + len(SHARED):
                raise ValueError("the saved arbiter reads other labels or features")
            return cls(stored["weights"], stored["intercept"], Path(path))
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ModelMissing(f"cannot load the arbiter {path} ({error}); run `gongkai train`")


def text_key(text: str) -> str:
    return hashlib.sha1(normalize_text(text).encode("utf-8")).hexdigest()[:16]


def unread_evidence(path: Path = UNREAD_RULES) -> dict[str, Evidence]:
    """Per text key, what cue rules that had not read the text found in it."""
    if not Path(path).exists():
        return {}
    with open(path, encoding="utf-8") as lines:
        return {record["key"]: Evidence.from_dict(record)
                for record in map(json.loads, filter(str.strip, lines))}


def fit_arbiter(written: list, real: list, k: int = PROVINCE_GROUPS, unread: Path = UNREAD_RULES) -> Arbiter:
    """Fit the arbiter on ``real`` reasons: each scored by a model trained (on ``written`` and
    the other provinces' real reasons) without its province group, each with the evidence of
    rules that had not read it. Seeded, so the same data gives the same weights."""
    import numpy
    from sklearn.linear_model import LogisticRegression

    from .classifier import Classifier
    from .dataset import province_folds
    from .evaluate import province_splits
    from .model import document_weights, model_text, train

    stored = unread_evidence(unread)
    rules = Classifier()
    evidence = [stored.get(text_key(e.text)) or rules.evidence(e.text) for e in real]
    scores: dict[int, dict[str, float]] = {}
    position = {id(example): index for index, example in enumerate(real)}
    for train_part, test_part in province_splits(written, real, province_folds(real, k)):
        scored = train(train_part).scores([model_text(e.text) for e in test_part])
        scores.update((position[id(e)], s) for e, s in zip(test_part, scored))
    rows, targets, weights = [], [], []
    weight_of = document_weights(real)
    for index, example in enumerate(real):
        rows.append(features(evidence[index], scores[index]))
        targets.extend(label in example.labels for label in WEIGHED)
        weights.extend([weight_of[index]] * len(WEIGHED))
    fitted = LogisticRegression(C=C, solver="liblinear", random_state=0)
    fitted.fit(numpy.vstack(rows), numpy.asarray(targets, dtype=int), sample_weight=numpy.asarray(weights))
    return Arbiter([round(float(w), 6) for w in fitted.coef_[0]], round(float(fitted.intercept_[0]), 6))

