"""The research views over a real archive: effective labels (a human's replace the
model's), main category, multi-label counts, deviations, and every view answering."""

from __future__ import annotations

import json
import shutil

import pytest
from test_publish_records import build_archive

from gongkai.archive import Archive, views


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory):
    return build_archive(tmp_path_factory.mktemp("views") / "archive.db")


@pytest.fixture
def archive(tmp_path, archive_path):
    copy = tmp_path / "archive.db"
    shutil.copy(archive_path, copy)
    with Archive(copy) as opened:
        yield opened


@pytest.mark.parametrize("name", views.VIEWS)
def test_every_view_answers(archive, name):
    assert archive.conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0] > 0


def test_model_labels_count_under_every_category(archive):
    conn = archive.conn
    explanation_id = conn.execute(
        "SELECT explanation_id FROM explanation_categories GROUP BY explanation_id "
        "HAVING group_concat(label) = 'staff_increase' LIMIT 1").fetchone()[0]
    conn.execute("INSERT INTO explanation_categories (explanation_id, label, score, model_version)"
                 " VALUES (?, 'pay_policy', 0.95, 'test')", (explanation_id,))
    category, categories = conn.execute(
        "SELECT category, categories FROM explanation_facts WHERE id = ?",
        (explanation_id,)).fetchone()
    assert category == "pay_policy"  # the most confident
    assert json.loads(categories) == ["pay_policy", "staff_increase"]
    per_label = dict(conn.execute(
        "SELECT category, sum(explanations) FROM category_counts GROUP BY category"))
    expected = dict(conn.execute(
        "SELECT label, count(DISTINCT explanation_id) FROM explanation_categories GROUP BY label"))
    assert per_label == expected


def test_a_human_correction_replaces_the_model_labels(archive):
    conn = archive.conn
    explanation_id = conn.execute(
        "SELECT explanation_id FROM explanation_categories WHERE label = 'staff_increase' "
        "LIMIT 1").fetchone()[0]
    before = dict(conn.execute(
        "SELECT category, sum(explanations) FROM category_counts GROUP BY category"))
    conn.execute("INSERT INTO explanation_categories (explanation_id, label, model_version, source)"
                 " VALUES (?, 'reorganization', 'human', 'human')", (explanation_id,))
    assert conn.execute("SELECT category, categories FROM explanation_facts WHERE id = ?",
                        (explanation_id,)).fetchone() == ("reorganization", '["reorganization"]')
    after = dict(conn.execute(
        "SELECT category, sum(explanations) FROM category_counts GROUP BY category"))
    assert after["staff_increase"] == before["staff_increase"] - 1
    assert after["reorganization"] == before.get("reorganization", 0) + 1


def test_rate_is_computed_when_not_stated(archive):
    rows = archive.conn.execute(
        "SELECT budget, actual, rate FROM explanation_facts WHERE budget IS NOT NULL").fetchall()
    assert rows
    for budget, actual, rate in rows:
        assert rate == pytest.approx(round(actual * 100 / budget, 2))
