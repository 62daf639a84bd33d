"""The learned part of the classifier: one logistic regression per label over the character
n-grams (1–4) and jieba words of a reason, TF-IDF weighted.

Why this model: on real reasons of provinces it never saw (the province-grouped split) it
scores about 7 points of macro-F1 above spaCy's bag-of-words textcat, which it replaced.
Character n-grams carry wording a segmenter splits differently in every province (压减,
调减, 核减); each label is class-balanced, so a thin label (carryover, staff_decrease) is
not drowned by the frequent ones; and every real reason is weighted by one over the square
root of its document's count of reasons, so one document's repeated phrasing (the five
江苏 budgets are half the real data) cannot dominate. Trained with scikit-learn's liblinear
(seeded, so the same data gives the same bytes); saved as a vocabulary and a weight matrix
and read back with numpy alone. The model reads the reason region of a normalized sentence
(clauses.reason_text), the same text the cue rules read, so a subject such as
公务用车运行维护费 never votes; it reads the figures masked and keeps only features two
documents share, so it learns cause words rather than one department's sums and project
names; and it scores each clause as well as the whole, so the thin label of a two-cause
reason is not drowned by its partner (nlp/data/README.md, "The learned part").
"""

from __future__ import annotations

import json
import math
import re
import time
from collections import Counter
from pathlib import Path

from .clauses import reason_text, split_clauses
from .dataset import REAL, Example, load_examples, load_real, train_dev
from .errors import ModelMissing
from .labels import EXCLUSIVE, LABELS
from .normalize import normalize_text
from .segment import segment

MODEL_DIR = Path(__file__).parent / "model"
FEATURES = "features.json"  # settings, vocabulary and idf; what marks a saved model
WEIGHTS = "weights.npy"  # one column per label; the last row is the intercepts
# Chosen on the province-grouped split (nlp/data/README.md, "The learned part").
NGRAMS = (1, 4)
# A feature seen in one document only (a department's project name, its own figures) says
# nothing of the next province's wording; a written reason is a document of its own.
MIN_DOCUMENTS = 2
C = 4.0  # inverse L2 strength
SEED = 0


# A document's own figures: a year, a sum of money (1,264元 too), a percentage, any number of
# two digits or more. The model reads them as placeholders: 年, #元, #%, # (a zero stays a
# zero: "预算为0万元" is no gap).
_YEAR = re.compile(r"(?:19|20)\d\d\s*(?:年度|年)")
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_FIGURE = re.compile(rf"({_NUMBER})\s*(万元|亿元|千元|元|万|%)|\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d{{2,}}(?:\.\d+)?")
_ZERO = re.compile(r"0+(?:\.0+)?")


def model_text(text: str) -> str:
    return reason_text(normalize_text(text))


def figures_masked(text: str) -> str:
    """``text`` with its figures as ``#``, so that the model learns cause words, not the
    amounts and years of the documents it was trained on."""
    return _FIGURE.sub(_placeholder, _YEAR.sub("年", text))


def _placeholder(figure: re.Match) -> str:
    number, unit = figure.group(1, 2)
    if unit is None:
        return "#"
    unit = "%" if unit == "%" else "元"
    return ("0" if _ZERO.fullmatch(number) else "#") + unit


def features(text: str) -> tuple[Counter, Counter]:
    """Counts of the character n-grams and of the words of ``text`` (a model text), its
    figures masked."""
    text = figures_masked(text)
    chars = Counter(text[i:i + n] for n in range(NGRAMS[0], NGRAMS[1] + 1)
                    for i in range(len(text) - n + 1) if text[i:i + n].strip())
    return chars, Counter(segment(text))


