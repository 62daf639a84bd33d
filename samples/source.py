"""Load the sample documents' source files (``samples/source/*.yaml``)."""

from pathlib import Path

import yaml

SOURCE_DIR = Path(__file__).resolve().parent / "source"

EXPLANATION_FIELDS = ("kind", "subject", "budget", "actual", "rate", "change", "change_pct",
                      "reason", "no_difference")


def load_sources(directory: Path = SOURCE_DIR) -> list[dict]:
    """Every source document, in file name order, each checked for the keys rendering needs."""
    sources = []
    for path in sorted(directory.glob("*.yaml")):
        source = yaml.safe_load(path.read_text(encoding="utf-8"))
        missing = {"slug", "doc_type", "fiscal_year", "department", "region", "title", "unit",
                   "cover_title", "cover_date", "table_label", "attachment", "article", "body"} - set(source)
        if missing:
            raise ValueError(f"{path.name}: missing keys {sorted(missing)}")
        sources.append(source)
    return sources

