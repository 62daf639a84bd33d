"""Measure classifiers on labelled reasons: per-label precision, recall, F1 and support,
micro and macro F1, k-fold cross-validation, and the worst confusions.

Four systems are compared on the same texts: the plain codebook-cue baseline
(baseline.py), the cue rules alone, the learned model alone, and the hybrid that ships.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from .baseline import baseline_labels
from .classifier import Classifier
from .dataset import REAL, REASONS, Example, load_examples, load_real, province_folds, train_dev
from .normalize import normalize_text
from .labels import EXCLUSIVE, LABELS
from .decision import Arbiter, fit_arbiter
from .model import LinearModel, model_text, train

# Written after the cue rules were first frozen, to measure them on unseen phrasing.
HOLDOUT = Path(__file__).parent / "data" / "holdout.jsonl"
# Real reasons set aside before any rule of this data was written, never trained on: provinces
# no training text comes from (heldout "province") and unread documents (heldout "document").
UNSEEN = Path(__file__).parent / "data" / "unseen.jsonl"
# Every frozen set, oldest first, each collected after the one before had been measured and
# labelled before any classifier read it; training never reads them (nlp/data/README.md).
FROZEN = (UNSEEN, UNSEEN.with_name("unseen-2.jsonl"))
# The model alone gives every label it scores over this.
THRESHOLD = 0.5

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
    f1s = []
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
        f1s.append(_f1(precision, recall))
        per_label[label] = {"precision": round(precision, 4), "recall": round(recall, 4),
                            "f1": round(_f1(precision, recall), 4), "support": tp + fn}
    micro_p = totals["tp"] / (totals["tp"] + totals["fp"]) if totals["tp"] + totals["fp"] else 0.0
    micro_r = totals["tp"] / (totals["tp"] + totals["fn"]) if totals["tp"] + totals["fn"] else 0.0
    macro = sum(f1s) / len(f1s) if f1s else 0.0
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


def model_only(model: LinearModel) -> Predict:
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


def systems(model: LinearModel | None, arbiter: Arbiter | None = None) -> dict[str, Predict]:
    """The systems compared everywhere: the baseline and the rules, and with a model, the
    model alone and the hybrid (weighed by ``arbiter``, by default the shipped one)."""
    found: dict[str, Predict] = {"baseline": baseline_predict, "rules": classifier_predict(Classifier())}
    if model is not None:
        found["model"] = model_only(model)
        found["hybrid"] = classifier_predict(Classifier(model, arbiter=arbiter))
    return found


def compare(examples: list[Example], model: LinearModel | None) -> dict[str, Report]:
    """Every system on ``examples``."""
    texts = [e.text for e in examples]
    return {name: score(examples, predict(texts)) for name, predict in systems(model).items()}


def folds(examples: list[Example], k: int) -> list[tuple[list[Example], list[Example]]]:
    """k train/test splits, each example tested once (assigned round-robin in file order)."""
    return [([e for i, e in enumerate(examples) if i % k != fold],
             [e for i, e in enumerate(examples) if i % k == fold]) for fold in range(k)]


def cross_validate(examples: list[Example], k: int = 5) -> dict[str, Report]:
    """Train a fresh model per fold; score every system on the out-of-fold predictions."""
    ordered: list[Example] = []
    predictions: dict[str, list[list[str]]] = {}
    for train_part, test_part in folds(examples, k):
        model = train(train_part)
        texts = [e.text for e in test_part]
        ordered.extend(test_part)
        for name, predict in systems(model).items():
            predictions.setdefault(name, []).extend(predict(texts))
    return {name: score(ordered, predicted) for name, predicted in predictions.items()}


def province_splits(written: list[Example], real: list[Example], groups: list[list[str]]
                    ) -> Iterator[tuple[list[Example], list[Example]]]:
    """(train, test) per group of provinces: test is the group's real reasons; train is the
    written reasons and the other provinces' real ones, less any text the test holds."""
    for provinces in groups:
        test_part = [e for e in real if e.province in provinces]
        tested = {normalize_text(e.text) for e in test_part}
        train_part = [e for e in written + [e for e in real if e.province not in provinces]
                      if normalize_text(e.text) not in tested]
        yield train_part, test_part


def province_evaluation(written: list[Example], real: list[Example], k: int = 5) -> dict:
    """Grouped by province: for each group, train on the written reasons and the real
    reasons of the other provinces (the model, and the arbiter on scores of a model that
    never saw each of those provinces either), and score every system on the group's real
    reasons (documents of provinces the model never saw). A written example with the same
    normalized text as a tested one is left out of that fold's training."""
    ordered: list[Example] = []
    predictions: dict[str, list[list[str]]] = {}
    groups = province_folds(real, k)
    for train_part, test_part in province_splits(written, real, groups):
        model = train(train_part)
        # the arbiter too learns only from the other provinces, by its own inner groups
        arbiter = fit_arbiter([e for e in train_part if not e.province], [e for e in train_part if e.province],
                              k=max(k - 1, 2))
        texts = [e.text for e in test_part]
        ordered.extend(test_part)
        for name, predict in systems(model, arbiter).items():
            predictions.setdefault(name, []).extend(predict(texts))
    results = {name: score(ordered, predicted).to_dict() for name, predicted in predictions.items()}
    def part(keep) -> dict:
        return {name: score([e for e in ordered if keep(e)],
                            [p for e, p in zip(ordered, predicted) if keep(e)]).to_dict()
                for name, predicted in predictions.items()}

    by_form = {form: part(lambda e, form=form: e.form == form)
               for form in sorted({e.form for e in ordered if e.form})}
    by_origin = {origin: part(lambda e, origin=origin: e.batch == origin)
                 for origin in sorted({e.batch for e in ordered})}
    return {"systems": results, "by_form": by_form, "by_origin": by_origin, "groups": groups,
            "size": len(ordered)}


