"""The real corpus (tests/real/): its truth is well formed, and extraction stays above the floors.

The truth was read from the documents by hand (tests/real/README.md says how); the floors in
tests/real/floors.json are the scores the extractor has reached, raised as it improves
(``gongkai evaluate-extract tests/real --raise-floors``), never lowered.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from gongkai.cli import main
from gongkai.extract.catalog import BUDGET_NAMES, FINAL_ACCOUNT_NAMES
from gongkai.extract_eval import (
    FACTS, FIGURES, Case, check_floors, evaluate, finding_verdict, load_cases, match_statements, raised_floors,
    published_name, reason_key, region_matches, score, subject_key, subject_matches,
)

CORPUS = Path(__file__).resolve().parent / "real"
# The held-out set (tests/real/heldout/README.md): a corpus of its own layout, measured apart.
HELDOUT = CORPUS / "heldout"
TRUTHS = sorted((CORPUS / "truth").glob("*.yaml")) + sorted((HELDOUT / "truth").glob("*.yaml"))
KINDS = {"budget_vs_actual", "year_over_year", "other"}  # other: the 原因 of one amount, nothing compared


@pytest.fixture(scope="module")
def report():
    return evaluate(CORPUS, workers=2)


def test_extraction_stays_above_the_floors(report):
    floors = json.loads((CORPUS / "floors.json").read_text(encoding="utf-8"))
    problems = check_floors(report, floors)
    assert not problems, "\n".join(problems) + "\n(see tests/real/README.md: a drop is a regression)"


def test_the_held_out_set_stays_above_its_floors():
    """tests/real/heldout joined the corpus after its first measurement: from then on a drop
    there is a regression too."""
    floors = json.loads((HELDOUT / "floors.json").read_text(encoding="utf-8"))
    problems = check_floors(evaluate(HELDOUT, workers=2), floors)
    assert not problems, "\n".join(problems) + "\n(see tests/real/heldout/README.md)"


def test_every_pdf_is_measured(report):
    pdfs = sorted(CORPUS.glob("jiangsu/*.pdf")) + sorted(CORPUS.glob("rendered/*.pdf"))
    assert {Path(doc["file"]).name for doc in report["documents"]} == {pdf.name for pdf in pdfs}
    assert report["cases"] == len(pdfs)


@pytest.mark.parametrize("path", TRUTHS, ids=[path.stem for path in TRUTHS])
def test_truth_is_well_formed(path):
    truth = yaml.safe_load(path.read_text(encoding="utf-8"))
    for name in ["province", "level", "source", *FACTS]:
        assert name in truth, f"{path.name}: no {name}"
    assert truth["doc_type"] in {"预算", "决算", None}  # None: a section that does not say
    standard = set(BUDGET_NAMES) | set(FINAL_ACCOUNT_NAMES)
    for table in truth.get("tables") or []:
        assert table["name"] is None or table["name"] in standard, table
    for statement in truth["explanations"]:
        assert statement["kind"] in KINDS, statement
        assert statement.get("subject"), f"{path.name}: every statement names its subject: {statement['text']}"
        for figure in FIGURES:
            assert statement.get(figure) is None or isinstance(statement[figure], (int, float))
        if statement.get("reason"):  # as printed, inside its statement
            assert reason_key(statement["reason"]) in unicodedata.normalize("NFKC", statement["text"]), statement
        assert statement.get("reason") or statement.get("no_difference"), \
            f"{path.name}: a statement gives a reason or says there is no difference: {statement['text']}"
    for finding in truth.get("findings") or []:
        assert isinstance(finding["verdict"], bool) and finding.get("why"), finding
    rows = truth.get("line_items") or []
    for row in rows:  # placed by page (a published PDF) or by table (a rendering), never both ways in one file
        assert re.fullmatch(r"\d{3}(\d{2}){0,2}", row["subject_code"]), row
        assert ("page" in row) == ("page" in rows[0]) and ("page" in row or row.get("table")), row
        figures = row["values"] if "values" in row else [row["value"]]
        assert figures and all(v is None or isinstance(v, (int, float)) for v in figures), row
    assert len({(row.get("page"), row.get("table"), row["subject_code"]) for row in rows}) == len(rows)


@pytest.mark.parametrize("corpus", [CORPUS, HELDOUT], ids=["corpus", "heldout"])
def test_cases_pair_each_truth_with_its_pdfs(corpus):
    cases = load_cases(corpus)
    assert {case.slug for case in cases} == {path.stem for path in (corpus / "truth").glob("*.yaml")}
    assert all(case.pdf.is_file() for case in cases)


# --- the scorer itself -----------------------------------------------------------------------

@pytest.mark.parametrize("truth,got,same", [
    ("法院（款）行政运行（项）", "法院(款)行政运行(项)", True),           # width of brackets
    ("收、支预算总计", "收支 预算总计", True),                           # punctuation, spaces
    ("1．公共安全（类）", "公共安全（类）", True),                       # an item number
    ("一般公共预算财政拨款支出", "财政拨款支出", False),
    ("“三公”经费预算总额", "“三公”经费", True),                        # words that say which figure
    ("收入预算", "收入", True),
    ("一般公共预算收入", "一般公共收入", False),                        # 预算 inside a name stays
])
def test_subject_comparison(truth, got, same):
    assert (subject_key(truth) == subject_key(got)) is same


def test_subject_may_be_named_two_ways_in_one_statement():
    assert subject_matches(["收、支预算总计", "收入、支出预算总计"], "收入、支出预算总计")
    assert not subject_matches("基本支出", None)


@pytest.mark.parametrize("truth,got,same", [
    ("人员经费增加", "人员经费增加。", True),
    ("因新增机构而增加了在职人数", "新增机构而增加了在职人数", True),
    ("调整社保基数标准", "调整社保基数标", False),                    # cut at a line wrap
])
def test_reason_comparison(truth, got, same):
    assert (reason_key(truth) == reason_key(got)) is same


def test_a_statement_without_its_opening_sentence_is_found_and_one_matches_one():
    truth = [{"text": "省检察院2019年财政拨款预算支出24,169.74万元，占本年支出合计的100%。"
                      "与上年相比，财政拨款支出增加2228.78万元，增长10.15%。主要原因是住房补贴增加。"},
             {"text": "项目支出预算数为4335.3万元。与上年相比减少了1237.7万元。主要原因是压减。"}]
    got = [{"text": "与上年相比，财政拨款支出增加 2228.78万元，增长 10.15 %。主要原因是住房补贴增加。"},
           {"text": "与上年相比，财政拨款支出增加 2228.78万元，增长 10.15 %。主要原因是住房补贴增加。"}]
    assert list(match_statements(truth, got)) == [0]  # found once; the copy is one too many


@pytest.mark.parametrize("truth,got,same", [
    ("重庆市梁平区", "梁平区", True),            # the parent left out
    ("梁平区", "重庆市梁平区", True),            # or written
    ("儋州市", "儋州", True),                    # the level left out
    ("西藏自治区", "西藏", True),
    ("武清区", "清区", False),                   # a piece of a name is not a place
    ("天津市武清区", "纳入天津市武清区", False),  # nor a sentence that holds one
    ("银川市", "银川市西夏区", False),            # a district is not its city
])
def test_region_comparison(truth, got, same):
    assert region_matches(truth, got) is same


def _case(truth: dict, rendering: str = "libreoffice") -> Case:
    base = {"province": "某省", "title": None, "doc_type": None, "fiscal_year": None,
            "department": None, "region": None, "explanations": []}
    return Case("x", Path("x.pdf"), rendering, {**base, **truth})


def test_a_fact_the_text_does_not_print_is_not_scored_and_a_value_for_it_is_counted():
    tally, details = score(_case({"fiscal_year": 2022}), {"fiscal_year": 2022, "department": "纳入某镇人民政府"})
    scores = tally.as_dict()
    assert scores["facts.fiscal_year"] == {"score": 1.0, "hits": 1, "total": 1}
    assert scores["facts.department"]["total"] == 0           # null in the truth: not scored
    assert scores["facts.unsupported"] == 1                   # but reported: counted
    assert details["facts"] == {"department": {"expected": None, "got": "纳入某镇人民政府"}}


def test_line_items_count_a_wrong_value_a_second_reading_and_a_phantom_row_against():
    truth = {"line_items": [{"page": 5, "subject_code": "201", "value": 100.0},
                            {"page": 5, "subject_code": "20101", "values": [60.0, None]},
                            {"page": 5, "subject_code": "20102", "value": 40.0}]}
    got = [{"page": 5, "subject_code": "201", "values": {"金额": 100.0}},
           {"page": 5, "subject_code": "20101", "values": {"金额": 6.0}},       # wrong value
           {"page": 5, "subject_code": "20102", "values": {"金额": 40.0}},
           {"page": 5, "subject_code": "20102", "values": {"金额": 40.0}},      # read twice
           {"page": 5, "subject_code": "20199", "values": {"金额": 1.0}},       # not on the page
           {"page": 6, "subject_code": "301", "values": {"金额": 9.0}}]         # a page the truth leaves out
    scores = score(_case(truth, "original"), {"line_items": got})[0].as_dict()
    assert scores["line_items.found"] == {"score": round(2 / 3, 4), "hits": 2, "total": 3}
    assert scores["line_items.precision"] == {"score": 0.4, "hits": 2, "total": 5}


def test_line_items_of_a_rendering_are_placed_by_their_table():
    truth = {"line_items": [{"table": "一般公共预算财政拨款支出决算表", "subject_code": "201", "values": [9.5, None]}]}
    got = [{"page": 8, "table": "一般公共预算财政拨款支出决算表", "subject_code": "201", "values": {"小计": 9.5}},
           {"page": 5, "table": "收入决算表", "subject_code": "201", "values": {"合计": 7.0}}]
    scores = score(_case(truth), {"line_items": got})[0].as_dict()
    assert scores["line_items.found"]["score"] == scores["line_items.precision"]["score"] == 1.0


def test_the_extractor_is_given_the_name_the_file_was_published_under_never_our_slug():
    page = {"url": "http://www.example.gov.cn/zwgk/t20230114_3346043.html"}
    assert published_name(_case(page)) == "t20230114_3346043.pdf"
    assert published_name(_case({**page, "filename": "2022年部门预算.pdf"})) == "2022年部门预算.pdf"
    assert published_name(_case({}, "original")) == "x.pdf"  # a PDF kept under its published name


def test_finding_verdicts_need_the_rule_page_and_figures():
    entries = [{"rule": "change_pct_mismatch", "page": 22, "figures": [79.05, 865.57], "verdict": True}]
    finding = {"rule": "change_pct_mismatch", "page": 22,
               "message": "stated change 79.05% but 865.57 on a previous amount of 1094.42 is 79.09%"}
    assert finding_verdict(entries, finding, "original") is entries[0]
    assert finding_verdict(entries, {**finding, "page": 23}, "original") is None
    assert finding_verdict(entries, {**finding, "page": 23}, "libreoffice") is entries[0]  # pages move
    assert finding_verdict(entries, {**finding, "message": "stated change 79.05%"}, "original") is None


def test_a_finding_is_described_by_the_entry_its_message_names():
    """cq-fuling-jsz-2020-sangong: both findings quote the same sentence, which holds the figures
    of the other comparison too; each is the entry its own message prints."""
    entries = [{"rule": "change_pct_mismatch", "figures": [43.78, 19], "verdict": True},
               {"rule": "change_pct_mismatch", "figures": [2.2, 4], "verdict": True}]
    text = "经比较2020年度镇本级“三公”经费41万元,较上年减少19万元,下降43.78%,较年初预算数减少4万元,下降2.2%。"
    finding = {"rule": "change_pct_mismatch", "message": "prints a change of -2.2% but 4 on 41 − (-4) = 45 is 8.89%",
               "evidence": {"text": text}}
    assert finding_verdict(entries, finding, "libreoffice") is entries[1]


def test_true_findings_are_a_floor_and_false_ones_a_ceiling():
    report = {"groups": {"all": {"findings.true": 5, "findings.false": 1}}}
    floors = {"all": {"findings.true": 6, "findings.false": 0}}
    assert check_floors(report, floors) == ["all findings.true = 5, at least 6 needed",
                                            "all findings.false = 1, at most 0 allowed"]
    report["groups"]["all"].update({"findings.true": 7, "findings.false": 0})
    assert raised_floors(report, floors) == {"all": {"findings.true": 7, "findings.false": 0}}


def test_cli_reports_and_enforces_floors(tmp_path):
    corpus = tmp_path / "real"
    (corpus / "truth").mkdir(parents=True)
    (corpus / "jiangsu").mkdir()
    slug = "js-shengwei-2019-tables"
    shutil.copy(CORPUS / "truth" / f"{slug}.yaml", corpus / "truth")
    shutil.copy(CORPUS / "jiangsu" / f"{slug}.pdf", corpus / "jiangsu")
    (corpus / "floors.json").write_text(json.dumps({"all": {"facts.department": 0.5, "facts.title": 0.0}}))
    runner = CliRunner()
    result = runner.invoke(main, ["evaluate-extract", str(corpus), "--json", "--workers", "1"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)["groups"]["all"]
    assert scores["facts.department"]["total"] == 1
    assert scores["tables.found"]["total"] == 12

    (corpus / "floors.json").write_text(json.dumps({"all": {"tables.named": 1.01}}))
    result = runner.invoke(main, ["evaluate-extract", str(corpus), "--workers", "1", "--check-floors"])
    assert result.exit_code == 1
    assert "tables.named" in result.output

    (corpus / "floors.json").write_text(json.dumps({"all": {"facts.department": 0.0}}))
    result = runner.invoke(main, ["evaluate-extract", str(corpus), "--workers", "1", "--raise-floors"])
    assert result.exit_code == 0, result.output
    raised = json.loads((corpus / "floors.json").read_text())["all"]["facts.department"]
    assert raised == scores["facts.department"]["score"]


TEXTS = sorted((CORPUS / "texts").glob("*.txt")) + sorted((HELDOUT / "texts").glob("*.txt"))


@pytest.mark.parametrize("rendering", ["libreoffice", "chromium"])
@pytest.mark.parametrize("text", TEXTS, ids=[path.stem for path in TEXTS])
def test_each_text_is_rendered_from_its_current_words(text, rendering):
    """Both renderings exist and carry the text's words (tests/real/render.py was run after an edit)."""
    corpus = text.parent.parent
    pdf = corpus / "rendered" / f"{text.stem}.{rendering}.pdf"
    assert pdf.is_file(), f"run: python tests/real/render.py {corpus}  ({pdf.name} is missing)"
    printed = "".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                     check=True).stdout.split())
    lines = [line for line in text.read_text(encoding="utf-8").splitlines() if line.strip()]
    for line in (lines[0], lines[-1]):
        assert "".join(line.split())[:12] in printed, f"{pdf.name} was rendered from another text"
