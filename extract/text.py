"""Text clean-up shared by every part of extraction: radicals, numbers, spacing."""

from __future__ import annotations

import re
import unicodedata

# CJK Radicals Supplement (U+2E80-U+2EFF) has no compatibility decomposition except two
# code points, so the mapping to ordinary ideographs is a table (after Unicode's
# EquivalentUnifiedIdeograph.txt); the variants that never stand for a whole character in
# running text (⺅ person, ⺡ water ...) map to their radical form, which is still an ideograph.
_SUPPLEMENT = {
    0x2E81: "厂", 0x2E84: "乙", 0x2E85: "亻", 0x2E86: "冂", 0x2E89: "刂", 0x2E8A: "卜",
    0x2E8B: "㔾", 0x2E8C: "小", 0x2E8E: "尢", 0x2E8F: "尣", 0x2E90: "尢", 0x2E92: "巳",
    0x2E93: "幺", 0x2E94: "彑", 0x2E96: "忄", 0x2E98: "扌", 0x2E99: "攵", 0x2E9B: "旡",
    0x2E9C: "日", 0x2E9D: "月", 0x2E9E: "歺", 0x2E9F: "母", 0x2EA0: "民", 0x2EA1: "氵",
    0x2EA2: "氺", 0x2EA3: "灬", 0x2EA4: "爫", 0x2EA6: "丬", 0x2EA7: "牛", 0x2EA8: "犭",
    0x2EA9: "王", 0x2EAC: "示", 0x2EAD: "礻", 0x2EAF: "糹", 0x2EB0: "纟", 0x2EB1: "罓",
    0x2EB2: "罒", 0x2EB9: "耂", 0x2EBB: "肀", 0x2EBD: "臼", 0x2EBE: "艹", 0x2EBF: "艹",
    0x2EC0: "艹", 0x2EC1: "虎", 0x2EC2: "衤", 0x2EC3: "覀", 0x2EC4: "西", 0x2EC5: "见",
    0x2EC6: "角", 0x2EC8: "讠", 0x2EC9: "贝", 0x2ECB: "车", 0x2ECC: "辶", 0x2ECD: "辶",
    0x2ECF: "阝", 0x2ED0: "钅", 0x2ED1: "長", 0x2ED2: "镸", 0x2ED3: "长", 0x2ED4: "门",
    0x2ED5: "阜", 0x2ED6: "阝", 0x2ED7: "雨", 0x2ED8: "青", 0x2ED9: "韦", 0x2EDA: "页",
    0x2EDB: "风", 0x2EDC: "飞", 0x2EDD: "食", 0x2EDF: "飠", 0x2EE0: "饣", 0x2EE2: "马",
    0x2EE3: "骨", 0x2EE4: "鬼", 0x2EE5: "鱼", 0x2EE6: "鸟", 0x2EE7: "卤", 0x2EE8: "麦",
    0x2EE9: "黄", 0x2EEA: "黾", 0x2EEB: "斉", 0x2EEC: "齐", 0x2EED: "歯", 0x2EEE: "齿",
    0x2EEF: "竜", 0x2EF0: "龙", 0x2EF1: "龜", 0x2EF2: "亀", 0x2EF3: "龟",
}


def _radical_table() -> dict[int, str]:
    table = dict(_SUPPLEMENT)
    # Kangxi Radicals (U+2F00-U+2FD5) each decompose to one unified ideograph.
    for code in range(0x2F00, 0x2FE0):
        mapped = unicodedata.normalize("NFKC", chr(code))
        if mapped != chr(code):
            table[code] = mapped
    return table


RADICALS = _radical_table()
CID_GLYPH = re.compile(r"\(cid:\d+\)")
# A page number line: "- 12 -", "12", "第 3 页", "第3页 共20页", "Page 2 of 9".
PAGE_NUMBER = re.compile(
    r"^(?:[-—–─━－\s]*\d{1,4}[-—–─━－\s]*|(?:Page|第)\s*\d+\s*页?(?:\s*(?:of|/|[,，]?\s*共)\s*\d+\s*页?)?)$", re.I
)


def map_radicals(text: str) -> str:
    """Replace Kangxi and CJK-supplement radicals with ordinary ideographs (部⻔ → 部门).

    Not NFKC: that would also fold full-width punctuation and digits, which are evidence.
    """
    return text.translate(RADICALS)


# A printed amount: "1,234.50", "599. 47" (space after the point, as converters leave it),
# "-12.3", full-width digits are left alone on purpose (they are rare and ambiguous).
NUMBER = r"[-−]?\d{1,3}(?:[,，]\d{3})+(?:\s?[.．]\s?\d+)?|[-−]?\d+(?:\s?[.．]\s?\d+)?"
# A table cell as portals print it: the amount, a negative one in parentheses "(12.50)" or with
# a full-width minus "－12.50", a rate "211.08%", or an amount carrying its unit "12.50万元".
_CELL_RE = re.compile(
    rf"^(?P<open>[(（])?\s*(?P<number>[-−－]?\s*(?:{NUMBER.replace('[-−]?', '')}))\s*(?P<close>[)）])?"
    r"\s*(?P<suffix>%|％|万元|千元|元)?$"
)
# Cells printed empty: dashes and slashes.
EMPTY_CELL = {"", "-", "—", "--", "－", "/", "——", "－－", "…", "／", "-/-"}
PERCENT = ("%", "％")


def parse_number(cell: str | None) -> float | None:
    """A table cell or matched figure as a float; None for blank, dash or non-numbers.

    "(12.50)", "－12.50" and "-12.50" are all -12.5; "211.08%" is 211.08 and "12.50万元" is
    12.5 (:func:`cell_unit` tells which unit a cell printed).
    """
    if cell is None:
        return None
    text = cell.strip().replace("\n", "")
    if text in EMPTY_CELL:
        return None
    match = _CELL_RE.match(text)
    if not match or bool(match["open"]) != bool(match["close"]):
        return None
    number = _GROUPING.sub("", match["number"]).replace("．", ".").replace("−", "-").replace("－", "-")
    value = float(number)
    return -abs(value) if match["open"] else value


def cell_unit(cell: str) -> str | None:
    """The unit a numeric cell prints after its figure ("%", "万元", "元"), if any."""
    match = _CELL_RE.match(cell.strip())
    suffix = match["suffix"] if match else None
    return "%" if suffix in PERCENT else suffix


# Patterns used on every cell and line are compiled once: re.sub with a pattern string looks
# it up in re's cache on each call, which cost more than the match on short cells.
_SPACES = re.compile(r"\s+")
_GROUPING = re.compile(r"[,，\s]")


def compact(text: str) -> str:
    """Text with all whitespace removed: how figures are matched ("599. 47 万元" → "599.47万元")."""
    return _SPACES.sub("", text)


def squash(text: str) -> str:
    """Collapse runs of whitespace to one space and trim."""
    return _SPACES.sub(" ", text).strip()


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines of Chinese prose: no space at the seam unless both sides are Latin."""
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if out and re.match(r"[A-Za-z]", line[0]) and re.search(r"[A-Za-z0-9]$", out):
            out += " "
        out += line
    return out


_CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}])[ \t]+|[ \t]+(?=[{_CJK}])")


def tidy(text: str) -> str:
    """Drop the spaces PDF text puts beside Chinese characters ("招录 13人" → "招录13人").

    Chinese does not separate words with spaces; renderers and extractors add them where a
    font changes (CJK to Latin digits) or a gap is a little wide.
    """
    return _CJK_SPACE.sub("", text).strip()
