"""The bundled samples and extraction fixtures: reproducible, linked, readable and self-consistent.

Ground truth is checked against the source data it was derived from, and the PDFs are read with
pdfminer (the library extract/ builds on) to prove the text a reader needs is really in them.
"""

import functools
import html
import json
import re
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
import reportlab
import yaml
from pdfminer.high_level import extract_pages, extract_text
from pdfminer.layout import LTChar, LTContainer
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.psparser import PSEOF

from samples.layouts import LAYOUTS
from samples.source import EXPLANATION_FIELDS, load_sources
from samples.truth import cells, parse_number

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
PORTAL = SAMPLES / "portal"
FIXTURES = ROOT / "tests" / "fixtures" / "documents"
SAMPLE_TRUTH = json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8"))
FIXTURE_TRUTH = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
UNRULED_TRUTH = json.loads((FIXTURES / "unruled" / "expected.json").read_text(encoding="utf-8"))
SPREADSHEET_TRUTH = json.loads((FIXTURES / "spreadsheet" / "expected.json").read_text(encoding="utf-8"))
FONT_MAP_TRUTH = json.loads((FIXTURES / "fontmaps" / "expected.json").read_text(encoding="utf-8"))
SOURCES = {source["slug"]: source for source in load_sources()}

SAMPLE_PDFS = sorted(name for name, record in SAMPLE_TRUTH.items() if "error" not in record)
FIXTURE_PDFS = sorted(name for name, record in FIXTURE_TRUTH.items()
                      if "error" not in record and name.endswith(".pdf"))
READABLE = ([PORTAL / "articles" / name for name in SAMPLE_PDFS] + [FIXTURES / name for name in FIXTURE_PDFS]
            + [FIXTURES / "unruled" / name for name in UNRULED_TRUTH])
RECORDS = {**{PORTAL / "articles" / n: SAMPLE_TRUTH[n] for n in SAMPLE_PDFS},
           **{FIXTURES / n: FIXTURE_TRUTH[n] for n in FIXTURE_PDFS},
           **{FIXTURES / "unruled" / n: UNRULED_TRUTH[n] for n in UNRULED_TRUTH}}

# The committed PDFs were drawn by this reportlab; another version may lay glyphs out differently.
RENDERED_WITH = "5.1.0"
same_reportlab = pytest.mark.skipif(reportlab.Version != RENDERED_WITH,
                                    reason=f"committed PDFs come from reportlab {RENDERED_WITH}")
TOLERANCE = 0.01  # per summand: the tables are rounded to the cent (万元) or fen (元)

# Places where a real document does not add up or contradicts itself. They are kept on purpose:
# extract/ must report them as findings. (document, what)
REAL_CONTRADICTIONS = {
    ("zhongzhan-2023-juesuan", "share above 100%: 占支出合计的 599.47%"),
    ("luolong-2024-juesuan", "公开04表 names the department 洛阳市洛龙区政务服务大厅"),
    ("luolong-2024-juesuan", "公开09表 has figures though its 说明 says 无数据"),
}


def squash(text: str) -> str:
    """Text without any whitespace: pdfminer breaks lines where the PDF wraps them."""
    return re.sub(r"\s+", "", text)


@functools.lru_cache(maxsize=None)
def page_texts(path: Path) -> tuple[str, ...]:
    """Text of each page in drawing order, read by pdfminer (once per file, no layout analysis)."""
    return tuple("".join(_chars(page)) for page in extract_pages(path, laparams=None))


def _chars(item):
    if isinstance(item, LTChar):
        yield item.get_text()
    elif isinstance(item, LTContainer):
        for child in item:
            yield from _chars(child)


@same_reportlab
def test_render_reproduces_committed_samples(tmp_path):
    subprocess.run([sys.executable, str(SAMPLES / "render.py"), "--out", str(tmp_path)], check=True,
                   capture_output=True)
    rendered = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    committed = sorted(p.relative_to(SAMPLES) for p in PORTAL.rglob("*") if p.is_file())
    assert rendered == sorted(committed + [Path("expected.json")])
    for relative in rendered:
        assert (tmp_path / relative).read_bytes() == (SAMPLES / relative).read_bytes(), relative


