"""Line items (rows with a subject code) and the document's totals, read from the tables."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .tables import SUBJECT_CODE, TOTAL_LABEL, Table
from .text import compact

LEVELS = {3: "类", 5: "款", 7: "项"}
SPACED_CODE = re.compile(r"^(\d{3})\s+(\d{2})(?:\s+(\d{2}))?(?:\s+(\D.*))?$", re.S)
NAME_COLUMN = re.compile(r"名称|^项目$|科目$")
SPLIT_CODE_COLUMN = re.compile(r"^(?:类|款|项)$")
CODE_COLUMN = re.compile(r"编码|代码")


@dataclass
class LineItem:
    table: str
    subject_code: str
    subject_name: str | None
    level: str
    values: dict[str, float]
    page: int


def _leaf(column: str) -> str:
    return column.split("/")[-1]


def _groups(table: Table) -> list[tuple[list[int], int | None, list[int]]]:
    """(code columns, name column, value columns) per side-by-side group of a table.

    The 基本支出 table prints three groups (编码, 名称, 决算数) side by side; 预算 tables split
    the code into 类/款/项 columns.
    """
    groups = []
    codes: list[int] = []
    name: int | None = None
    values: list[int] = []
    for index, column in enumerate(table.columns):
        leaf = _leaf(column)
        if CODE_COLUMN.search(leaf) or SPLIT_CODE_COLUMN.match(leaf):
            if values or name is not None:
                groups.append((codes, name, values))
                codes, name, values = [], None, []
            codes.append(index)
        elif codes and name is None and NAME_COLUMN.search(leaf):
            name = index
        elif codes:
            values.append(index)
    if codes:
        groups.append((codes, name, values))
    return groups


def _code(row: list, columns: list[int]) -> tuple[str | None, str | None]:
    """(subject code, name printed in the code cell) from one or several code columns."""
    parts = [str(row[c]).strip() for c in columns if row[c] not in (None, "")]
    if not parts:
        return None, None
    if len(columns) == 1:
        spaced = SPACED_CODE.match(parts[0])  # "201 03 01" printed in one cell
        if spaced:
            return "".join(part for part in spaced.group(1, 2, 3) if part), spaced.group(4)
        match = SUBJECT_CODE.match(parts[0])
        return (match.group(1), match.group(2)) if match else (None, None)
    code = ""
    for part in parts:  # "201" "03" "01", or full codes repeated in each column
        if not part.isdigit():
            return None, None
        code = part if part.startswith(code) and len(part) > len(code) + 1 else code + part
    return (code, None) if len(code) in LEVELS else (None, None)


def line_items(tables: list[Table]) -> list[LineItem]:
    """Every row with a subject code, in table order."""
    return [item for table in tables for item in table_line_items(table)]


def table_line_items(table: Table) -> list[LineItem]:
    """The rows of one table that carry a subject code."""
    items = []
    groups = _groups(table)
    rows = [_realign(row, groups) for row in table.rows]
    for codes, name_column, value_columns in groups:
        for row, page in zip(rows, table.row_pages):
            code, name = _code(row, codes)
            printed_name = row[name_column] if name_column is not None else None
            if code is None and isinstance(printed_name, str):
                # The code run into the name ("201一般公共服务支出"): Calc prints a long
                # code over into the name column when the sheet has no rulings.
                code, name = _code(row, [name_column])
            elif isinstance(printed_name, str):
                name = printed_name
            if not code or len(code) not in LEVELS:
                continue
            values = {
                table.columns[c]: row[c]
                for c in value_columns
                if isinstance(row[c], (int, float))
            }
            items.append(LineItem(table.name, code, name, LEVELS[len(code)], values, page))
    return items


def read_with_certainty(table: Table) -> bool:
    """Whether every coded row of a table was read whole, so that its sums may be checked:
    codes unique and in outline order (each 款 under the 类 above it, each 项 under its 款),
    and every figure cell of a coded row a number or blank (text there means the columns were
    not placed right), and no row of it left unread (``Table.complete``)."""
    groups = _groups(table)
    if not groups or not table.complete:
        return False
    rows = [_realign(row, groups) for row in table.rows]
    for codes, name_column, value_columns in groups:
        seen: set[str] = set()
        latest: dict[int, str] = {}
        for row in rows:
            code, _ = _code(row, codes)
            if code is None and name_column is not None and isinstance(row[name_column], str):
                code, _ = _code(row, [name_column])
            if not code or len(code) not in LEVELS:
                continue
            if code in seen or (len(code) > 3 and latest.get(len(code) - 2) != code[:-2]):
                return False
            seen.add(code)
            latest[len(code)] = code
            for deeper in (5, 7):
                if deeper > len(code):
                    latest.pop(deeper, None)
            if any(isinstance(row[c], str) for c in value_columns):
                return False
    return True


def _realign(row: list, groups) -> list:
    """Put back a code that slid into the amount column of the group before it.

    Seen in the 基本支出 table of luolong-2024 (page 11): "30226 | 劳务费 | 399 | | 其他支出":
    the 399 is the next group's 类 code, not an amount of 399 万元.
    """
    row = list(row)
    for (codes, _, values), (next_codes, next_name, _) in zip(groups, groups[1:]):
        if len(codes) != 1 or len(next_codes) != 1 or next_name is None or not values:
            continue
        amount, code_cell = row[values[-1]], row[next_codes[0]]
        if (
            isinstance(amount, float)
            and amount == int(amount)
            and len(str(int(amount))) in (3, 5)
            and code_cell in (None, "")
            and row[next_name]
        ):
            row[next_codes[0]], row[values[-1]] = str(int(amount)), None
    return row


def total_row(table: Table) -> list | None:
    """The 合计 row of a subject table (its label may sit in the code or the name column)."""
    for row in table.rows:
        labels = [cell for cell in row[:5] if isinstance(cell, str) and cell.strip()]
        if labels and TOTAL_LABEL.match(compact(labels[0])):
            return row
    return None


def labelled_value(table: Table, label: str, column_pattern: str | None = None) -> float | None:
    """The amount beside a row label such as 本年收入合计 in a 总表 (skipping 行次).

    :param column_pattern: take the amount from the first column after the label whose name
        matches this regex, instead of the first amount.
    """
    for row in table.rows:
        for index, cell in enumerate(row):
            if isinstance(cell, str) and compact(cell) == label:
                if column_pattern:
                    for column in range(index + 1, len(row)):
                        if re.search(column_pattern, table.columns[column]):
                            value = row[column]
                            return value if isinstance(value, (int, float)) else None
                    return None
                for column in range(index + 1, len(row)):
                    if re.search(r"行次|栏次", table.columns[column]) or _counts_rows(table, column):
                        continue
                    value = row[column]
                    if isinstance(value, (int, float)):
                        return value
                    if isinstance(value, str) and value.strip():
                        break
                    if value is None:
                        continue
    return None


def _counts_rows(table: Table, column: int) -> bool:
    """Whether a column holds 行次 numbers (1, 2, 3 …) even though its header was lost."""
    numbers = [row[column] for row in table.rows if isinstance(row[column], (int, float))]
    if len(numbers) < 3 or any(number != int(number) for number in numbers):
        return False
    return all(later == earlier + 1 for earlier, later in zip(numbers, numbers[1:]))


def _find(tables: list[Table], *names: str) -> Table | None:
    for name in names:
        for table in tables:
            if table.name == name:
                return table
    return None


def totals(tables: list[Table]) -> dict:
    """income_total, expense_total, basic_expense, project_expense; None where absent."""
    overview = _find(tables, "收入支出决算总表", "部门收支预算表")
    expense = _find(tables, "支出决算表", "部门支出预算表")
    result = {"income_total": None, "expense_total": None, "basic_expense": None, "project_expense": None}
    if overview:
        result["income_total"] = labelled_value(overview, "本年收入合计")
        result["expense_total"] = labelled_value(overview, "本年支出合计")
    if expense:
        row = total_row(expense)
        if row:
            for key, pattern in (("basic_expense", r"基本支出$"), ("project_expense", r"项目支出$")):
                column = expense.column(pattern)
                if column is not None and isinstance(row[column], (int, float)):
                    result[key] = row[column]
            if result["expense_total"] is None:
                column = expense.column(r"合计$|总计$")
                if column is not None and isinstance(row[column], (int, float)):
                    result["expense_total"] = row[column]
    return result


_SUBJECT_PART = re.compile(r"(.+?)[（(]\s*([类款项])\s*[)）]")


def _same_name(printed: str, listed: str | None) -> bool:
    def key(text: str) -> str:
        text = compact(text).replace("(", "（").replace(")", "）")
        return re.sub(r"支出$", "", text)

    return bool(listed) and key(printed) == key(listed)


def match_subject(subject: str | None, items: list[LineItem]) -> str | None:
    """The subject code of a narrative subject ("…（类）…（款）…（项）"), if the tables name it.

    Each level must match one name under the level above; an ambiguous or unknown name gives
    None rather than a guess.
    """
    if not subject:
        return None
    parts = _SUBJECT_PART.findall(subject.replace("（类）支出", "支出（类）").replace("(类)支出", "支出(类)"))
    if not parts:
        return None
    prefix = ""
    for name, level in parts:
        codes = {
            item.subject_code
            for item in items
            if item.level == level
            and item.subject_code.startswith(prefix)
            and _same_name(name, item.subject_name)
        }
        if len(codes) != 1:
            return None
        prefix = codes.pop()
    return prefix
