"""Join the archives that workers wrote into one (``gongkai merge A.db B.db --into archive.db``).

Workers sharing a Redis frontier from several machines each write an archive of their own.
Merging keeps every file, run, fetch (so every version of every file), learned list
endpoint and human label correction once:

- a file is its sha256: its bytes are copied into the target's data directory (temporary
  file, fsync, rename) and checked against the sha256 before its ``files`` row is written,
  so no row ever points at bytes that are not there;
- a run is its ``uid`` (migration V7), a fetch its run and its place in the run: a run
  merged while its worker was still crawling gets the rest of its fetches next time;
- each run is merged in one transaction, so a merge killed at any moment leaves whole
  runs and the next merge completes it; merging again adds nothing.

Documents are not copied: they are derived from the files, and ``gongkai build`` on the
merged archive extracts every file that has no document there yet.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .store import Archive, write_durably

# Files whose rows are written in one transaction (their bytes are on disk before it).
FILE_BATCH = 200
COPY_CHUNK = 1 << 20
# Fetch rows read from the source at a time.
FETCH_BATCH = 5000


class MergeError(Exception):
    """A source archive could not be merged; none of its runs was merged (files copied
    before the error are whole, and the next merge goes on from them)."""

    kind = "merge_failed"

    def __init__(self, message: str, source: str | os.PathLike):
        super().__init__(f"{source}: {message}")
        self.source = str(source)

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "message": str(self)}


class SourceNotFound(MergeError):
    """The source archive does not exist; check the path."""

    kind = "not_found"


class NotAnArchive(MergeError):
    """The source is not a SQLite archive (or is damaged); it was left untouched."""

    kind = "not_an_archive"


class SameArchive(MergeError):
    """The source is the target itself; name another archive with --into."""

    kind = "same_archive"


class MissingBytes(MergeError):
    """Files the source lists are missing from its data directory or do not match their
    sha256; copy the source's ``-files`` directory along with it."""

    kind = "missing_bytes"


@dataclass
class MergeReport:
    """What one source brought into the target."""

    source: str
    runs: int = 0
    fetches: int = 0
    files: int = 0
    bytes: int = 0
    endpoints: int = 0
    corrections: int = 0

    def added_nothing(self) -> bool:
        return not (self.runs or self.fetches or self.files or self.endpoints or self.corrections)


def merge_archive(target: Archive, source_path: str | os.PathLike) -> MergeReport:
    """Bring one source archive into ``target``; safe to repeat and to kill.

    The source is opened as any archive is (so one an older gongkai wrote is upgraded).
    :raises MergeError: (a subclass per kind) when the source cannot be merged.
    """
    path = Path(source_path)
    if not path.is_file():
        raise SourceNotFound("no such archive", path)
    if path.resolve() == target.path.resolve():
        raise SameArchive("is the archive merged into", path)
    try:
        source = Archive(path)
    except sqlite3.DatabaseError as error:
        raise NotAnArchive(f"not a gongkai archive ({error})", path) from None
    with source:
        report = MergeReport(str(path))
        _merge_files(target, source, report)
        runs = _merge_runs(target, source, report)
        _merge_loose_fetches(target, source, report)
        _merge_endpoints(target, source, runs, report)
        _merge_corrections(target, source, report)
    return report


def _rows(archive: Archive, sql: str, *params: Any) -> list[dict[str, Any]]:
    return [dict(row) for row in archive.db.query(sql, params)]


def _columns(archive: Archive, table: str) -> list[str]:
    return [row[1] for row in archive.conn.execute(f"PRAGMA table_info({table})") if row[1] != "id"]


def _insert(archive: Archive, table: str, rows: list[dict[str, Any]], columns: list[str]) -> None:
    marks = ", ".join("?" for _ in columns)
    archive.conn.executemany(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
        [tuple(row[c] for c in columns) for row in rows],
    )


def _merge_files(target: Archive, source: Archive, report: MergeReport) -> None:
    """Copy the bytes of every file the target lacks, then its row; an earlier first
    sighting in the source becomes the file's ``first_seen``."""
    files = _rows(source, "SELECT * FROM files ORDER BY first_seen, sha256")
    missing = [f["sha256"] for f in files if not _intact(source.data_dir / f["path"], f["size"])]
    if missing:
        raise MissingBytes(f"{len(missing)} files have no bytes in {source.data_dir} "
                           f"(first: {missing[0]})", source.path)
    columns = _columns(target, "files")
    pending: list[dict[str, Any]] = []
    for file in files:
        known = target.conn.execute("SELECT first_seen FROM files WHERE sha256 = ?",
                                    (file["sha256"],)).fetchone()
        if known is not None:
            if file["first_seen"] < known[0]:
                target.conn.execute("UPDATE files SET first_seen = ?, first_url = ? WHERE sha256 = ?",
                                    (file["first_seen"], file["first_url"], file["sha256"]))
            continue
        destination = target.data_dir / file["path"]
        if not _intact(destination, file["size"]):
            _copy_checked(source.data_dir / file["path"], destination, file["sha256"], source.path)
        pending.append(file)
        report.files += 1
        report.bytes += file["size"]
        if len(pending) >= FILE_BATCH:
            _insert_files(target, pending, columns)
    _insert_files(target, pending, columns)


