"""Tables drawn without ruling lines: text aligned in columns.

Some portals publish tables as plain text set in columns (no grid for pdfplumber's line
strategy).  Such a table is found after a standard table title, runs until its 注/说明 note
(or onto the next page), and is rebuilt as a grid: columns from the words of its data rows
(amounts right-aligned, names left-aligned: their extents overlap within a column), header
words placed on the columns they are centred over, so merged headers still read
"本年支出/基本支出".
"""

from __future__ import annotations

import itertools
import re

from .catalog import joined_name, table_code, table_name
from .pdf import RawTable
from .text import EMPTY_CELL, PAGE_NUMBER, map_radicals, parse_number

ROW_TOLERANCE = 3.0
NOTE = re.compile(r"^(?:注|说明)\s*[:：]|^第[一二三四五六七八九十]+部分")
CODE_OR_TOTAL = re.compile(r"^(?:\d{3}(?:\d{2}){0,2}|合\s*计|总\s*计)$")
TOTAL = re.compile(r"^(?:合\s*计|总\s*计)$")
NUMBERED = re.compile(r"^[一二三四五六七八九十]+[、.．]")
# The first words of a table's header row: where a table starts whose title is not on its page.
HEADER_START = re.compile(r"^(?:项\s*目|科目编码|科目代码|科目名称|(?:支出)?功能分类科目(?:编码)?|收\s*入|预算数|决算数)(?:\s|$)"
                          r"(?!.*[，。；,;])")  # a sentence wrapped to start "决算数 18.28 万元，…" is no header
# A sentence: a full stop, or two clause marks ("…预算245.98万元,其中:公务用车运行费168万元,").
PROSE = re.compile(r"。|[，,；;：:].*[，,；;：:]")
UNIT_LINE = re.compile(r"单位\s*[:：]")


def _rows(words: list[dict]) -> list[list[dict]]:
    """Words grouped into printed rows by their top, each row left to right."""
    rows: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if rows and abs(word["top"] - rows[-1][0]["top"]) <= ROW_TOLERANCE:
            rows[-1].append(word)
        else:
            rows.append([word])
    return [sorted(row, key=lambda w: w["x0"]) for row in rows]


def _text(row: list[dict]) -> str:
    return " ".join(word["text"] for word in row)


def _is_data(row: list[dict]) -> bool:
    texts = [word["text"] for word in row]
    if UNIT_LINE.search(_text(row)):  # "部门名称：… 2024 年度 单位：万元" above the header
        return False
    if TOTAL.match(texts[0]):  # "合计" also heads columns; as a row label figures follow it
        return len(texts) == 1 or any(parse_number(text) is not None for text in texts[1:])
    if CODE_OR_TOTAL.match(texts[0]) and len(texts) > 1:
        return True
    return sum(parse_number(text) is not None for text in texts[1:]) >= 1 and not _is_column_numbers(row)


def _is_column_numbers(row: list[dict]) -> bool:
    texts = [word["text"] for word in row]
    if texts[0] == "栏次":
        return True
    if len(texts) >= 2 and all(re.fullmatch(r"\d{1,2}", text) for text in texts):
        numbers = [int(text) for text in texts]
        return numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    return False


