"""Measure the extractor against the hand-checked truth of the real corpus (tests/real/).

One truth file per document (``truth/<slug>.yaml``) holds its facts, tables, line items,
explanation statements and the verdict on findings; the PDFs it describes are the published
original (``pdf:``) or the renderings of its published text (``rendered/<slug>.<rendering>.pdf``).
:func:`evaluate` extracts every PDF and scores it field by field; conventions and the truth
format are in tests/real/README.md.  No database, no HTTP: PDF bytes in, scores out.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from urllib.parse import urlsplit

import yaml

FACTS = ["title", "doc_type", "fiscal_year", "department", "region"]
FIGURES = ["budget", "actual", "rate", "change", "change_pct"]
TOLERANCE = 0.005
# A truth statement is found by the most similar extracted statement that covers at least
# MIN_COVERAGE of its text, or that lies inside it (MIN_INSIDE of the extracted text) and is
# at least MIN_PART of its length: a statement extracted without its opening sentence
# ("与上年相比，财政拨款支出增加…" without "…预算支出 24,169.74 万元，占…") is still found.
# One extracted statement matches one truth statement.
MIN_COVERAGE = 0.6
MIN_INSIDE = 0.9
MIN_PART = 0.3
# Fields the floors and the report list, in this order ("x_of" fields are shares of truth
# items; "precision" fields are shares of what the extractor reported).
FIELDS = (
    [f"facts.{name}" for name in FACTS]
    + ["tables.found", "tables.named", "tables.code", "tables.precision"]
    + ["line_items.found", "line_items.precision"]
    + ["explanations.found", "explanations.with_figures", "explanations.with_subject",
       "explanations.with_reason", "explanations.no_difference", "explanations.kind",
       "explanations.precision"]
    + ["findings.precision", "findings.true_found"]
)
COUNTS = ["facts.unsupported", "findings.true", "findings.false", "findings.unreviewed", "findings.duplicates"]
# Counts that must not drop (the others must not rise): true findings reported.
RISING = {"findings.true"}


class CorpusError(Exception):
    """A truth file is malformed or names a PDF that is not there."""


@dataclass
class Case:
    """One PDF to extract and the truth it is scored against."""

    slug: str
    pdf: Path
    rendering: str
    truth: dict


@dataclass
class Tally:
    """Hits over totals per field, and plain counts (findings)."""

    ratios: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    counts: dict = field(default_factory=lambda: defaultdict(int))

    def add(self, name: str, hit: bool | int, total: int = 1) -> None:
        self.ratios[name][0] += int(hit)
        self.ratios[name][1] += total

    def merge(self, other: "Tally") -> None:
        for name, (hit, total) in other.ratios.items():
            self.add(name, hit, total)
        for name, value in other.counts.items():
            self.counts[name] += value

    def as_dict(self) -> dict:
        scores = {}
        for name in FIELDS:
            hit, total = self.ratios.get(name, (0, 0))
            scores[name] = {"score": round(hit / total, 4) if total else None, "hits": hit, "total": total}
        for name in COUNTS:
            scores[name] = self.counts.get(name, 0)
        return scores


# --- loading -----------------------------------------------------------------------------

def load_cases(root: str | Path) -> list[Case]:
    """Every (PDF, truth) pair of the corpus under ``root`` (the folder holding truth/)."""
    root = Path(root)
    truth_dir = root / "truth"
    if not truth_dir.is_dir():
        raise CorpusError(f"{root}: no truth/ folder; give the corpus folder (tests/real)")
    cases = []
    for path in sorted(truth_dir.glob("*.yaml")):
        truth = yaml.safe_load(path.read_text(encoding="utf-8"))
        slug = path.stem
        missing = [key for key in ["province", *FACTS, "explanations"] if key not in truth]
        if missing:
            raise CorpusError(f"{path}: missing {', '.join(missing)}")
        if truth.get("pdf"):
            pdf = root / truth["pdf"]
            if not pdf.is_file():
                raise CorpusError(f"{path}: pdf {truth['pdf']} does not exist")
            cases.append(Case(slug, pdf, "original", truth))
        renderings = sorted((root / "rendered").glob(f"{slug}.*.pdf"))
        for pdf in renderings:
            cases.append(Case(slug, pdf, pdf.name[len(slug) + 1 : -len(".pdf")], truth))
        if not truth.get("pdf") and not renderings:
            raise CorpusError(f"{path}: no pdf and no rendered/{slug}.*.pdf")
    return cases


def published_name(case: Case) -> str:
    """The file name the extractor is given, as the crawler would give it: the name the file
    was published under (``filename:``), else, for a rendered page, the last part of its URL.
    Never our own file name: a slug such as ``gx-wuzhou-1218-2022-yusuan`` would hand the
    extractor a year the text may not print."""
    if case.truth.get("filename"):
        return case.truth["filename"]
    if case.rendering != "original" and case.truth.get("url"):
        stem = Path(urlsplit(case.truth["url"]).path).stem
        if stem:
            return f"{stem}.pdf"
    return "document.pdf" if case.rendering != "original" else case.pdf.name


def _extract(case: Case, engine: str | None = None) -> dict:
    from gongkai import extract

    filename = published_name(case)
    try:
        record = extract.extract_bytes(case.pdf.read_bytes(), filename, engine=engine)
    except Exception as error:  # scored as nothing found; the error is reported
        return {"error": f"{type(error).__name__}: {error}"}
    record.pop("pages", None)
    return record


# --- normalizing ---------------------------------------------------------------------------

_PUNCT = re.compile(r"[\s、，,。．.：:；;“”\"'‘’《》〈〉<>·…—\-]")
_ITEM = re.compile(r"^(?:\d{1,2}[.、]|\(\d{1,2}\)|[一二三四五六七八九十]{1,3}[、.]|\([一二三四五六七八九十]{1,3}\))")


def _flat(text: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def subject_key(text: str | None) -> str:
    """A subject as compared: width, spaces, punctuation, an item number and the words after a
    name that only say which figure it is (预算, 决算数, 预算总额) do not count."""
    key = _PUNCT.sub("", _ITEM.sub("", _flat(text)))
    return re.sub(r"(?<=.{2})(?:预算|决算)(?:数|总额)?$", "", key)


def reason_key(text: str | None) -> str:
    """A reason as compared: width, spaces, edge punctuation, a leading 因/由于 do not count."""
    flat = _flat(text).strip("。.;；,，:： ")
    return re.sub(r"^(?:是|为|系)?(?:由于|因为|因)", "", flat)


def _same_number(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) < TOLERANCE


# --- scoring one document ---------------------------------------------------------------

def score(case: Case, record: dict) -> tuple[Tally, dict]:
    """Tally one extracted record against its truth; the details say what was missed."""
    tally, details = Tally(), {"file": str(case.pdf), "rendering": case.rendering}
    truth = case.truth
    if "error" in record:
        details["error"] = record["error"]
        record = {}
    details["facts"] = _score_facts(truth, record, tally)
    details["tables"] = _score_tables(truth, record, tally)
    details["line_items"] = _score_line_items(truth, record, tally, case.rendering)
    details["explanations"] = _score_explanations(truth, record, tally)
    details["findings"] = _score_findings(truth, record, tally, case.rendering)
    return tally, details


# A place is the same whether its parent is written or not (天津市武清区 / 武清区) and whether
# its level is (儋州市 / 儋州): the suffixes and parents that may be left out.
_LEVEL = r"(?:自治区|自治州|自治县|特别行政区|省|市|州|盟|地区|县|区|旗)"


def region_matches(expected: str, got: str | None) -> bool:
    """The extracted region names the place the truth names (tests/real/README.md)."""
    want, have = _flat(expected), _flat(got)
    if not have:
        return False
    for longer, shorter in ((want, have), (have, want)):
        if longer == shorter:
            return True
        if longer.endswith(shorter) and re.fullmatch(rf"(?:.{{2,}}?{_LEVEL})+", longer[: -len(shorter)]) \
                and re.search(rf"{_LEVEL}$", shorter):
            return True  # a parent written before it
        if re.fullmatch(re.escape(shorter) + _LEVEL, longer) and len(shorter) >= 2:
            return True  # the level left out
    return False


def _score_facts(truth: dict, record: dict, tally: Tally) -> dict:
    """A fact the document prints is scored; one it does not print (truth null) is not, and a
    value reported for it anyway is counted as ``facts.unsupported`` (nothing in the text says
    so: from a slug, a heading or a guess)."""
    wrong = {}
    for name in FACTS:
        got = record.get(name)
        if truth[name] is None:
            if got not in (None, ""):
                tally.counts["facts.unsupported"] += 1
                wrong[name] = {"expected": None, "got": got}
            continue
        expected = [truth[name]] + (truth.get(f"{name}_also") or [])
        if name == "region":
            hit = any(region_matches(value, got) for value in expected)
        elif name in ("title", "department"):
            hit = bool(got) and _flat(got) in {_flat(value) for value in expected}
        else:
            hit = got == truth[name]
        tally.add(f"facts.{name}", hit)
        if not hit:
            wrong[name] = {"expected": truth[name], "got": got}
    return wrong


def _table_number(code: str | None) -> int | None:
    if not code:
        return None
    digits = re.search(r"\d+", code)
    if digits:
        return int(digits.group())
    numerals = re.search(r"[一二三四五六七八九十]+", code)
    if not numerals:
        return None
    text, value = numerals.group(), 0
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (("一二三四五六七八九".index(tens) + 1) if tens else 1) * 10 + (
            "一二三四五六七八九".index(ones) + 1 if ones else 0)
    return "一二三四五六七八九".index(text) + 1 if len(text) == 1 else value


def _score_tables(truth: dict, record: dict, tally: Tally) -> list:
    expected = truth.get("tables") or []
    got = list(record.get("tables") or [])
    used: set[int] = set()
    missed = []
    for table in expected:
        pages = {table["page"], table.get("body_page", table["page"])} if "page" in table else None
        match = None
        for index, candidate in enumerate(got):
            if index in used:
                continue
            if pages is not None and candidate.get("page_start") in pages:
                match = index
                break
            if pages is None and candidate.get("name") == table["name"]:
                match = index
                break
        tally.add("tables.found", match is not None)
        if match is None:
            missed.append({"page": table.get("page"), "printed": table.get("printed"), "missing": True})
            tally.add("tables.named", False)
            tally.add("tables.code", False)
            continue
        used.add(match)
        candidate = got[match]
        named = _flat(candidate.get("name")) == _flat(table.get("name"))
        tally.add("tables.named", named)
        tally.add("tables.code", _table_number(candidate.get("code")) == _table_number(table.get("code")))
        if not named:
            missed.append({"page": table.get("page"), "printed": table.get("printed"),
                           "expected": table.get("name"), "got": candidate.get("name")})
    tally.add("tables.precision", len(used), len(got))
    return missed


def _values(row: dict) -> list[float]:
    """A row's figures: an extracted row's ``values`` (by column), a truth row's ``value`` or
    ``values`` (in print order, null for a blank cell)."""
    values = row["values"] if "values" in row else [row.get("value")]
    if isinstance(values, dict):
        values = list(values.values())
    return [float(value) for value in (values or []) if value is not None]


def _contains(values: list[float], wanted: list[float]) -> bool:
    """Every wanted figure is among the values (each used once)."""
    pool = list(values)
    for figure in wanted:
        match = next((i for i, value in enumerate(pool) if _same_number(value, figure)), None)
        if match is None:
            return False
        pool.pop(match)
    return True


def _line_item_scope(item: dict, rendering: str, by_page: bool):
    """Where a row is: its page in a published PDF, its table in a rendering (pages move)."""
    if by_page and rendering == "original":
        return ("page", item.get("page"))
    return ("table", _flat(item.get("table")))


def _score_line_items(truth: dict, record: dict, tally: Tally, rendering: str) -> list:
    """Rows with a subject code, scored both ways on the tables whose every coded row the truth
    lists: ``found`` (a truth row read with all its figures) and ``precision`` (an extracted row
    of those tables that is a truth row with none of its figures wrong: a wrong value for a
    right code, a row read twice or a row that is not there all count against)."""
    expected = truth.get("line_items") or []
    if not expected:
        return []
    by_page = all("page" in row for row in expected)
    rows = {}
    for row in expected:
        scope = _line_item_scope(row, rendering, by_page)
        rows[(scope, str(row["subject_code"]))] = row
    scopes = {scope for scope, _ in rows}
    got = [item for item in record.get("line_items") or []
           if _line_item_scope(item, rendering, by_page) in scopes and item.get("subject_code")]
    misses, used, precise = [], set(), 0
    for item in got:
        key = (_line_item_scope(item, rendering, by_page), str(item["subject_code"]))
        row = rows.get(key)
        if row is not None and key not in used and _contains(_values(row), _values(item)):
            precise += 1
            used.add(key)
        elif row is not None and key not in used:
            misses.append({"code": key[1], "scope": key[0][1], "expected": _values(row), "got": item.get("values")})
    tally.add("line_items.precision", precise, len(got))
    for key, row in rows.items():
        hit = any((_line_item_scope(item, rendering, by_page), str(item["subject_code"])) == key
                  and _contains(_values(item), _values(row)) for item in got)
        tally.add("line_items.found", hit)
        if not hit and not any(miss["code"] == key[1] and miss["scope"] == key[0][1] for miss in misses):
            misses.append({"code": key[1], "scope": key[0][1], "expected": _values(row), "got": None})
    return misses


def _similar(expected: str, got: str) -> float | None:
    """How alike a truth and an extracted statement are, or None when they are not the same."""
    if not got:
        return None
    matcher = SequenceMatcher(None, expected, got, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    covered, inside = matched / max(len(expected), 1), matched / len(got)
    if covered >= MIN_COVERAGE or (inside >= MIN_INSIDE and len(got) >= MIN_PART * len(expected)):
        return matcher.ratio()
    return None


def match_statements(expected: list[dict], got: list[dict]) -> dict[int, int]:
    """Truth index → extracted index, one to one, best similarity first."""
    pairs = []
    for i, statement in enumerate(expected):
        truth_text = _flat(statement["text"])
        for j, candidate in enumerate(got):
            ratio = _similar(truth_text, _flat(candidate.get("text")))
            if ratio is not None:
                pairs.append((ratio, i, j))
    matches: dict[int, int] = {}
    taken: set[int] = set()
    for _, i, j in sorted(pairs, reverse=True):
        if i not in matches and j not in taken:
            matches[i] = j
            taken.add(j)
    return matches


def subject_matches(expected, got) -> bool:
    accepted = expected if isinstance(expected, list) else [expected]
    if got is None:
        return all(value is None for value in accepted)
    return subject_key(got) in {subject_key(value) for value in accepted if value is not None}


def _score_explanations(truth: dict, record: dict, tally: Tally) -> list:
    expected = truth.get("explanations") or []
    got = record.get("explanations") or []
    matches = match_statements(expected, got)
    misses = []
    for i, statement in enumerate(expected):
        j = matches.get(i)
        found = j is not None
        candidate = got[j] if found else {}
        checks = {
            "with_figures": found and all(_same_number(statement.get(k), candidate.get(k)) for k in FIGURES),
            "with_subject": found and subject_matches(statement.get("subject"), candidate.get("subject")),
            "with_reason": found and reason_key(statement.get("reason")) == reason_key(candidate.get("reason")),
            "no_difference": found and bool(statement.get("no_difference")) == bool(candidate.get("no_difference")),
            "kind": found and statement.get("kind") == candidate.get("kind"),
        }
        tally.add("explanations.found", found)
        for name, hit in checks.items():
            tally.add(f"explanations.{name}", hit)
        wrong = [name for name, hit in checks.items() if not hit]
        if wrong:
            misses.append({"text": statement["text"][:60], "found": found, "wrong": wrong if found else [],
                           "got": {k: candidate.get(k) for k in ["subject", *FIGURES, "reason", "no_difference", "kind"]}
                           if found else None})
    tally.add("explanations.precision", len(matches), len(got))
    return misses


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _finding_numbers(finding: dict) -> list[float]:
    text = (finding.get("message") or "") + " " + json.dumps(finding.get("evidence") or {}, ensure_ascii=False)
    return [float(value) for value in _NUMBER.findall(text.replace(",", ""))]


def finding_verdict(entries: list[dict], finding: dict, rendering: str) -> dict | None:
    """The truth entry that describes an extracted finding, if any: one whose figures its
    message prints before one whose figures only its evidence does (the sentence quoted as
    evidence holds the figures of its other comparisons too)."""
    for numbers in (_finding_numbers({"message": finding.get("message")}), _finding_numbers(finding)):
        entry = _describing(entries, finding, rendering, numbers)
        if entry is not None:
            return entry
    return None


def _describing(entries: list[dict], finding: dict, rendering: str, numbers: list[float]) -> dict | None:
    for entry in entries:
        rules = entry.get("rule")  # absent: a contradiction any rule may report
        if rules is not None and finding.get("rule") not in ([rules] if isinstance(rules, str) else rules):
            continue
        if "page" in entry and rendering == "original" and entry["page"] != finding.get("page"):
            continue
        if all(any(abs(abs(n) - abs(float(x))) < TOLERANCE for n in numbers) for x in entry.get("figures") or []):
            return entry
    return None


def _score_findings(truth: dict, record: dict, tally: Tally, rendering: str) -> list:
    entries = truth.get("findings") or []
    seen: dict[int, int] = defaultdict(int)
    unreviewed = []
    reported: set[tuple] = set()
    for finding in record.get("findings") or []:
        # The same accusation twice (same rule, page and message) is a duplicate.
        key = (finding.get("rule"), finding.get("page"), finding.get("message"))
        if key in reported:
            tally.counts["findings.duplicates"] += 1
        reported.add(key)
        entry = finding_verdict(entries, finding, rendering)
        if entry is None:
            tally.counts["findings.unreviewed"] += 1
            unreviewed.append({k: finding.get(k) for k in ("rule", "page", "message")})
            continue
        seen[id(entry)] += 1
        tally.counts["findings.true" if entry["verdict"] else "findings.false"] += 1
    true_findings = sum(1 for entry in entries if entry["verdict"])
    reported_true = sum(1 for entry in entries if entry["verdict"] and seen[id(entry)])
    false_reported = sum(count for entry in entries if not entry["verdict"] for count in [seen[id(entry)]])
    tally.add("findings.true_found", reported_true, true_findings)
    tally.add("findings.precision", sum(seen[id(e)] for e in entries if e["verdict"]),
              sum(seen[id(e)] for e in entries if e["verdict"]) + false_reported)
    return unreviewed


# --- the whole corpus ----------------------------------------------------------------------

def evaluate(root: str | Path, workers: int | None = None, only: str | None = None,
             engine: str | None = None) -> dict:
    """Extract every PDF of the corpus and score it: overall, per rendering, per province.

    :param root: the corpus folder (tests/real).
    :param workers: extraction processes (default: every core).
    :param only: a regular expression; only cases whose slug or rendering matches it.
    :param engine: force one PDF engine (``pdfium``, ``pdfminer``), to compare them.
    """
    cases = [case for case in load_cases(root)
             if not only or re.search(only, f"{case.slug}.{case.rendering}")]
    workers = workers or os.cpu_count() or 1
    if workers > 1 and len(cases) > 1:
        with ProcessPoolExecutor(workers) as pool:
            records = list(pool.map(_extract, cases, [engine] * len(cases), chunksize=1))
    else:
        records = [_extract(case, engine) for case in cases]
    groups: dict[str, Tally] = defaultdict(Tally)
    documents = []
    for case, record in zip(cases, records):
        tally, details = score(case, record)
        for group in ("all", f"rendering:{case.rendering}", f"province:{case.truth['province']}"):
            groups[group].merge(tally)
        documents.append({"slug": case.slug, **details, "scores": tally.as_dict()})
    return {
        "cases": len(cases),
        "groups": {name: groups[name].as_dict() for name in sorted(groups, key=_group_order)},
        "documents": documents,
    }


def _group_order(name: str) -> tuple:
    return (name != "all", not name.startswith("rendering:"), name)


# --- floors --------------------------------------------------------------------------------

def check_floors(report: dict, floors: dict) -> list[str]:
    """Every field below its floor (and every count above its ceiling, or below its floor for
    the counts that only go up), as sentences."""
    problems = []
    for group, limits in floors.items():
        scores = report["groups"].get(group)
        if scores is None:
            problems.append(f"{group}: no documents in this group")
            continue
        for name, limit in limits.items():
            if name in RISING:
                if scores[name] < limit:
                    problems.append(f"{group} {name} = {scores[name]}, at least {limit} needed")
            elif name in COUNTS:
                if scores[name] > limit:
                    problems.append(f"{group} {name} = {scores[name]}, at most {limit} allowed")
            elif scores[name]["score"] is not None and scores[name]["score"] < limit - 1e-9:
                problems.append(f"{group} {name} = {scores[name]['score']}, floor {limit}")
    return problems


def raised_floors(report: dict, floors: dict) -> dict:
    """The floors with every field raised to today's score (never lowered)."""
    raised = {}
    for group, limits in floors.items():
        scores = report["groups"].get(group, {})
        raised[group] = {}
        for name, limit in limits.items():
            if name in RISING:
                raised[group][name] = max(limit, scores.get(name, limit))
            elif name in COUNTS:
                raised[group][name] = min(limit, scores.get(name, limit))
            else:
                now = (scores.get(name) or {}).get("score")
                raised[group][name] = max(limit, int(now * 1000) / 1000) if now is not None else limit
    return raised