def unseen_evaluation(model: LinearModel | None, path: Path = UNSEEN) -> dict:
    """Every system on the frozen unseen set, whole and per part (``heldout``: province or
    document), by form too: the honest measure of rules written while reading the training
    reasons. Scores only: the texts a system misses stay out, so the set stays a test."""
    examples = load_real(path)
    parts = {"all": examples}
    for key in ("heldout", "form"):
        for value in sorted({getattr(e, key) for e in examples if getattr(e, key)}):
            parts[f"{key}:{value}"] = [e for e in examples if getattr(e, key) == value]
    return {"parts": {name: {system: _scores(report) for system, report in compare(part, model).items()}
                      for name, part in parts.items()},
            "sizes": {name: len(part) for name, part in parts.items()},
            "provinces": sorted({e.province for e in examples if e.heldout == "province"})}


def _scores(report: Report) -> dict:
    scores = report.to_dict()
    del scores["errors"]
    return scores


def run_evaluation(data: Path = REASONS, holdout: Path | None = HOLDOUT, k: int = 5,
                   model_dir: Path | None = None, real: Path | None = REAL,
                   frozen: tuple[Path, ...] = FROZEN) -> dict:
    """Everything ``gongkai evaluate`` prints: the shipped model on the dev split (and on
    the hold-out set), k-fold cross-validation over the written examples, and the
    province-grouped evaluation on real reasons."""
    from .classifier import load_classifier

    examples = load_examples(data)
    _, dev = train_dev(examples)
    classifier = load_classifier(str(model_dir) if model_dir else None)
    results = {"model_version": classifier.version,
               "dev": {name: r.to_dict() for name, r in compare(dev, classifier.model).items()},
               "dev_size": len(dev)}
    if holdout is not None and Path(holdout).exists():
        kept = load_examples(holdout)
        results["holdout"] = {name: r.to_dict() for name, r in compare(kept, classifier.model).items()}
        results["holdout_size"] = len(kept)
    unseen = {path.stem: unseen_evaluation(classifier.model, path) for path in map(Path, frozen) if path.exists()}
    if unseen:
        results["unseen"] = unseen
    if k > 1:
        results["cross_validation"] = {name: r.to_dict() for name, r in cross_validate(examples, k).items()}
        results["folds"] = k
        if real is not None and Path(real).exists():
            grouped = province_evaluation(examples, load_real(real), k)
            results["unseen_provinces"] = grouped["systems"]
            results["unseen_provinces_size"] = f"{grouped['size']} real reasons, {len(grouped['groups'])} province groups"
            results["unseen_provinces_by_form"] = grouped["by_form"]
            results["unseen_provinces_by_origin"] = grouped["by_origin"]
    return results


def format_evaluation(results: dict) -> str:
    """The evaluation as text tables: per label for the hybrid, then every system's F1."""
    lines = [f"model {results['model_version']}"]
    for set_name, unseen in results.get("unseen", {}).items():
        lines += ["", f"== {set_name} ({unseen['sizes']['all']} frozen real reasons; provinces never trained on: "
                      f"{' '.join(unseen['provinces'])}) =="]
        systems = unseen["parts"]["all"]
        lines.append(f"{'label':<20}" + "".join(f"{name:>10}" for name in systems) + f"{'n':>5}")
        for label, row in systems["hybrid" if "hybrid" in systems else "rules"]["per_label"].items():
            lines.append(f"{label:<20}" + "".join(f"{report['per_label'].get(label, {}).get('f1', 0):>10.3f}"
                                                  for report in systems.values()) + f"{row['support']:>5}")
        for part, reports in unseen["parts"].items():
            lines.append(f"{part + ' (' + str(unseen['sizes'][part]) + ')':<28}" + "  ".join(
                f"{name} {report['macro_f1']:.3f}" for name, report in reports.items()))
    for part in ("dev", "holdout", "cross_validation", "unseen_provinces"):
        if part not in results:
            continue
        size = results.get(f"{part}_size") or f"{results.get('folds')}-fold"
        lines += ["", f"== {part} ({size}) =="]
        hybrid = results[part].get("hybrid") or results[part]["rules"]
        lines.append(f"{'label':<20}{'P':>7}{'R':>7}{'F1':>7}{'n':>5}")
        for label, row in hybrid["per_label"].items():
            lines.append(f"{label:<20}{row['precision']:>7.3f}{row['recall']:>7.3f}"
                         f"{row['f1']:>7.3f}{row['support']:>5}")
        lines.append("")
        for name, report in results[part].items():
            lines.append(f"{name:<10} micro-F1 {report['micro_f1']:.3f}  macro-F1 {report['macro_f1']:.3f}")
        for origin, reports in results.get(f"{part}_by_origin", {}).items():
            lines.append(f"  {origin}: " + "  ".join(f"{name} {report['macro_f1']:.3f}"
                                                   for name, report in reports.items()))
        lines.append("worst confusions (gold missed → predicted instead, count):")
        for missed, added, count in hybrid["confusions"][:5]:
            lines.append(f"  {missed} → {added}: {count}")
    return "\n".join(lines)