def find_aligned_tables(words: list[dict], page: int, continuing: bool) -> tuple[list[RawTable], list[tuple[float, float]], bool]:
    """Text-aligned tables on one page.

    :param continuing: the previous page ended inside such a table.
    :returns: (tables, the (top, bottom) extent of each, whether the last one runs on).
    """
    rows = [row for row in _rows(words) if not PAGE_NUMBER.match(_text(row))]
    tables, extents = [], []
    index, open_table = 0, False
    caption: list[str] = []
    while index < len(rows):
        text = _text(rows[index])
        following = _text(rows[index + 1]) if index + 1 < len(rows) else ""
        wrapped = bool(joined_name(text, following))
        titled = not NUMBERED.match(text) and bool(table_name(text) or wrapped)
        headed = HEADER_START.match(text) and not tables  # a header row, its title elsewhere
        if not ((continuing and index == 0) or titled or headed):
            index += 1
            continue
        caption = [text] if titled and not (continuing and index == 0) else []
        continuing = False
        if caption:
            index += 1
            if wrapped:  # the title's second line
                caption.append(following)
                index += 1
            while index < len(rows) and _is_caption(_text(rows[index])):
                caption.append(_text(rows[index]))
                index += 1
        body = []
        while index < len(rows) and not NOTE.match(_text(rows[index])) and not (
            table_name(_text(rows[index])) and not _is_data(rows[index])
        ):
            body.append(rows[index])
            index += 1
        prose = next((i for i, row in enumerate(body) if PROSE.search(_text(row))), None)
        if prose is not None:  # the narrative after the table (a table row is no sentence)
            index -= len(body) - prose
            body = body[:prose]
        while body and not _is_data(body[-1]):  # footers after the last row ("Page 1")
            body.pop()
        if len(_columns(body)) < 2:  # one cell a line (ah-lieshan-2023-sangong): text, no table
            continue
        open_table = index >= len(rows)
        tables.append(_grid(body, page, caption))
        extents.append((body[0][0]["top"] - 1, max(w["bottom"] for w in body[-1]) + 1))
    return tables, extents, open_table


def _is_caption(text: str) -> bool:
    return bool(table_code(text) or re.search(r"单位\s*[:：]|部门|年度|编制", text)) and len(text) < 80


def _columns(data: list[list[dict]]) -> list[list[float]]:
    """Column extents [x0, x1]: the union of overlapping word extents over the data rows."""
    spans = sorted([word["x0"], word["x1"]] for row in data for word in _content(row))
    columns: list[list[float]] = []
    for x0, x1 in spans:
        if columns and x0 <= columns[-1][1] + 1:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])
    return columns


def _gutters(columns: list[list[float]], text: list[bool]) -> list[tuple[float, float]]:
    """Each column's cell as printed: names are left-aligned in their cells and figures
    right-aligned, so a cell starts just before a name column's words and ends just after a
    figure column's words; elsewhere the boundary is the middle of the gap."""
    bounds = []
    for index in range(len(columns) - 1):
        if text[index + 1]:
            bounds.append(columns[index + 1][0] - 2)
        elif not text[index]:
            bounds.append(columns[index][1] + 2)
        else:
            bounds.append((columns[index][1] + columns[index + 1][0]) / 2)
    if not bounds:
        return [tuple(columns[0])] if columns else []
    first = columns[0][0] - 2 if text[0] else columns[0][0] - (bounds[0] - columns[0][1])
    last = columns[-1][1] + 2 if not text[-1] else columns[-1][1] + (columns[-1][0] - bounds[-1])
    edges = [min(first, columns[0][0]), *bounds, max(last, columns[-1][1])]
    if not text[0] and len(bounds) > 1:  # figures from the first column: the pitch repeats
        edges[0] = min(edges[0], bounds[0] - (bounds[1] - bounds[0]))
    return list(zip(edges, edges[1:]))


def _fit_to_header(columns: list[list[float]], leaves: list[dict], data: list[list[dict]]) -> list[list[float]]:
    """Data columns reconciled with the header's leaves (each leaf heads one column).

    Two neighbouring columns under one leaf that no row fills both of are one column whose
    cells are aligned differently ("10.00" right, "(1.61)" left: the variants' 三公 table); a
    leaf with no data under it heads a column blank in every row (xuchang-2025 表4's
    政府性基金预算).
    """
    if not leaves or not columns:
        return columns
    leaves = sorted(leaves, key=lambda cell: cell["x0"])
    zones = _zones(leaves)
    zones[0][0], zones[-1][1] = float("-inf"), float("inf")  # the outer cells reach the edges

    def leaf_of(column: list[float]) -> int | None:
        centre = (column[0] + column[1]) / 2
        return next((i for i, zone in enumerate(zones) if zone[0] <= centre <= zone[1]), None)

    merged = [list(columns[0])]
    for column in columns[1:]:
        previous = merged[-1]
        leaf = leaf_of(column)
        if leaf is not None and leaf == leaf_of(previous) and not _both_filled(previous, column, data):
            previous[1] = max(previous[1], column[1])
        else:
            merged.append(list(column))
    under = {leaf_of(column) for column in merged}
    blank = [[leaf["x0"], leaf["x1"]] for index, leaf in enumerate(leaves) if index not in under]
    return sorted(merged + blank)


