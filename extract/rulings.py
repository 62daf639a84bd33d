"""Ruled tables: pdfplumber's "lines" table finder, step for step, over plain tuples.

pdfplumber's ``TableFinder`` took a fifth of extraction time once PDFium read the pages: it
copies a dict per edge at every step and, for each ruling intersection, scans every later
intersection for the cell's other corners.  This module takes the same steps with the same
tolerances (edges from lines, rectangle sides and curve segments; snap, join, drop short
ones; intersections; the smallest cell at each intersection; cells touching at a corner make
a table), indexing intersections by row and column instead.  tests/test_extract_rulings.py
checks that it finds pdfplumber's cells on every page of the fixtures and real PDFs.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter

from .layout import cluster

SNAP = 3.0  # pdfplumber's snap_tolerance, join_tolerance and intersection_tolerance
JOIN = 3.0
INTERSECTION = 3.0
MIN_LENGTH = 3.0  # edge_min_length
MIN_LENGTH_FIRST = 1.0  # edge_min_length_prefilter

# An edge: (orientation "h" or "v", x0, top, x1, bottom, length).  The length is carried as
# pdfplumber carries it (a dict's width or height, updated by joins), not recomputed, so that
# an edge exactly at a minimum length is kept or dropped as pdfplumber does.
Edge = tuple[str, float, float, float, float, float]
Box = tuple[float, float, float, float]


@dataclass
class RuledTable:
    """The cells (x0, top, x1, bottom) one grid of rulings makes, and the box around them."""

    cells: list[Box]
    bbox: Box = field(init=False)

    def __post_init__(self):
        self.bbox = (
            min(cell[0] for cell in self.cells),
            min(cell[1] for cell in self.cells),
            max(cell[2] for cell in self.cells),
            max(cell[3] for cell in self.cells),
        )


def page_edges(page) -> list[Edge]:
    """A pdfplumber page's edges as pdfplumber makes them (``Container.edges``): lines, then
    each rectangle's top, bottom, left and right, then each segment of each curve.

    A line that is neither level nor plumb counts as vertical, as in pdfplumber.
    """
    edges: list[Edge] = []
    for line in page.lines:
        kind = "h" if line["top"] == line["bottom"] else "v"
        length = line["width"] if kind == "h" else line["height"]
        edges.append((kind, line["x0"], line["top"], line["x1"], line["bottom"], length))
    for rect in page.rects:
        x0, x1, top, bottom, width, height = (rect[key] for key in ("x0", "x1", "top", "bottom", "width", "height"))
        edges += [("h", x0, top, x1, top, width), ("h", x0, top + height, x1, bottom, width),
                  ("v", x0, top, x0, bottom, height), ("v", x1, top, x1, bottom, height)]
    for curve in page.curves:
        points = curve["pts"]
        for (ax, ay), (bx, by) in zip(points, points[1:]):
            if ax == bx:
                edges.append(("v", ax, min(ay, by), bx, max(ay, by), abs(ay - by)))
            elif ay == by:
                edges.append(("h", min(ax, bx), ay, max(ax, bx), by, abs(ax - bx)))
    return edges


def find_tables(edges: list[Edge]) -> list[RuledTable]:
    """The tables the rulings draw, top to bottom, as pdfplumber's TableFinder finds them."""
    vertical = [e for e in edges if e[0] == "v" and e[5] >= MIN_LENGTH_FIRST]
    horizontal = [e for e in edges if e[0] == "h" and e[5] >= MIN_LENGTH_FIRST]
    merged = _snap(vertical, 1) + _snap(horizontal, 2)
    joined: list[Edge] = []
    for (kind, _), group in groupby(sorted(merged, key=_group), key=_group):
        joined += _join(list(group), kind)
    joined = [edge for edge in joined if edge[5] >= MIN_LENGTH]
    intersections = _intersections(joined)
    return [RuledTable(cells) for cells in _tables(_cells(intersections))]


def _group(edge: Edge) -> tuple[str, float]:
    return ("h", edge[2]) if edge[0] == "h" else ("v", edge[1])


def _snap(edges: list[Edge], axis: int) -> list[Edge]:
    """Edges within SNAP of each other along ``axis`` (1: x0, 2: top) moved to their mean."""
    snapped: list[Edge] = []
    for members in cluster(edges, itemgetter(axis), SNAP):
        mean = sum(edge[axis] for edge in members) / len(members)
        for kind, x0, top, x1, bottom, length in members:
            if axis == 1:
                shift = mean - x0
                snapped.append((kind, x0 + shift, top, x1 + shift, bottom, length))
            else:
                shift = mean - top
                snapped.append((kind, x0, top + shift, x1, bottom + shift, length))
    return snapped


