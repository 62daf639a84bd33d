"""Standard tables: ruled grids on pages → named tables with header columns and parsed rows.

A table's name, code (公开NN表) and unit come from the lines printed above it (or from title
rows inside the grid, as Excel exports have them).  A grid with no name of its own that
follows a table on the next page, with the same columns, continues it; a repeated header is
dropped.  Values in tables printed in 元 are converted to 万元 and the table keeps ``unit``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .catalog import (
    UNIT, canonical_code, is_standard, joined_name, printed_title, table_code, table_name, table_name_in,
)
from .pdf import Page, RawTable
from .text import EMPTY_CELL, cell_unit, compact, parse_number

CAPTION_LINES = 12
# Quote marks set above the line they belong to read as a line of their own ("“ ”" between
# "十一、一般公共预算 三公 经费、会议费、培训费支出预" and "算表": js-jianchayuan-2017-doc p16).
# A table row printed as a line outside the grid: a subject code, its name and figures.
ROW_LINE = re.compile(r"^\d{3}(?:\d{2}){0,2}\s+[^\d\s]\S*(?:\s+-?[\d,]+(?:\.\d+)?)+$")
EDGE = 6.0  # points: how far a continuation grid's left and right edges may lie from the table's
QUOTES_ONLY = re.compile(r"^[\s“”‘’\"'「」『』]+$")
TEXT_COLUMN = re.compile(r"(?:编码|代码|名称|科目|^项目$|^类$|^款$|^项$|行次|栏次|^序号$)")
SUBJECT_CODE = re.compile(r"^(\d{3}(?:\d{2}){0,2})(?:\s*(\S.*))?$", re.S)
LABEL = re.compile(r"^(?:部门|单位)(?:名称)?\s*[:：]")
AMOUNT = re.compile(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+\.\d+")  # an amount, never a year or a 栏次
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
    # Per grid column, the header cell it stands under (a number per cell); None for a column
    # no header names: the narrow spacer columns of spreadsheet exports (see _placed).
    headed: list[int | None] = field(default_factory=list)
    complete: bool = True  # False: a row of it could not be read (no sum may be checked)

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
        for raw in (part for whole in page.tables for part in _split_at_titles(whole)):
            # Lines printed beside the grid, within its height: a code in the margin left of
            # a title row drawn inside the grid ("公开03表": js-zhengxie-2019-tables.pdf).
            beside = raw.loose + [line.text for line in page.lines
                                  if raw.bbox[1] - 1 <= line.top and line.bottom <= raw.bbox[3] + 1]
            caption = [line for line in (carried + raw.caption)[-CAPTION_LINES:] + beside
                       if not QUOTES_ONLY.match(line)]
            carried = []
            name, printed, code, unit, cells = _identify(caption, raw)
            if name is not None and current and name == current.name and _continues(current, raw) \
                    and raw.page == current.page_end + 1 and _same_header(current, raw, cells):
                name = None  # the title repeated on a continuation page
            if name is None:
                if current and _continues(current, raw) and all(
                    FURNITURE.match(line.strip()) or table_name(line) == current.name or ROW_LINE.match(line)
                    for line in caption
                ):
                    _extend(current, raw, cells, [line for line in caption if ROW_LINE.match(line)])
                else:
                    current = None
                continue
            current = _start(name, code, unit, raw, cells)
            current.printed_name = printed
            result.append(current)
        carried = page.trailing[-CAPTION_LINES:]
    return result


def _split_at_titles(raw: RawTable) -> list[RawTable]:
    """A grid cut where a row inside it prints a table's title: WPS draws the end of one
    table and the start of the next as one grid (js-rendachang-2017-doc p9: the last rows of
    收支预算总表, then "收入预算总表", "部门： | … | 单位：万元" and its header)."""
    for row in range(1, len(raw.cells)):
        texts = [text for text in raw.cells[row] if text]
        if (any(texts) and _is_title_row(raw.cells[row])
                and table_name_in([line for text in texts for line in text.splitlines()])
                and any(any(cells) for cells in raw.cells[:row])):
            origin = [[(start[0] - row, start[1]) if start and start[0] >= row else None for start in line]
                      for line in raw.origin[row:]]
            head = RawTable(raw.page, raw.bbox, raw.cells[:row], raw.origin[:row], raw.columns_x,
                            raw.caption, raw.loose)
            rest = RawTable(raw.page, raw.bbox, raw.cells[row:], origin, raw.columns_x)
            return [head, *_split_at_titles(rest)]
    return [raw]


def _same_header(table: Table, raw: RawTable, cells) -> bool:
    """Whether a grid repeats a table's header (or has none): it goes on with the same columns."""
    split = _header_split(cells)
    if split == 0:
        return True
    offset = len(raw.cells) - len(cells)
    return _columns(raw, offset, [i for i in range(split) if not _is_column_number_row(cells[i])]) == table.columns