def _both_filled(left: list[float], right: list[float], data: list[list[dict]]) -> bool:
    def inside(word: dict, column: list[float]) -> bool:
        return column[0] <= (word["x0"] + word["x1"]) / 2 <= column[1]

    return any(any(inside(w, left) for w in row) and any(inside(w, right) for w in row) for row in data)


def _zones(cells: list[dict]) -> list[list[float]]:
    """Column extents reaching halfway to the neighbouring header cells."""
    cells = sorted(cells, key=lambda c: c["x0"])
    zones = []
    for index, cell in enumerate(cells):
        x0 = (cells[index - 1]["x1"] + cell["x0"]) / 2 if index else cell["x0"]
        x1 = (cell["x1"] + cells[index + 1]["x0"]) / 2 if index + 1 < len(cells) else cell["x1"]
        zones.append([x0, x1])
    return zones


def _column_of(word: dict, columns: list[list[float]]) -> int:
    centre = (word["x0"] + word["x1"]) / 2

    def distance(column: list[float]) -> float:
        if column[0] <= centre <= column[1]:
            return 0.0
        return min(abs(centre - column[0]), abs(centre - column[1]))

    return min(range(len(columns)), key=lambda i: distance(columns[i]))


def _header_cells(words: list[dict]) -> list[dict]:
    """Header words merged into cells: a word wrapped onto the next line joins the word above."""
    cells: list[dict] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        height = word["bottom"] - word["top"]
        for cell in cells:
            overlap = min(cell["x1"], word["x1"]) - max(cell["x0"], word["x0"])
            gap = word["top"] - cell["bottom"]
            if overlap > 0.3 * min(cell["x1"] - cell["x0"], word["x1"] - word["x0"]) and -1 <= gap < 0.6 * height:
                cell.update(text=cell["text"] + word["text"], x0=min(cell["x0"], word["x0"]),
                            x1=max(cell["x1"], word["x1"]), bottom=max(cell["bottom"], word["bottom"]))
                break
        else:
            cells.append(dict(word))
    return cells


def _header(words: list[dict], columns: list[list[float]], text: list[bool]) -> list[list[tuple[int, int, str]]]:
    """Header rows as (first column, last column, text) spans, parents above their leaves.

    A cell with another cell below it is a parent; the parents at one height share out the
    columns whose leaves lie below them, each parent taking the run it is centred over.
    """
    cells = _header_cells(words)
    parents = [cell for cell in cells if _has_cells_below(cell, cells)]
    leaves = [cell for cell in cells if not any(cell is parent for parent in parents)]
    leaf_of: dict[int, dict] = {}
    for cell in leaves:
        leaf_of.setdefault(_column_of(cell, columns), cell)
    rows: list[list[tuple[int, int, str]]] = []
    floor = max((leaf["bottom"] for leaf in leaves), default=0.0)
    for band in _bands(parents):
        # Every leaf reaches down to the header's last line and is centred on its rows, so
        # a leaf's cell starts at 2 × its middle − that bottom; it sits under this band
        # when it starts below the band's middle (a leaf spanning the band's row does not).
        middle = sum(_middle(cell) for cell in band) / len(band)
        under = {c for c, leaf in leaf_of.items() if 2 * _middle(leaf) - floor >= middle - 1}
        runs, run = [], []
        for column in range(len(columns)):
            if column in under:
                run.append(column)
            elif run:
                runs.append(run)
                run = []
        if run:
            runs.append(run)
        spans = []
        for run in runs:
            inside = [cell for cell in band if columns[run[0]][0] - 20 <= (cell["x0"] + cell["x1"]) / 2 <= columns[run[-1]][1] + 20]
            spans += _partition(inside, run, columns, text)
        rows.append(spans)
    rows.append([(column, column, cell["text"]) for column, cell in sorted(leaf_of.items())])
    return rows


