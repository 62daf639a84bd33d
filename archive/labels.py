"""Human corrections of explanation categories: export for review, import back.

``gongkai labels export FILE.csv`` writes every classified explanation with its labels
(``gongkai labels review FILE.csv`` only the ones the classifier is least sure of, least
sure first, so a researcher corrects those first);
a researcher edits the ``labels`` column; ``gongkai labels import FILE.csv`` stores each
changed row in ``label_corrections``, keyed by the document's sha256 and the reason text
so that it survives a re-extraction (explanation ids do not), writes it into
``explanation_categories`` with ``source = 'human'`` (the views count a human label
before the model's), and appends it to the labelled reasons (``gongkai.paths``) for the
next ``gongkai train``.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from .store import Archive

COLUMNS = ["explanation_id", "sha256", "department", "region", "fiscal_year", "subject",
           "reason", "model_labels", "labels", "note"]
SEPARATOR = ";"
SHA256 = re.compile(r"[0-9a-f]{64}")
NOTE_MAX_CHARS = 2000


@dataclass
class ImportReport:
    """What ``import_labels`` did; ``errors`` are (CSV line, message) and were skipped."""

    corrections: int = 0
    unchanged: int = 0
    applied: int = 0
    training_examples: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"corrections": self.corrections, "unchanged": self.unchanged,
                "applied": self.applied, "training_examples": self.training_examples,
                "errors": [{"line": line, "message": message} for line, message in self.errors]}


def export_labels(archive: "Archive", path: str | os.PathLike) -> int:
    """Write every explanation that has categories to ``path``; returns the row count.

    ``model_labels`` is what the model said; ``labels`` starts as the current labels
    (a human's if corrected before) and is the column to edit, labels joined by ``;``.
    """
    return _write(path, [_editable(row) for row in archive.labelled_explanations()], COLUMNS)


def export_review(archive: "Archive", path: str | os.PathLike,
                  confidence: Callable[[list[str]], list[float]], limit: int | None = None) -> int:
    """Write the explanations no human has corrected yet, least sure first, to ``path`` in
    the export format plus a ``confidence`` column; returns the row count.

    :param confidence: reasons in, the classifier's confidence in each (0 = a coin toss).
    :param limit: at most this many rows.
    """
    rows = [_editable(row) for row in archive.labelled_explanations() if not row["human_labels"]]
    for row, value in zip(rows, confidence([row["reason"] for row in rows])):
        row["confidence"] = value
    rows.sort(key=lambda row: (row["confidence"], row["explanation_id"]))
    return _write(path, rows[:limit] if limit else rows, COLUMNS + ["confidence"])


def _editable(row: dict) -> dict:
    """An export row: labels joined by ``;``, ``labels`` the human's if any, else the model's."""
    row["model_labels"] = SEPARATOR.join(row["model_labels"])
    row["labels"] = SEPARATOR.join(row["human_labels"]) or row["model_labels"]
    return row


def _write(path: str | os.PathLike, rows: list[dict], columns: list[str]) -> int:
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


def import_labels(archive: "Archive", path: str | os.PathLike,
                  training_data: Path) -> ImportReport:
    """Store the rows of ``path`` whose ``labels`` differ from ``model_labels`` (or that were
    corrected before) as human corrections, apply them, and append them to the training data. A bad row is
    reported with its line number and skipped; the others are still imported."""
    from gongkai.nlp.dataset import Example, append_examples, check_labels, load_examples
    from gongkai.nlp.errors import BadTrainingData
    from gongkai.nlp.normalize import normalize_text

    report = ImportReport()
    corrections: list[tuple[str, str, tuple[str, ...], str | None]] = []
    corrected = archive.corrected_reasons()
    line = 1
    try:
        with open(path, encoding="utf-8-sig", newline="") as lines:
            reader = csv.DictReader(lines)
            missing = {"sha256", "reason", "labels"} - set(reader.fieldnames or [])
            if missing:
                report.errors.append((1, f"{path}: missing columns {sorted(missing)}; "
                                         f"start from `gongkai labels export`"))
                return report
            for row in reader:
                line = reader.line_num
                try:
                    labels = check_labels(_split(row["labels"] or ""), f"{path} line {line}")
                    sha256, reason, note = _checked(archive, row, f"{path} line {line}")
                except (BadTrainingData, BadCorrection) as error:
                    report.errors.append((line, str(error)))
                    continue
                # Same as the model and never corrected before: nothing to store. (A row that
                # was corrected before is stored again, even back to the model's labels.)
                if (set(labels) == set(_split(row.get("model_labels") or ""))
                        and (sha256, reason) not in corrected):
                    report.unchanged += 1
                    continue
                corrections.append((sha256, reason, labels, note))
    except (csv.Error, UnicodeDecodeError) as error:
        # A malformed file (a field past csv's size limit, not UTF-8): the rows before the
        # fault are kept, the rest are not read.
        report.errors.append((line + 1, f"{path}: line {line + 1} and those after it cannot be "
                                        f"read ({error}); save the file again as UTF-8 CSV"))
    report.corrections = archive.save_corrections(corrections)
    report.applied = archive.apply_corrections()
    known = {normalize_text(e.text): set(e.labels) for e in load_examples(training_data)}
    fresh = {}
    for _, reason, labels, _ in corrections:
        if known.get(normalize_text(reason)) != set(labels):
            fresh[normalize_text(reason)] = Example(reason, labels, "human")
    report.training_examples = append_examples(fresh.values(), training_data)
    return report


class BadCorrection(ValueError):
    """A row of a corrections file names no explanation of the archive."""


def _checked(archive: "Archive", row: dict, where: str) -> tuple[str, str, str | None]:
    """The row's sha256, reason and note, once they name an explanation of the archive: a
    correction is published as it is, so nothing else gets in."""
    sha256 = (row.get("sha256") or "").strip().lower()
    reason = row.get("reason") or ""
    note = (row.get("note") or "").strip() or None
    if not sha256 or not reason:
        raise BadCorrection(f"{where}: sha256 and reason are required")
    if not SHA256.fullmatch(sha256):
        raise BadCorrection(f"{where}: sha256 must be the 64 hex digits of an archived file, "
                            f"not {sha256[:80]!r}")
    if not archive.explains(sha256, reason):
        raise BadCorrection(f"{where}: no explanation of document {sha256[:12]}… has this reason; "
                            "keep the sha256 and reason columns as `gongkai labels export` wrote them")
    if note and len(note) > NOTE_MAX_CHARS:
        raise BadCorrection(f"{where}: the note has {len(note)} characters; at most "
                            f"{NOTE_MAX_CHARS} are kept")
    return sha256, reason, note


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.replace("；", SEPARATOR).replace(",", SEPARATOR).split(SEPARATOR)
            if part.strip()]
