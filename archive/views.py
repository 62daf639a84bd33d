"""Views researchers query directly, and the indexes behind their facets and joins.

Each ``*_facts`` view is one row per fact joined to its document (region, fiscal year,
doc type, department, source), so a facet or a CSV export needs no join.
"""

from __future__ import annotations

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

# The label an explanation is counted under: a human's correction first, then the model's
# most confident label.
_TOP_LABEL = """
    (SELECT label FROM explanation_categories c WHERE c.explanation_id = explanations.id
     ORDER BY c.source = 'human' DESC, c.score DESC, c.id LIMIT 1)"""

VIEWS = {
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
             SELECT DISTINCT label FROM explanation_categories c
             WHERE c.explanation_id = explanations.id ORDER BY label)) AS categories,
          (SELECT json_group_object(label, score) FROM explanation_categories c
           WHERE c.explanation_id = explanations.id AND c.source = 'model') AS scores,
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
    # One row per (category, fiscal year, region): what the charts draw.
    "category_counts": f"""
        SELECT category, fiscal_year, region, doc_type, count(*) AS explanations
        FROM (SELECT {_TOP_LABEL} AS category, documents.fiscal_year, documents.region,
                     documents.doc_type
              FROM explanations JOIN documents ON documents.id = explanations.document_id)
        WHERE category IS NOT NULL
        GROUP BY category, fiscal_year, region, doc_type
    """,
}

INDEXES = [
    "CREATE INDEX documents_department ON documents(department)",
    "CREATE INDEX explanations_kind ON explanations(kind)",
    "CREATE INDEX explanation_categories_top ON "
    "explanation_categories(explanation_id, source, score)",
    "CREATE INDEX findings_rule_severity ON findings(rule, severity)",
    "CREATE INDEX line_items_subject ON line_items(subject_code, document_id)",
]


def schema() -> list[str]:
    """SQL creating the views and indexes (one migration)."""
    return INDEXES + [f"CREATE VIEW {name} AS {sql}" for name, sql in VIEWS.items()]