def _insert_files(target: Archive, pending: list[dict[str, Any]], columns: list[str]) -> None:
    with target.transaction():
        _insert(target, "files", pending, columns)
    pending.clear()


def _intact(path: Path, size: int) -> bool:
    return path.is_file() and path.stat().st_size == size


def _copy_checked(origin: Path, destination: Path, sha256: str, source: Path) -> None:
    digest = hashlib.sha256()

    def copy(out) -> None:
        with open(origin, "rb") as handle:
            while chunk := handle.read(COPY_CHUNK):
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != sha256:
            raise MissingBytes(f"{origin} does not match its sha256 {sha256}", source)

    write_durably(destination, copy)


def _merge_runs(target: Archive, source: Archive, report: MergeReport) -> dict[int, int]:
    """Each source run, whole, in one transaction: new runs with all their fetches, known
    runs with the fetches the target's copy lacks.  Returns source run id → target run id."""
    run_columns = _columns(target, "crawl_runs")
    summary = [c for c in run_columns if c != "uid"]
    fetch_columns = _columns(target, "fetches")
    mapping: dict[int, int] = {}
    for run in _rows(source, "SELECT * FROM crawl_runs ORDER BY started_at, id"):
        with target.transaction() as conn:
            known = conn.execute("SELECT id, status FROM crawl_runs WHERE uid = ?", (run["uid"],)).fetchone()
            if known is None:
                _insert(target, "crawl_runs", [run], run_columns)
                run_id = conn.execute("SELECT id FROM crawl_runs WHERE uid = ?", (run["uid"],)).fetchone()[0]
                report.runs += 1
            else:
                run_id = known[0]
            have = conn.execute("SELECT count(*) FROM fetches WHERE run_id = ?", (run_id,)).fetchone()[0]
            added = 0
            rows = source.conn.execute("SELECT * FROM fetches WHERE run_id = ? ORDER BY id LIMIT -1 OFFSET ?",
                                       (run["id"], have))
            names = [d[0] for d in rows.description]
            while batch := rows.fetchmany(FETCH_BATCH):
                fetches = [dict(zip(names, row), run_id=run_id) for row in batch]
                _insert(target, "fetches", fetches, fetch_columns)
                added += len(fetches)
            report.fetches += added
            if known is not None and (added or (known[1] == "running" and run["status"] != "running")):
                # The source's copy is further along: its summary is the run's.
                conn.execute(f"UPDATE crawl_runs SET {', '.join(f'{c} = ?' for c in summary)} WHERE id = ?",
                             (*[run[c] for c in summary], run_id))
        mapping[run["id"]] = run_id
    return mapping


def _merge_loose_fetches(target: Archive, source: Archive, report: MergeReport) -> None:
    """Fetches of no run (none of gongkai's own writers makes them): known by what they say."""
    columns = _columns(target, "fetches")
    with target.transaction():
        for fetch in _rows(source, "SELECT * FROM fetches WHERE run_id IS NULL ORDER BY id"):
            if target.conn.execute(
                    "SELECT 1 FROM fetches WHERE run_id IS NULL AND url = ? AND fetched_at = ? "
                    "AND kind IS ? AND outcome IS ?",
                    (fetch["url"], fetch["fetched_at"], fetch["kind"], fetch["outcome"])).fetchone():
                continue
            _insert(target, "fetches", [fetch], columns)
            report.fetches += 1


def _merge_endpoints(target: Archive, source: Archive, runs: dict[int, int], report: MergeReport) -> None:
    """A list endpoint is its page, method, URL and body; the one learned last wins."""
    columns = _columns(target, "list_endpoints")
    key = ("page_url", "method", "url", "body")
    updated = [c for c in columns if c not in key]
    with target.transaction():
        for endpoint in _rows(source, "SELECT * FROM list_endpoints ORDER BY id"):
            endpoint["run_id"] = runs.get(endpoint["run_id"])
            before = target.conn.total_changes
            target.conn.execute(
                f"""INSERT INTO list_endpoints ({', '.join(columns)})
                    VALUES ({', '.join('?' for _ in columns)})
                    ON CONFLICT ({', '.join(key)}) DO UPDATE SET
                    {', '.join(f'{c} = excluded.{c}' for c in updated)}
                    WHERE excluded.learned_at > list_endpoints.learned_at""",
                tuple(endpoint[c] for c in columns))
            report.endpoints += target.conn.total_changes - before


def _merge_corrections(target: Archive, source: Archive, report: MergeReport) -> None:
    """A human correction is its document and reason; the one made last wins."""
    with target.transaction():
        for correction in _rows(source, "SELECT * FROM label_corrections ORDER BY id"):
            before = target.conn.total_changes
            target.conn.execute(
                """INSERT INTO label_corrections (sha256, reason, labels, note, corrected_at)
                   VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT (sha256, reason) DO UPDATE SET
                   labels = excluded.labels, note = excluded.note, corrected_at = excluded.corrected_at
                   WHERE excluded.corrected_at > label_corrections.corrected_at""",
                (correction["sha256"], correction["reason"], correction["labels"], correction["note"],
                 correction["corrected_at"]))
            report.corrections += target.conn.total_changes - before