def _middle(cell: dict) -> float:
    return (cell["top"] + cell["bottom"]) / 2


def _has_cells_below(cell: dict, cells: list[dict]) -> bool:
    """Whether a header cell heads others: a cell lies below it, within the horizontal zone
    that reaches halfway to its neighbours at the same height (a merged header's text is
    narrower than the columns it spans)."""
    level = [other for other in cells if other is not cell
             and other["top"] < cell["bottom"] and other["bottom"] > cell["top"]]
    left = max((o["x1"] for o in level if o["x1"] <= cell["x0"]), default=float("-inf"))
    right = min((o["x0"] for o in level if o["x0"] >= cell["x1"]), default=float("inf"))
    low = (left + cell["x0"]) / 2 if left > float("-inf") else float("-inf")
    high = (right + cell["x1"]) / 2 if right < float("inf") else float("inf")
    return any(
        other is not cell and other["top"] >= cell["bottom"] - 1
        and low <= (other["x0"] + other["x1"]) / 2 <= high
        for other in cells
    )


def _bands(cells: list[dict]) -> list[list[dict]]:
    bands: list[list[dict]] = []
    for cell in sorted(cells, key=lambda c: c["top"]):
        if bands and cell["top"] < max(c["bottom"] for c in bands[-1]):
            bands[-1].append(cell)
        else:
            bands.append([cell])
    return bands


def _partition(cells: list[dict], run: list[int], columns: list[list[float]],
               text: list[bool]) -> list[tuple[int, int, str]]:
    """Split a run of columns into one contiguous range per cell, each cell centred on its range."""
    cells = sorted(cells, key=lambda c: c["x0"])
    if not cells or len(cells) > len(run):
        return []
    best, best_cost = None, float("inf")
    zones = _gutters(columns, text)
    for cuts in itertools.combinations(range(1, len(run)), len(cells) - 1):
        bounds = [0, *cuts, len(run)]
        cost = 0.0
        for cell, start, end in zip(cells, bounds, bounds[1:]):
            centre = (zones[run[start]][0] + zones[run[end - 1]][1]) / 2
            cost += abs(centre - (cell["x0"] + cell["x1"]) / 2)
        if cost < best_cost:
            best, best_cost = bounds, cost
    return [(run[start], run[end - 1], cell["text"]) for cell, start, end in zip(cells, best, best[1:])]


def _placed(row: list[dict], columns: list[list[float]]) -> dict[int, str]:
    """A row's words on their columns; dashes and slashes printed for empty cells left out."""
    cells: dict[int, str] = {}
    for word in _content(row):
        column = _column_of(word, columns)
        cells[column] = f"{cells[column]}{word['text']}" if column in cells else word["text"]
    return cells


def _content(row: list[dict]) -> list[dict]:
    return [word for word in row if word["text"] not in EMPTY_CELL]


