"""Split a reason into clauses, and find where the reason starts inside a sentence.

A reason with several causes ("一是…,二是…", "…;同时…", "…导致…") is cut at punctuation
and at the connectives departments use to chain causes, so that each label can point at
the clause that carries it. Offsets are into the normalized text (see normalize.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Punctuation that ends a clause (after NFKC: ascii , ; : ! ?), and connectives that start
# a new one. Enumerations: 一是/二是, 一方面, (1), 1. and 1、 (not 1.5: a number).
_BREAK = re.compile(
    r"[,;:!?。；\n]+"
    r"|(?:其一|其二|其三|[一二三四五六七八九十]是|[一二三四五六七八九十]、|一方面|另一方面"
    r"|\(\d+\)|(?<![\d.])\d+[、.](?!\d)"
    r"|同时|以及|导致|从而|致使|造成|加之|另外|此外|其次|再者|并且)"
)

# Markers after which a sentence gives its reason ("…差异的主要原因是…", "…,主要是…").
_REASON_MARKER = re.compile(
    r"原因(?:主要|都|均)?(?:是|为|系|在于|:)|主要(?:是|系|由于|因为|因|为)(?!\d)|由于|因为|系因|缘于|源于|(?<![一二三四五六七八九十])是因|主要原因(?:是|为|系|在于|:)?"
)
# What follows the reason but is not one: "。主要包括:办公费、…" lists what the money is.
_REASON_END = re.compile(r"。\s*(?:其中|主要包括|主要用于|包括|具体|主要支出)")


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    text: str


def split_clauses(text: str, start: int = 0, end: int | None = None) -> list[Clause]:
    """Clauses of ``text[start:end]`` with their offsets; empty pieces are dropped."""
    end = len(text) if end is None else end
    clauses: list[Clause] = []
    position = start
    for match in _BREAK.finditer(text, start, end):
        _add(clauses, text, position, match.start())
        position = match.end()
    _add(clauses, text, position, end)
    return clauses


def _add(clauses: list[Clause], text: str, start: int, end: int) -> None:
    while start < end and text[start] in " 　":
        start += 1
    while end > start and text[end - 1] in " 　":
        end -= 1
    if end > start:
        clauses.append(Clause(start, end, text[start:end]))


def reason_region(text: str) -> tuple[int, int]:
    """Where the reason is: after the first reason marker (or the whole text), up to a
    trailing "主要包括…" list."""
    marker = _REASON_MARKER.search(text)
    start = marker.end() if marker else 0
    tail = _REASON_END.search(text, start)
    return start, tail.start() if tail else len(text)


def reason_text(text: str) -> str:
    """The part of a normalized sentence the model reads: its reason region."""
    start, end = reason_region(text)
    return text[start:end]


def clause_at(clauses: list[Clause], position: int) -> Clause | None:
    """The clause holding ``position`` (or the nearest one after it)."""
    for clause in clauses:
        if position < clause.end:
            return clause
    return clauses[-1] if clauses else None
