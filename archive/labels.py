"""Human corrections of explanation categories: export for review, import back.

``gongkai labels export FILE.csv`` writes every classified explanation with its labels
(``gongkai labels review FILE.csv`` only the ones the classifier is least sure of, least
sure first, so a researcher corrects those first);
a researcher edits the ``labels`` column; ``gongkai labels import FILE.csv`` stores each
changed row in ``label_corrections``, keyed by the document's sha256 and the reason text
so that it survives a re-extraction (explanation ids do not), writes it into
``explanation_categories`` with ``source = 'human'`` (the views count a human label
before the model's), and appends it to nlp/data/reasons.jsonl for the next
``gongkai train``.
"""

from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from .store import Archive

SCHEMA = [
    """
    CREATE TABLE label_corrections (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL,          -- the document's file; survives re-extraction
        reason TEXT NOT NULL,          -- the explanation's reason (or text) as classified
        labels TEXT NOT NULL,          -- JSON list of codebook keys
        note TEXT,
        corrected_at TEXT NOT NULL,
        UNIQUE (sha256, reason)
    )
    """,
]

COLUMNS = ["explanation_id", "sha256", "department", "region", "fiscal_year", "subject",
           "reason", "model_labels", "labels", "note"]
HUMAN_VERSION = "human"
SEPARATOR = ";"


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


def _reason_sql() -> str:
    return "coalesce(explanations.reason, explanations.text)"


def export_labels(archive: "Archive", path: str | os.PathLike) -> int:
    """Write every explanation that has categories to ``path``; returns the row count.

    ``model_labels`` is what the model said; ``labels`` starts as the current labels
    (a human's if corrected before) and is the column to edit, labels joined by ``;``.
    """
    rows = [_editable(row) for row in _labelled_rows(archive)]
    return _write(path, rows, COLUMNS)


def export_review(archive: "Archive", path: str | os.PathLike,
                  confidence: Callable[[list[str]], list[float]], limit: int | None = None) -> int:
    """Write the explanations no human has corrected yet, least sure first, to ``path`` in
    the export format plus a ``confidence`` column; returns the row count.

    :param confidence: reasons in, the classifier's confidence in each (0 = a coin toss).
    :param limit: at most this many rows.
    """
    rows = [_editable(row) for row in _labelled_rows(archive) if not row["human_labels"]]
    for row, value in zip(rows, confidence([row["reason"] for row in rows])):
        row["confidence"] = value
    rows.sort(key=lambda row: (row["confidence"], row["explanation_id"]))
    return _write(path, rows[:limit] if limit else rows, COLUMNS + ["confidence"])


def _editable(row) -> dict:
    row = dict(row)
    row["labels"] = row["human_labels"] or row["model_labels"] or ""
    return row


def _write(path: str | os.PathLike, rows: list[dict], columns: list[str]) -> int:
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


def _labelled_rows(archive: "Archive"):
    return archive.db.query(
        f"""
        SELECT explanations.id AS explanation_id, documents.sha256, documents.department,
               documents.region, documents.fiscal_year, explanations.subject,
               {_reason_sql()} AS reason,
               (SELECT group_concat(label, '{SEPARATOR}') FROM (
                  SELECT DISTINCT label FROM explanation_categories c
                  WHERE c.explanation_id = explanations.id AND c.source = 'model'
                  ORDER BY label)) AS model_labels,
               (SELECT group_concat(label, '{SEPARATOR}') FROM (
                  SELECT DISTINCT label FROM explanation_categories c
                  WHERE c.explanation_id = explanations.id AND c.source = 'human'
                  ORDER BY label)) AS human_labels,
               (SELECT note FROM label_corrections k WHERE k.sha256 = documents.sha256
                  AND k.reason = {_reason_sql()}) AS note
        FROM explanations JOIN documents ON documents.id = explanations.document_id
        WHERE EXISTS (SELECT 1 FROM explanation_categories c
                      WHERE c.explanation_id = explanations.id)
        ORDER BY documents.fiscal_year, documents.region, explanations.id
        """
    )


