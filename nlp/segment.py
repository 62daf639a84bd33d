"""Chinese word segmentation with jieba and the fiscal user dictionary kept in the repo.

jieba's own dictionary splits fiscal terms (政务云 → 政务/云, 信创 → 信/创, 过紧日子 →
过紧/日子), which scatters the evidence the model learns from. The dictionary is loaded
into the global ``jieba`` module once, before the first text is segmented.
"""

from __future__ import annotations

import logging
from pathlib import Path

FISCAL_DICTIONARY = Path(__file__).parent / "data" / "fiscal_dict.txt"
_loaded: list[Path] = []


def load_fiscal_dictionary(path: Path = FISCAL_DICTIONARY) -> None:
    """Add the fiscal terms to jieba's global dictionary (once per process)."""
    if path in _loaded:
        return
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.load_userdict(str(path))
    _loaded.append(path)


def segment(text: str) -> list[str]:
    """Words of ``text`` as the model sees them."""
    import jieba

    load_fiscal_dictionary()
    return [word for word in jieba.cut(text, cut_all=False) if word.strip()]
