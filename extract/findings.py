"""Where a document contradicts itself, proved by its own printed numbers.

A finding is an accusation, so every rule allows for rounding (each printed figure is off by
up to half its last digit; a sum of n rounded figures by 0.01 per summand) and only compares
figures that the document itself puts side by side.  收支总计 includes 年初结转和结余 while
本年收入合计 does not, so those are never compared with each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import sangong
from .catalog import FINAL_ACCOUNT_NAMES, joined_name, table_name
from .explanations import Explanation
from .wording import AMOUNT, BUDGET, CHANGE, COMPARISON, amount_value
from .line_items import LineItem, labelled_value, read_with_certainty, table_line_items, total_row
from .narrative import Paragraph
from .pdf import Page
from .tables import Table
from .text import NUMBER, compact, parse_number

EPSILON = 1e-6

# Every rule a finding can carry, with what it accuses the document of (documented in
# extract/README.md; a test keeps the two in step).
RULES = {
    "missing_table": "a 决算 lacks some of the nine standard tables",
    "sum_mismatch": "a 合计 is not the sum of its 类 rows, a 类 of its 款, a 款 of its 项",
    "total_mismatch": "收入支出决算总表 / 财政拨款收入支出决算总表 totals differ from the detail table",
    "rate_mismatch": "a stated 完成率 differs from 决算数 / 预算数",
    "no_difference_contradicted": "无差异 is stated but the two figures printed differ",
    "change_pct_mismatch": "a change % (on last year or on the budget) differs from the change and the amount compared",
    "narrative_table_mismatch": "a narrative amount for a 类, 项 or 三公 item differs from its table",
    "sangong_total_mismatch": "a section's 三公 total differs from the sum of the three items it prints",
    "share_mismatch": "a 结构情况 share (占 %) differs from the amount over the table 合计",
    "share_over_100": "a share above 100% is printed",
    "broken_font_map": "glyphs without a Unicode mapping come out as (cid:NNN)",
}
SHARE = re.compile(rf"占(?:[^，,。；;%％]{{0,24}}?的)?({NUMBER})[%％]")
NUMBERED = re.compile(r"^[一二三四五六七八九十]+[、.．]")
RATE_COLUMN = re.compile(r"率|[%％]|比例|比重|占比")


@dataclass
class Finding:
    rule: str
    severity: str
    message: str
    page: int | None
    evidence: dict = field(default_factory=dict)


def _half_unit(value: float) -> float:
    """Half of the last printed digit: 6.1 → 0.05, 100.0 (printed "100") → 0.5."""
    if value == int(value):
        return 0.5
    decimals = len(repr(value).split(".")[1])
    return 0.5 * 10 ** -decimals


def missing_tables(doc_type: str | None, tables: list[Table], pages: list[Page]) -> list[Finding]:
    """决算 disclosures must hold all nine standard tables."""
    found = {table.name for table in tables}
    if doc_type != "决算" or len(found & set(FINAL_ACCOUNT_NAMES)) < 3:
        return []  # not the standard template, or tables we could not read: no accusation
    titled = set()
    for page in pages:
        if re.search(r"目\s*录", page.text):
            continue
        lines = [line for line in page.text.splitlines() if not NUMBERED.match(line.strip())]
        # A title split over two lines ("…收入支出决算总" / "表") names its table too.
        titled |= {table_name(line) for line in lines}
        titled |= {joined_name(first, second) for first, second in zip(lines, lines[1:])}
    missing = [name for name in FINAL_ACCOUNT_NAMES if name not in found and name not in titled]
    if not missing:
        return []
    return [
        Finding(
            "missing_table",
            "warning",
            f"{len(missing)} of the nine standard 决算 tables are missing: {'、'.join(missing)}",
            None,
            {"missing": missing, "found": [name for name in FINAL_ACCOUNT_NAMES if name in found]},
        )
    ]


def sum_mismatches(tables: list[Table]) -> list[Finding]:
    """合计 = Σ 类, 类 = Σ 款, 款 = Σ 项, per column, within 0.01 per summand.

    Only on a table read with certainty (:func:`read_with_certainty`), and only where the
    total and its parts are all printed: a total left blank beside figures is a cell we
    could not place, not a zero.  When most of a table's sums fail, its columns were misread
    (a shifted column, a merged cell), so none is reported.
    """
    findings = []
    for table in tables:
        rows = table_line_items(table)
        if not rows or not read_with_certainty(table):
            continue
        scale = 1e-4 if table.unit == "元" else 1.0
        children: dict[str, list[LineItem]] = {}
        for item in rows:
            if len(item.subject_code) in (5, 7):
                children.setdefault(item.subject_code[:-2], []).append(item)
        parents = {item.subject_code: item for item in rows}
        checks = []
        for code, below in children.items():
            parent = parents[code]
            checks.append((f"{code} {parent.subject_name or ''}".strip(), parent.values, below, parent.page))
        total = total_row(table)
        top = [item for item in rows if item.level == "类" and _single_group(table)]
        if total and top:
            values = {
                table.columns[c]: v for c, v in enumerate(total) if isinstance(v, (int, float))
            }
            checks.append(("合计", values, top, table.row_pages[table.rows.index(total)]))
        failed = [finding for check in checks
                  if (finding := _compare(table, *check, scale)) is not None]
        if len(failed) * 2 > len(checks) and len(failed) > 1:
            continue
        findings += failed
    return findings


def _single_group(table: Table) -> bool:
    return sum(1 for name in table.columns if re.search(r"编码|代码", name)) <= 1


def _compare(table: Table, label: str, values: dict, children: list[LineItem], page: int,
             scale: float) -> Finding | None:
    """One finding for a row whose printed total differs from its parts, listing every
    column that differs; None when they agree."""
    differences = []
    for column in [name for name in table.columns if name in values or any(name in c.values for c in children)]:
        if RATE_COLUMN.search(column):  # a 类's 增减率 is not the sum of its 款' rates
            continue
        printed = [child.values.get(column) for child in children]
        stated = values.get(column)
        if stated is None or all(value is None for value in printed):
            continue
        total = sum(value or 0.0 for value in printed)
        tolerance = 0.01 * scale * max(len(children), 1) + EPSILON
        if abs(stated - total) > tolerance:
            differences.append({"column": column, "stated": stated, "sum": round(total, 6)})
    if not differences:
        return None
    first = differences[0]
    return Finding(
        "sum_mismatch",
        "error",
        f"{table.name} (page {page}): {label} {first['column']} is printed {first['stated']:g} but its "
        f"{len(children)} sub-items add up to {first['sum']:.2f}",
        page,
        {
            "table": table.name,
            "table_page": table.page_start,
            "row": label,
            "column": first["column"],
            "stated": first["stated"],
            "sum": first["sum"],
            "columns": differences,
            "items": [child.subject_code for child in children],
        },
    )


def _by_name(tables: list[Table], name: str) -> Table | None:
    return next((table for table in tables if table.name == name), None)


def _first_value(table: Table, row: list | None, pattern: str) -> float | None:
    if row is None:
        return None
    column = table.column(pattern)
    if column is not None and isinstance(row[column], (int, float)):
        return row[column]
    return None


def total_mismatches(tables: list[Table]) -> list[Finding]:
    """The 总表 totals against the detail tables that repeat them."""
    pairs = []
    overview = _by_name(tables, "收入支出决算总表")
    income, expense = _by_name(tables, "收入决算表"), _by_name(tables, "支出决算表")
    if overview and income:
        pairs.append((overview, "本年收入合计", labelled_value(overview, "本年收入合计"),
                      income, _first_value(income, total_row(income), r"本年收入合计$|^合计$")))
    if overview and expense:
        pairs.append((overview, "本年支出合计", labelled_value(overview, "本年支出合计"),
                      expense, _first_value(expense, total_row(expense), r"本年支出合计$|^合计$")))
    grants = _by_name(tables, "财政拨款收入支出决算总表")
    general = _by_name(tables, "一般公共预算财政拨款支出决算表")
    if grants and general:
        pairs.append((grants, "本年支出合计/一般公共预算财政拨款",
                      labelled_value(grants, "本年支出合计", r"一般公共预算财政拨款$"),
                      general, _first_value(general, total_row(general), r"小计$|合计$")))
    findings = []
    for summary, label, stated, detail, repeated in pairs:
        if stated is None or repeated is None:
            continue
        if abs(stated - repeated) > 0.01 + EPSILON:
            findings.append(
                Finding(
                    "total_mismatch",
                    "error",
                    f"{summary.name} gives {label} {stated:g} but {detail.name} 合计 is {repeated:g}",
                    summary.page_start,
                    {"table": summary.name, "row": label, "stated": stated,
                     "other_table": detail.name, "other": repeated},
                )
            )
    return findings


def _interval(value: float) -> tuple[float, float]:
    half = _half_unit(value)
    return value - half, value + half


def _percent_interval(value: float) -> tuple[float, float]:
    """What a printed percentage may stand for: rounded to its last digit, or cut there
    (95.45% printed for 95.457%: js-jianchayuan-2019 prints 10.15% for 10.158%)."""
    half = _half_unit(value)
    return value - half, value + 2 * half


def stated_figure_mismatches(explanations: list[Explanation]) -> list[Finding]:
    """完成率 against 决算/预算, and "no difference" against the two figures.

    When a statement prints several budgets (年初预算 and 调整后预算), the figures are
    accused only if none of them fits.
    """
    findings = []
    for item in explanations:
        if item.budget is None or item.actual is None:
            continue
        budgets = [amount_value(*m.groups()) for m in BUDGET.finditer(compact(item.text))] or [item.budget]
        a_low, a_high = _interval(item.actual)
        evidence = {"text": item.text, "budget": item.budget, "actual": item.actual}
        if item.rate is not None and all(budget and budget > 0 for budget in budgets):
            r_low, r_high = _percent_interval(item.rate)
            fits = [
                r_high >= a_low / _interval(budget)[1] * 100 - EPSILON
                and r_low <= a_high / _interval(budget)[0] * 100 + EPSILON
                for budget in budgets
            ]
            if not any(fits):
                computed = item.actual / item.budget * 100
                findings.append(
                    Finding(
                        "rate_mismatch",
                        "error",
                        f"stated 完成率 {item.rate:g}% but {item.actual:g} / {item.budget:g} "
                        f"is {computed:.2f}%",
                        item.page,
                        {**evidence, "rate": item.rate, "computed": round(computed, 4)},
                    )
                )
        differs = [
            a_high < _interval(budget)[0] - EPSILON or a_low > _interval(budget)[1] + EPSILON
            for budget in budgets if budget is not None
        ]
        if item.no_difference and differs and all(differs):
            findings.append(
                Finding(
                    "no_difference_contradicted",
                    "error",
                    f"says 决算数与预算数无差异 but prints 预算 {item.budget:g} and 决算 {item.actual:g}",
                    item.page,
                    evidence,
                )
            )
    return findings




def change_mismatches(explanations: list[Explanation]) -> list[Finding]:
    """A change % against the change and the amount it is a change of (on last year, or on the
    budget: "公务接待费支出2.14万元,与2021年度预算相比,增加1.14万元,增长1.14%").

    The amount compared is one printed before the comparison in the same clause, else in the
    sentence before ("基本支出 92.66 万元。与上年度相比…增加 38.05 万元，增长 69.68%": 38.05 /
    (92.66 − 38.05)); the document is accused only when no such amount gives its %.
    """
    findings = []
    for item, change, change_pct in [(item, change, pct) for item in explanations
                                     for change, pct in [(item.change, item.change_pct)] + item.checks]:
        if change is None or change_pct is None:
            continue
        bases = _compared_amounts(compact(item.context), change)
        if not bases:
            continue
        low_pct, high_pct = _percent_interval(abs(change_pct))
        c_low, c_high = _interval(abs(change))
        consistent = False
        computed = []
        for base in bases:
            b_low, b_high = _interval(base)
            sign = 1 if change > 0 else -1
            prior_low, prior_high = b_low - sign * c_high, b_high - sign * c_low
            if sign < 0:
                prior_low, prior_high = b_low + c_low, b_high + c_high
            if prior_low <= 0:
                consistent = True  # a change from (nearly) nothing: no % to check
                break
            lowest, highest = c_low / prior_high * 100, c_high / prior_low * 100
            computed.append(abs(change) / (base - change) * 100)
            if high_pct >= lowest - EPSILON and low_pct <= highest + EPSILON:
                consistent = True
                break
        if not consistent:
            base = bases[-1]
            findings.append(
                Finding(
                    "change_pct_mismatch",
                    "warning",
                    f"prints a change of {change_pct:g}% but {abs(change):g} on "
                    f"{base:g} − ({change:g}) = {base - change:g} is {computed[-1]:.2f}%",
                    item.page,
                    {"text": item.context, "change": change, "change_pct": change_pct,
                     "amount": base, "amounts": bases,
                     "computed": [round(value, 4) for value in computed]},
                )
            )
    return findings


def _compared_amounts(flat: str, change: float) -> list[float]:
    """The amounts a change may be of: those printed before its comparison, in its clause (up to
    the last 。/；) or else the sentence before; never another subject's ("公务接待费242万元，…；
    公务用车购置及运行维护费1687万元，较上年减少209万元": only 1687)."""
    marks = [m for m in COMPARISON.finditer(flat)
             if (found := CHANGE.search(flat[m.start():]))
             and abs(abs(amount_value(found.group(2), found.group(3)) or 0) - abs(change)) < 1e-6]
    if not marks:
        return []
    mark = marks[-1].start()
    start = max(flat.rfind(stop, 0, mark) for stop in "。；;") + 1
    earlier = max(flat.rfind(stop, 0, max(start - 1, 0)) for stop in "。；;") + 1 if start else 0
    for segment in (flat[start:mark], flat[earlier:start]):
        amounts = [amount_value(*m.groups()) for m in re.finditer(AMOUNT, segment)
                   if not re.search(r"(?:增加|减少|增长|下降|增|减|占)[）)]?$", segment[: m.start()])]
        amounts = [value for value in amounts if value is not None and value > 0]
        if amounts:
            return amounts
    return []


