"""The walking skeleton end to end: the real spider crawls the sample portal over HTTP, the
real build fills the archive, and a real Datasette answers its JSON API."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from gongkai.archive import data_dir_for
from conftest import gongkai

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
EXPECTED = json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8"))
ATTACHMENTS = {path.name: path for path in (SAMPLES / "portal").rglob("P0*.*")}


def sha256(name: str) -> str:
    return hashlib.sha256(ATTACHMENTS[name].read_bytes()).hexdigest()


def query(db: Path, sql: str, *params) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def copy_archive(source: Path, target_dir: Path) -> Path:
    copy = target_dir / "archive.db"
    shutil.copy(source, copy)
    shutil.copytree(data_dir_for(source), data_dir_for(copy))
    return copy


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())


def test_crawl_downloads_every_sample_disclosure_and_nothing_else(sample_archive):
    archived = {row[0] for row in query(sample_archive, "SELECT sha256 FROM files")}
    assert archived == {sha256(name) for name in EXPECTED}
    non_disclosures = set(ATTACHMENTS) - set(EXPECTED)
    assert non_disclosures, "the sample portal should hold non-disclosure attachments"
    assert not archived & {sha256(name) for name in non_disclosures}
    for (path,) in query(sample_archive, "SELECT path FROM files"):
        assert (data_dir_for(sample_archive) / path).is_file()


def test_build_fills_the_archive_and_records_the_broken_pdf(sample_archive):
    documents = {row[0]: row[1:] for row in query(
        sample_archive,
        "SELECT sha256, status, error_kind, error_message, doc_type, fiscal_year, department, engine "
        "FROM documents")}
    assert set(documents) == {sha256(name) for name in EXPECTED}
    for name, truth in EXPECTED.items():
        status, error_kind, error_message, doc_type, fiscal_year, department, engine = documents[sha256(name)]
        if "error" in truth:
            assert (status, error_kind, engine) == ("error", truth["error"]["kind"], None)
            assert name in error_message
        else:
            assert status == "ok", error_message
            assert (doc_type, fiscal_year, department) == (
                truth["doc_type"], truth["fiscal_year"], truth["department"])
            assert engine == "pdfium"  # every sample PDF is one PDFium reads
    pages = query(sample_archive, "SELECT count(*) FROM pages")[0][0]
    assert pages == sum(t.get("page_count", 0) for t in EXPECTED.values())


def test_an_explanation_whose_reason_is_staff_increase_carries_its_category(sample_archive):
    labels = query(
        sample_archive,
        """SELECT group_concat(c.label) FROM explanations e
           JOIN explanation_categories c ON c.explanation_id = e.id
           WHERE e.reason = '人员增加' GROUP BY e.id""")
    assert labels and all(row == ("staff_increase",) for row in labels)


def test_build_twice_adds_no_rows(sample_archive, tmp_path):
    copy = copy_archive(sample_archive, tmp_path)
    tables = ["documents", "pages", "sections", "line_items", "explanations",
              "explanation_categories", "findings"]
    count = lambda: {t: query(copy, f"SELECT count(*) FROM {t}")[0][0] for t in tables}
    before = count()
    result = gongkai("build", "--archive", str(copy))
    assert "extracted 0 documents" in result.stdout
    assert count() == before


def test_datasette_serves_documents_and_categories(sample_archive, sample_datasette):
    documents = get_json(f"{sample_datasette}/archive/documents.json?_shape=objects&_size=max")
    assert {row["sha256"] for row in documents["rows"]} == {sha256(name) for name in EXPECTED}
    rows = get_json(f"{sample_datasette}/archive/explanation_facts.json?_shape=array"
                    f"&reason={urllib.parse.quote('人员增加')}")
    assert rows and {label for row in rows for label in json.loads(row["categories"])} == {"staff_increase"}


def test_demo_runs_end_to_end_without_serving(tmp_path):
    result = gongkai("demo", "--no-serve", "--archive", str(tmp_path / "archive.db"))
    assert f"{len(EXPECTED)} documents" in result.stdout
    assert "explanations" in result.stdout
    documents = query(tmp_path / "archive.db", "SELECT count(*) FROM documents WHERE status = 'ok'")
    assert documents[0][0] == sum(1 for t in EXPECTED.values() if "error" not in t)


def test_a_human_correction_survives_re_extraction_by_build(sample_archive, tmp_path):
    copy = copy_archive(sample_archive, tmp_path)
    exported = tmp_path / "labels.csv"
    gongkai("labels", "export", "--archive", str(copy), str(exported))
    with open(exported, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    target = next(row for row in rows if row["reason"] == "财政未及时清算，该项资金已结转下年")
    target["labels"] = "payment_timing;carryover"
    with open(exported, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerow(target)
    training = tmp_path / "reasons.jsonl"
    training.write_text("", encoding="utf-8")
    gongkai("labels", "import", "--archive", str(copy), "--data", str(training), str(exported))
    # an extractor upgrade: every document is extracted again, explanations get new ids
    conn = sqlite3.connect(copy)
    conn.execute("UPDATE documents SET extractor_version = 'previous'")
    conn.commit()
    conn.close()
    gongkai("build", "--archive", str(copy))
    labels = query(copy, """SELECT c.label FROM explanations e JOIN explanation_categories c
                            ON c.explanation_id = e.id
                            WHERE e.reason = ? AND c.source = 'human' ORDER BY c.label""",
                   target["reason"])
    assert [row[0] for row in labels] == ["carryover", "payment_timing"]
    facts = query(copy, "SELECT categories FROM explanation_facts WHERE reason = ?", target["reason"])
    assert facts and all(json.loads(row[0]) == ["carryover", "payment_timing"] for row in facts)


def test_a_researcher_reviews_the_least_sure_labels_first(sample_archive, tmp_path):
    from gongkai import nlp

    copy = copy_archive(sample_archive, tmp_path)
    review = tmp_path / "review.csv"
    gongkai("labels", "review", "--archive", str(copy), "--limit", "4", str(review))
    with open(review, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    explained = query(copy, "SELECT count(DISTINCT explanation_id) FROM explanation_categories")[0][0]
    assert len(rows) == min(4, explained) and rows
    classifier = nlp.load_classifier()
    confidences = [float(row["confidence"]) for row in rows]
    assert confidences == sorted(confidences)
    assert confidences == [classifier.classify(row["reason"])["confidence"] for row in rows]
    # nothing left out is less sure than what was listed
    every = tmp_path / "every.csv"
    gongkai("labels", "review", "--archive", str(copy), "--limit", "1000", str(every))
    with open(every, encoding="utf-8-sig", newline="") as f:
        all_rows = list(csv.DictReader(f))
    assert len(all_rows) == explained
    assert max(confidences) <= min(float(r["confidence"]) for r in all_rows[len(rows):] or [{"confidence": 1}])
    # the researcher corrects the least sure one; import stores it, the next review skips it
    first = dict(rows[0], labels="other" if rows[0]["model_labels"] != "other" else "staff_increase")
    with open(review, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerow(first)
    training = tmp_path / "reasons.jsonl"
    training.write_text("", encoding="utf-8")
    gongkai("labels", "import", "--archive", str(copy), "--data", str(training), str(review))
    human = query(copy, "SELECT label FROM explanation_categories WHERE source = 'human' AND explanation_id = ?",
                  int(first["explanation_id"]))
    assert [row[0] for row in human] == [first["labels"]]
    again = tmp_path / "again.csv"
    gongkai("labels", "review", "--archive", str(copy), "--limit", "1000", str(again))
    with open(again, encoding="utf-8-sig", newline="") as f:
        assert first["explanation_id"] not in {row["explanation_id"] for row in csv.DictReader(f)}


def test_a_build_killed_with_sigkill_is_completed_by_the_next(sample_archive, tmp_path):
    copy = copy_archive(sample_archive, tmp_path)
    tables = ["documents", "pages", "line_items", "explanations", "explanation_categories",
              "findings"]
    count = lambda: {t: query(copy, f"SELECT count(*) FROM {t}")[0][0] for t in tables}
    complete = count()
    conn = sqlite3.connect(copy)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("UPDATE documents SET extractor_version = 'previous'")
    conn.commit()
    conn.close()
    build = subprocess.Popen([sys.executable, "-m", "gongkai", "build", "--archive", str(copy),
                              "--workers", "1"], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    # kill it once it has replaced some documents but not all
    while time.monotonic() < deadline and build.poll() is None:
        done = query(copy, "SELECT count(*) FROM documents WHERE extractor_version != 'previous'")
        if done[0][0] >= 2:
            break
        time.sleep(0.05)
    assert build.poll() is None, "the build finished before it could be killed"
    os.killpg(build.pid, signal.SIGKILL)
    build.wait()
    assert query(copy, "PRAGMA integrity_check") == [("ok",)]
    gongkai("build", "--archive", str(copy))
    assert count() == complete
    assert query(copy, "SELECT count(*) FROM documents WHERE extractor_version = 'previous'") == [(0,)]


def test_datasette_lists_the_least_sure_explanations_first(sample_datasette, sample_archive, tmp_path):
    from conftest import running_datasette
    from gongkai import nlp

    rows = get_json(sample_datasette + "/archive/least_sure_explanations.json?_shape=array")
    stored = query(sample_archive, """SELECT explanation_id, min(confidence) FROM explanation_categories
                                      WHERE source = 'model' GROUP BY explanation_id""")
    assert rows and len(rows) == len(stored)
    confidences = [row["confidence"] for row in rows]
    assert confidences == sorted(confidences)
    # what the build stored is what the classifier says now, and what `labels review` sorts by
    classifier = nlp.load_classifier()
    reasons = dict(query(sample_archive, "SELECT id, coalesce(reason, text) FROM explanations"))
    for row in rows[:10]:
        result = classifier.classify(reasons[row["explanation_id"]])
        assert row["confidence"] == result["confidence"]
        assert json.loads(row["labels"]) == sorted(result["labels"])
    # the page links each row to its document, its page's text and the PDF
    with urllib.request.urlopen(sample_datasette + "/archive/least_sure_explanations", timeout=30) as page:
        html = page.read().decode("utf-8")
    first = rows[0]
    assert f'href="/archive/documents/{first["document_id"]}"' in html
    assert f"/-/files/{first['sha256']}#page={first['page']}" in html
    # a researcher's correction takes the explanation off the list
    copy = copy_archive(sample_archive, tmp_path)
    conn = sqlite3.connect(copy)
    conn.execute("INSERT INTO explanation_categories (explanation_id, label, model_version, source) "
                 "VALUES (?, 'other', 'human', 'human')", (first["explanation_id"],))
    conn.commit()
    conn.close()
    with running_datasette(copy) as base:
        after = get_json(base + "/archive/least_sure_explanations.json?_shape=array")
    assert [row["explanation_id"] for row in after] == [row["explanation_id"] for row in rows[1:]]
