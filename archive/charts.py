"""Bar charts as inline SVG: explanation category counts by fiscal year and by region.

Drawn on the server so the published archive needs no JavaScript library and fetches
nothing from a CDN.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from html import escape

from gongkai.nlp.labels import LABEL_NAMES

BAR_HEIGHT = 18
LABEL_WIDTH = 250
BAR_WIDTH = 320


def category_counts(conn: sqlite3.Connection, by: str) -> dict[object, dict[str, int]]:
    """``{fiscal_year or region (None if unknown): {category: explanations}}`` from the
    ``category_counts`` view."""
    if by not in ("fiscal_year", "region"):
        raise ValueError(f"charts are by fiscal_year or region, not {by!r}")
    counts: dict[object, dict[str, int]] = defaultdict(dict)
    for group, category, n in conn.execute(
        f"SELECT {by}, category, sum(explanations) FROM category_counts "
        f"GROUP BY {by}, category ORDER BY {by}, category"
    ):
        counts[group][category] = n
    return dict(counts)


def category_name(label: str) -> str:
    name = LABEL_NAMES.get(label)
    return f"{name} {label}" if name else label


def bar_chart(title: str, counts: dict[str, int], link=None) -> str:
    """One horizontal bar chart, categories in codebook order, as an SVG string.

    :param link: optional callable ``category -> URL`` making each bar a link to its rows.
    """
    order = [label for label in LABEL_NAMES if label in counts] + sorted(
        label for label in counts if label not in LABEL_NAMES
    )
    top = max(counts.values(), default=0) or 1
    height = 28 + BAR_HEIGHT * len(order)
    width = LABEL_WIDTH + BAR_WIDTH + 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="gongkai-chart" width="{width}" '
        f'height="{height}" role="img" aria-label="{escape(title)}">',
        f'<text x="0" y="16" font-weight="bold" font-size="14">{escape(title)}</text>',
    ]
    for index, label in enumerate(order):
        y = 26 + index * BAR_HEIGHT
        length = max(1, round(BAR_WIDTH * counts[label] / top))
        bar = (
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 13}" text-anchor="end" font-size="12">'
            f"{escape(category_name(label))}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y + 2}" width="{length}" height="{BAR_HEIGHT - 4}" '
            f'fill="#3b6ea5"><title>{escape(label)}: {counts[label]}</title></rect>'
            f'<text x="{LABEL_WIDTH + length + 4}" y="{y + 13}" font-size="12">{counts[label]}</text>'
        )
        if link:
            bar = f'<a href="{escape(link(label))}">{bar}</a>'
        parts.append(bar)
    parts.append("</svg>")
    return "".join(parts)