def _continues(table: Table, raw: RawTable) -> bool:
    """Same columns, or (merged cells hide some rulings) the same left and right edges, within
    a few points: a spreadsheet's grid on the next page is drawn without its spacer columns
    and may end 3 points off (js-jianchayuan-2018-doc p15–16)."""
    if raw.width == table.width:
        return True
    return abs(raw.bbox[0] - table.bbox_x[0]) < EDGE and abs(raw.bbox[2] - table.bbox_x[1]) < EDGE


def _cell_rows(raw: RawTable) -> list[list[str | None]]:
    return [[_clean(cell) for cell in row] for row in raw.cells]


_LINE_BREAK = re.compile(r"\s*\n\s*")  # a cell's wrapped lines, joined by _clean for every cell


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = _LINE_BREAK.sub("", text).strip()
    return text


def _identify(caption: list[str], raw: RawTable):
    """(name, printed title, code, unit, cells without title rows) from the caption and the
    grid's top rows.

    Excel exports print the title, 部门 and 单位 inside the grid, one cell holding several
    lines ("收支预算总表\n部门：… 单位：万元": js-*-tables.pdf): each line is read alone.
    """
    cells = _cell_rows(raw)
    top, inside = 0, []
    while top < len(cells) and (not any(cells[top]) or _is_title_row(raw.cells[top], _above(raw, top))):
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


def _above(raw: RawTable, row: int) -> list[str | None] | None:
    """The text above each position of a grid row (the cell covering the row before), when
    that row is a title row; None otherwise."""
    if row == 0 or not _is_title_row(raw.cells[row - 1]):
        return None
    return [raw.covering(row - 1, column)[1] for column in range(raw.width)]


def _is_title_row(row: list[str | None], above: list[str | None] | None = None) -> bool:
    """Whether a grid row prints the table's title, code, 部门 or 单位 rather than its header.

    Each cell is a title cell (``_title_cell``), or reads as one with the cell above it when
    the row above is a title row (a cell wrapped onto the next grid row: "部门名称：江苏省高级
    人民法" / "院", js-fayuan-2019-doc p12); or the cells read together as one 部门/单位 line
    ("部门： | 江苏省人大常委会办公厅 | 单位：万元", js-rendachang-2017-doc).
    """
    texts = [(column, text) for column, text in enumerate(row) if text and text.strip()]
    if not texts or len(texts) > 3:
        return False
    if all(_title_cell(text) or (above and _wrapped_label(above[column], text)) for column, text in texts):
        return True
    joined = "".join(text.strip() for _, text in texts)
    return bool(LABEL.match(texts[0][1].strip()) and FURNITURE.match(joined))


def _wrapped_label(above: str | None, text: str) -> bool:
    """Whether a cell is the rest of a 部门/单位 line wrapped from the cell above ("部门名称：
    江苏省高级人民法" / "院"): one line of words that heads no column."""
    last = above.strip().splitlines()[-1] if above and above.strip() else ""
    return (bool(LABEL.match(last)) and "\n" not in text.strip() and not re.search(r"\d", text)
            and not TEXT_COLUMN.search(text) and not re.search(r"金额|合计|总计|预算|决算|收入|支出", text))


