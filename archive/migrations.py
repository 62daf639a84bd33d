"""The archive's migrations, frozen as written: each one is the literal SQL that was
released, never computed from live code, so an archive made years ago takes exactly the
steps a fresh one took.

A new migration is appended to ``MIGRATIONS`` as literal statements and never edited after
release. Views, search indexes with their triggers, and the indexes behind facets are not
migrations: they are derived from the code (``archive.derived``) and recreated on open when
their definition changes. A migration that changes a table such an object reads drops the
object first (``DROP VIEW IF EXISTS …``); the next open creates it again.

When a release adds a migration, keep an archive of the version it leaves behind in
tests/fixtures/archives/ (see make_fixture.py there): the upgrade tests open every one.
"""

from __future__ import annotations

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

# Search indexes: the change queue, one contentless FTS5 table per indexed table with
# its triggers (as archive.search wrote them when V2 was released), the researchers' views
# and their indexes. Rows already in the archive were queued for the first refresh.
V2 = [
    """
        CREATE TABLE search_queue (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,          -- the indexed table
            row_id INTEGER NOT NULL,
            old TEXT                       -- JSON list of the old column values, for deletes
        )
        """,
    'CREATE INDEX search_queue_source_row ON search_queue(source, row_id, id)',
    "CREATE VIRTUAL TABLE documents_fts USING fts5(title, department, region, content='')",
    "CREATE TRIGGER documents_search_insert AFTER INSERT ON documents BEGIN INSERT INTO search_queue (source, row_id) VALUES ('documents', new.id); END",
    "CREATE TRIGGER documents_search_delete AFTER DELETE ON documents BEGIN INSERT INTO search_queue (source, row_id, old) VALUES ('documents', old.id, json_array(old.title, old.department, old.region)); END",
    "CREATE TRIGGER documents_search_update AFTER UPDATE OF title, department, region ON documents BEGIN INSERT INTO search_queue (source, row_id, old) VALUES ('documents', old.id, json_array(old.title, old.department, old.region)); INSERT INTO search_queue (source, row_id) VALUES ('documents', new.id); END",
    "INSERT INTO search_queue (source, row_id) SELECT 'documents', id FROM documents",
    "CREATE VIRTUAL TABLE pages_fts USING fts5(text, content='')",
    "CREATE TRIGGER pages_search_insert AFTER INSERT ON pages BEGIN INSERT INTO search_queue (source, row_id) VALUES ('pages', new.id); END",
    "CREATE TRIGGER pages_search_delete AFTER DELETE ON pages BEGIN INSERT INTO search_queue (source, row_id, old) VALUES ('pages', old.id, json_array(old.text)); END",
    "CREATE TRIGGER pages_search_update AFTER UPDATE OF text ON pages BEGIN INSERT INTO search_queue (source, row_id, old) VALUES ('pages', old.id, json_array(old.text)); INSERT INTO search_queue (source, row_id) VALUES ('pages', new.id); END",
    "INSERT INTO search_queue (source, row_id) SELECT 'pages', id FROM pages",
    "CREATE VIRTUAL TABLE sections_fts USING fts5(heading, text, content='')",
    "CREATE TRIGGER sections_search_insert AFTER INSERT ON sections BEGIN INSERT INTO search_queue (source, row_id) VALUES ('sections', new.id); END",
    "CREATE TRIGGER sections_search_delete AFTER DELETE ON sections BEGIN INSERT INTO search_queue (source, row_id, old) VALUES ('sections', old.id, json_array(old.heading, old.text)); END",
    "CREATE TRIGGER sections_search_update AFTER UPDATE OF heading, text ON sections BEGIN INSERT INTO search_queue (source, row_id, old) VALUES ('sections', old.id, json_array(old.heading, old.text)); INSERT INTO search_queue (source, row_id) VALUES ('sections', new.id); END",
    "INSERT INTO search_queue (source, row_id) SELECT 'sections', id FROM sections",
    "CREATE VIRTUAL TABLE explanations_fts USING fts5(subject, text, content='')",
    "CREATE TRIGGER explanations_search_insert AFTER INSERT ON explanations BEGIN INSERT INTO search_queue (source, row_id) VALUES ('explanations', new.id); END",
    "CREATE TRIGGER explanations_search_delete AFTER DELETE ON explanations BEGIN INSERT INTO search_queue (source, row_id, old) VALUES ('explanations', old.id, json_array(old.subject, old.text)); END",
    "CREATE TRIGGER explanations_search_update AFTER UPDATE OF subject, text ON explanations BEGIN INSERT INTO search_queue (source, row_id, old) VALUES ('explanations', old.id, json_array(old.subject, old.text)); INSERT INTO search_queue (source, row_id) VALUES ('explanations', new.id); END",
    "INSERT INTO search_queue (source, row_id) SELECT 'explanations', id FROM explanations",
    'CREATE INDEX IF NOT EXISTS documents_department ON documents(department)',
    'CREATE INDEX IF NOT EXISTS explanations_kind ON explanations(kind)',
    'CREATE INDEX IF NOT EXISTS explanation_categories_top ON explanation_categories(explanation_id, source, score)',
    'CREATE INDEX IF NOT EXISTS findings_rule_severity ON findings(rule, severity)',
    'CREATE INDEX IF NOT EXISTS line_items_subject ON line_items(subject_code, document_id)',
    'DROP VIEW IF EXISTS explanation_labels',
    """CREATE VIEW explanation_labels AS 
        SELECT c.explanation_id, c.label, c.score, c.source, c.model_version
        FROM explanation_categories c
        WHERE c.source = 'human' OR NOT EXISTS (
          SELECT 1 FROM explanation_categories h
          WHERE h.explanation_id = c.explanation_id AND h.source = 'human')
    """,
    'DROP VIEW IF EXISTS explanation_facts',
    """CREATE VIEW explanation_facts AS 
        SELECT
          explanations.id,
          
    documents.id AS document_id,
    documents.title AS document_title,
    documents.department,
    documents.region,
    documents.fiscal_year,
    documents.doc_type,
    documents.unit,
    documents.source_url,
    documents.sha256,
          explanations.kind,
          explanations.section,
          explanations.subject,
          explanations.subject_code,
          explanations.budget,
          explanations.actual,
          coalesce(explanations.rate,
                   round(explanations.actual * 100.0 / nullif(explanations.budget, 0), 2)) AS rate,
          explanations.change,
          explanations.change_pct,
          explanations.reason,
          explanations.no_difference,
          
    (SELECT label FROM explanation_labels l WHERE l.explanation_id = explanations.id
     ORDER BY l.score DESC, l.label LIMIT 1) AS category,
          (SELECT json_group_array(label) FROM (
             SELECT DISTINCT label FROM explanation_labels l
             WHERE l.explanation_id = explanations.id ORDER BY label)) AS categories,
          (SELECT json_group_object(label, score) FROM explanation_categories c
           WHERE c.explanation_id = explanations.id AND c.source = 'model') AS scores,
          explanations.page,
          explanations.text
        FROM explanations JOIN documents ON documents.id = explanations.document_id
    """,
    'DROP VIEW IF EXISTS line_item_facts',
    """CREATE VIEW line_item_facts AS 
        SELECT
          line_items.id,
          
    documents.id AS document_id,
    documents.title AS document_title,
    documents.department,
    documents.region,
    documents.fiscal_year,
    documents.doc_type,
    documents.unit,
    documents.source_url,
    documents.sha256,
          line_items.table_name,
          line_items.subject_code,
          line_items.subject_name,
          line_items.level,
          line_items.amounts,
          line_items.page
        FROM line_items JOIN documents ON documents.id = line_items.document_id
    """,
    'DROP VIEW IF EXISTS finding_facts',
    """CREATE VIEW finding_facts AS 
        SELECT
          findings.id,
          
    documents.id AS document_id,
    documents.title AS document_title,
    documents.department,
    documents.region,
    documents.fiscal_year,
    documents.doc_type,
    documents.unit,
    documents.source_url,
    documents.sha256,
          findings.rule,
          findings.severity,
          findings.message,
          findings.page,
          findings.evidence
        FROM findings JOIN documents ON documents.id = findings.document_id
    """,
    'DROP VIEW IF EXISTS category_counts',
    """CREATE VIEW category_counts AS 
        SELECT l.label AS category, documents.fiscal_year, documents.region, documents.doc_type,
               count(DISTINCT explanations.id) AS explanations
        FROM explanation_labels l
        JOIN explanations ON explanations.id = l.explanation_id
        JOIN documents ON documents.id = explanations.document_id
        GROUP BY l.label, documents.fiscal_year, documents.region, documents.doc_type
    """,
]

