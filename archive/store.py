"""Open an archive, store crawled files and fetch records, and save extracted documents.

The archive is one SQLite file plus a data directory beside it holding every file's bytes,
content-addressed by sha256 (``archive.db`` keeps its bytes in ``archive-files/``).
Every write that belongs together happens in one transaction, and file bytes reach the
disk (temp file, fsync, rename) before the row that points at them, so a process killed
at any moment leaves an archive that the next run completes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterator

import sqlite_utils

from . import search
from .schema import migrate

# The model_version of a human's labels.
HUMAN_VERSION = "human"
# The reason a correction is keyed by: the explanation's reason, or its text when it has none.
_REASON = "coalesce(explanations.reason, explanations.text)"

DISCLOSURE_FORMATS = ("pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "zip")

# An HTML disclosure's attachments: spreadsheets fetched from the page of an archived
# ``html`` file (``article``), with the first such fetch (crawler/article.py archives the
# article, extract/html.py reads their tables as the article's).
_ATTACHMENTS = """
    SELECT article.sha256 AS article, attachment.sha256 AS sha256, min(attachment.id) AS first_fetch
    FROM fetches AS attachment
    JOIN files AS attached ON attached.sha256 = attachment.sha256 AND attached.format IN ('xls', 'xlsx', 'et')
    JOIN fetches AS article ON article.url = attachment.referer AND article.kind = 'file'
    JOIN files AS page ON page.sha256 = article.sha256 AND page.format = 'html'
    WHERE attachment.kind = 'file'
    GROUP BY article.sha256, attachment.sha256
