"""The labelled reasons in nlp/data/reasons.jsonl: loading, checking, the train/dev split,
and appending human corrections for the next ``gongkai train``.

One JSON object per line: ``{"text", "labels", "source"}`` where ``source`` says where the
example came from (``sample``: a sentence of a sample disclosure, ``written``: written by
hand after how departments phrase reasons, ``human``: a researcher's correction imported
from the archive). A later line with the same normalized text replaces an earlier one,
so an imported correction overrides what was there. See nlp/data/README.md.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .errors import BadTrainingData
from .labels import EXCLUSIVE, LABELS
from .normalize import normalize_text

DATA = Path(__file__).parent / "data"
REASONS = DATA / "reasons.jsonl"
REAL = DATA / "real.jsonl"
DEV_SHARE = 5  # one example in five is dev


@dataclass(frozen=True)
class Example:
    text: str
    labels: tuple[str, ...]
    source: str = "written"
    # Real reasons only: where the text was published, and whether it is the reason as
    # the extractor emits it (``reason``) or the whole sentence (``sentence``).
    province: str | None = None
    document: str | None = None
    form: str | None = None
    # The frozen sets only (nlp/data/unseen*.jsonl): held out for its ``province``, or
    # as a ``document`` nobody had read when the cue rules were written.
    heldout: str | None = None
    # Real reasons that were once a frozen set and were then read in error analysis
    # (``"frozen-1 (province)"``): development data, reported apart in the grouped evaluation.
    origin: str | None = None

    @property
    def batch(self) -> str:
        """The batch the row came in: ``frozen-1`` for the rows of a frozen set read in error
        analysis, ``corpus-4``, ``corpus-5``, ``corpus-6`` … for the rows added after the cue rules
        were written (measured before anybody reads their misses: the proxy for unread wording;
        ``corpus-6b``: rows of round 6 that nobody read after that first look either),
        ``collected`` otherwise."""
        return self.origin.split(" ")[0] if self.origin else "collected"

    def to_json(self) -> str:
        return json.dumps({"text": self.text, "labels": list(self.labels), "source": self.source},
                          ensure_ascii=False)


def check_labels(labels: Iterable[str], where: str) -> tuple[str, ...]:
    """Codebook order, no unknown label, exclusive labels alone (codebook rule 4)."""
    labels = set(labels)
    unknown = labels - set(LABELS)
    if unknown or not labels:
        raise BadTrainingData(
            f"{where}: labels {sorted(unknown) or '[]'} are not codebook keys; use {', '.join(LABELS)}"
        )
    if len(labels) > 1 and labels & set(EXCLUSIVE):
        raise BadTrainingData(f"{where}: {sorted(labels & set(EXCLUSIVE))} must stand alone")
    return tuple(label for label in LABELS if label in labels)


def load_examples(path: Path = REASONS) -> list[Example]:
    """Every example in ``path``, the last one winning for a repeated text."""
    by_text: dict[str, Example] = {}
    for example in _read(path):
        by_text.pop(normalize_text(example.text), None)
        by_text[normalize_text(example.text)] = example
    return list(by_text.values())


def load_real(path: Path = REAL) -> list[Example]:
    """The real reasons, every line kept (the same words in two documents are two
    examples), each with its province and document."""
    examples = _read(path)
    for number, example in enumerate(examples, 1):
        if not (example.province and example.document):
            raise BadTrainingData(f"{path}: example {number} has no province or document")
    return examples


def _read(path: Path) -> list[Example]:
    examples = []
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = json.loads(line)
                text = str(record["text"]).strip()
                labels = record["labels"]
            except (ValueError, KeyError, TypeError) as error:
                raise BadTrainingData(f"{where}: not a JSON object with text and labels ({error})")
            if not text:
                raise BadTrainingData(f"{where}: empty text")
            examples.append(Example(text, check_labels(labels, where), record.get("source", "written"),
                                    record.get("province"), record.get("document"), record.get("form"),
                                    record.get("heldout"), record.get("origin")))
    return examples


def split_of(text: str) -> str:
    """``dev`` or ``train``, fixed by a hash of the normalized text so the split never
    depends on file order and an appended correction lands on a stable side."""
    digest = hashlib.sha1(normalize_text(text).encode("utf-8")).hexdigest()
    return "dev" if int(digest[:8], 16) % DEV_SHARE == 0 else "train"


def train_dev(examples: list[Example]) -> tuple[list[Example], list[Example]]:
    train = [e for e in examples if split_of(e.text) == "train"]
    dev = [e for e in examples if split_of(e.text) == "dev"]
    return train, dev


def province_folds(examples: list[Example], k: int) -> list[list[str]]:
    """Provinces in ``k`` groups of about equal size (largest first, each to the smallest
    group so far; ties by name), so every province is tested once, by a model that never
    saw it."""
    sizes: dict[str, int] = {}
    for example in examples:
        sizes[example.province] = sizes.get(example.province, 0) + 1
    groups: list[list[str]] = [[] for _ in range(k)]
    totals = [0] * k
    for province in sorted(sizes, key=lambda p: (-sizes[p], p)):
        smallest = totals.index(min(totals))
        groups[smallest].append(province)
        totals[smallest] += sizes[province]
    return [sorted(group) for group in groups if group]


def append_examples(examples: Iterable[Example], path: Path) -> int:
    """Append examples (human corrections) to the labelled data; returns how many."""
    lines = [example.to_json() + "\n" for example in examples]
    with open(path, "a", encoding="utf-8") as out:
        out.writelines(lines)
    return len(lines)
