"""Render one sample disclosure (a parsed source file) to PDF bytes with reportlab.

The layout follows the provincial templates: cover, 目录, four 部分, each standard table on
its own page (wide ones landscape) with a ruled grid, merged header cells and headers
repeated when a table runs over a page. ``invariant=1`` makes the bytes reproducible.
"""

import io
import re

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (BaseDocTemplate, Frame, NextPageTemplate, PageBreak, PageTemplate,
                                Paragraph, Spacer, Table, TableStyle)

from samples.layouts import LAYOUTS

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _style(name, size, leading=None, **kw):
    return ParagraphStyle(name, fontName=FONT, fontSize=size, leading=leading or size * 1.6,
                          wordWrap="CJK", **kw)


STYLES = {
    "cover_title": _style("cover_title", 22, 40, alignment=TA_CENTER),
    "cover_date": _style("cover_date", 16, alignment=TA_CENTER),
    "toc_title": _style("toc_title", 18, alignment=TA_CENTER, spaceAfter=12),
    "toc_part": _style("toc_part", 12, spaceBefore=6),
    "toc_item": _style("toc_item", 11, leftIndent=24),
    "part": _style("part", 18, alignment=TA_CENTER, spaceBefore=6, spaceAfter=12),
    "h1": _style("h1", 14, spaceBefore=8, spaceAfter=4),
    "h2": _style("h2", 12.5, spaceBefore=4, spaceAfter=2, firstLineIndent=25),
    "p": _style("p", 12, 21, firstLineIndent=24, spaceAfter=4),
    "table_title": _style("table_title", 16, alignment=TA_CENTER, spaceAfter=4),
    "table_code": _style("table_code", 9, alignment=TA_RIGHT),
    "table_meta": _style("table_meta", 9),
    "table_meta_right": _style("table_meta_right", 9, alignment=TA_RIGHT),
    "table_meta_center": _style("table_meta_center", 9, alignment=TA_CENTER),
    "cell": _style("cell", 7.5, 10),
    "cell_center": _style("cell_center", 7.5, 10, alignment=TA_CENTER),
    "note": _style("note", 8.5, 13, spaceBefore=4),
}

NUMBER = re.compile(r"^-?[\d,]+(\.\d+)?%?$")


class Tracked:
    """Mixin: remember which pages a flowable (and every piece it splits into) lands on."""

    truth_key = None

    def split(self, *args):
        parts = super().split(*args)
        for part in parts:
            part.truth_key = self.truth_key
        return parts


class TrackedParagraph(Tracked, Paragraph):
    pass


class TrackedTable(Tracked, Table):
    pass


class DisclosureDoc(BaseDocTemplate):
    """A4 portrait body pages plus landscape table pages, with a page number footer."""

    def __init__(self, buffer, title):
        super().__init__(buffer, pagesize=A4, invariant=1, title=title, author="", creator="",
                         leftMargin=25 * mm, rightMargin=25 * mm, topMargin=22 * mm, bottomMargin=22 * mm)
        self.pages_of = {}
        portrait_frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="portrait")
        wide, high = landscape(A4)
        landscape_frame = Frame(18 * mm, 18 * mm, wide - 36 * mm, high - 36 * mm, id="landscape")
        self.addPageTemplates([
            PageTemplate("portrait", [portrait_frame], onPage=self._footer, pagesize=A4),
            PageTemplate("landscape", [landscape_frame], onPage=self._footer, pagesize=landscape(A4)),
        ])

    @staticmethod
    def _footer(canvas, doc):
        if doc.page == 1:
            return
        canvas.setFont(FONT, 9)
        canvas.drawCentredString(canvas._pagesize[0] / 2, 10 * mm, f"- {doc.page - 1} -")

    def afterFlowable(self, flowable):
        key = getattr(flowable, "truth_key", None)
        if key is not None:
            first, _ = self.pages_of.get(key, (self.page, self.page))
            self.pages_of[key] = (first, self.page)


def render(source: dict, ruled: bool = True) -> tuple[bytes, int, dict]:
    """PDF bytes, page count and ``{block index: (first page, last page)}`` of paragraphs and tables.

    :param ruled: draw the tables' grid; False gives text-aligned tables without any lines
    """
    buffer = io.BytesIO()
    doc = DisclosureDoc(buffer, title=source["title"])
    doc.build(_story(source, ruled))
    return buffer.getvalue(), doc.page, doc.pages_of


