"""The hybrid classifier: model scores plus cue rules, one decision per reason.

An obvious cue is never missed (a rule hit scores at least ``RULE_SCORE``); the model adds
labels for wording the rules do not know; `no_difference` and `other` never share a text
with another label; `other` is given when nothing passes.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Protocol

from .clauses import Clause
from .cues import CueRules
from .labels import EXCLUSIVE, LABELS
from .normalize import Normalized, normalize
from .rules import RuleResult, apply_rules

RULE_SCORE = 0.95
THRESHOLD = 0.5
# A label only the model sees must score this much when the rules found nothing…
MODEL_ALONE = 0.5
# …and this much beside labels the rules found (a wrong extra label costs more).
MODEL_EXTRA = 0.9
# A model-only label never contradicts the direction of a rule label.
OPPOSITES = {"staff_increase": "staff_decrease", "staff_decrease": "staff_increase",
             "project_increase": "project_decrease", "project_decrease": "project_increase"}

HERE = Path(__file__).parent
MODEL_DIR = HERE / "model"  # the same directory nlp.model.train_shipped writes
# Everything whose change can change a label: the version hashes these and the model.
RULE_FILES = ["normalize.py", "clauses.py", "cues.py", "rules.py", "classifier.py",
              "segment.py", "data/fiscal_dict.txt"]


class TextModel(Protocol):
    """What the classifier needs from a trained model (nlp.model.TextcatModel)."""

    files: list[Path]

    def scores(self, texts: list[str]) -> list[dict[str, float]]: ...


class Classifier:
    """Classify 差异原因 texts into codebook labels.

    :param model: a trained text model, or None for the cue rules alone.
    :param model_alone: the score a model-only label needs when no rule fired.
    :param model_extra: the score a model-only label needs beside rule labels.
    """

    def __init__(self, model: TextModel | None = None, rules: CueRules | None = None,
                 model_alone: float = MODEL_ALONE, model_extra: float = MODEL_EXTRA):
        self.model = model
        self.rules = rules or CueRules()
        self.model_alone = model_alone
        self.model_extra = model_extra
        self.version = _version(model)

    def classify(self, text: str) -> dict:
        return self.classify_many([text])[0]

    def classify_many(self, texts: Iterable[str]) -> list[dict]:
        texts = [text or "" for text in texts]
        normalized = [normalize(text) for text in texts]
        found = [apply_rules(n.text, self.rules) for n in normalized]
        model_scores = self._model_scores(found)
        return [
            self._decide(text, n, result, whole, clause_scores)
            for text, n, result, (whole, clause_scores) in zip(texts, normalized, found, model_scores)
        ]

    def _model_scores(self, found: list[RuleResult]) -> list[tuple[dict, list[dict]]]:
        """Scores for each whole text, and for each clause when there are several."""
        if self.model is None:
            return [({}, []) for _ in found]
        batch: list[str] = []
        for result in found:
            batch.append(result.text[result.region[0]:result.region[1]])
            if len(result.clauses) > 1:
                batch.extend(clause.text for clause in result.clauses)
        scored = iter(self.model.scores(batch))
        out = []
        for result in found:
            whole = next(scored)
            clauses = [next(scored) for _ in result.clauses] if len(result.clauses) > 1 else [whole]
            out.append((whole, clauses))
        return out

    def _decide(self, text: str, normalized: Normalized, result: RuleResult,
                model: dict[str, float], clause_scores: list[dict[str, float]]) -> dict:
        scores = {label: float(model.get(label, 0.0)) for label in LABELS}
        for label in result.hits:
            scores[label] = max(scores[label], RULE_SCORE)
        carried = dict(result.hits)
        rule_substantive = [l for l in LABELS if l in result.hits and l not in EXCLUSIVE]
        needed = self.model_extra if rule_substantive else self.model_alone
        substantive = rule_substantive + [
            l for l in LABELS
            if l not in EXCLUSIVE and l not in result.hits and scores[l] >= needed
            and OPPOSITES.get(l) not in result.hits
        ]
        substantive.sort(key=LABELS.index)
        if "no_difference" in result.hits or (
            not rule_substantive and scores["no_difference"] >= self.model_alone
            and scores["no_difference"] >= max([scores[l] for l in substantive], default=0)
        ):
            labels = ["no_difference"]
        elif result.says_other:
            labels = ["other"]
        elif not rule_substantive and scores["other"] >= max([scores[l] for l in substantive], default=0):
            labels = ["other"]
        else:
            labels = substantive or ["other"]
        if labels == ["other"]:
            scores["other"] = max(scores["other"], 1 - max(scores[l] for l in LABELS if l != "other"))
        spans = []
        for label in labels:
            for clause in carried.get(label) or [self._best_clause(label, result, clause_scores)]:
                start, end = normalized.original_span(clause.start, clause.end)
                spans.append({"start": start, "end": end, "label": label})
        spans.sort(key=lambda span: (span["start"], LABELS.index(span["label"])))
        return {
            "text": text,
            "labels": labels,
            "scores": {label: round(score, 4) for label, score in scores.items()},
            "spans": spans,
            "model": self.version,
        }

    @staticmethod
    def _best_clause(label: str, result: RuleResult, clause_scores: list[dict]) -> Clause:
        if label in EXCLUSIVE or not result.clauses:
            start, end = result.region if label == "other" else (0, len(result.text))
            return Clause(start, end, result.text[start:end])
        ranked = max(range(len(result.clauses)), key=lambda i: clause_scores[i].get(label, 0.0)
                     if i < len(clause_scores) else 0.0)
        return result.clauses[ranked]


def _version(model: TextModel | None) -> str:
    digest = hashlib.sha256()
    for name in RULE_FILES:
        path = HERE / name
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.exists() else b"")
    for path in (model.files if model is not None else []):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return f"{'hybrid' if model is not None else 'rules'}-{digest.hexdigest()[:12]}"


@lru_cache(maxsize=None)
def load_classifier(model_dir: str | None = None) -> Classifier:
    """The shipped classifier (cached): the trained model in nlp/model/ plus the rules, or
    the rules alone when no model has been trained yet."""
    path = Path(model_dir) if model_dir else MODEL_DIR
    if not (path / "config.cfg").exists():
        return Classifier()
    from .model import TextcatModel

    return Classifier(TextcatModel.load(path))


def categories_for(classification: dict) -> list[dict]:
    """Rows for ``archive.Archive.save_categories``: one per (label, span), with its score."""
    rows = []
    for span in classification["spans"]:
        rows.append({
            "label": span["label"],
            "score": classification["scores"].get(span["label"]),
            "span_start": span["start"],
            "span_end": span["end"],
            "model_version": classification["model"],
        })
    return rows
