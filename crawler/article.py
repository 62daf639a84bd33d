"""Is an HTML article itself a disclosure?  Many portals publish the 部门决算 as the page:
the narrative in the article, the tables attached as .xls (e.g. 柞水县审计局2020年部门决算,
重庆市开州区人民政府办公室2023年度部门决算公开说明, in the stored pages of real portals).

Such an article is archived as a file of format ``html`` and extracted like a PDF
(``extract/html.py``).  Pure functions: no Scrapy, no HTTP.
"""

from __future__ import annotations

import re

from . import relevance

MIN_TEXT = 300
MIN_MARKERS = 3
# The parts every 部门预算/决算 narrative has (the national templates' headings).
NARRATIVE_MARKERS = re.compile(
    r"部门概况|单位概况|部门职责|主要职责|机构设置|情况说明|编制说明|总体情况|收入总计|支出总计|收支总计|"
    r"财政拨款|基本支出|项目支出|三公|机关运行经费|政府采购|国有资产|名词解释"
)


def is_disclosure_article(title: str, text: str) -> bool:
    """An article titled as a department's 预算/决算 whose own text is its narrative."""
    if relevance.judge(title) is not relevance.Verdict.DISCLOSURE:
        return False
    text = re.sub(r"\s+", "", text)
    return len(text) >= MIN_TEXT and len(set(NARRATIVE_MARKERS.findall(text))) >= MIN_MARKERS
