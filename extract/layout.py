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

try:
    from . import _glyphs
except ImportError as error:  # a checkout whose package was installed before _glyphs.c existed
    raise ImportError("extract/_glyphs.c is not built: run `make setup` (or pip install -e .)") from error

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
    order, each cluster keeping the items' order (in C: _glyphs.c)."""
    return _glyphs.cluster(items, [key(item) for item in items], tolerance)


def _words(chars: list[dict]) -> list[tuple]:
    """Words as (text, x0, top, x1, bottom, characters): lines of characters (by top), each
    sorted by x0, cut at blank characters and at gaps wider than TOLERANCE (pdfplumber's
    iter_chars_to_words), in C (_glyphs.c): every page and table cell goes through it."""
    return _glyphs.words(chars, TOLERANCE, LIGATURE_CHARS, LIGATURES)
