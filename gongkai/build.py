"""The build step: every archived file not yet extracted → records → labels → archive.

Extraction runs in worker processes (one per core by default), each file under a time
limit; the main process classifies the explanations and writes each document in one
transaction, so a build killed at any moment leaves whole documents only, and the next
build picks up the files that have none.  Explanations whose labels came from another
model version are re-classified; nothing else is touched, so a second build adds nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Callable

from gongkai.archive import Archive
from gongkai.pool import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT, Job, extract_many


@dataclass
class BuildReport:
    """What one build did."""

    extracted: int = 0
    failed: int = 0
    explanations: int = 0
    reclassified: int = 0
    corrected: int = 0
    indexed: int = 0
    errors: dict[str, str] = field(default_factory=dict)  # sha256 → "kind: message"


def build(
    archive_path: str | os.PathLike,
    *,
    workers: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    memory_mb: int = DEFAULT_MEMORY_MB,
    on_progress: Callable[[int, int, str], None] | None = None,
    model_dir: str | os.PathLike | None = None,
) -> BuildReport:
    """Extract, classify and load every archived file that has no current document.

    :param workers: extraction processes; default one per core.
    :param timeout: seconds allowed per file before it is recorded as kind ``timeout``.
    :param memory_mb: MiB allowed per file before it is recorded as kind ``too_large``.
    :param on_progress: called as ``(done, total, filename)`` after each file.
    :param model_dir: the classifier's model [default: ``gongkai.paths.trained_model()``,
        else the shipped one].
    """
    from gongkai import extract, nlp, paths

    report = BuildReport()
    classifier = nlp.load_classifier(model_dir or paths.trained_model())
    with Archive(archive_path) as archive:
        archive.drop_attachment_documents()
        pending = archive.files_to_extract(extract.EXTRACTOR_VERSION)
        for item in pending:
            if item["format"] == "html":  # the article's spreadsheets are its tables
                item["attachments"] = [(str(archive.file_path(a["sha256"])), a["filename"])
                                       for a in archive.attachments_of(item["sha256"])]
        categorize = _categorizer(classifier)
        jobs = [Job(str(archive.file_path(item["sha256"])), item.get("filename"), item,
                    tuple(item.get("attachments", ()))) for item in pending]
        extracted = extract_many(jobs, workers=workers, timeout=timeout, memory_mb=memory_mb)
        for done, (job, record) in enumerate(extracted, 1):
            item = job.key
            archive.save_document(
                item["sha256"],
                record,
                extractor_version=extract.EXTRACTOR_VERSION,
                categorize=categorize,
            )
            if "error" in record:
                report.failed += 1
                error = record["error"]
                report.errors[item["sha256"]] = f"{error['kind']}: {error['message']}"
            else:
                report.extracted += 1
                report.explanations += len(record.get("explanations") or [])
                for attachment in record.get("attachments") or []:
                    if "error" in attachment:  # the article is kept without that file's tables
                        error = attachment["error"]
                        report.errors[item["sha256"]] = (
                            f"attachment {attachment['file']}: {error['kind']}: {error['message']}")
            if on_progress:
                on_progress(done, len(pending), item.get("filename") or item["sha256"])
        report.reclassified = reclassify(archive, classifier)
        report.corrected = archive.apply_corrections()
        report.indexed = sum(archive.refresh_search().values())
    return report


def reclassify(archive: Archive, classifier) -> int:
    """Label the explanations whose model labels are missing or from another model version."""
    stale = archive.explanations_to_classify(classifier.version)
    from gongkai import nlp

    classifications = classifier.classify_many([_classified_text(e) for e in stale])
    with archive.transaction():
        for explanation, classification in zip(stale, classifications):
            archive.save_categories(explanation["id"], nlp.categories_for(classification))
    return len(stale)


def _classified_text(explanation: dict[str, Any]) -> str | None:
    """The reason as printed; for a no-difference statement without one, the sentence."""
    return explanation.get("reason") or (
        explanation.get("text") if explanation.get("no_difference") else None
    )


def _categorizer(classifier) -> Callable[[dict[str, Any]], list[dict[str, Any]]]:
    """Turn one explanation row into its category rows (label, score, span, model version)."""
    from gongkai import nlp

    def categorize(explanation: dict[str, Any]) -> list[dict[str, Any]]:
        text = _classified_text(explanation)
        return nlp.categories_for(classifier.classify(text)) if text else []

    return categorize