def _join(edges: list[Edge], kind: str) -> list[Edge]:
    """Edges on one line joined where they overlap or come within JOIN of each other."""
    start, end = (1, 3) if kind == "h" else (2, 4)
    ordered = sorted(edges, key=lambda edge: edge[start])
    joined = [ordered[0]]
    for edge in ordered[1:]:
        last = joined[-1]
        if edge[start] <= last[end] + JOIN:
            if edge[end] > last[end]:
                # pdfplumber's resize_object: a width is recomputed, a height grows by the step
                kind_, x0, top, x1, bottom, length = last
                if kind == "h":
                    joined[-1] = (kind_, x0, top, edge[3], bottom, edge[3] - x0)
                else:
                    joined[-1] = (kind_, x0, top, x1, edge[4], length + (edge[4] - bottom))
        else:
            joined.append(edge)
    return joined


def _intersections(edges: list[Edge]) -> dict[tuple[float, float], tuple[set, set]]:
    """Each point where a vertical edge meets a horizontal one (within INTERSECTION), with
    the boxes of the edges through it."""
    vertical = sorted((e for e in edges if e[0] == "v"), key=lambda e: (e[1], e[2]))
    horizontal = sorted((e for e in edges if e[0] == "h"), key=lambda e: (e[2], e[1]))
    tops = [e[2] for e in horizontal]
    found: dict[tuple[float, float], tuple[set, set]] = {}
    for v in vertical:
        _, x, v_top, _, v_bottom, _ = v
        # a little wider than the test below, which is pdfplumber's to the last bit
        first = bisect.bisect_left(tops, v_top - INTERSECTION - 1e-6)
        last = bisect.bisect_right(tops, v_bottom + INTERSECTION + 1e-6)
        for h in horizontal[first:last]:
            _, h_x0, y, h_x1, _, _ = h
            if v_top <= y + INTERSECTION and v_bottom >= y - INTERSECTION and h_x0 - INTERSECTION <= x <= h_x1 + INTERSECTION:
                through = found.setdefault((x, y), (set(), set()))
                through[0].add(v[1:5])
                through[1].add(h[1:5])
    return found


def _cells(intersections: dict[tuple[float, float], tuple[set, set]]) -> list[Box]:
    """At each intersection (in order of x, then top), the smallest cell it is the top-left
    corner of: the nearest corners below and to the right joined by edges to it and to a
    fourth intersection."""
    points = sorted(intersections)
    columns: dict[float, list[float]] = {}
    rows: dict[float, list[float]] = {}
    for x, y in points:
        columns.setdefault(x, []).append(y)
        rows.setdefault(y, []).append(x)
    for values in rows.values():
        values.sort()

    cells = []
    for x, y in points:
        column, row, here = columns[x], rows[y], intersections[(x, y)]
        cell = None
        for b in column[bisect.bisect_right(column, y):]:  # corners below, nearest first
            below = intersections[(x, b)]
            if here[0].isdisjoint(below[0]):  # no vertical edge joins them
                continue
            for r in row[bisect.bisect_right(row, x):]:  # corners to the right
                right = intersections[(r, y)]
                if here[1].isdisjoint(right[1]):
                    continue
                opposite = intersections.get((r, b))
                if opposite is not None and not opposite[0].isdisjoint(right[0]) and not opposite[1].isdisjoint(below[1]):
                    cell = (x, y, r, b)
                    break
            if cell:
                break
        if cell:
            cells.append(cell)
    return cells


def _tables(cells: list[Box]) -> list[list[Box]]:
    """Cells grouped into tables: a cell sharing a corner with a table belongs to it."""
    remaining = list(cells)
    tables: list[list[Box]] = []
    current: list[Box] = []
    corners: set[tuple[float, float]] = set()
    while remaining:
        before = len(current)
        left = []
        for cell in remaining:
            x0, top, x1, bottom = cell
            own = ((x0, top), (x0, bottom), (x1, top), (x1, bottom))
            if not current or any(corner in corners for corner in own):
                corners.update(own)
                current.append(cell)
            else:
                left.append(cell)
        remaining = left
        if len(current) == before:
            tables.append(current)
            current, corners = [], set()
    if current:
        tables.append(current)
    tables.sort(key=lambda table: min((cell[1], cell[0]) for cell in table))
    return [table for table in tables if len(table) > 1]