STRUCTURE = re.compile(
    rf"([\u4e00-\u9fff]+?)(?:支出)?[（(]类[)）](?:支出)?({NUMBER})万元[，,]?占(?:[^，,。；;%％]{{0,24}}?的)?({NUMBER})[%％]"
)


def structure_mismatches(paragraphs: list[Paragraph], items: list[LineItem], tables: list[Table]) -> list[Finding]:
    """The 结构情况 amounts per 类 ("一般公共服务支出（类）79.74 万元，占 83.53%") against the
    类 rows and the 合计 of 一般公共预算财政拨款支出决算表."""
    name = "一般公共预算财政拨款支出决算表"
    table = _by_name(tables, name)
    if table is None:
        return []
    total = _first_value(table, total_row(table), r"小计$|合计$")
    classes = [item for item in items if item.table == name and item.level == "类" and item.values]
    findings = []
    for paragraph in paragraphs:
        for match in STRUCTURE.finditer(compact(paragraph.text)):
            printed, amount, share = match.group(1), parse_number(match.group(2)), parse_number(match.group(3))
            rows = [item for item in classes if _same_class(printed, item.subject_name)]
            if len(rows) != 1 or amount is None:
                continue
            row = rows[0]
            column, value = next(iter(row.values.items()))
            low, high = _interval(amount)
            evidence = {"text": match.group(0), "subject_code": row.subject_code, "narrative": amount,
                        "table": name, "column": column, "table_value": value, "table_page": row.page}
            if value < low - 0.005 - EPSILON or value > high + 0.005 + EPSILON:
                findings.append(Finding(
                    "narrative_table_mismatch", "error",
                    f"the narrative gives {printed}（类） {amount:g} but {name} prints {value:g}",
                    paragraph.page, evidence))
            elif total and share is not None:
                s_low, s_high = _percent_interval(share)
                t_low, t_high = _interval(total)
                lowest, highest = low / t_high * 100, high / t_low * 100
                if s_high < lowest - EPSILON or s_low > highest + EPSILON:
                    findings.append(Finding(
                        "share_mismatch", "error",
                        f"{printed}（类） {amount:g} is {amount / total * 100:.2f}% of {total:g}, "
                        f"not the stated {share:g}%",
                        paragraph.page, {**evidence, "share": share, "total": total,
                                         "computed": round(amount / total * 100, 4)}))
    return findings