def _title_cell(text: str) -> bool:
    """A cell of title lines: each a title, code, 部门 or 单位 line; or a cell that starts with
    a table's title, also wrapped ("…培训费支出预算" / "表"), whatever follows it (a department
    name wrapped after 单位：万元: "部门：中国共产党江苏省委员会办" / "单位：万元" / "公厅")."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if all(table_name(line) or table_code(line) or UNIT.search(line)
           or (FURNITURE.match(line) and not re.fullmatch(r"[\d\s]*", line)) for line in lines):
        return True
    return bool(table_name(lines[0]) or (len(lines) > 1 and joined_name(lines[0], lines[1])))


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
    if all(AMOUNT.fullmatch(text.strip()) for text in texts):
        return True  # figures of a row whose label cell starts on the grid row below (_below)
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
            text = compact(text)
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        names.append("/".join(parts))
    return names


def _start(name, code, unit, raw: RawTable, cells) -> Table:
    offset = len(raw.cells) - len(cells)
    split = _header_split(cells)
    header_rows = [i for i in range(split) if not _is_column_number_row(cells[i])]
    columns = _columns(raw, offset, header_rows)
    headed = _headed(raw, offset, header_rows)
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
        headed=headed,
    )
    _add_rows(table, raw, cells[split:], offset + split)
    return table


def _extend(table: Table, raw: RawTable, cells, above: list[str] = ()) -> None:
    """Rows of a continuation page; a repeated header (and 栏次 row) is skipped.

    :param above: data rows printed above the grid (a row whose top ruling went with the page
        before: "30231 公务用车运行维护费 266.80", js-fayuan-2018-doc p15), read into the columns
        of the grid's first data row; a table with such a row that does not fit is not complete.
    """
    offset = len(raw.cells) - len(cells)
    same = raw.width == table.width
    template = next((index for index, row in enumerate(cells) if _is_data_row(row)), None)
    for line in above:
        row = _loose_row(line, cells[template] if template is not None else None)
        if row is None:
            table.complete = False
            continue
        if not same:
            row = _on_columns(row, _extents(raw, offset + template), table)
        _add_rows(table, raw, [row], len(raw.cells), placed=False)
    if not same:
        cells = [_on_columns(row, _extents(raw, offset + index), table) for index, row in enumerate(cells)]
    split = _header_split(cells)
    table.page_end = raw.page
    _add_rows(table, raw, cells[split:], offset + split, placed=same)


def _extents(raw: RawTable, grid_row: int) -> list[tuple[float, float]]:
    """(left, right) of the cell starting at each position of a grid row (the column's own
    edges where no cell starts)."""
    right = [*raw.columns_x[1:], raw.bbox[2]]
    extents = []
    for column in range(raw.width):
        end = column
        while end + 1 < raw.width and raw.origin[grid_row][end + 1] == (grid_row, column):
            end += 1
        extents.append((raw.columns_x[column], right[end]))
    return extents


def _loose_row(line: str, template: list[str | None] | None) -> list[str | None] | None:
    """A row printed as a line of text, its words put in the filled columns of ``template``
    (a data row of the grid below); None when the counts differ."""
    words = line.split()
    filled = [column for column, text in enumerate(template or []) if text]
    if len(words) != len(filled):
        return None
    row: list[str | None] = [None] * len(template)
    for column, word in zip(filled, words):
        row[column] = word
    return row


def _on_columns(row: list[str | None], extents: list[tuple[float, float]], table: Table) -> list[str | None]:
    """A row of a grid with other rulings (a continuation page drawn without the spacer
    columns of the first), each cell moved to the table column under the header it covers
    most, or (no header there) the column it starts in."""
    right = [*table.columns_x[1:], table.bbox_x[1]]
    placed: list[str | None] = [None] * table.width
    for (x0, x1), text in zip(extents, row):
        if not text:
            continue
        cover: dict[int, float] = {}
        first: dict[int, int] = {}
        for column, (left, end) in enumerate(zip(table.columns_x, right)):
            group = table.headed[column] if column < len(table.headed) else None
            overlap = min(x1, end) - max(x0, left)
            if group is not None and overlap > 0:
                cover[group] = cover.get(group, 0.0) + overlap
                first.setdefault(group, column)
        if cover:
            column = first[_widest(cover)]
        else:
            column = min(range(table.width), key=lambda i: abs(table.columns_x[i] - x0))
        placed[column] = text if placed[column] is None else f"{placed[column]} {text}"
    return placed


def _add_rows(table: Table, raw: RawTable, rows, first: int, placed: bool = True) -> None:
    """Append a grid's data rows; ``first`` is the grid row of ``rows[0]``.

    :param placed: the grid has the table's own columns, so its cells can be put under the
        header cells they span (``_placed``).
    """
    text_columns = [bool(TEXT_COLUMN.search(name.split("/")[-1])) if name else False for name in table.columns]
    if table.columns and not table.columns[0]:
        text_columns[0] = True
    widths = [right - left for left, right in zip(raw.columns_x, [*raw.columns_x[1:], raw.bbox[2]])]
    last = None  # the grid row the last appended row started on
    for index, row in enumerate(rows):
        grid_row = first + index
        if placed and grid_row < len(raw.origin):
            row = _placed(raw, grid_row, row, table.headed, widths)
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
        if last is not None and _below(raw, grid_row, last, table.rows[-1]) and _fill(table.rows[-1], values):
            continue
        table.rows.append(values)
        table.row_pages.append(raw.page)
        last = grid_row


def _placed(raw: RawTable, grid_row: int, row: list, headed: list[int | None], widths: list[float]) -> list:
    """A row with each cell moved under the header cell it mostly spans.

    Spreadsheet exports (WPS, Excel: js-jianchayuan-2019-doc p16, p18) draw narrow spacer
    columns, and a data cell merged over them starts in a column no header names, or in the
    edge of the code column when it is the name ("[1-2] 204 | [3-7] 公共安全支出" under
    "[2-3] 功能科目代码 | [6] 功能科目名称"): the cell goes to the first column of its span under
    the header cell it covers most (by width).  A cell of one named column stays.
    """
    if len(headed) != len(row) or not any(group is not None for group in headed):
        return row
    placed = list(row)
    for column, text in enumerate(row):
        if not text or raw.origin[grid_row][column] != (grid_row, column):
            continue
        span = [column]
        while span[-1] + 1 < len(row) and raw.origin[grid_row][span[-1] + 1] == (grid_row, column):
            span.append(span[-1] + 1)
        if len(span) == 1 and headed[column] is not None:
            continue
        cover: dict[int, float] = {}
        for index in span:
            if headed[index] is not None:
                cover[headed[index]] = cover.get(headed[index], 0.0) + widths[index]
        if not cover:
            continue
        best = _widest(cover)
        target = next(index for index in span if headed[index] == best)
        if target != column:
            placed[target], placed[column] = text, None
    return placed


def _widest(cover: dict[int, float]) -> int:
    """The header covered most; of two covered alike (within a point) the left one, so that
    the engines' last decimals never decide ("合 计" over 科目编码 and 科目名称 alike)."""
    most = max(cover.values())
    return next(group for group, width in cover.items() if width >= most - 1)