@same_reportlab
def test_make_fixtures_reproduces_the_reportlab_fixtures(tmp_path):
    subprocess.run([sys.executable, str(FIXTURES / "make_fixtures.py"), "--reportlab-only", "--out",
                    str(tmp_path)], check=True, capture_output=True)
    made = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert made == sorted([f"{slug}.reportlab.pdf" for slug in SOURCES]
                          + ["unruled/zhongzhan-2023-juesuan.unruled.pdf", "unruled/expected.json",
                             "empty.pdf", "not-a-pdf.pdf", "truncated.pdf"])
    for name in made:
        assert (tmp_path / name).read_bytes() == (FIXTURES / name).read_bytes(), name


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.append(dict(attrs)["href"])


def links(page: Path) -> list[str]:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.hrefs


@pytest.mark.parametrize("page", sorted(PORTAL.rglob("*.html")), ids=lambda p: p.name)
def test_every_portal_link_resolves(page):
    for href in links(page):
        if href.startswith(("http://", "https://")):
            assert "127.0.0.1" not in href and "localhost" not in href
            continue
        assert (page.parent / href).resolve().is_file(), f"{page.name}: {href}"


def test_portal_reaches_every_attachment_through_its_pagination():
    seen, queue, attachments = set(), [PORTAL / "index.html"], set()
    while queue:
        page = queue.pop()
        if page in seen:
            continue
        seen.add(page)
        for href in links(page):
            target = (page.parent / href).resolve()
            if target.suffix == ".html" and target.is_relative_to(PORTAL):
                queue.append(target)
            elif target.suffix in (".pdf", ".docx"):
                attachments.add(target.name)
    assert PORTAL / "index_1.html" in seen
    files = {p.name for p in (PORTAL / "articles").iterdir() if p.suffix in (".pdf", ".docx")}
    assert attachments == files
    assert set(SAMPLE_TRUTH) <= files
    assert {"P020240318402211.pdf", "P020240506330918.docx"} <= files - set(SAMPLE_TRUTH)


def test_article_link_text_names_the_disclosure():
    for name, record in SAMPLE_TRUTH.items():
        page = (PORTAL / "articles" / f"{record['slug']}.html").read_text(encoding="utf-8")
        assert f'href="./{name}">{record["title"]}.pdf</a>' in page
        assert record["doc_type"] in record["title"]