def _same_class(printed: str, listed: str | None) -> bool:
    return bool(listed) and re.sub(r"支出$", "", printed) == re.sub(r"支出$", "", re.sub(r"\s+", "", listed))


def narrative_mismatches(explanations: list[Explanation], items: list[LineItem]) -> list[Finding]:
    """A 项 explained in the narrative against its row in 一般公共预算财政拨款支出决算表."""
    findings = []
    table = "一般公共预算财政拨款支出决算表"
    rows = {item.subject_code: item for item in items if item.table == table}
    for item in explanations:
        if item.kind != "budget_vs_actual" or not item.subject_code or item.actual is None:
            continue
        row = rows.get(item.subject_code)
        if row is None or not row.values:
            continue
        column, amount = next(iter(row.values.items()))
        low, high = _interval(item.actual)
        if amount < low - 0.005 - EPSILON or amount > high + 0.005 + EPSILON:
            findings.append(
                Finding(
                    "narrative_table_mismatch",
                    "error",
                    f"the narrative gives {item.subject} 决算数 {item.actual:g} but {table} "
                    f"prints {amount:g} ({column})",
                    item.page,
                    {"text": item.text, "subject_code": item.subject_code, "narrative": item.actual,
                     "table": table, "column": column, "table_value": amount, "table_page": row.page},
                )
            )
    return findings