def format_report(report: dict, provinces: bool = True) -> str:
    """The report as plain-text tables: fields by rendering, then by province."""
    groups = report["groups"]
    lines = []
    columns = [name for name in groups if name == "all" or name.startswith("rendering:")]
    lines += _table(groups, columns, FIELDS + COUNTS)
    if provinces:
        lines.append("")
        columns = [name for name in groups if name.startswith("province:")]
        headline = ["facts.department", "facts.fiscal_year", "tables.named", "explanations.found",
                    "explanations.with_figures", "explanations.with_subject", "explanations.with_reason",
                    "explanations.no_difference", "findings.false", "findings.unreviewed"]
        lines += _table(groups, columns, headline)
    return "\n".join(lines)


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _cell(text: str, width: int) -> str:
    return " " * max(0, width - _display_width(text)) + text


def _table(groups: dict, columns: list[str], rows: list[str]) -> list[str]:
    width = max(len(row) for row in rows) + 2
    heads = [name.split(":", 1)[-1] for name in columns]
    cells = [max(8, _display_width(head)) for head in heads]
    out = ["field".ljust(width) + "  ".join(_cell(head, cell) for head, cell in zip(heads, cells))]
    for row in rows:
        values = []
        for name, cell in zip(columns, cells):
            value = groups[name][row]
            if isinstance(value, dict):
                value = "—" if value["score"] is None else f"{value['score']:.3f}"
            values.append(_cell(str(value), cell))
        out.append(row.ljust(width) + "  ".join(values))
    return out
