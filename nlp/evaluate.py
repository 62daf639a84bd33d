"""Measure classifiers on labelled reasons: per-label precision, recall, F1 and support,
micro and macro F1, k-fold cross-validation, and the worst confusions.

Four systems are compared on the same texts: the plain codebook-cue baseline
(baseline.py), the cue rules alone, the spaCy model alone, and the hybrid that ships.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Callable

from .baseline import baseline_labels
from .classifier import THRESHOLD, Classifier
from .dataset import Example
from .labels import EXCLUSIVE, LABELS
from .model import TextcatModel, model_text, train

Predict = Callable[[list[str]], list[list[str]]]


@dataclass
class Report:
    """Scores of one system on one set of examples."""

    per_label: dict[str, dict[str, float]]  # label → precision, recall, f1, support
    micro_f1: float
    macro_f1: float
    confusions: list[tuple[str, str, int]]  # (gold label missed, label predicted instead, count)
    errors: list[tuple[str, list[str], list[str]]]  # (text, gold, predicted)

    def to_dict(self) -> dict:
        return {"per_label": self.per_label, "micro_f1": self.micro_f1,
                "macro_f1": self.macro_f1,
                "confusions": [list(c) for c in self.confusions],
                "errors": [list(e) for e in self.errors]}


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def score(examples: list[Example], predicted: list[list[str]]) -> Report:
    """Compare predictions with gold labels; macro F1 averages labels with gold support."""
    gold = [set(e.labels) for e in examples]
    guess = [set(p) for p in predicted]
    per_label = {}
    totals = Counter()
    for label in LABELS:
        tp = sum(label in g and label in p for g, p in zip(gold, guess))
        fp = sum(label not in g and label in p for g, p in zip(gold, guess))
        fn = sum(label in g and label not in p for g, p in zip(gold, guess))
        totals.update(tp=tp, fp=fp, fn=fn)
        if tp + fn == 0:
            continue
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn)
        per_label[label] = {"precision": round(precision, 4), "recall": round(recall, 4),
                            "f1": round(_f1(precision, recall), 4), "support": tp + fn}
    micro_p = totals["tp"] / (totals["tp"] + totals["fp"]) if totals["tp"] + totals["fp"] else 0.0
    micro_r = totals["tp"] / (totals["tp"] + totals["fn"]) if totals["tp"] + totals["fn"] else 0.0
    macro = sum(v["f1"] for v in per_label.values()) / len(per_label) if per_label else 0.0
    confusions: Counter = Counter()
    errors = []
    for example, g, p in zip(examples, gold, guess):
        if g == p:
            continue
        errors.append((example.text, sorted(g), sorted(p)))
        for missed in (g - p) or {"(none)"}:
            for added in (p - g) or {"(none)"}:
                confusions[(missed, added)] += 1
    return Report(per_label, round(_f1(micro_p, micro_r), 4), round(macro, 4),
                  [(m, a, n) for (m, a), n in confusions.most_common(10)], errors)


def model_only(model: TextcatModel) -> Predict:
    """The model alone: every label over the threshold, `other` when none is."""
    def predict(texts: list[str]) -> list[list[str]]:
        out = []
        for scores in model.scores([model_text(t) for t in texts]):
            labels = [l for l in LABELS if l not in EXCLUSIVE and scores[l] >= THRESHOLD]
            if scores["no_difference"] >= max([THRESHOLD] + [scores[l] for l in labels]):
                labels = ["no_difference"]
            out.append(labels or ["other"])
        return out
    return predict


def classifier_predict(classifier: Classifier) -> Predict:
    return lambda texts: [r["labels"] for r in classifier.classify_many(texts)]


def baseline_predict(texts: list[str]) -> list[list[str]]:
    return [baseline_labels(t) for t in texts]


def compare(examples: list[Example], model: TextcatModel | None) -> dict[str, Report]:
    """Every system on ``examples``: baseline, rules, and with a model, model and hybrid."""
    texts = [e.text for e in examples]
    systems: dict[str, Predict] = {"baseline": baseline_predict,
                                   "rules": classifier_predict(Classifier())}
    if model is not None:
        systems["model"] = model_only(model)
        systems["hybrid"] = classifier_predict(Classifier(model))
    return {name: score(examples, predict(texts)) for name, predict in systems.items()}


def folds(examples: list[Example], k: int) -> list[tuple[list[Example], list[Example]]]:
    """k train/test splits, each example tested once (assigned round-robin in file order)."""
    return [([e for i, e in enumerate(examples) if i % k != fold],
             [e for i, e in enumerate(examples) if i % k == fold]) for fold in range(k)]


def cross_validate(examples: list[Example], k: int = 5, max_epochs: int | None = None
                   ) -> dict[str, Report]:
    """Train a fresh model per fold; score every system on the out-of-fold predictions."""
    ordered: list[Example] = []
    predictions: dict[str, list[list[str]]] = {}
    for train_part, test_part in folds(examples, k):
        model = train(train_part, max_epochs=max_epochs)
        texts = [e.text for e in test_part]
        ordered.extend(test_part)
        for name, predict in {"baseline": baseline_predict,
                              "rules": classifier_predict(Classifier()),
                              "model": model_only(model),
                              "hybrid": classifier_predict(Classifier(model))}.items():
            predictions.setdefault(name, []).extend(predict(texts))
    return {name: score(ordered, predicted) for name, predicted in predictions.items()}
