"""The plain baseline: a label when one of its codebook cue words occurs in the text.

It is what the classifier is measured against: the "typical cues" column of
nlp/codebook.md, read as literal substrings (… as a short gap), nothing else. No reason
region, no negation, no codebook rules except that `no_difference` stands alone and
`other` is given when nothing matches.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .labels import LABELS
from .normalize import normalize_text

CODEBOOK = Path(__file__).parent / "codebook.md"


@lru_cache(maxsize=1)
def codebook_cues(path: Path = CODEBOOK) -> dict[str, list[re.Pattern[str]]]:
    """label → the cue words of its codebook row, as patterns."""
    cues: dict[str, list[re.Pattern[str]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0] in LABELS:
            words = [w.strip() for w in cells[3].split(",") if w.strip() not in ("", "—")]
            if not words:
                continue
            cues[cells[0]] = [
                re.compile(".{0,8}".join(re.escape(normalize_text(part)) for part in word.split("…")))
                for word in words
            ]
    return cues


def baseline_labels(text: str) -> list[str]:
    normalized = normalize_text(text)
    found = [label for label, patterns in codebook_cues().items()
             if any(p.search(normalized) for p in patterns)]
    if "no_difference" in found:
        return ["no_difference"]
    return found or ["other"]