@pytest.mark.parametrize("path", READABLE, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_pdf_opens_with_text_on_every_page(path):
    texts = page_texts(path)
    assert len(texts) == RECORDS[path]["page_count"]
    assert all(squash(text) for text in texts), [n for n, t in enumerate(texts, 1) if not squash(t)]
    assert "(cid:" not in "".join(texts)


@pytest.mark.parametrize("path", READABLE, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_pdfminer_finds_the_key_sentences_tables_and_explanation_pages(path):
    record = RECORDS[path]
    texts = [squash(text) for text in page_texts(path)]
    whole = "".join(texts)
    for sentence in record["key_sentences"]:
        assert squash(sentence) in whole, sentence
    for table in record["tables"]:
        assert squash(table["printed_name"]) in texts[table["page_start"] - 1], table["name"]
    for explanation in record["explanations"]:
        near = "".join(texts[explanation["page"] - 1:explanation["page"] + 1])
        assert squash(explanation["reason"] or explanation["subject"]) in near, explanation


def test_named_reasons_are_in_the_pdfs():
    yanshi = squash("".join(page_texts(PORTAL / "articles" / "P020241015387162.pdf")))
    assert "主要原因是人员增加" in yanshi
    budget = squash("".join(page_texts(PORTAL / "articles" / "P020250214563187.pdf")))
    assert "与2024年预算相比，收支总计各减少371.11万元，下降56.15%。主要原因：减少项目经费支出。" in budget


@pytest.mark.parametrize("name, kind", [("empty.pdf", "empty"), ("not-a-pdf.pdf", "not_pdf"),
                                        ("truncated.pdf", "truncated"), ("scanned.pdf", "no_text_layer"),
                                        ("encrypted-user-password.pdf", "encrypted")])
def test_bad_fixtures_are_bad_in_the_way_their_truth_says(name, kind):
    data = (FIXTURES / name).read_bytes()
    assert FIXTURE_TRUTH[name]["error"]["kind"] == kind
    if kind == "empty":
        assert data == b""
    elif kind == "not_pdf":
        assert not data.startswith(b"%PDF") and b"<html" in data
    elif kind == "truncated":
        assert data.startswith(b"%PDF") and b"%%EOF" not in data
        with pytest.raises((PSEOF, Exception)):
            extract_text(FIXTURES / name)
    elif kind == "no_text_layer":
        assert squash(extract_text(FIXTURES / name)) == ""
        assert data.count(b"/Subtype /Image") >= 6
    else:
        with pytest.raises(PDFPasswordIncorrect):
            extract_text(FIXTURES / name)
        assert "许昌市公共资源交易中心" in extract_text(FIXTURES / name, password=FIXTURE_TRUTH[name]["user_password"])


def test_owner_password_pdf_is_restricted_but_readable():
    data = (FIXTURES / "owner-password-only.pdf").read_bytes()
    assert b"/Encrypt" in data
    assert "新调入及招录13人" in squash("".join(page_texts(FIXTURES / "owner-password-only.pdf")))


# ---- ground truth consistency, from the source data ----

def table_rows(source: dict, key: str) -> list[list]:
    block = next((b for b in source["body"] if b.get("table") == key), None)
    return [cells(row) for row in (block.get("rows") or [])] if block else []


def value(text) -> float:
    return parse_number(text) or 0.0


def subject_table_rows(source: dict, key: str):
    """(code, name, values) for every row of a subject-coded table; 预算 codes are joined."""
    layout = LAYOUTS[key]
    split = layout.label_columns == (0, 1, 2, 3)
    out = []
    for row in table_rows(source, key):
        code = "".join(row[:3]) if split else row[0]
        name = row[3] if split else row[1]
        labels = 4 if split else 2
        out.append((code.strip(), name.strip() or (row[0] if not split else ""), [value(v) for v in row[labels:]]))
    return out


SUBJECT_TABLES = [(slug, key) for slug, source in SOURCES.items()
                  for key in ("juesuan02", "juesuan03", "juesuan05", "yusuan02", "yusuan03", "yusuan05")
                  if table_rows(source, key)]


@pytest.mark.parametrize("slug, key", SUBJECT_TABLES)
def test_subject_tables_add_up(slug, key):
    """合计 = Σ 类, 类 = Σ 款, 款 = Σ 项 in every column, as a real document's tables do."""
    rows = subject_table_rows(SOURCES[slug], key)
    total = next(values for code, name, values in rows if "合计" in (code, name) or code == "合计")
    coded = [(code, values) for code, name, values in rows if code.isdigit()]
    for parent_len, child_len in ((None, 3), (3, 5), (5, 7)):
        parents = [(c, v) for c, v in coded if len(c) == parent_len] if parent_len else [("", total)]
        for parent, expected in parents:
            children = [v for c, v in coded if len(c) == child_len and c.startswith(parent)]
            if not children:
                continue
            for column, amount in enumerate(expected):
                summed = sum(child[column] for child in children)
                assert abs(summed - amount) <= TOLERANCE * len(children) + 1e-9, (parent or "合计", column)


@pytest.mark.parametrize("slug", [s for s in SOURCES if table_rows(SOURCES[s], "juesuan03")])
def test_expense_rows_split_into_basic_and_project(slug):
    for code, name, values in subject_table_rows(SOURCES[slug], "juesuan03"):
        assert abs(values[0] - sum(values[1:])) <= 0.011, (code, name)


@pytest.mark.parametrize("slug", [s for s in SOURCES if table_rows(SOURCES[s], "juesuan06")])
def test_basic_expense_detail_adds_up(slug):
    """公开06表: each 类 is the sum of its 款; 人员经费 = 301+303, 公用经费 = 302+307+310+399."""
    rows = table_rows(SOURCES[slug], "juesuan06")
    entries = {}
    for row in rows[:-1]:
        for c in (0, 3, 6):
            if row[c].strip().isdigit():
                entries[row[c].strip()] = value(row[c + 2])
    for code, amount in entries.items():
        if len(code) == 3:
            children = [v for c, v in entries.items() if len(c) == 5 and c.startswith(code)]
            assert abs(sum(children) - amount) <= TOLERANCE * max(len(children), 1), code
    staff, office = value(rows[-1][2]), value(rows[-1][8])
    assert abs(staff - entries["301"] - entries["303"]) <= 0.02
    assert abs(office - sum(entries.get(c, 0) for c in ("302", "307", "310", "399"))) <= 0.02


@pytest.mark.parametrize("slug", SOURCES)
def test_totals_match_their_tables(slug):
    source = SOURCES[slug]
    record = next(r for r in SAMPLE_TRUTH.values() if r.get("slug") == slug)
    totals = record["totals"]
    scale = 10000 if source["unit"] == "元" else 1
    assert totals["expense_total"] == pytest.approx(totals["basic_expense"] + totals["project_expense"], abs=0.011)
    key = "juesuan03" if source["doc_type"] == "决算" else "yusuan03"
    total_row = subject_table_rows(source, key)[0]
    assert total_row[2][0] / scale == pytest.approx(totals["expense_total"], abs=1e-6)
    assert len(record["tables"]) == sum("table" in block for block in source["body"])
    if source["doc_type"] == "决算":
        assert [t["code"] for t in record["tables"]] == [f"公开{n:02d}表" for n in range(1, 10)]


EXPLANATIONS = [(slug, n, e) for slug, source in SOURCES.items()
                for n, e in enumerate(e for b in source["body"] for e in b.get("explanations", []))]


@pytest.mark.parametrize("slug, number, explanation", EXPLANATIONS, ids=lambda v: str(v)[:20])
def test_explanation_agrees_with_its_own_sentence(slug, number, explanation):
    paragraph = next(b["p"] for b in SOURCES[slug]["body"] if explanation in b.get("explanations", []))
    assert set(explanation) <= set(EXPLANATION_FIELDS)
    assert explanation["kind"] in ("budget_vs_actual", "year_over_year", "other")
    assert explanation["no_difference"] or explanation["reason"]
    if explanation["reason"]:
        assert re.search(r"原因(是|为|：)\s*" + re.escape(explanation["reason"]) + "[。；]", paragraph)
    if explanation["no_difference"]:  # said in words, or a budget and an actual both at 0
        assert re.search("无差异|不存在差异|无变化", paragraph) or (
            explanation["budget"] == explanation["actual"] == 0), paragraph
    printed = squash(paragraph)
    for field in ("budget", "actual", "rate", "change", "change_pct"):
        if explanation.get(field) is not None:
            number = abs(explanation[field])
            assert any(f in printed for f in (f"{number:.2f}", f"{number:g}", f"{number:.1f}")), field
    budget, actual, rate = explanation.get("budget"), explanation.get("actual"), explanation.get("rate")
    if budget and actual is not None and rate is not None:
        assert actual / budget * 100 == pytest.approx(rate, abs=0.01)
    if explanation["subject"] and "项)" in explanation["subject"].replace("）", ")"):
        item = explanation["subject"].replace("(", "（").replace(")", "）").split("（款）")[-1].removesuffix("（项）")
        amounts = [values[0] / (10000 if SOURCES[slug]["unit"] == "元" else 1)
                   for code, name, values in subject_table_rows(SOURCES[slug], "juesuan05")
                   if len(code) == 7 and name.replace("(", "（").replace(")", "）") == item]
        assert any(abs(a - actual) <= 0.0051 for a in amounts), (item, amounts)


def test_real_contradictions_are_kept():
    zhongzhan = "".join(b.get("p", "") for b in SOURCES["zhongzhan-2023-juesuan"]["body"])
    assert "占支出合计的 599.47%" in zhongzhan
    luolong = yaml.safe_load((SAMPLES / "source" / "luolong-2024-juesuan.yaml").read_text(encoding="utf-8"))
    assert any(b.get("label") == "部门：洛阳市洛龙区政务服务大厅" for b in luolong["body"])
    assert table_rows(luolong, "juesuan09")[0][0] == "1.50"
    assert len(REAL_CONTRADICTIONS) == 3


def test_fixture_truth_matches_sample_truth_apart_from_pages():
    for name, record in {**FIXTURE_TRUTH, **UNRULED_TRUTH}.items():
        if "error" in record:
            continue
        sample = next(r for r in SAMPLE_TRUTH.values() if r.get("slug") == record["slug"])
        for field in ("doc_type", "fiscal_year", "department", "region", "totals", "unit", "key_sentences"):
            assert record[field] == sample[field], (name, field)
        strip = lambda items: [{k: v for k, v in i.items() if k not in ("page", "page_start", "page_end")}
                               for i in items]  # noqa: E731
        assert strip(record["explanations"]) == strip(sample["explanations"])
        assert strip(record["tables"]) == strip(sample["tables"])


def test_readmes_describe_every_sample_and_fixture():
    samples_readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
    for name in list(SAMPLE_TRUTH) + ["P020240318402211.pdf", "P020240506330918.docx"]:
        assert f"`{name}`" in samples_readme, name
    fixtures_readme = (FIXTURES / "README.md").read_text(encoding="utf-8")
    for name in FIXTURE_TRUTH:
        assert name in fixtures_readme or (name.endswith((".reportlab.pdf", ".libreoffice.pdf"))
                                          and "`<slug>." + name.split(".", 1)[1] + "`" in fixtures_readme), name


def test_spreadsheet_fixture_is_a_workbook_with_one_sheet_per_table():
    (name, record), = SPREADSHEET_TRUTH.items()
    with zipfile.ZipFile(FIXTURES / "spreadsheet" / name) as workbook:
        sheets = re.findall(r'<sheet name="([^"]+)"', workbook.read("xl/workbook.xml").decode("utf-8"))
        shared = workbook.read("xl/sharedStrings.xml").decode("utf-8")
    assert [html.unescape(s) for s in sheets] == [t["name"] for t in record["tables"]]
    assert "许昌市公共资源交易中心" in shared and record["format"] == "xlsx"
    sample = next(r for r in SAMPLE_TRUTH.values() if r.get("slug") == record["slug"])
    assert record["totals"] == sample["totals"] and record["explanations"] == []
    assert [t["rows"] for t in record["tables"]] == [t["rows"] for t in sample["tables"]]


def test_radical_fixture_reads_as_radicals_and_maps_back_to_the_truth():
    name = "yanshi-2024-juesuan.radicals.pdf"
    record = FONT_MAP_TRUTH[name]
    text = squash("".join(page_texts(FIXTURES / "fontmaps" / name)))
    assert "部\u2ed4" in text and "\u2f08员" in text and "部门" not in text
    assert all("\u2e80" <= radical <= "\u2fdf" for radical in record["radicals"])
    restored = text.translate(str.maketrans(record["radicals"]))
    for sentence in record["key_sentences"]:
        assert squash(sentence) in restored, sentence


def test_missing_tounicode_fixture_yields_cid_glyphs_only_on_table_pages():
    name = "yanshi-2024-juesuan.no-tounicode.pdf"
    record = FONT_MAP_TRUTH[name]
    texts = page_texts(FIXTURES / "fontmaps" / name)
    assert len(texts) == record["page_count"]
    cid_pages = [number for number, text in enumerate(texts, 1) if "(cid:" in text]
    assert cid_pages == record["cid_pages"]
    readable = squash("".join(t for n, t in enumerate(texts, 1) if n not in cid_pages))
    for sentence in record["key_sentences"]:
        assert squash(sentence) in readable, sentence
