"""Text normalization that remembers where every character came from.

PDF text layers give full-width digits and punctuation, spaces inside numbers
("47. 77%", zhongzhan-2023 p.13) and between Chinese characters ("认 真研读"), and line
breaks in the middle of a sentence. Cues and the model see the normalized text; spans
are mapped back to offsets in the caller's text through ``Normalized.offsets``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Characters whose neighbours decide whether a space between them is noise.
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_TIGHT = _CJK + r"0-9.%,;:()\u3001\u3002\u201c\u201d\u300a\u300b"
_NOISE_SPACE = re.compile(rf"(?<=[{_TIGHT}])\s+(?=[{_TIGHT}])")


@dataclass(frozen=True)
class Normalized:
    """Normalized text plus, for each of its characters, the index in the original."""

    text: str
    offsets: tuple[int, ...]  # len(text) + 1 entries; the last is len(original)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map ``[start, end)`` in the normalized text to the original text."""
        if end <= start:
            return self.offsets[start], self.offsets[start]
        return self.offsets[start], self.offsets[end - 1] + 1


def normalize(text: str) -> Normalized:
    """Full width → half width (NFKC), drop spaces inside numbers and between Chinese
    characters and stray line breaks, collapse other whitespace to one space."""
    chars: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        for piece in unicodedata.normalize("NFKC", char):
            chars.append(piece)
            offsets.append(index)
    joined = "".join(chars)
    keep = [True] * len(joined)
    for match in _NOISE_SPACE.finditer(joined):
        for position in range(match.start(), match.end()):
            keep[position] = False
    kept_chars = [c for c, k in zip(joined, keep) if k]
    kept_offsets = [o for o, k in zip(offsets, keep) if k]
    # Collapse remaining whitespace runs to one space, trimming both ends.
    out_chars: list[str] = []
    out_offsets: list[int] = []
    for char, offset in zip(kept_chars, kept_offsets):
        if char.isspace():
            if not out_chars or out_chars[-1] == " ":
                continue
            char = " "
        out_chars.append(char)
        out_offsets.append(offset)
    if out_chars and out_chars[-1] == " ":
        out_chars.pop()
        out_offsets.pop()
    return Normalized("".join(out_chars), tuple(out_offsets) + (len(text),))


def normalize_text(text: str) -> str:
    """Just the normalized string (training data, the segmenter, the baseline)."""
    return normalize(text).text