class LinearModel:
    """A trained model as the classifier uses it: texts in, a probability per label out.

    :param vocabulary: per block (``chars``, ``words``) the feature → (column, idf) table.
    :param weights: numpy array (columns + 1) × labels; the last row holds the intercepts.
    :param files: the files the model was loaded from (they make the classifier version).
    """

    def __init__(self, vocabulary: dict[str, dict[str, tuple[int, float]]], weights, files: list[Path]):
        self.vocabulary = vocabulary
        self.weights = weights
        self.files = files

    def rows(self, texts: list[str]) -> list[list[tuple[int, float]]]:
        """Each text as (column, value): sublinear TF × idf, each block of unit length."""
        rows = []
        for text in texts:
            row = []
            for block, counts in zip(("chars", "words"), features(text)):
                known = self.vocabulary[block]
                values = [(known[f][0], (1 + math.log(n)) * known[f][1]) for f, n in counts.items() if f in known]
                norm = math.sqrt(sum(v * v for _, v in values)) or 1.0
                row.extend((column, v / norm) for column, v in sorted(values))
            rows.append(row)
        return rows

    def scores(self, texts: list[str]) -> list[dict[str, float]]:
        """Per text, each label's probability: for a label a clause can carry, the highest of
        the whole text's and each clause's (so a thin label's clause is not drowned by its
        partner's words in a two-cause reason); `no_difference` and `other` speak of the whole
        text, so theirs is the whole text's."""
        return [best for best, _ in self.scores_and_clauses(texts)]

    def scores_and_clauses(self, texts: list[str]) -> list[tuple[dict[str, float], list[dict[str, float]]]]:
        """Per text, ``scores`` and each clause's own probabilities (none for a text of one
        clause), in the order of clauses.split_clauses: the classifier places a label only the
        model gave on its best clause without scoring the clauses again."""
        pieces = [[c.text for c in split_clauses(text)] for text in texts]
        pieces = [clauses if len(clauses) > 1 else [] for clauses in pieces]
        scored = iter(self._probabilities(texts + [clause for clauses in pieces for clause in clauses]))
        whole = [next(scored) for _ in texts]
        out = []
        for probabilities, clauses in zip(whole, pieces):
            each = [next(scored) for _ in clauses]
            for clause in each:
                probabilities = {label: p if label in EXCLUSIVE else max(p, clause[label])
                                 for label, p in probabilities.items()}
            out.append((probabilities, each))
        return out

    def _probabilities(self, texts: list[str]) -> list[dict[str, float]]:
        import numpy

        out = []
        bias = self.weights[-1].astype(numpy.float64)
        for row in self.rows(texts):
            logits = bias.copy()
            if row:
                columns, values = zip(*row)
                logits += numpy.asarray(values) @ self.weights[list(columns)].astype(numpy.float64)
            probabilities = 1 / (1 + numpy.exp(-logits))
            out.append({label: float(p) for label, p in zip(LABELS, probabilities)})
        return out

    def save(self, output_dir: Path) -> None:
        import numpy

        output_dir = Path(output_dir)
        output_dir.mkdir(parents=True, exist_ok=True)
        stored = {"labels": list(LABELS), "ngrams": list(NGRAMS), "vocabulary": {
            block: sorted([f, column, idf] for f, (column, idf) in table.items())
            for block, table in self.vocabulary.items()}}
        (output_dir / FEATURES).write_text(json.dumps(stored, ensure_ascii=False, separators=(",", ":")),
                                          encoding="utf-8")
        numpy.save(output_dir / WEIGHTS, self.weights, allow_pickle=False)

    @classmethod
    def load(cls, path: Path) -> "LinearModel":
        import numpy

        path = Path(path)
        try:
            stored = json.loads((path / FEATURES).read_text(encoding="utf-8"))
            weights = numpy.load(path / WEIGHTS, allow_pickle=False)
            vocabulary = {block: {f: (int(column), float(idf)) for f, column, idf in rows}
                          for block, rows in stored["vocabulary"].items()}
            columns = sum(len(table) for table in vocabulary.values())
            if stored["labels"] != list(LABELS) or weights.shape != (columns + 1, len(LABELS)):
                raise ValueError(f"labels {stored['labels']} and weights {weights.shape} do not fit "
                                 f"{len(LABELS)} labels over {columns} features")
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ModelMissing(f"cannot load the model in {path} ({error}); run `gongkai train`")
        return cls(vocabulary, weights, sorted(p for p in path.rglob("*") if p.is_file()))


