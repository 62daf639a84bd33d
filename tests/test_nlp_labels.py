"""Human corrections: set up a real archive with the library, export and import with the
CLI, and check that corrections override the model, survive re-extraction and join the
training data."""

import csv
import json

import pytest
from click.testing import CliRunner

from gongkai import nlp

from gongkai.archive import Archive
from gongkai.cli import main
from gongkai.nlp.dataset import REASONS, load_examples

REASONS_IN_DOCUMENT = [
    ("决算数与年初预算数存在差异的主要原因是人员增加。", "人员增加"),
    ("主要原因是财政未及时清算，该项资金已结转下年。", "财政未及时清算，该项资金已结转下年"),
    ("决算数与年初预算数存在差异的主要原因是人员经费变动。", "人员经费变动"),
]


def record():
    return {"title": "某局2023年度部门决算", "fiscal_year": 2023, "region": "测试区",
            "explanations": [{"kind": "budget_vs_actual", "subject": f"科目{i}", "reason": reason,
                              "text": text} for i, (text, reason) in enumerate(REASONS_IN_DOCUMENT)]}


def categorize(explanation):
    return nlp.categories_for(nlp.load_classifier().classify(explanation["reason"]))


@pytest.fixture
def archive_path(tmp_path):
    path = tmp_path / "archive.db"
    with Archive(path) as archive:
        sha256, _ = archive.store_file(b"%PDF-1.4 test", filename="a.pdf", file_format="pdf")
        archive.save_document(sha256, record(), extractor_version="t", categorize=categorize)
    return path