# Human label corrections keyed to survive re-extraction (archive.labels).
V3 = [
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

# Views again: explanation_labels (a human's labels replace the model's) and every view
# built on it.
V4 = [
    'CREATE INDEX IF NOT EXISTS documents_department ON documents(department)',
    'CREATE INDEX IF NOT EXISTS explanations_kind ON explanations(kind)',
    'CREATE INDEX IF NOT EXISTS explanation_categories_top ON explanation_categories(explanation_id, source, score)',
    'CREATE INDEX IF NOT EXISTS findings_rule_severity ON findings(rule, severity)',
    'CREATE INDEX IF NOT EXISTS line_items_subject ON line_items(subject_code, document_id)',
    'DROP VIEW IF EXISTS explanation_labels',
    """CREATE VIEW explanation_labels AS 
        SELECT c.explanation_id, c.label, c.score, c.source, c.model_version
        FROM explanation_categories c
        WHERE c.source = 'human' OR NOT EXISTS (
          SELECT 1 FROM explanation_categories h
          WHERE h.explanation_id = c.explanation_id AND h.source = 'human')
    """,
    'DROP VIEW IF EXISTS explanation_facts',
    """CREATE VIEW explanation_facts AS 
        SELECT
          explanations.id,
          
    documents.id AS document_id,
    documents.title AS document_title,
    documents.department,
    documents.region,
    documents.fiscal_year,
    documents.doc_type,
    documents.unit,
    documents.source_url,
    documents.sha256,
          explanations.kind,
          explanations.section,
          explanations.subject,
          explanations.subject_code,
          explanations.budget,
          explanations.actual,
          coalesce(explanations.rate,
                   round(explanations.actual * 100.0 / nullif(explanations.budget, 0), 2)) AS rate,
          explanations.change,
          explanations.change_pct,
          explanations.reason,
          explanations.no_difference,
          
    (SELECT label FROM explanation_labels l WHERE l.explanation_id = explanations.id
     ORDER BY l.score DESC, l.label LIMIT 1) AS category,
          (SELECT json_group_array(label) FROM (
             SELECT DISTINCT label FROM explanation_labels l
             WHERE l.explanation_id = explanations.id ORDER BY label)) AS categories,
          (SELECT json_group_object(label, score) FROM explanation_categories c
           WHERE c.explanation_id = explanations.id AND c.source = 'model') AS scores,
          explanations.page,
          explanations.text
        FROM explanations JOIN documents ON documents.id = explanations.document_id
    """,
    'DROP VIEW IF EXISTS line_item_facts',
    """CREATE VIEW line_item_facts AS 
        SELECT
          line_items.id,
          
    documents.id AS document_id,
    documents.title AS document_title,
    documents.department,
    documents.region,
    documents.fiscal_year,
    documents.doc_type,
    documents.unit,
    documents.source_url,
    documents.sha256,
          line_items.table_name,
          line_items.subject_code,
          line_items.subject_name,
          line_items.level,
          line_items.amounts,
          line_items.page
        FROM line_items JOIN documents ON documents.id = line_items.document_id
    """,
    'DROP VIEW IF EXISTS finding_facts',
    """CREATE VIEW finding_facts AS 
        SELECT
          findings.id,
          
    documents.id AS document_id,
    documents.title AS document_title,
    documents.department,
    documents.region,
    documents.fiscal_year,
    documents.doc_type,
    documents.unit,
    documents.source_url,
    documents.sha256,
          findings.rule,
          findings.severity,
          findings.message,
          findings.page,
          findings.evidence
        FROM findings JOIN documents ON documents.id = findings.document_id
    """,
    'DROP VIEW IF EXISTS category_counts',
    """CREATE VIEW category_counts AS 
        SELECT l.label AS category, documents.fiscal_year, documents.region, documents.doc_type,
               count(DISTINCT explanations.id) AS explanations
        FROM explanation_labels l
        JOIN explanations ON explanations.id = l.explanation_id
        JOIN documents ON documents.id = explanations.document_id
        GROUP BY l.label, documents.fiscal_year, documents.region, documents.doc_type
    """,
]

# The objects derived from the code (archive.derived): recorded so that one the code no longer
# defines is dropped. Seeded with those V2 and V4 created.
V5 = [
    """
    CREATE TABLE derived_objects (
        name TEXT PRIMARY KEY,
        type TEXT NOT NULL             -- table (a search index) | trigger | view | index
    )
    """,
    """
    INSERT INTO derived_objects (name, type)
    SELECT name, type FROM sqlite_master WHERE name IN (
        'documents_fts', 'pages_fts', 'sections_fts', 'explanations_fts',
        'documents_search_insert', 'documents_search_delete', 'documents_search_update',
        'pages_search_insert', 'pages_search_delete', 'pages_search_update',
        'sections_search_insert', 'sections_search_delete', 'sections_search_update',
        'explanations_search_insert', 'explanations_search_delete', 'explanations_search_update',
        'explanation_labels', 'explanation_facts', 'line_item_facts', 'finding_facts',
        'category_counts',
        'documents_department', 'explanations_kind', 'explanation_categories_top',
        'findings_rule_severity', 'line_items_subject')
    """,
]

# List endpoints the crawler learned in Chromium (crawler/endpoints.py), so later runs page
# through them without a browser.
V6 = [
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
]

# A stable identity for each run, so archives that workers wrote can be merged into one and
# merged again without repeating a run (archive/merge.py): a fetch is its run's uid and its
# place in the run.  Runs already archived get a random one.
V7 = [
    "ALTER TABLE crawl_runs ADD COLUMN uid TEXT",
    "UPDATE crawl_runs SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL",
    "CREATE UNIQUE INDEX crawl_runs_uid ON crawl_runs(uid)",
]

# Which PDF engine read each document (extract/pdf.py ENGINES: pdfium, or pdfminer for a file
# PDFium cannot read), so the files that fell back can be found and counted.
V8 = [
    "ALTER TABLE documents ADD COLUMN engine TEXT",
]

# How sure the classifier was of each label it gave (nlp: the margin between the label's score and
# its bar, lowered to the closest withheld label's; 1 where the cue rules decided), so that
# Datasette lists the explanations to correct first (the `least_sure_explanations` query).
# Rows written before stay NULL until the next build re-classifies them.
V9 = [
    "ALTER TABLE explanation_categories ADD COLUMN confidence REAL",
]

MIGRATIONS: list[list[str]] = [V1, V2, V3, V4, V5, V6, V7, V8, V9]