def _story(source: dict, ruled: bool) -> list:
    story = _cover(source) + _contents(source)
    orientation = "portrait"
    for index, block in enumerate(source["body"]):
        if "part" in block:
            story += _switch(orientation, "portrait") + [Paragraph(block["part"], STYLES["part"])]
            orientation = "portrait"
        elif "h1" in block or "h2" in block:
            level = "h1" if "h1" in block else "h2"
            story.append(Paragraph(block[level], STYLES[level]))
        elif "p" in block:
            paragraph = TrackedParagraph(_escape(block["p"]), STYLES["p"])
            paragraph.truth_key = index
            story.append(paragraph)
        elif "table" in block:
            layout = LAYOUTS[block["table"]]
            wanted = "landscape" if block.get("landscape", layout.landscape) else "portrait"
            story += _switch(orientation, wanted) + _table(source, block, index, ruled)
            orientation = wanted
        else:
            raise ValueError(f"{source['slug']}: unknown block {block!r}")
    return story


def _switch(current: str, wanted: str) -> list:
    if current == wanted:
        return [PageBreak()]
    return [NextPageTemplate(wanted), PageBreak()]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cover(source: dict) -> list:
    lines = "<br/>".join(_escape(line) for line in source["cover_title"])
    return [Spacer(1, 70 * mm), Paragraph(lines, STYLES["cover_title"]), Spacer(1, 80 * mm),
            Paragraph(source["cover_date"], STYLES["cover_date"]), PageBreak()]


def _contents(source: dict) -> list:
    """目录 as the real documents print it: parts, their 一、 headings and the table names."""
    story = [Paragraph("目  录", STYLES["toc_title"])]
    for block in source["body"]:
        if "part" in block:
            story.append(Paragraph(block["part"], STYLES["toc_part"]))
        elif "h1" in block:
            story.append(Paragraph(block["h1"], STYLES["toc_item"]))
        elif "table" in block:
            story.append(Paragraph(block.get("title", LAYOUTS[block["table"]].name), STYLES["toc_item"]))
    return story


def _table(source: dict, block: dict, index: int, ruled: bool) -> list:
    layout = LAYOUTS[block["table"]]
    unit = block.get("unit", source["unit"])
    title = block.get("title", layout.name)
    meta = Table([[Paragraph(_escape(block.get("label", source["table_label"])), STYLES["table_meta"]),
                   Paragraph(f"{source['fiscal_year']} 年度" if source["doc_type"] == "决算" else "",
                             STYLES["table_meta_center"]),
                   Paragraph(f"单位：{unit}", STYLES["table_meta_right"])]],
                 colWidths=["55%", "20%", "25%"])
    meta.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    flowables = [Paragraph(_escape(title), STYLES["table_title"])]
    if layout.code:
        flowables.append(Paragraph(block.get("code", layout.code), STYLES["table_code"]))
    flowables += [meta, Spacer(1, 2 * mm), _grid(layout, block, index, ruled)]
    for key in ("note", "remark"):
        if block.get(key):
            flowables.append(Paragraph(_escape(block[key]), STYLES["note"]))
    return flowables


def _grid(layout, block: dict, index: int, ruled: bool) -> Table:
    header = layout.grid()
    rows, row_spans = [], []
    for r, row in enumerate(block.get("rows") or [], start=len(header)):
        cells = row["cells"] if isinstance(row, dict) else row
        if len(cells) != layout.column_count:
            raise ValueError(f"table {layout.key} row {r}: {len(cells)} cells, layout has {layout.column_count}")
        rows.append(cells)
        for c0, c1 in (row.get("span", []) if isinstance(row, dict) else []):
            row_spans.append(("SPAN", (c0, r), (c1, r)))
    data = [[Paragraph(_escape(t), STYLES["cell_center"]) for t in row] for row in header]
    for row in rows:
        data.append([_cell(text, c in layout.label_columns) for c, text in enumerate(row)])
    total = sum(layout.widths)
    available = (landscape(A4)[0] - 36 * mm) if block.get("landscape", layout.landscape) else (A4[0] - 50 * mm)
    widths = [available * w / total for w in layout.widths]
    table = TrackedTable(data, colWidths=widths, repeatRows=len(header))
    table.truth_key = index
    rules = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BOX", (0, 0), (-1, -1), 1.0, colors.black),
        ("BACKGROUND", (0, 0), (-1, len(header) - 1), colors.Color(0.93, 0.93, 0.93)),
    ] if ruled else []
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 7.5),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, len(header)), (-1, -1), "RIGHT"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ] + rules + [("SPAN", (c0, r0), (c1, r1)) for c0, r0, c1, r1 in layout.spans()] + row_spans))
    return table


def _cell(text: str, is_label: bool):
    text = "" if text is None else str(text)
    if NUMBER.match(text) and not is_label:
        return text
    return Paragraph(_escape(text), STYLES["cell"])


def render_notice(title: str, paragraphs: list[str]) -> bytes:
    """A one-page notice (招标公告 and the like): a PDF a portal links that is no disclosure."""
    buffer = io.BytesIO()
    doc = DisclosureDoc(buffer, title=title)
    doc.build([Paragraph(_escape(title), STYLES["toc_title"])]
              + [Paragraph(_escape(text), STYLES["p"]) for text in paragraphs])
    return buffer.getvalue()