SANGONG_NAMES = {"财政拨款“三公”经费支出决算表", "一般公共预算“三公”经费预算表"}
SANGONG_ITEMS = {"total": "“三公”经费", "abroad": "因公出国（境）费", "vehicles": "公务用车购置及运行费",
                 "vehicle_purchase": "公务用车购置费", "vehicle_running": "公务用车运行维护费", "reception": "公务接待费"}


def sangong_mismatches(paragraphs: list[Paragraph], tables: list[Table], doc_type: str | None,
                       year: int | None = None) -> list[Finding]:
    """A 三公 item's narrative figure against the 三公 table (luolong-2024: "公务用车购置及运行费支出
    决算 0.00 万元" while its table and its own next sentence print 1.50).  One finding per item."""
    table = next((t for t in tables if t.name in SANGONG_NAMES or "三公" in (t.printed_name or "")), None)
    if table is None:
        return []
    printed = sangong.table_values(table, doc_type)
    if not printed:
        return []
    differing: dict[str, list[dict]] = {}
    for paragraph in paragraphs:
        for side, item, value, _, clause in sangong.narrative_values(paragraph.text, doc_type, year):
            if (side, item) not in printed:
                continue
            table_value, column = printed[(side, item)]
            low, high = _interval(value)
            if table_value < low - 0.005 - EPSILON or table_value > high + 0.005 + EPSILON:
                differing.setdefault(item, []).append({
                    "side": side, "narrative": value, "column": column, "table_value": table_value,
                    "text": clause, "page": paragraph.page})
    findings = []
    for item, mentions in differing.items():
        first = mentions[0]
        findings.append(Finding(
            "narrative_table_mismatch", "error",
            f"the narrative gives {SANGONG_ITEMS[item]} {first['side']} {first['narrative']:.2f} but {table.name} "
            f"(page {table.page_start}) prints {first['table_value']:.2f} ({first['column']})",
            first["page"],
            {"text": first["text"], "item": SANGONG_ITEMS[item], "side": first["side"],
             "narrative": first["narrative"], "table": table.name, "column": first["column"],
             "table_value": first["table_value"], "table_page": table.page_start,
             "mentions": mentions}))
    return findings