@pytest.fixture
def training_data(tmp_path):
    path = tmp_path / "reasons.jsonl"
    path.write_text(REASONS.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def run(*args):
    result = CliRunner().invoke(main, list(map(str, args)), catch_exceptions=False)
    return result


def export(archive_path, tmp_path):
    out = tmp_path / "labels.csv"
    result = run("labels", "export", "--archive", archive_path, out)
    assert result.exit_code == 0, result.output
    with open(out, encoding="utf-8-sig", newline="") as f:
        return out, list(csv.DictReader(f))


def write(path, rows):
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def top_categories(archive_path):
    with Archive(archive_path) as archive:
        return {row["reason"]: row["category"] for row in archive.db.query(
            "SELECT reason, category FROM explanation_facts")}


def test_export_lists_model_labels(archive_path, tmp_path):
    _, rows = export(archive_path, tmp_path)
    assert {row["reason"]: row["model_labels"] for row in rows} == {
        "人员增加": "staff_increase", "财政未及时清算，该项资金已结转下年": "payment_timing",
        "人员经费变动": "other"}
    assert all(row["labels"] == row["model_labels"] and len(row["sha256"]) == 64 for row in rows)


def test_import_overrides_model_and_feeds_training(archive_path, tmp_path, training_data):
    out, rows = export(archive_path, tmp_path)
    for row in rows:
        if row["reason"] == "人员经费变动":
            row["labels"] = "pay_policy"
            row["note"] = "正文说明为调资"
    write(out, rows)
    result = run("labels", "import", "--archive", archive_path, "--data", training_data, out)
    assert result.exit_code == 0, result.output
    assert "1 corrections stored, 1 explanations relabelled, 2 rows unchanged, 1 added" in result.output
    assert top_categories(archive_path)["人员经费变动"] == "pay_policy"
    with Archive(archive_path) as archive:
        sources = {(r["label"], r["source"]) for r in archive.db.query(
            "SELECT label, source FROM explanation_categories JOIN explanations "
            "ON explanations.id = explanation_id WHERE reason = '人员经费变动'")}
    assert sources == {("other", "model"), ("pay_policy", "human")}
    learned = {e.text: e for e in load_examples(training_data)}["人员经费变动"]
    assert learned.labels == ("pay_policy",) and learned.source == "human"
    # Importing the same file again changes nothing and appends nothing.
    lines = training_data.read_text(encoding="utf-8").count("\n")
    again = run("labels", "import", "--archive", archive_path, "--data", training_data, out)
    assert "0 added" in again.output
    assert training_data.read_text(encoding="utf-8").count("\n") == lines
    # A re-export shows the human labels as the current ones.
    _, rows = export(archive_path, tmp_path)
    assert {r["reason"]: r["labels"] for r in rows}["人员经费变动"] == "pay_policy"


def test_a_correction_can_be_taken_back(archive_path, tmp_path, training_data):
    out, rows = export(archive_path, tmp_path)
    rows[2]["labels"] = "pay_policy"
    write(out, rows)
    run("labels", "import", "--archive", archive_path, "--data", training_data, out)
    out, rows = export(archive_path, tmp_path)
    rows[2]["labels"] = rows[2]["model_labels"]
    write(out, rows)
    result = run("labels", "import", "--archive", archive_path, "--data", training_data, out)
    assert "1 corrections stored" in result.output
    assert top_categories(archive_path)[rows[2]["reason"]] == rows[2]["model_labels"]
    learned = {e.text: e for e in load_examples(training_data)}[rows[2]["reason"]]
    assert learned.labels == (rows[2]["model_labels"],)


def test_corrections_survive_reextraction(archive_path, tmp_path, training_data):
    out, rows = export(archive_path, tmp_path)
    rows[0]["labels"] = "staff_increase;pay_policy"
    write(out, rows)
    run("labels", "import", "--archive", archive_path, "--data", training_data, out)
    with Archive(archive_path) as archive:
        sha256 = archive.conn.execute("SELECT sha256 FROM documents").fetchone()[0]
        archive.save_document(sha256, record(), extractor_version="t2", categorize=categorize)
        assert archive.apply_corrections() == 1
        labels = [r[0] for r in archive.conn.execute(
            "SELECT label FROM explanation_categories JOIN explanations ON explanations.id = "
            "explanation_id WHERE reason = ? AND source = 'human' ORDER BY label", (rows[0]["reason"],))]
    assert labels == ["pay_policy", "staff_increase"]


@pytest.mark.parametrize("bad, message", [
    ("staff_up", "not codebook keys"),
    ("no_difference;austerity", "must stand alone"),
    ("", "not codebook keys"),
])
def test_bad_rows_are_reported_and_skipped(archive_path, tmp_path, training_data, bad, message):
    out, rows = export(archive_path, tmp_path)
    rows[0]["labels"] = bad
    rows[1]["labels"] = "carryover"
    write(out, rows)
    result = CliRunner().invoke(
        main, ["labels", "import", "--archive", str(archive_path), "--data", str(training_data), str(out)])
    assert result.exit_code == 0
    assert "1 corrections stored" in result.stdout
    assert "skipped line 2" in result.stderr and message in result.stderr


@pytest.mark.parametrize("column, value, message", [
    ("sha256", '"><script>alert(1)</script>' + "a" * 37, "64 hex digits"),
    ("sha256", "0" * 64, "no explanation of document"),
    ("reason", "一个档案里没有的原因", "no explanation of document"),
    ("note", "长" * 2001, "at most 2000"),
], ids=["script-as-sha256", "unknown-file", "unknown-reason", "long-note"])
def test_rows_naming_no_explanation_are_refused(archive_path, tmp_path, training_data, column,
                                                 value, message):
    out, rows = export(archive_path, tmp_path)
    rows[0].update({"labels": "carryover", column: value})
    write(out, rows)
    result = CliRunner().invoke(
        main, ["labels", "import", "--archive", str(archive_path), "--data", str(training_data), str(out)])
    assert result.exit_code == 1 and message in result.stderr
    with Archive(archive_path) as archive:
        assert archive.conn.execute("SELECT count(*) FROM label_corrections").fetchone()[0] == 0


def test_a_malformed_file_is_reported_not_a_crash(archive_path, tmp_path, training_data):
    out, rows = export(archive_path, tmp_path)
    rows[1]["labels"] = "carryover"
    rows[2]["note"] = "x" * 200_000  # past csv's field size limit
    write(out, rows)
    result = CliRunner().invoke(
        main, ["labels", "import", "--archive", str(archive_path), "--data", str(training_data), str(out)])
    assert result.exit_code == 0 and "1 corrections stored" in result.stdout
    assert "line 4 and those after it cannot be read" in result.stderr


def test_categories_for_rows():
    result = nlp.load_classifier().classify("一是人员增加，二是财政未及时清算，结转下年")
    rows = nlp.categories_for(result)
    assert [(r["label"], r["span_start"], r["span_end"]) for r in rows] == [
        ("staff_increase", 2, 6), ("payment_timing", 9, 16)]  # one row per label, first clause
    assert all(r["model_version"] == result["model"] and r["score"] >= 0.5 for r in rows)
    assert json.dumps(rows)
