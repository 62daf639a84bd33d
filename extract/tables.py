"""Standard tables: ruled grids on pages → named tables with header columns and parsed rows.

A table's name, code (公开NN表) and unit come from the lines printed above it (or from title
rows inside the grid, as Excel exports have them).  A grid with no name of its own that
follows a table on the next page, with the same columns, continues it; a repeated header is
dropped.  Values in tables printed in 元 are converted to 万元 and the table keeps ``unit``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .catalog import UNIT, canonical_code, is_standard, printed_title, table_code, table_name, table_name_in
from .pdf import Page, RawTable
from .text import EMPTY_CELL, cell_unit, parse_number

CAPTION_LINES = 12
TEXT_COLUMN = re.compile(r"(?:编码|代码|名称|科目|^项目$|^类$|^款$|^项$|行次|栏次|^序号$)")
SUBJECT_CODE = re.compile(r"^(\d{3}(?:\d{2}){0,2})(?:\s*(\S.*))?$", re.S)
TOTAL_LABEL = re.compile(r"^(?:合\s*计|总\s*计)$")
FURNITURE = re.compile(
    r"^(?:[-—–\s\d]*|第\s*\d+\s*页.*|.*单位\s*[:：].*|.*部门(?:名称)?\s*[:：].*|\(?续表?\)?|（续表?）"
    r"|\d{4}\s*年度?|公开\s*\d+\s*表.*)$"
)


@dataclass
class Table:
    name: str
    code: str | None
    page_start: int
    page_end: int
    columns: list[str]
    rows: list[list]
    unit: str = "万元"
    row_pages: list[int] = field(default_factory=list)
    width: int = 0
    columns_x: list[float] = field(default_factory=list)
    bbox_x: tuple[float, float] = (0.0, 0.0)
    printed_name: str | None = None

    @property
    def standard(self) -> bool:
        """Whether the table is one of the standard tables (``name`` is its canonical name)."""
        return is_standard(self.name)

    def record(self) -> dict:
        """The table as the record gives it: ``name`` the standard name (None for any other
        table), ``printed_name`` the title as printed."""
        return {
            "name": self.name if self.standard else None,
            "printed_name": self.printed_name or self.name,
            "code": self.code,
            "page_start": self.page_start,
            "page_end": self.page_end,
            "unit": self.unit,
            "columns": self.columns,
            "rows": self.rows,
        }

    def column(self, pattern: str) -> int | None:
        """Index of the first column whose name matches ``pattern`` (a regex)."""
        for index, name in enumerate(self.columns):
            if re.search(pattern, name):
                return index
        return None


def find_tables(pages: list[Page]) -> list[Table]:
    """Every standard table, in document order, with continuation pages joined."""
    result: list[Table] = []
    current: Table | None = None
    carried: list[str] = []  # lines since the last table, across pages
    for page in pages:
        if not page.tables:
            carried = (carried + [line.text for line in page.lines])[-CAPTION_LINES:]
            continue
        for raw in page.tables:
            # Lines printed beside the grid, within its height: a code in the margin left of
            # a title row drawn inside the grid ("公开03表": js-zhengxie-2019-tables.pdf).
            beside = raw.loose + [line.text for line in page.lines
                                  if raw.bbox[1] - 1 <= line.top and line.bottom <= raw.bbox[3] + 1]
            caption = (carried + raw.caption)[-CAPTION_LINES:] + beside
            carried = []
            name, printed, code, unit, cells = _identify(caption, raw)
            if name is not None and current and name == current.name and _continues(current, raw) \
                    and raw.page == current.page_end + 1 and _same_header(current, raw, cells):
                name = None  # the title repeated on a continuation page
            if name is None:
                if current and _continues(current, raw) and all(
                    FURNITURE.match(line.strip()) or table_name(line) == current.name for line in caption
                ):
                    _extend(current, raw, cells)
                else:
                    current = None
                continue
            current = _start(name, code, unit, raw, cells)
            current.printed_name = printed
            result.append(current)
        carried = page.trailing[-CAPTION_LINES:]
    return result


def _same_header(table: Table, raw: RawTable, cells) -> bool:
    """Whether a grid repeats a table's header (or has none): it goes on with the same columns."""
    split = _header_split(cells)
    if split == 0:
        return True
    offset = len(raw.cells) - len(cells)
    return _columns(raw, offset, [i for i in range(split) if not _is_column_number_row(cells[i])]) == table.columns


def _continues(table: Table, raw: RawTable) -> bool:
    """Same columns, or (merged cells hide some rulings) the same left and right edges."""
    if raw.width == table.width:
        return True
    return abs(raw.bbox[0] - table.bbox_x[0]) < 3 and abs(raw.bbox[2] - table.bbox_x[1]) < 3


def _cell_rows(raw: RawTable) -> list[list[str | None]]:
    return [[_clean(cell) for cell in row] for row in raw.cells]


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = re.sub(r"\s*\n\s*", "", text).strip()
    return text


