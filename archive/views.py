"""Views researchers query directly, and the indexes behind their facets and joins.

Each ``*_facts`` view is one row per fact joined to its document (region, fiscal year,
doc type, department, source), so a facet or a CSV export needs no join.
"""

from __future__ import annotations

from .derived import Derived

# Document columns every fact view carries, in this order.
_DOCUMENT_COLUMNS = """
    documents.id AS document_id,
    documents.title AS document_title,
    documents.department,
    documents.region,
    documents.fiscal_year,
    documents.doc_type,
    documents.unit,
    documents.source_url,
    documents.sha256"""

# The label an explanation is shown under: its most confident effective label.
_TOP_LABEL = """
    (SELECT label FROM explanation_labels l WHERE l.explanation_id = explanations.id
     ORDER BY l.score DESC, l.label LIMIT 1)"""

VIEWS = {
    # The labels that count: a human's, where a human corrected the explanation (they
    # replace the model's), else the model's. An explanation may carry several.
    "explanation_labels": """
        SELECT c.explanation_id, c.label, c.score, c.source, c.model_version, c.confidence
        FROM explanation_categories c
        WHERE c.source = 'human' OR NOT EXISTS (
          SELECT 1 FROM explanation_categories h
          WHERE h.explanation_id = c.explanation_id AND h.source = 'human')
    """,
    "explanation_facts": f"""
        SELECT
          explanations.id,
          {_DOCUMENT_COLUMNS},
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
          {_TOP_LABEL} AS category,
          (SELECT json_group_array(label) FROM (
             SELECT DISTINCT label FROM explanation_labels l
             WHERE l.explanation_id = explanations.id ORDER BY label)) AS categories,
          (SELECT json_group_object(label, score) FROM explanation_categories c
           WHERE c.explanation_id = explanations.id AND c.source = 'model') AS scores,
          (SELECT min(confidence) FROM explanation_categories c
           WHERE c.explanation_id = explanations.id AND c.source = 'model') AS confidence,
          explanations.page,
          explanations.text
        FROM explanations JOIN documents ON documents.id = explanations.document_id
    """,
    "line_item_facts": f"""
        SELECT
          line_items.id,
          {_DOCUMENT_COLUMNS},
          line_items.table_name,
          line_items.subject_code,
          line_items.subject_name,
          line_items.level,
          line_items.amounts,
          line_items.page
        FROM line_items JOIN documents ON documents.id = line_items.document_id
    """,
    "finding_facts": f"""
        SELECT
          findings.id,
          {_DOCUMENT_COLUMNS},
          findings.rule,
          findings.severity,
          findings.message,
          findings.page,
          findings.evidence
        FROM findings JOIN documents ON documents.id = findings.document_id
    """,
    # Explanations per (category, fiscal year, region, doc type), each counted under every
    # category it carries: what the charts draw.
    "category_counts": """
        SELECT l.label AS category, documents.fiscal_year, documents.region, documents.doc_type,
               count(DISTINCT explanations.id) AS explanations
        FROM explanation_labels l
        JOIN explanations ON explanations.id = l.explanation_id
        JOIN documents ON documents.id = explanations.document_id
        GROUP BY l.label, documents.fiscal_year, documents.region, documents.doc_type
    """,
}

# What the facets and joins above need, beyond the indexes of the migrations.
INDEXES = {
    "documents_department": "documents(department)",
    "explanations_kind": "explanations(kind)",
    "explanation_categories_top": "explanation_categories(explanation_id, source, score)",
    "findings_rule_severity": "findings(rule, severity)",
    "line_items_subject": "line_items(subject_code, document_id)",
}


def derived() -> list[Derived]:
    """The views and their indexes; ``archive.derived`` recreates on open whatever differs."""
    return [Derived("index", name, f"CREATE INDEX {name} ON {on}") for name, on in INDEXES.items()] + [
        # SQLite keeps the statement without its trailing whitespace.
        Derived("view", name, f"CREATE VIEW {name} AS {sql.rstrip()}") for name, sql in VIEWS.items()
    ]
