"""The archive's schema and its migrations.

Each migration is a list of SQL statements applied in one transaction; the number of
migrations applied is stored in ``PRAGMA user_version``, so an archive killed during a
migration is left at the previous version and the next open finishes the job.
New migrations are appended to ``MIGRATIONS``; applied ones are never edited.
"""

from __future__ import annotations

import sqlite3

from . import labels, search, views

# The values the crawler writes in fetches.kind / fetches.outcome / crawl_runs.status grew
# after V1 (challenge, duplicate, solved, interrupted, …): crawler/README.md lists them all.
V1 = [
    """
    CREATE TABLE crawl_runs (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        site TEXT,
        start_urls TEXT,               -- JSON list
        status TEXT NOT NULL DEFAULT 'running',   -- running | finished | failed
        pages INTEGER NOT NULL DEFAULT 0,
        files_new INTEGER NOT NULL DEFAULT 0,
        files_changed INTEGER NOT NULL DEFAULT 0,
        files_unchanged INTEGER NOT NULL DEFAULT 0,
        errors INTEGER NOT NULL DEFAULT 0,
        duration REAL
    )
    """,
    """
    CREATE TABLE files (
        sha256 TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        path TEXT NOT NULL,            -- relative to the archive's data directory
        format TEXT,                   -- pdf, doc, docx, xls, xlsx, wps, et, zip
        content_type TEXT,
        filename TEXT,
        first_url TEXT,
        first_seen TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE fetches (
        id INTEGER PRIMARY KEY,
        run_id INTEGER REFERENCES crawl_runs(id),
        url TEXT NOT NULL,
        referer TEXT,
        link_text TEXT,
        kind TEXT,                     -- page | file | robots
        status INTEGER,
        content_type TEXT,
        filename TEXT,
        etag TEXT,
        last_modified TEXT,
        sha256 TEXT REFERENCES files(sha256),
        size INTEGER,
        outcome TEXT,                  -- new | changed | unchanged | not_modified | skipped | error
        duration REAL,
        error TEXT,
        fetched_at TEXT NOT NULL
    )
    """,
    "CREATE INDEX fetches_url ON fetches(url)",
    "CREATE INDEX fetches_sha256 ON fetches(sha256)",
    "CREATE INDEX fetches_run_id ON fetches(run_id)",
    """
    CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL UNIQUE REFERENCES files(sha256),
        source_url TEXT,
        title TEXT,
        department TEXT,
        region TEXT,
        fiscal_year INTEGER,
        doc_type TEXT,                 -- 预算 | 决算
        published TEXT,
        page_count INTEGER,
        format TEXT,
        unit TEXT,
        income_total REAL,
        expense_total REAL,
        basic_expense REAL,
        project_expense REAL,
        status TEXT NOT NULL,          -- ok | error
        error_kind TEXT,
        error_message TEXT,
        extractor_version TEXT,
        extracted_at TEXT
    )
    """,
    """
    CREATE TABLE pages (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        page INTEGER NOT NULL,
        text TEXT NOT NULL,
        UNIQUE (document_id, page)
    )
    """,
    """
    CREATE TABLE sections (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        heading TEXT NOT NULL,
        level INTEGER,
        page INTEGER,
        text TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE report_tables (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        name TEXT NOT NULL,
        code TEXT,
        page_start INTEGER,
        page_end INTEGER,
        unit TEXT,
        columns TEXT,                  -- JSON list of header names
        rows TEXT                      -- JSON list of rows
    )
    """,
    """
    CREATE TABLE line_items (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        table_name TEXT NOT NULL,
        subject_code TEXT NOT NULL,
        subject_name TEXT,
        level TEXT,                    -- 类 | 款 | 项
        amounts TEXT,                  -- JSON {column name: number in 万元}
        page INTEGER
    )
    """,
    """
    CREATE TABLE explanations (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        kind TEXT NOT NULL,            -- budget_vs_actual | year_over_year | other
        section TEXT,
        subject TEXT,
        subject_code TEXT,
        budget REAL,
        actual REAL,
        rate REAL,
        change REAL,
        change_pct REAL,
        reason TEXT,
        no_difference INTEGER NOT NULL DEFAULT 0,
        page INTEGER,
        text TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE explanation_categories (
        id INTEGER PRIMARY KEY,
        explanation_id INTEGER NOT NULL REFERENCES explanations(id) ON DELETE CASCADE,
        label TEXT NOT NULL,
        score REAL,
        span_start INTEGER,
        span_end INTEGER,
        model_version TEXT NOT NULL,
        source TEXT NOT NULL DEFAULT 'model'   -- model | human
    )
    """,
    """
    CREATE TABLE findings (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        rule TEXT NOT NULL,
        severity TEXT NOT NULL,        -- error | warning | info
        message TEXT NOT NULL,
        page INTEGER,
        evidence TEXT                  -- JSON
    )
    """,
    "CREATE INDEX pages_document_id ON pages(document_id)",
    "CREATE INDEX sections_document_id ON sections(document_id)",
    "CREATE INDEX report_tables_document_id ON report_tables(document_id)",
    "CREATE INDEX line_items_document_id ON line_items(document_id)",
    "CREATE INDEX line_items_subject_code ON line_items(subject_code)",
    "CREATE INDEX explanations_document_id ON explanations(document_id)",
    "CREATE INDEX explanation_categories_explanation_id ON explanation_categories(explanation_id)",
    "CREATE INDEX explanation_categories_label ON explanation_categories(label)",
    "CREATE INDEX findings_document_id ON findings(document_id)",
    "CREATE INDEX documents_fiscal_year ON documents(fiscal_year)",
    "CREATE INDEX documents_region ON documents(region)",
    "CREATE INDEX documents_doc_type ON documents(doc_type)",
]

