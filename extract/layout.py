"""Characters into words, lines and text, grouped exactly as pdfplumber groups them.

pdfplumber's text layout (``WordExtractor`` and ``TextMap``, tolerance 3 points across and
down, no layout) is rebuilt for every call, and the text of every table cell is such a call:
with PDFium reading the pages, that was a third of extraction time.  These functions take the
same steps on upright text; a page or cell with rotated characters goes to pdfplumber itself.
tests/test_extract_layout.py compares both on every page of the fixtures and real PDFs.
"""

from __future__ import annotations

from dataclasses import dataclass

from pdfplumber.utils import text as plumber

TOLERANCE = 3.0  # pdfplumber's x_tolerance and y_tolerance
LIGATURES = plumber.LIGATURES
LIGATURE_CHARS = frozenset("".join(LIGATURES))


@dataclass
class Layout:
    """A page's words (``extract_words``), text lines (``extract_text_lines``) and text
    (``extract_text``), from one pass over its characters."""

    words: list[dict]
    lines: list[dict]
    text: str


def read(chars: list[dict]) -> Layout:
    """The words, lines and text of a page's characters, as pdfplumber's Page gives them."""
    if not all(char["upright"] for char in chars):  # rotated text: pdfplumber's own rules
        textmap = plumber.chars_to_textmap(chars)
        return Layout(plumber.extract_words(chars), textmap.extract_text_lines(return_chars=False),
                      textmap.as_string)
    found = [(_word(members), members) for members in _word_chars(chars)]
    words = [word for word, _ in found]
    # TextMap: words by top, clustered into lines, each line left to right.
    lines, texts = [], []
    for line in _cluster(sorted(found, key=lambda pair: pair[0]["top"]), lambda pair: pair[0]["top"]):
        line.sort(key=lambda pair: pair[0]["x0"])
        line_text = ""
        for word, _ in line:  # one space before each word once the line holds a letter
            line_text += (" " if line_text else "") + word["text"]
        texts.append(line_text)
        if not line_text.strip(" "):
            continue
        members = [char for word, word_chars in line if word["text"] for char in word_chars]
        lines.append({
            "text": line_text.strip(" "),
            "x0": min(char["x0"] for char in members), "top": min(char["top"] for char in members),
            "x1": max(char["x1"] for char in members), "bottom": max(char["bottom"] for char in members),
        })
    return Layout(words, lines, "\n".join(texts))


def text(chars: list[dict]) -> str:
    """pdfplumber's ``extract_text`` on a list of characters (a table cell): unlike a page's,
    its words keep reading order within a line."""
    if not chars:
        return ""
    if not all(char["upright"] for char in chars):
        return plumber.extract_text(chars)
    found = [_word(members) for members in _word_chars(chars)]
    return "\n".join(" ".join(word["text"] for word in line) for line in _cluster(found, "top"))


def _cluster(items: list, key) -> list[list]:
    """pdfplumber's ``cluster_objects``: items whose keys chain within TOLERANCE, in key order,
    each cluster keeping the items' order."""
    get = (lambda item: item[key]) if isinstance(key, str) else key
    keys = [get(item) for item in items]
    values = sorted(set(keys))
    if len(values) == 1:
        return [list(items)]
    cluster_of: dict[float, int] = {}
    cluster, last = -1, None
    for value in values:
        if last is None or value > last + TOLERANCE:
            cluster += 1
        cluster_of[value] = cluster
        last = value
    if cluster == 0:
        return [list(items)]
    clusters: list[list] = [[] for _ in range(cluster + 1)]
    for item, value in zip(items, keys):
        clusters[cluster_of[value]].append(item)
    return clusters


def _by_x0(char: dict) -> float:
    return char["x0"]


def _word_chars(chars: list[dict]) -> list[list[dict]]:
    """The characters of each word: lines of characters (by top), each sorted by x0, cut at
    blank characters and at gaps wider than TOLERANCE (pdfplumber's iter_chars_to_words)."""
    result: list[list[dict]] = []
    for line in _cluster(chars, "top"):
        line.sort(key=_by_x0)
        current: list[dict] = []
        last = None
        for char in line:
            glyph = char["text"]
            if glyph.isspace():
                if current:
                    result.append(current)
                current, last = [], None
            elif glyph == "":  # pdfplumber's split_at_punctuation="" matches the empty text
                if current:
                    result.append(current)
                result.append([char])
                current, last = [], None
            elif last is not None and (
                char["x0"] < last["x0"] or char["x0"] > last["x1"] + TOLERANCE
                or abs(char["top"] - last["top"]) > TOLERANCE
            ):
                result.append(current)
                current, last = [char], char
            else:
                current.append(char)
                last = char
        if current:
            result.append(current)
    return result


def _word(members: list[dict]) -> dict:
    first = members[0]
    x0, x1, top, bottom = first["x0"], first["x1"], first["top"], first["bottom"]
    texts = [first["text"]]
    for char in members[1:]:
        texts.append(char["text"])
        if char["x0"] < x0:
            x0 = char["x0"]
        if char["x1"] > x1:
            x1 = char["x1"]
        if char["top"] < top:
            top = char["top"]
        if char["bottom"] > bottom:
            bottom = char["bottom"]
    word = "".join(texts)
    if not LIGATURE_CHARS.isdisjoint(word):
        word = "".join(LIGATURES.get(text, text or "") for text in texts)
    return {
        "text": word, "x0": x0, "x1": x1, "top": top, "doctop": top + (first["doctop"] - first["top"]),
        "bottom": bottom, "upright": first["upright"], "height": bottom - top, "width": x1 - x0,
        "direction": "ltr",
    }