def _identify(caption: list[str], raw: RawTable):
    """(name, printed title, code, unit, cells without title rows) from the caption and the
    grid's top rows.

    Excel exports print the title, 部门 and 单位 inside the grid, one cell holding several
    lines ("收支预算总表\n部门：… 单位：万元": js-*-tables.pdf): each line is read alone.
    """
    cells = _cell_rows(raw)
    top, inside = 0, []
    while top < len(cells) and (not any(cells[top]) or _is_title_row(raw.cells[top])):
        inside += [line for text in raw.cells[top] if text for line in text.splitlines() if line.strip()]
        top += 1
    lines = caption + inside
    titled = table_name_in(lines)
    code = unit = None
    for line in reversed(lines[titled[0]:] if titled else lines):
        code = code or table_code(line)
        unit_match = UNIT.search(line)
        unit = unit or (unit_match.group(1) if unit_match else None)
    if titled and code is None:  # the code on its own line just above the title ("表一")
        code = next((table_code(line) for line in reversed(lines[max(titled[0] - 2, 0):titled[0]])
                     if table_code(line)), None)
    name = titled[1] if titled else None
    printed = None
    if titled:
        first = lines[titled[0]]
        wrapped = table_name(first) != name and titled[0] + 1 < len(lines)
        printed = printed_title(first + (lines[titled[0] + 1] if wrapped else ""))
    return name, printed, canonical_code(code, name) if name else code, unit or "万元", cells[top:]


def _is_title_row(row: list[str | None]) -> bool:
    texts = [text for text in row if text]
    if not texts or len(texts) > 3:
        return False
    lines = [line.strip() for text in texts for line in text.splitlines() if line.strip()]
    return all(
        table_name(line) or table_code(line) or UNIT.search(line)
        or (FURNITURE.match(line) and not re.fullmatch(r"[\d\s]*", line))
        for line in lines
    )


def _is_column_number_row(row: list[str | None]) -> bool:
    """The 栏次 row: "栏次 | | 1 | 2 | …", or only the numbers 1, 2, 3 …"""
    texts = [text for text in row if text]
    if not texts:
        return False
    if "栏次" in texts[0].replace(" ", ""):
        return True
    if all(re.fullmatch(r"\d{1,2}", text) for text in texts) and len(texts) >= 2:
        numbers = [int(text) for text in texts]
        return numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    return False


def _is_data_row(row: list[str | None]) -> bool:
    texts = [text for text in row if text]
    if not texts or _is_column_number_row(row):
        return False
    first = texts[0]
    if SUBJECT_CODE.match(first):
        return True
    if TOTAL_LABEL.match(first):
        # "合计" also heads columns (the 三公 table); as a row label only figures follow it.
        return all(parse_number(text) is not None or not text.strip("-—") for text in texts[1:])
    return any(parse_number(text) is not None for text in texts[1:])


def _header_split(cells: list[list[str | None]]) -> int:
    for index, row in enumerate(cells):
        if _is_data_row(row):
            return index
    return len(cells)


def _columns(raw: RawTable, offset: int, header_rows: list[int]) -> list[str]:
    """Header names per grid column; merged headers joined top-down ("本年支出/基本支出")."""
    names = []
    for column in range(raw.width):
        parts: list[str] = []
        seen = set()
        for row in header_rows:
            origin, text = raw.covering(row + offset, column)
            if origin in seen or not text:
                continue
            seen.add(origin)
            text = re.sub(r"\s+", "", text)
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        names.append("/".join(parts))
    return names


def _start(name, code, unit, raw: RawTable, cells) -> Table:
    offset = len(raw.cells) - len(cells)
    split = _header_split(cells)
    header_rows = [i for i in range(split) if not _is_column_number_row(cells[i])]
    columns = _columns(raw, offset, header_rows)
    table = Table(
        name=name,
        code=code,
        page_start=raw.page,
        page_end=raw.page,
        columns=columns,
        rows=[],
        unit=unit,
        width=raw.width,
        columns_x=raw.columns_x,
        bbox_x=(raw.bbox[0], raw.bbox[2]),
    )
    _add_rows(table, raw, cells[split:])
    return table


def _extend(table: Table, raw: RawTable, cells) -> None:
    """Rows of a continuation page; a repeated header (and 栏次 row) is skipped."""
    if raw.width != table.width:
        cells = [_on_columns(row, raw.columns_x, table) for row in cells]
    split = _header_split(cells)
    table.page_end = raw.page
    _add_rows(table, raw, cells[split:])


def _on_columns(row: list[str | None], columns_x: list[float], table: Table) -> list[str | None]:
    """A row of a grid with other rulings, each cell moved to the table column it starts in."""
    placed: list[str | None] = [None] * table.width
    for x, text in zip(columns_x, row):
        if text is not None:
            column = min(range(table.width), key=lambda i: abs(table.columns_x[i] - x))
            placed[column] = text if placed[column] is None else f"{placed[column]} {text}"
    return placed


def _add_rows(table: Table, raw: RawTable, rows) -> None:
    text_columns = [bool(TEXT_COLUMN.search(name.split("/")[-1])) if name else False for name in table.columns]
    if table.columns and not table.columns[0]:
        text_columns[0] = True
    for row in rows:
        if _is_column_number_row(row) or not any(row):
            continue
        values = []
        for column, text in enumerate(row):
            if not text:
                values.append(None)
            elif text_columns[column]:
                values.append(text)
            else:
                values.append(cell_value(text, table.unit))
        table.rows.append(values)
        table.row_pages.append(raw.page)


SCALE = {"元": 1 / 10000, "千元": 1 / 10}


def cell_value(text: str, unit: str) -> float | str | None:
    """A figure cell in 万元, from a table printed in ``unit``; None for a dash or slash printed
    as empty; text that is no figure as printed.

    A cell's own unit wins ("12.50万元" in a 元 table is 12.5); a rate ("211.08%") is no amount.
    """
    if text.strip() in EMPTY_CELL:
        return None
    number = parse_number(text)
    if number is None:
        return text
    scale = SCALE.get(cell_unit(text) or unit)
    return number if scale is None else round(number * scale, 8)