def _rows_of_lines(data: list[list[dict]], columns: list[list[float]]) -> list[dict[int, str]]:
    """Printed lines → table rows: a line without figures closer than a row's pitch to the line
    above or below is part of a name wrapped in its cell, and joins the nearer one (a name
    centred on its row wraps above and below the figures: yanshi-2024 03 表 row 2010399)."""
    lines = [(row[0]["top"], _placed(row, columns)) for row in data]
    figured = [any(parse_number(t) is not None or CODE_OR_TOTAL.match(t) for t in placed.values())
               for _, placed in lines]
    pitch = _row_pitch(data)
    rows: list[dict[int, str]] = []
    pending: dict[int, str] = {}  # the upper part of a name wrapped around the next line
    for index, (top, placed) in enumerate(lines):
        joined = None
        if not figured[index] and pitch is None:  # nothing to measure by: it wraps the row above
            joined = rows[-1] if rows else None
        elif not figured[index]:
            above = top - lines[index - 1][0] if index else float("inf")
            below = lines[index + 1][0] - top if index + 1 < len(lines) else float("inf")
            if min(above, below) < 0.8 * pitch:
                joined = pending if below < above or not rows else rows[-1]
        if joined is not None:
            for column, text in placed.items():
                joined[column] = joined.get(column, "") + text
            continue
        for column, text in pending.items():
            placed[column] = text + placed.get(column, "")
        pending = {}
        rows.append(placed)
    if pending:
        rows.append(pending)
    return rows


def _row_pitch(data: list[list[dict]]) -> float | None:
    """The distance between the tops of two one-line rows: the least between rows with figures.

    A line closer than that to the one above is a name wrapped in its cell; a line as far is a
    row of its own even without figures ("五、单位资金", a row of dashes: xuchang-2025 表1, 表7).
    """
    tops = [row[0]["top"] for row in data
            if any(parse_number(w["text"]) is not None or CODE_OR_TOTAL.match(w["text"]) for w in row)]
    gaps = [below - above for above, below in zip(tops, tops[1:]) if below - above > ROW_TOLERANCE]
    return min(gaps) if len(gaps) >= 2 else None


def _is_text_column(column: list[float], data: list[list[dict]]) -> bool:
    """Names and subject codes (left-aligned) rather than figures (right-aligned)."""
    texts = [w["text"] for row in data for w in _content(row) if column[0] <= (w["x0"] + w["x1"]) / 2 <= column[1]]
    figures = [t for t in texts if parse_number(t) is not None and not CODE_OR_TOTAL.match(t)]
    return len(figures) * 2 < len(texts)


def _grid(body: list[list[dict]], page: int, caption: list[str]) -> RawTable:
    first_data = next(i for i, row in enumerate(body) if _is_data(row))
    header = [word for row in body[:first_data] if not _is_column_numbers(row) for word in row]
    data = [row for row in body[first_data:] if not _is_column_numbers(row)]
    numbering = [row for row in body[:first_data] if _is_column_numbers(row)]
    columns = _columns(data)
    anchors = [word for word in (numbering[0] if numbering else []) if word["text"] != "栏次"]
    figures = sum(1 for column in columns if not _is_text_column(column, data))
    cells = _header_cells(header)
    leaves = [cell for cell in cells if not _has_cells_below(cell, cells)]
    if (len(leaves) > len(columns) and len(data) <= 2) or len(anchors) > figures:
        # Hardly any figures (a blank 合计 row): the header's leaves mark the columns.
        columns = _zones(leaves) if len(leaves) >= len(anchors) else _columns(data + [anchors])
    else:
        columns = _fit_to_header(columns, leaves, data)
    width = len(columns)
    cells: list[list[str | None]] = []
    origin: list[list[tuple[int, int] | None]] = []
    text = [_is_text_column(column, data) for column in columns]
    for spans in _header(header, columns, text):
        line: list[str | None] = [None] * width
        starts: list[tuple[int, int] | None] = [None] * width
        for first, last, text in spans:
            line[first] = map_radicals(text)
            for column in range(first, last + 1):
                starts[column] = (len(cells), first)
        cells.append(line)
        origin.append(starts)
    for placed in _rows_of_lines(data, columns):
        cells.append([map_radicals(placed[c]) if c in placed else None for c in range(width)])
        origin.append([(len(origin), c) for c in range(width)])
    x0 = min(column[0] for column in columns)
    x1 = max(column[1] for column in columns)
    top = body[0][0]["top"]
    bottom = max(word["bottom"] for word in body[-1])
    return RawTable(page, (x0, top, x1, bottom), cells, origin, [c[0] for c in columns], caption)