"""


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds")


def write_durably(target: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write a data file so that its name never shows part of it: ``write(out)`` fills a
    temporary file beside it, which is fsynced and renamed over ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(target.name + f".{os.getpid()}.part")
    try:
        with open(temporary, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    os.replace(temporary, target)


def new_uid() -> str:
    return uuid.uuid4().hex


def data_dir_for(archive_path: str | os.PathLike) -> Path:
    """``archive.db`` → ``archive-files/`` beside it."""
    path = Path(archive_path)
    return path.with_name(path.stem + "-files")


@dataclass(frozen=True)
class FileVersion:
    """The last stored version of one file URL: its bytes' sha256 and the validators the
    server sent with them (``ETag``, ``Last-Modified``)."""

    sha256: str
    etag: str | None
    last_modified: str | None


class Archive:
    """An open archive: a migrated SQLite database and its data directory.

    Every query the crawler, the build and the CLI run is a method here: nothing else
    opens the file.

    :param path: the SQLite file; created with its data directory when missing.
    :param synchronous: SQLite's ``synchronous`` level. ``NORMAL`` skips the fsync of each
        commit: in WAL mode a killed process still loses nothing, a power cut may lose the
        last commits (the crawler, committing once per fetch, uses it).
    """

    def __init__(self, path: str | os.PathLike, *, synchronous: str = "FULL"):
        if synchronous not in ("FULL", "NORMAL"):
            raise ValueError(f"synchronous is FULL or NORMAL, not {synchronous!r}")
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.data_dir = data_dir_for(self.path)
        # Autocommit mode: transactions are explicit (see ``transaction``), so sqlite3's
        # implicit BEGIN never leaves a half-open transaction behind.
        conn = sqlite3.connect(self.path, isolation_level=None, timeout=60)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 60000")
        conn.execute(f"PRAGMA synchronous = {synchronous}")
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        migrate(conn)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # -- crawling ---------------------------------------------------------------------

    def start_run(self, start_urls: list[str], site: str | None = None) -> int:
        """A new ``running`` run; its ``uid`` identifies it in every archive it is merged into."""
        cursor = self.conn.execute(
            "INSERT INTO crawl_runs (started_at, site, start_urls, uid) VALUES (?, ?, ?, ?)",
            (now(), site, json.dumps(start_urls, ensure_ascii=False), new_uid()),
        )
        return cursor.lastrowid

    def save_list_endpoint(self, run_id: int | None, endpoint: dict[str, Any]) -> None:
        """Remember a list endpoint (``crawler.endpoints.ListEndpoint.as_dict()``); a known
        one keeps its row and takes the newer paging."""
        self.conn.execute(
            """INSERT INTO list_endpoints (page_url, url, method, body, content_type, page_param,
                   page_location, first_page, page_step, learned_at, run_id)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (page_url, method, url, body) DO UPDATE SET
                   page_param = excluded.page_param, page_location = excluded.page_location,
                   first_page = excluded.first_page, page_step = excluded.page_step,
                   learned_at = excluded.learned_at, run_id = excluded.run_id""",
            (endpoint["page_url"], endpoint["url"], endpoint["method"], endpoint.get("body") or "",
             endpoint.get("content_type"), endpoint.get("page_param"), endpoint.get("location"),
             endpoint.get("first", 1), endpoint.get("step", 1), now(), run_id),
        )

    def list_endpoints(self) -> dict[str, list[dict[str, Any]]]:
        """``page_url → [endpoint dicts]`` (the shape ``ListEndpoint(**d)`` takes)."""
        found: dict[str, list[dict[str, Any]]] = {}
        for row in self.db.query(
            "SELECT page_url, url, method, body, content_type, page_param, page_location, first_page, "
            "page_step FROM list_endpoints ORDER BY id"
        ):
            found.setdefault(row["page_url"], []).append({
                "page_url": row["page_url"], "url": row["url"], "method": row["method"],
                "body": row["body"] or None, "content_type": row["content_type"],
                "page_param": row["page_param"], "location": row["page_location"],
                "first": row["first_page"], "step": row["page_step"],
            })
        return found

    def finish_run(self, run_id: int, status: str = "finished") -> dict[str, Any]:
        """Close a run, counting its pages, files and errors from its fetches."""
        counts = self.conn.execute(
            """
            SELECT
              count(*) FILTER (WHERE kind = 'page' AND outcome != 'error'),
              count(*) FILTER (WHERE kind = 'file' AND outcome = 'new'),
              count(*) FILTER (WHERE kind = 'file' AND outcome = 'changed'),
              count(*) FILTER (WHERE kind = 'file' AND outcome IN ('unchanged', 'not_modified')),
              count(*) FILTER (WHERE outcome = 'error')
            FROM fetches WHERE run_id = ?
            """,
            (run_id,),
        ).fetchone()
        started = self.conn.execute(
            "SELECT started_at FROM crawl_runs WHERE id = ?", (run_id,)
        ).fetchone()[0]
        finished = now()
        duration = (
            dt.datetime.fromisoformat(finished) - dt.datetime.fromisoformat(started)
        ).total_seconds()
        with self.transaction() as conn:
            conn.execute(
                """UPDATE crawl_runs SET finished_at = ?, status = ?, pages = ?, files_new = ?,
                   files_changed = ?, files_unchanged = ?, errors = ?, duration = ?
                   WHERE id = ?""",
                (finished, status, *counts, duration, run_id),
            )
        return dict(self.db["crawl_runs"].get(run_id))

    def running_runs(self) -> list[int]:
        """Runs still marked ``running`` (killed ones, when no crawl holds the lock)."""
        return [row[0] for row in self.conn.execute(
            "SELECT id FROM crawl_runs WHERE status = 'running' ORDER BY id")]

    def latest_file_version(self, url: str) -> FileVersion | None:
        """The last version of a file URL the archive holds, for a conditional re-fetch.

        Last by fetch time, not row id: a merged archive's rows arrive in merge order."""
        row = self.conn.execute(
            "SELECT sha256, etag, last_modified FROM fetches WHERE url = ? AND kind = 'file' "
            "AND sha256 IS NOT NULL ORDER BY fetched_at DESC, id DESC LIMIT 1",
            (url,),
        ).fetchone()
        return FileVersion(*row) if row else None

    def latest_file_versions(self) -> dict[str, FileVersion]:
        """``url → FileVersion`` for every file URL that has a stored version."""
        rows = self.conn.execute(
            """
            SELECT url, sha256, etag, last_modified FROM (
                SELECT url, sha256, etag, last_modified, row_number() OVER (
                    PARTITION BY url ORDER BY fetched_at DESC, id DESC) AS latest
                FROM fetches WHERE kind = 'file' AND sha256 IS NOT NULL)
            WHERE latest = 1
            """
        )
        return {url: FileVersion(sha256, etag, modified) for url, sha256, etag, modified in rows}

    def stored_urls(self, run_id: int) -> set[str]:
        """The URLs whose bytes a run archived (new, changed, unchanged or duplicate files)."""
        return {row[0] for row in self.conn.execute(
            "SELECT url FROM fetches WHERE run_id = ? AND sha256 IS NOT NULL", (run_id,))}

    def record_fetch(self, **fetch: Any) -> int:
        """Insert one row into ``fetches`` (url, status, kind, outcome, … as keywords)."""
        fetch.setdefault("fetched_at", now())
        columns = ", ".join(fetch)
        marks = ", ".join("?" for _ in fetch)
        cursor = self.conn.execute(
            f"INSERT INTO fetches ({columns}) VALUES ({marks})", tuple(fetch.values())
        )
        return cursor.lastrowid

    def store_file(
        self,
        body: bytes,
        *,
        url: str | None = None,
        filename: str | None = None,
        content_type: str | None = None,
        file_format: str | None = None,
    ) -> tuple[str, bool]:
        """Keep ``body`` under its sha256; returns (sha256, whether it was new)."""
        sha256 = hashlib.sha256(body).hexdigest()
        if self.conn.execute("SELECT 1 FROM files WHERE sha256 = ?", (sha256,)).fetchone():
            return sha256, False
        relative = Path(sha256[:2]) / sha256[2:4] / (sha256 + (f".{file_format}" if file_format else ""))
        target = self.data_dir / relative
        if not target.exists() or target.stat().st_size != len(body):
            write_durably(target, lambda out: out.write(body))
        self.conn.execute(
            """INSERT OR IGNORE INTO files
               (sha256, size, path, format, content_type, filename, first_url, first_seen)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            (sha256, len(body), str(relative), file_format, content_type, filename, url, now()),
        )
        return sha256, True

    def file_path(self, sha256: str) -> Path:
        row = self.conn.execute("SELECT path FROM files WHERE sha256 = ?", (sha256,)).fetchone()
        if row is None:
            raise KeyError(sha256)
        return self.data_dir / row[0]

    def merge(self, source_path: str | os.PathLike):
        """Bring another archive's files, runs, fetches, list endpoints and label corrections
        into this one, each once (``archive.merge``); returns a ``MergeReport``."""
        from .merge import merge_archive

        return merge_archive(self, source_path)

    # -- documents ----------------------------------------------------------------------

    def files_to_extract(self, extractor_version: str) -> list[dict[str, Any]]:
        """Archived files with no document, or one made by another extractor version, or (an
        HTML disclosure) extracted before one of its attachments arrived.  An HTML
        disclosure's spreadsheet attachments are its tables, never documents of their own."""
        return [
            dict(row)
            for row in self.db.query(
                f"""
                WITH attachments AS ({_ATTACHMENTS})
                SELECT files.sha256, files.path, files.format, files.filename, files.first_url
                FROM files LEFT JOIN documents ON documents.sha256 = files.sha256
                WHERE files.sha256 NOT IN (SELECT sha256 FROM attachments)
                  AND (documents.id IS NULL OR documents.extractor_version IS NOT ?
                       OR EXISTS (SELECT 1 FROM attachments JOIN fetches ON fetches.id = attachments.first_fetch
                                  WHERE attachments.article = files.sha256
                                    AND fetches.fetched_at > documents.extracted_at))
                ORDER BY files.first_seen, files.sha256
                """,
                [extractor_version],
            )
        ]

    def attachments_of(self, sha256: str) -> list[dict[str, Any]]:
        """The spreadsheets an HTML disclosure attaches (fetched from its page), in the order
        they were first fetched: ``sha256``, ``path``, ``format``, ``filename``."""
        return [dict(row) for row in self.db.query(
            f"""WITH attachments AS ({_ATTACHMENTS})
                SELECT files.sha256, files.path, files.format, files.filename FROM attachments
                JOIN files ON files.sha256 = attachments.sha256
                WHERE attachments.article = ? ORDER BY attachments.first_fetch""",
            [sha256],
        )]

    def drop_attachment_documents(self) -> int:
        """Delete the documents an earlier build made of files that are an HTML disclosure's
        attachments (now that document's tables); returns how many."""
        with self.transaction() as conn:
            return conn.execute(
                f"DELETE FROM documents WHERE sha256 IN (SELECT sha256 FROM ({_ATTACHMENTS}))").rowcount

    def source_url(self, sha256: str) -> str | None:
        row = self.conn.execute(
            "SELECT url FROM fetches WHERE sha256 = ? ORDER BY id LIMIT 1", (sha256,)
        ).fetchone()
        return row[0] if row else None

    def save_document(
        self,
        sha256: str,
        record: dict[str, Any],
        *,
        extractor_version: str,
        categorize=None,
    ) -> int:
        """Replace whatever the archive holds for ``sha256`` with one extracted record.

        ``record`` is the dict of ``extract`` (or ``{"error": {"kind", "message"}}``);
        ``categorize(explanation_row) -> list[category rows]`` adds labels in the same
        transaction, so a document never exists without its categories.
        """
        error = record.get("error")
        totals = record.get("totals") or {}
        document = {
            "sha256": sha256,
            "source_url": self.source_url(sha256),
            "title": record.get("title"),
            "department": record.get("department"),
            "region": record.get("region"),
            "fiscal_year": record.get("fiscal_year"),
            "doc_type": record.get("doc_type"),
            "published": record.get("published"),
            "page_count": record.get("page_count"),
            "format": record.get("format"),
            "engine": record.get("engine"),
            "unit": record.get("unit"),
            "income_total": totals.get("income_total"),
            "expense_total": totals.get("expense_total"),
            "basic_expense": totals.get("basic_expense"),
            "project_expense": totals.get("project_expense"),
            "status": "error" if error else "ok",
            "error_kind": error.get("kind") if error else None,
            "error_message": error.get("message") if error else None,
            "extractor_version": extractor_version,
            "extracted_at": now(),
        }
        with self.transaction():
            self.conn.execute("DELETE FROM documents WHERE sha256 = ?", (sha256,))
            document_id = self.db["documents"].insert(document).last_pk
            self._insert_children(document_id, record, categorize)
        return document_id

    def _insert_children(self, document_id: int, record: dict[str, Any], categorize) -> None:
        def rows(key: str, make) -> list[dict[str, Any]]:
            return [
                {"document_id": document_id, **make(ordinal, item)}
                for ordinal, item in enumerate(record.get(key) or [], 1)
            ]

        self.db["pages"].insert_all(
            rows("pages", lambda _, p: {"page": p["page"], "text": p["text"]})
        )
        self.db["sections"].insert_all(
            rows(
                "sections",
                lambda n, s: {
                    "ordinal": n,
                    "heading": s["heading"],
                    "level": s.get("level"),
                    "page": s.get("page"),
                    "text": s.get("text", ""),
                },
            )
        )
        self.db["report_tables"].insert_all(
            rows(
                "tables",
                lambda n, t: {
                    "ordinal": n,
                    # a table outside the standard list has no canonical name: its printed title
                    "name": t["name"] or t.get("printed_name") or "",
                    "code": t.get("code"),
                    "page_start": t.get("page_start"),
                    "page_end": t.get("page_end"),
                    "unit": t.get("unit"),
                    "columns": _json(t.get("columns")),
                    "rows": _json(t.get("rows")),
                },
            )
        )
        self.db["line_items"].insert_all(
            rows(
                "line_items",
                lambda _, li: {
                    "table_name": li["table"],
                    "subject_code": li["subject_code"],
                    "subject_name": li.get("subject_name"),
                    "level": li.get("level"),
                    "amounts": _json(li.get("values")),
                    "page": li.get("page"),
                },
            )
        )
        self.db["findings"].insert_all(
            rows(
                "findings",
                lambda _, f: {
                    "rule": f["rule"],
                    "severity": f["severity"],
                    "message": f["message"],
                    "page": f.get("page"),
                    "evidence": _json(f.get("evidence")),
                },
            )
        )
        for explanation in rows("explanations", _explanation_row):
            explanation_id = self.db["explanations"].insert(explanation).last_pk
            if categorize is not None:
                self.save_categories(explanation_id, categorize(explanation))

    # -- categories ---------------------------------------------------------------------

    def save_categories(self, explanation_id: int, categories: list[dict[str, Any]]) -> None:
        """Replace the model's labels of one explanation (human corrections are kept)."""
        self.conn.execute(
            "DELETE FROM explanation_categories WHERE explanation_id = ? AND source = 'model'",
            (explanation_id,),
        )
        self.db["explanation_categories"].insert_all(
            {"explanation_id": explanation_id, "source": "model", **category}
            for category in categories
        )

    def explanations_to_classify(self, model_version: str) -> list[dict[str, Any]]:
        """Explanations with a reason (or a no-difference statement) whose model labels are
        missing or from another model version."""
        return [dict(row) for row in self.db.query(
            """
            SELECT id, reason, text, no_difference FROM explanations
            WHERE (reason IS NOT NULL OR no_difference = 1)
              AND NOT EXISTS (
                SELECT 1 FROM explanation_categories c
                WHERE c.explanation_id = explanations.id
                  AND c.source = 'model' AND c.model_version = ?)
            """,
            [model_version],
        )]

    # -- human corrections (archive.labels moves them to and from CSV) ------------------

    def labelled_explanations(self) -> Iterator[dict[str, Any]]:
        """Every explanation that has categories, with its document, its reason (the text
        when it has none), the model's labels, a human's labels and note (lists, sorted)."""
        for row in self.db.query(
            f"""
            SELECT explanations.id AS explanation_id, documents.sha256, documents.department,
                   documents.region, documents.fiscal_year, explanations.subject,
                   {_REASON} AS reason,
                   (SELECT json_group_array(label) FROM (
                      SELECT DISTINCT label FROM explanation_categories c
                      WHERE c.explanation_id = explanations.id AND c.source = 'model'
                      ORDER BY label)) AS model_labels,
                   (SELECT json_group_array(label) FROM (
                      SELECT DISTINCT label FROM explanation_categories c
                      WHERE c.explanation_id = explanations.id AND c.source = 'human'
                      ORDER BY label)) AS human_labels,
                   (SELECT note FROM label_corrections k WHERE k.sha256 = documents.sha256
                      AND k.reason = {_REASON}) AS note
            FROM explanations JOIN documents ON documents.id = explanations.document_id
            WHERE EXISTS (SELECT 1 FROM explanation_categories c
                          WHERE c.explanation_id = explanations.id)
            ORDER BY documents.fiscal_year, documents.region, explanations.id
            """
        ):
            yield {**row, "model_labels": json.loads(row["model_labels"]),
                   "human_labels": json.loads(row["human_labels"])}

    def explains(self, sha256: str, reason: str) -> bool:
        """Whether the document of file ``sha256`` has an explanation with this reason (or,
        without a reason, this text): what a correction must name."""
        return self.conn.execute(
            f"""SELECT 1 FROM explanations JOIN documents ON documents.id = explanations.document_id
                WHERE documents.sha256 = ? AND {_REASON} = ? LIMIT 1""", (sha256, reason),
        ).fetchone() is not None

    def corrected_reasons(self) -> set[tuple[str, str]]:
        """(sha256, reason) of every stored correction."""
        return set(self.conn.execute("SELECT sha256, reason FROM label_corrections").fetchall())

    def save_corrections(self, corrections) -> int:
        """Store human corrections, each ``(sha256, reason, labels, note)``, replacing an
        earlier one of the same reason in the same document; returns how many."""
        count = 0
        with self.transaction() as conn:
            for sha256, reason, labels, note in corrections:
                conn.execute(
                    """INSERT INTO label_corrections (sha256, reason, labels, note, corrected_at)
                       VALUES (?, ?, ?, ?, ?)
                       ON CONFLICT (sha256, reason) DO UPDATE SET
                         labels = excluded.labels, note = excluded.note,
                         corrected_at = excluded.corrected_at""",
                    (sha256, reason, json.dumps(list(labels)), note, now()),
                )
                count += 1
        return count

    def apply_corrections(self) -> int:
        """Write every stored correction into ``explanation_categories`` (source 'human')
        for the explanations it matches; run after a build so corrections outlive
        re-extraction. Returns the number of explanations labelled by a human."""
        applied = 0
        with self.transaction() as conn:
            corrections = conn.execute(
                "SELECT sha256, reason, labels FROM label_corrections").fetchall()
            for sha256, reason, labels in corrections:
                explanation_ids = [row[0] for row in conn.execute(
                    f"""SELECT explanations.id FROM explanations
                        JOIN documents ON documents.id = explanations.document_id
                        WHERE documents.sha256 = ? AND {_REASON} = ?""",
                    (sha256, reason),
                )]
                for explanation_id in explanation_ids:
                    conn.execute("DELETE FROM explanation_categories "
                                 "WHERE explanation_id = ? AND source = 'human'", (explanation_id,))
                    conn.executemany(
                        """INSERT INTO explanation_categories
                           (explanation_id, label, score, span_start, span_end, model_version, source)
                           VALUES (?, ?, 1.0, 0, ?, ?, 'human')""",
                        [(explanation_id, label, len(reason), HUMAN_VERSION)
                         for label in json.loads(labels)],
                    )
                    applied += 1
        return applied

    # -- search and counts ----------------------------------------------------------------

    def refresh_search(self, batch: int = 2000, progress=None) -> dict[str, int]:
        """Index every queued change (``archive.search.refresh``); returns rows per table."""
        return search.refresh(self.conn, batch=batch, progress=progress)

    def search_pending(self) -> int:
        """How many changed rows ``refresh_search`` has still to index."""
        return search.pending(self.conn)

    def count_documents(self, status: str) -> int:
        """Documents with this status (``ok`` or ``error``)."""
        return self.conn.execute(
            "SELECT count(*) FROM documents WHERE status = ?", (status,)).fetchone()[0]

    def counts(self) -> dict[str, int]:
        tables = ["crawl_runs", "fetches", "files", "documents", "pages", "sections",
                  "report_tables", "line_items", "explanations", "explanation_categories",
                  "findings"]
        return {t: self.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def _explanation_row(ordinal: int, e: dict[str, Any]) -> dict[str, Any]:
    return {
        "ordinal": ordinal,
        "kind": e.get("kind", "other"),
        "section": e.get("section"),
        "subject": e.get("subject"),
        "subject_code": e.get("subject_code"),
        "budget": e.get("budget"),
        "actual": e.get("actual"),
        "rate": e.get("rate"),
        "change": e.get("change"),
        "change_pct": e.get("change_pct"),
        "reason": e.get("reason"),
        "no_difference": int(bool(e.get("no_difference"))),
        "page": e.get("page"),
        "text": e.get("text") or e.get("reason") or "",
    }


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)