SANGONG_PARTS = ("abroad", "vehicles", "reception")


def _sections(paragraphs: list[Paragraph]) -> list[list[Paragraph]]:
    """Paragraphs grouped under their 一、 (or 第X部分) heading."""
    sections: list[list[Paragraph]] = [[]]
    for paragraph in paragraphs:
        if paragraph.level is not None and paragraph.level <= 1:
            sections.append([])
        sections[-1].append(paragraph)
    return [section for section in sections if section]


def sangong_total_mismatches(paragraphs: list[Paragraph], doc_type: str | None, year: int | None = None) -> list[Finding]:
    """A section's 三公 total against its own three items (luolong-2024: "“三公”经费财政拨款支出
    …支出决算为 1.5 万元", then 因公出国（境）费, 公务用车购置及运行费 and 公务接待费 each "支出决算
    0.00 万元"), whatever the table says or whether it could be read.

    Only where the section prints the total and each item with one figure for that side, so
    that two scopes (全口径 and 财政拨款) are never added together; each figure counts as what
    it may stand for at its printed decimals.
    """
    findings = []
    for section in _sections(paragraphs):
        printed: dict[tuple[str, str], dict[float, tuple[float, str, int]]] = {}
        for paragraph in section:
            for side, item, value, half, clause in sangong.narrative_values(paragraph.text, doc_type, year):
                printed.setdefault((side, item), {}).setdefault(value, (half, clause, paragraph.page))
        for side in sorted({side for side, _ in printed}):
            keys = [(side, "total")] + [(side, item) for item in SANGONG_PARTS]
            if not all(len(printed.get(key, {})) == 1 for key in keys):
                continue
            (total, (total_half, text, page)), *parts = [next(iter(printed[key].items())) for key in keys]
            low = sum(value - half for value, (half, _, _) in parts)
            high = sum(value + half for value, (half, _, _) in parts)
            if total - total_half <= high + EPSILON and total + total_half >= low - EPSILON:
                continue
            items = {SANGONG_ITEMS[item]: value for item, (value, _) in zip(SANGONG_PARTS, parts)}
            findings.append(Finding(
                "sangong_total_mismatch", "error",
                f"the narrative gives “三公”经费 {side} {total:.2f} but its items add up to "
                f"{sum(items.values()):.2f} ("
                + ", ".join(f"{name} {value:.2f}" for name, value in items.items()) + ")",
                page,
                {"text": text, "side": side, "total": total, "items": items,
                 "texts": [clause for _, (_, clause, _) in parts]}))
    return findings


