"""The ground truth of one sample PDF, derived from its source file (never from an extractor).

Schema (one entry per attachment file name in ``expected.json``): see ``samples/README.md``.
"""

import re

from samples.layouts import LAYOUTS
from samples.source import EXPLANATION_FIELDS

TOTAL_CELLS = {
    # layout: [(total name, row label, label column, value column)]
    "juesuan01": [("income_total", "本年收入合计", 0, 2), ("expense_total", "本年支出合计", 3, 5)],
    "juesuan03": [("basic_expense", "合计", None, 3), ("project_expense", "合计", None, 4)],
    "yusuan01": [("income_total", "本年收入合计", 0, 1), ("expense_total", "本年支出合计", 2, 3)],
    "yusuan03": [("basic_expense", "合计", None, 5), ("project_expense", "合计", None, 6)],
}


def parse_number(text) -> float | None:
    """A printed cell as a number: '1,234.50' -> 1234.5, '' or '-' -> None."""
    text = str(text or "").replace(",", "").strip()
    if text in ("", "-", "—"):
        return None
    return float(text)


def to_wan(value: float | None, unit: str) -> float | None:
    """Convert a figure printed in ``unit`` (万元 or 元) to 万元."""
    if value is None:
        return None
    return round(value / 10000, 6) if unit == "元" else value


def cells(row) -> list:
    return row["cells"] if isinstance(row, dict) else row


def totals(source: dict) -> dict:
    """income_total, expense_total, basic_expense, project_expense in 万元 (blank cell = 0)."""
    out = dict.fromkeys(("income_total", "expense_total", "basic_expense", "project_expense"))
    for block in source["body"]:
        for name, label, label_col, value_col in TOTAL_CELLS.get(block.get("table"), []):
            for row in block.get("rows") or []:
                row = cells(row)
                labels = row[:4] if label_col is None else [row[label_col]]
                if label in (text.replace(" ", "") for text in labels):
                    value = parse_number(row[value_col]) or 0.0
                    out[name] = to_wan(value, block.get("unit", source["unit"]))
                    break
    return out


def expected_record(source: dict, page_count: int, pages_of: dict) -> dict:
    """The ground-truth record of one rendered source document."""
    tables, explanations = [], []
    section = None
    for index, block in enumerate(source["body"]):
        if "h1" in block or "h2" in block:
            section = block.get("h1") or block.get("h2")
        elif "part" in block:
            section = block["part"]
        elif "table" in block:
            layout = LAYOUTS[block["table"]]
            first, last = pages_of[index]
            tables.append({"name": layout.name, "printed_name": block.get("title", layout.name),
                           "code": block.get("code", layout.code),
                           "page_start": first, "page_end": last, "columns": layout.columns(),
                           "unit": block.get("unit", source["unit"]),
                           "rows": len(block.get("rows") or [])})
        for item in block.get("explanations", []):
            explanation = {key: item.get(key) for key in EXPLANATION_FIELDS}
            explanation["no_difference"] = bool(explanation["no_difference"])
            explanation["section"] = section
            explanation["page"] = pages_of[index][0]
            explanations.append(explanation)
    return {
        "slug": source["slug"],
        "title": source["title"],
        "doc_type": source["doc_type"],
        "fiscal_year": source["fiscal_year"],
        "department": source["department"],
        "region": source["region"],
        "published": source.get("published"),
        "page_count": page_count,
        "format": "pdf",
        "unit": source["unit"],
        "totals": totals(source),
        "tables": tables,
        "explanations": explanations,
        "key_sentences": [sentence for block in source["body"] for sentence in _reason_sentences(block)],
    }


def _reason_sentences(block: dict) -> list[str]:
    """Sentences stating a reason, as printed: tests look for them in the extracted text."""
    if "explanations" not in block:
        return []
    return [s for s in re.findall(r"[^。]*原因[^。]*。", block["p"])]