# Search indexes with their change triggers, and the researchers' views (archive.search,
# archive.views); their SQL lives beside the code that reads it.
V2 = search.schema() + views.schema()

# Human label corrections keyed to survive re-extraction (archive.labels).
V3 = labels.SCHEMA

# Views again: explanation_labels (a human's labels replace the model's) and every view
# built on it.
V4 = views.schema()

# List endpoints the crawler learned in Chromium (crawler/endpoints.py), so later runs page
# through them without a browser; a stable id per crawl run, so archives of several
# workers merge into one without doubling a run (``Archive.merge``).
V5 = [
    """
    CREATE TABLE list_endpoints (
        id INTEGER PRIMARY KEY,
        page_url TEXT NOT NULL,        -- canonical URL of the list page whose scripts call it
        url TEXT NOT NULL,             -- the call as seen (query included)
        method TEXT NOT NULL DEFAULT 'GET',
        body TEXT NOT NULL DEFAULT '', -- form or JSON body of a POST
        content_type TEXT,
        page_param TEXT,               -- the parameter that counts pages (NULL: one page)
        page_location TEXT,            -- query | form | json
        first_page INTEGER NOT NULL DEFAULT 1,
        page_step INTEGER NOT NULL DEFAULT 1,
        learned_at TEXT NOT NULL,
        run_id INTEGER REFERENCES crawl_runs(id),
        UNIQUE (page_url, method, url, body)
    )
    """,
    "ALTER TABLE crawl_runs ADD COLUMN uid TEXT",
    "UPDATE crawl_runs SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL",
    "CREATE UNIQUE INDEX crawl_runs_uid ON crawl_runs(uid)",
]

MIGRATIONS: list[list[str]] = [V1, V2, V3, V4, V5]

SCHEMA_VERSION = len(MIGRATIONS)


class ArchiveTooNew(Exception):
    """The archive was written by a newer gongkai; upgrade gongkai before opening it."""


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the archive up to ``SCHEMA_VERSION``; returns the number of migrations applied."""
    current = schema_version(conn)
    if current > SCHEMA_VERSION:
        raise ArchiveTooNew(
            f"archive schema version {current} is newer than this gongkai ({SCHEMA_VERSION})"
        )
    applied = 0
    for number in range(current + 1, SCHEMA_VERSION + 1):
        conn.execute("BEGIN IMMEDIATE")
        if schema_version(conn) >= number:  # another process migrated while we waited
            conn.execute("COMMIT")
            continue
        try:
            for statement in MIGRATIONS[number - 1]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied += 1
    return applied