def distinct(findings: list[Finding]) -> list[Finding]:
    """Each accusation once: one finding per rule, table and row (or 三公 item, or subject code);
    a narrative-only finding once per page and message."""
    seen, kept = set(), []
    for finding in findings:
        evidence = finding.evidence
        row = evidence.get("row") or evidence.get("item") or evidence.get("subject_code")
        key = ((finding.rule, evidence.get("table"), evidence.get("table_page"), row) if evidence.get("table") and row
               else (finding.rule, finding.page, finding.message))
        if key not in seen:
            seen.add(key)
            kept.append(finding)
    return kept


def share_over_100(paragraphs: list[Paragraph]) -> list[Finding]:
    """A share ("占支出合计的 599.47%") above 100%: no part exceeds its whole."""
    findings = []
    for paragraph in paragraphs:
        flat = compact(paragraph.text)
        for match in SHARE.finditer(flat):
            share = parse_number(match.group(1))
            if share is not None and share > 100 + 0.005:
                findings.append(
                    Finding(
                        "share_over_100",
                        "error",
                        f"a share of {share:g}% is printed: {match.group(0)}",
                        paragraph.page,
                        {"text": paragraph.text, "share": share},
                    )
                )
    return findings


def font_findings(pages: list[Page]) -> list[Finding]:
    """Glyphs pdfminer could not map to Unicode: the PDF's font has a broken ToUnicode map."""
    broken = [(page.page, page.cid_glyphs) for page in pages if page.cid_glyphs]
    if not broken:
        return []
    glyphs = sum(count for _, count in broken)
    return [
        Finding(
            "broken_font_map",
            "warning",
            f"{glyphs} glyphs on {len(broken)} pages have no Unicode mapping and come out as "
            "(cid:NNN); text and figures there are incomplete",
            broken[0][0],
            {"pages": [page for page, _ in broken], "glyphs": glyphs},
        )
    ]