def import_labels(archive: "Archive", path: str | os.PathLike,
                  training_data: Path | None = None) -> ImportReport:
    """Store the rows of ``path`` whose ``labels`` differ from ``model_labels`` (or that were
    corrected before) as human corrections, apply them, and append them to the training data. A bad row is
    reported with its line number and skipped; the others are still imported."""
    from gongkai.nlp.dataset import REASONS, Example, append_examples, check_labels, load_examples
    from gongkai.nlp.errors import BadTrainingData
    from gongkai.nlp.normalize import normalize_text

    from .store import now

    report = ImportReport()
    corrections: list[tuple[str, str, tuple[str, ...], str | None]] = []
    corrected = set(archive.conn.execute("SELECT sha256, reason FROM label_corrections").fetchall())
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
                labels = check_labels(_split(row["labels"]), f"{path} line {line}")
            except BadTrainingData as error:
                report.errors.append((line, str(error)))
                continue
            if not row.get("sha256") or not row.get("reason"):
                report.errors.append((line, f"{path} line {line}: sha256 and reason are required"))
                continue
            # Same as the model and never corrected before: nothing to store. (A row that
            # was corrected before is stored again, even back to the model's labels.)
            if (set(labels) == set(_split(row.get("model_labels") or ""))
                    and (row["sha256"], row["reason"]) not in corrected):
                report.unchanged += 1
                continue
            corrections.append((row["sha256"], row["reason"], labels, row.get("note") or None))
    with archive.transaction() as conn:
        for sha256, reason, labels, note in corrections:
            conn.execute(
                """INSERT INTO label_corrections (sha256, reason, labels, note, corrected_at)
                   VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT (sha256, reason) DO UPDATE SET
                     labels = excluded.labels, note = excluded.note,
                     corrected_at = excluded.corrected_at""",
                (sha256, reason, json.dumps(list(labels)), note, now()),
            )
        report.corrections = len(corrections)
    report.applied = apply_corrections(archive)
    data = training_data or REASONS
    known = {normalize_text(e.text): set(e.labels) for e in load_examples(data)}
    fresh = {}
    for _, reason, labels, _ in corrections:
        if known.get(normalize_text(reason)) != set(labels):
            fresh[normalize_text(reason)] = Example(reason, labels, "human")
    report.training_examples = append_examples(fresh.values(), data)
    return report


def apply_corrections(archive: "Archive") -> int:
    """Write every stored correction into ``explanation_categories`` (source 'human') for
    the explanations it matches; run after a build so corrections outlive re-extraction.
    Returns the number of explanations labelled by a human."""
    applied = 0
    with archive.transaction() as conn:
        corrections = conn.execute("SELECT sha256, reason, labels FROM label_corrections").fetchall()
        for sha256, reason, labels in corrections:
            explanation_ids = [row[0] for row in conn.execute(
                f"""SELECT explanations.id FROM explanations
                    JOIN documents ON documents.id = explanations.document_id
                    WHERE documents.sha256 = ? AND {_reason_sql()} = ?""",
                (sha256, reason),
            )]
            for explanation_id in explanation_ids:
                conn.execute("DELETE FROM explanation_categories "
                             "WHERE explanation_id = ? AND source = 'human'", (explanation_id,))
                conn.executemany(
                    """INSERT INTO explanation_categories
                       (explanation_id, label, score, span_start, span_end, model_version, source)
                       VALUES (?, ?, 1.0, 0, ?, ?, 'human')""",
                    [(explanation_id, label, len(reason), HUMAN_VERSION) for label in json.loads(labels)],
                )
                applied += 1
    return applied


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.replace("；", SEPARATOR).replace(",", SEPARATOR).split(SEPARATOR)
            if part.strip()]