def _below(raw: RawTable, grid_row: int, last: int, previous: list) -> bool:
    """Whether a grid row is part of the row that started on grid row ``last`` (whose values
    are ``previous``): a cell merged down from that row covers it, and one of the two holds
    only figures.  Excel centres a 类 row's amount on a grid row of its own below its label
    (js-fayuan-2019-doc p12), or the 合计 label below its amount (js-jianchayuan-2018-doc p15)."""
    if grid_row >= len(raw.origin):
        return False
    origins = raw.origin[grid_row]
    if not any(origin is not None and last <= origin[0] < grid_row for origin in origins):
        return False
    own = [raw.cells[grid_row][column] for column, origin in enumerate(origins) if origin == (grid_row, column)]
    return (all(not text or not text.strip() or text.strip() in EMPTY_CELL or parse_number(text) is not None
                for text in own)
            or not any(isinstance(value, str) for value in previous))


def _fill(values: list, more: list) -> bool:
    """Put the figures of a row's lower part into its blank cells; False (nothing changed)
    when a cell would be filled twice."""
    if any(value is not None and values[column] is not None for column, value in enumerate(more)):
        return False
    for column, value in enumerate(more):
        if value is not None:
            values[column] = value
    return True


def _headed(raw: RawTable, offset: int, header_rows: list[int]) -> list[int | None]:
    """Per grid column, the header cell that names it: the lowest header row with text there,
    as a number per cell; None where no header row prints anything."""
    numbers: dict[tuple[int, int], int] = {}
    headed: list[int | None] = []
    for column in range(raw.width):
        group = None
        for row in reversed(header_rows):
            origin, text = raw.covering(row + offset, column)
            if origin is not None and text and text.strip():
                group = numbers.setdefault(origin, len(numbers))
                break
        headed.append(group)
    return headed


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