def document_weights(examples: list[Example]) -> list[float]:
    """1 for a written reason, 1/√n for a real one whose document gave n; mean 1."""
    per_document = Counter(e.document for e in examples if e.document)
    raw = [1 / math.sqrt(per_document[e.document]) if e.document else 1.0 for e in examples]
    mean = sum(raw) / len(raw)
    return [w / mean for w in raw]


def train(examples: list[Example], output_dir: Path | None = None) -> LinearModel:
    """Fit one class-balanced logistic regression per label on ``examples`` (seeded); save
    to ``output_dir`` when given."""
    import numpy
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    if not examples:
        raise ValueError("no examples to train on")
    texts = [model_text(e.text) for e in examples]
    counted = [features(text) for text in texts]
    vocabulary: dict[str, dict[str, tuple[int, float]]] = {}
    column = 0
    for block in (0, 1):
        seen = Counter(f for counts in counted for f in counts[block])
        documents: dict[str, set] = {}
        for index, (example, counts) in enumerate(zip(examples, counted)):
            for f in counts[block]:  # a written reason is a document of its own
                documents.setdefault(f, set()).add(example.document or index)
        kept = sorted(f for f in seen if len(documents[f]) >= MIN_DOCUMENTS)
        # smoothed idf, as if one more text held every feature; rounded as it is saved
        vocabulary[("chars", "words")[block]] = {
            f: (column + i, round(math.log((1 + len(examples)) / (1 + seen[f])) + 1, 6))
            for i, f in enumerate(kept)}
        column += len(kept)
    model = LinearModel(vocabulary, None, [])
    rows = model.rows(texts)
    matrix = sparse.csr_matrix(
        ([v for row in rows for _, v in row], ([i for i, row in enumerate(rows) for _ in row],
                                               [c for row in rows for c, _ in row])),
        shape=(len(rows), column))
    sample_weight = numpy.asarray(document_weights(examples))
    weights = numpy.zeros((column + 1, len(LABELS)), dtype=numpy.float32)
    for index, label in enumerate(LABELS):
        target = numpy.asarray([label in e.labels for e in examples], dtype=int)
        if target.min() == target.max():  # never (or always) seen: a constant score
            weights[-1, index] = 20.0 if target[0] else -20.0
            continue
        # the dual problem: far fewer texts than features, so ~20× faster to the same optimum
        fitted = LogisticRegression(C=C, class_weight="balanced", solver="liblinear", dual=True,
                                    max_iter=1000, random_state=SEED)
        fitted.fit(matrix, target, sample_weight=sample_weight)
        weights[:-1, index] = fitted.coef_[0]
        weights[-1, index] = fitted.intercept_[0]
    model.weights = weights
    if output_dir is not None:
        model.save(output_dir)
        model.files = sorted(p for p in Path(output_dir).rglob("*") if p.is_file())
    return model


def train_shipped(data: Path, output_dir: Path, use_dev: bool = False, real: Path = REAL) -> dict:
    """Train the model (the one that ships in nlp/model/, when ``output_dir`` is that) on
    the train split of ``data`` (or on every example with ``use_dev``) and every real
    reason of ``real`` (read only, shipped in nlp/data/), fit the arbiter that weighs it
    against the cue rules (nlp/decision.py) on the real reasons, and save both to
    ``output_dir``: a model is never loaded without its own arbiter; returns what was done."""
    from .decision import fit_arbiter

    examples = load_examples(data)
    train_part, dev_part = train_dev(examples)
    written = examples if use_dev else train_part
    reasons = load_real(real)
    started = time.perf_counter()
    train(written + reasons, output_dir)
    fit_arbiter(written, reasons).save(output_dir)
    return {"examples": len(written) + len(reasons), "dev_held_out": 0 if use_dev else len(dev_part),
            "seconds": round(time.perf_counter() - started, 2), "output": str(output_dir)}
