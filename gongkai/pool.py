"""Extraction in worker processes: many files over every core, for ``gongkai build`` and
``gongkai extract``.

Each file is extracted by a worker under the per-file time and memory limits (a child of the
worker per file: extract.extract_with_limit); its record comes back, or
``{"error": {"kind", "message"}}`` for a file that cannot be extracted.  A worker that dies
itself breaks the pool: the files not yet handed back are extracted again one per pool, so
the culprit is recorded as kind ``crashed`` and the others still extract.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

from gongkai.extract.limit import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT

log = logging.getLogger("gongkai.pool")


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

    :param workers: processes; default one per core.
    :param timeout: seconds per file (kind ``timeout``); ``memory_mb``: MiB per file (kind
        ``too_large``), both enforced by extract.extract_with_limit.
    :param ordered: yield in the order of ``jobs`` (as ``gongkai extract`` prints) rather than
        as files finish (as ``gongkai build`` stores them).
    :param engine: force a PDF engine (extract.extract_bytes).
    """
    jobs = list(jobs)
    pending = list(range(len(jobs)))
    isolate = False  # after a crash, the rest one file per pool
    while pending:
        batch = pending[:1] if isolate else list(pending)
        size = 1 if isolate else max(1, min(workers or os.cpu_count() or 1, len(batch)))
        try:
            # Forked, not spawned: workers start in milliseconds with extract already imported.
            # (No max_tasks_per_child: it spawns, and on Python 3.11 a pool whose worker
            # retires with files still queued can hang; gh-115634.)
            with ProcessPoolExecutor(max_workers=size, mp_context=multiprocessing.get_context("fork")) as pool:
                futures = {
                    pool.submit(extract_path, jobs[i].path, jobs[i].filename, timeout, memory_mb, engine,
                                jobs[i].attachments): i
                    for i in batch
                }
                for index, record in _results(futures, ordered):
                    pending.remove(index)
                    yield jobs[index], record
        except BrokenProcessPool:
            if not isolate:
                log.warning("an extraction worker died; extracting %d files one by one", len(pending))
                isolate = True
                continue
            job = jobs[pending.pop(0)]
            yield job, {"error": {"kind": "crashed", "message": (
                f"{job.filename or job.path}: the extraction worker died on this file "
                "(out of memory or a crash in a library)")}}


def _results(futures: dict, ordered: bool) -> Iterator[tuple[int, dict]]:
    """(job index, record) of each future, in job order or as they finish."""
    if ordered:
        for future, index in sorted(futures.items(), key=lambda item: item[1]):
            yield index, future.result()
        return
    waiting = set(futures)
    while waiting:
        done, waiting = wait(waiting, return_when=FIRST_COMPLETED)
        for future in done:
            yield futures[future], future.result()


def extract_path(path: str, filename: str | None, timeout: float = DEFAULT_TIMEOUT,
                 memory_mb: int | None = DEFAULT_MEMORY_MB, engine: str | None = None,
                 attachments=()) -> dict[str, Any]:
    """Extract one file in a worker (an HTML disclosure with its attachments, ``(path,
    filename)`` each); errors come back as records, never raised."""
    from gongkai import extract

    try:
        return extract.extract_with_limit(
            Path(path).read_bytes(), filename, timeout=timeout, memory_mb=memory_mb, engine=engine,
            attachments=[(Path(p).read_bytes(), name) for p, name in attachments])
    except extract.ExtractError as error:
        return {"error": error.to_dict()}
    except Exception as error:  # a bug or an unforeseen PDF: record it, go on with the others
        return {"error": {"kind": "extract_failed",
                          "message": f"{filename or path}: {type(error).__name__}: {error}"}}
