"""Extraction in worker processes: many files over every core, for ``gongkai build`` and
``gongkai extract``.

Each file is extracted by a long-lived worker under the per-file time limit and the worker's
memory cap (extract.limit: a worker is replaced only after a file ran out of time or memory
or took it down, and the other files go on); its record comes back, or
``{"error": {"kind", "message"}}`` for a file that cannot be extracted.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

from gongkai.extract import ExtractError, extract_bytes
# Workers fork with PDFium and the modules extraction loads on demand already loaded, not each
# loading them at its first file (10 ms a worker).
from gongkai.extract import aligned, html, pdfium_pages, pdfminer_pages  # noqa: F401
from gongkai.extract.limit import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT, extraction, run_calls


@dataclass(frozen=True)
class Job:
    """One file to extract: where it is, the name it came under, the caller's key for it, and
    for an HTML disclosure the (path, filename) of each file it attaches."""

    path: str
    filename: str | None = None
    key: Any = None
    attachments: tuple = ()


def extract_many(
    jobs: Iterable[Job],
    *,
    workers: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    memory_mb: int | None = DEFAULT_MEMORY_MB,
    ordered: bool = False,
    engine: str | None = None,
) -> Iterator[tuple[Job, dict]]:
    """Yield (job, record) for each job, extracting in worker processes.

    :param workers: processes; default one per core (never more than files).
    :param timeout: seconds per file (kind ``timeout``); ``memory_mb``: MiB each worker may
        grow by (kind ``too_large``).
    :param ordered: yield in the order of ``jobs`` (as ``gongkai extract`` prints) rather than
        as files finish (as ``gongkai build`` stores them).
    :param engine: force a PDF engine (extract.extract_bytes).
    """
    jobs = list(jobs)
    calls = [extraction(_extract_job, job.path, job.filename, job.attachments, filename=job.filename or job.path,
                        timeout=timeout, engine=engine) for job in jobs]
    size = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    finished: dict[int, dict] = {}
    following = 0  # in order: the next job to yield
    for index, record, error in run_calls(calls, workers=size, memory_mb=memory_mb):
        if error is not None:
            record = {"error": _describe(error, jobs[index])}
        if not ordered:
            yield jobs[index], record
            continue
        finished[index] = record
        while following in finished:
            yield jobs[following], finished.pop(following)
            following += 1


def _describe(error: Exception, job: Job) -> dict[str, str]:
    if isinstance(error, ExtractError):
        return error.to_dict()
    # a bug or an unforeseen file (extract.limit.CallFailed): recorded, the others go on
    return {"kind": "extract_failed", "message": f"{job.filename or job.path}: {error}"}


def _extract_job(path: str, filename: str | None, attachments: tuple, **options: Any) -> dict[str, Any]:
    """In a worker: read one file (an HTML disclosure with its attachments, ``(path,
    filename)`` each) and extract it."""
    return extract_bytes(Path(path).read_bytes(), filename,
                         attachments=[(Path(p).read_bytes(), name) for p, name in attachments], **options)
