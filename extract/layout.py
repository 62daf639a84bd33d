"""Characters into words, lines and text, grouped exactly as pdfplumber groups them.

pdfplumber's text layout (``WordExtractor`` and ``TextMap``, tolerance 3 points across and
down, no layout) is rebuilt for every call, and the text of every table cell is such a call:
with PDFium reading the pages, that was a third of extraction time.  These functions take the
same steps on upright text; a page or cell with turned characters goes to pdfplumber itself.
tests/test_extract_page_layer.py compares both on real pages.
"""

from __future__ import annotations

from functools import cached_property
from operator import itemgetter

from pdfplumber.utils import text as plumber

TOLERANCE = 3.0  # pdfplumber's x_tolerance and y_tolerance
LIGATURES = plumber.LIGATURES
LIGATURE_CHARS = frozenset("".join(LIGATURES))

# A word: (text, x0, top, x1, bottom, its characters).
_TOP = itemgetter(2)
_X0 = itemgetter(1)


class Layout:
    """A page's words (``extract_words``), text lines (``extract_text_lines``) and text
    (``extract_text``), from one pass over its characters."""

    def __init__(self, chars: list[dict]):
        self.chars = chars
        self.upright = all(char["upright"] for char in chars)
        if not self.upright:  # turned text: pdfplumber's own rules
            textmap = plumber.chars_to_textmap(chars)
            self.lines = textmap.extract_text_lines(return_chars=False)
            self.text = textmap.as_string
            return
        self._words = _words(chars)
        # TextMap: words by top, clustered into lines, each line left to right.
        self.lines, texts = [], []
        for line in cluster(sorted(self._words, key=_TOP), _TOP):
            line.sort(key=_X0)
            line_text = ""
            for word in line:  # one space before each word once the line holds a letter
                line_text += (" " if line_text else "") + word[0]
            texts.append(line_text)
            if not line_text.strip(" "):
                continue
            printed = [word for word in line if word[0]]
            self.lines.append({
                "text": line_text.strip(" "),
                "x0": min(word[1] for word in printed), "top": min(word[2] for word in printed),
                "x1": max(word[3] for word in printed), "bottom": max(word[4] for word in printed),
            })
        self.text = "\n".join(texts)

    @cached_property
    def words(self) -> list[dict]:
        """pdfplumber's word dicts (only the pages searched for unruled tables need them)."""
        if not self.upright:
            return plumber.extract_words(self.chars)
        return [
            {"text": text, "x0": x0, "x1": x1, "top": top,
             "doctop": top + (members[0]["doctop"] - members[0]["top"]), "bottom": bottom,
             "upright": True, "height": bottom - top, "width": x1 - x0, "direction": "ltr"}
            for text, x0, top, x1, bottom, members in self._words
        ]


def read(chars: list[dict]) -> Layout:
    """The words, lines and text of a page's characters, as pdfplumber's Page gives them."""
    return Layout(chars)


def text(chars: list[dict]) -> str:
    """pdfplumber's ``extract_text`` on a list of characters (a table cell): unlike a page's,
    its words keep reading order within a line."""
    if not chars:
        return ""
    if not all(char["upright"] for char in chars):
        return plumber.extract_text(chars)
    return "\n".join(" ".join(word[0] for word in line) for line in cluster(_words(chars), _TOP))


def cluster(items: list, key, tolerance: float = TOLERANCE) -> list[list]:
    """pdfplumber's ``cluster_objects``: items whose keys chain within ``tolerance``, in key
    order, each cluster keeping the items' order."""
    keys = [key(item) for item in items]
    values = sorted(set(keys))
    if len(values) <= 1:
        return [list(items)] if items else []
    cluster_of: dict[float, int] = {}
    index, last = 0, values[0]
    for value in values:
        if value > last + tolerance:
            index += 1
        cluster_of[value] = index
        last = value
    if index == 0:
        return [list(items)]
    clusters: list[list] = [[] for _ in range(index + 1)]
    for item, value in zip(items, keys):
        clusters[cluster_of[value]].append(item)
    return clusters


_CHAR_TOP = itemgetter("top")
_CHAR_X0 = itemgetter("x0")


def _words(chars: list[dict]) -> list[tuple]:
    """Words as (text, x0, top, x1, bottom, characters): lines of characters (by top), each
    sorted by x0, cut at blank characters and at gaps wider than TOLERANCE (pdfplumber's
    iter_chars_to_words)."""
    result: list[tuple] = []
    for line in cluster(chars, _CHAR_TOP):
        line.sort(key=_CHAR_X0)
        current: list[dict] = []
        last = None
        for char in line:
            glyph = char["text"]
            if glyph.isspace():
                if current:
                    result.append(_word(current))
                current, last = [], None
            elif glyph == "":  # pdfplumber's split_at_punctuation="" matches the empty text
                if current:
                    result.append(_word(current))
                result.append(_word([char]))
                current, last = [], None
            elif last is not None and (
                char["x0"] < last["x0"] or char["x0"] > last["x1"] + TOLERANCE
                or abs(char["top"] - last["top"]) > TOLERANCE
            ):
                result.append(_word(current))
                current, last = [char], char
            else:
                current.append(char)
                last = char
        if current:
            result.append(_word(current))
    return result


def _word(members: list[dict]) -> tuple:
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
    return (word, x0, top, x1, bottom, members)
