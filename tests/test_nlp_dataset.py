"""The labelled reasons: enough of them, of every kind, valid against the codebook, with a
stable train/dev split; bad lines are named."""

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from gongkai import nlp

from gongkai.nlp.dataset import (REAL, REASONS, Example, append_examples, load_examples, load_real,
                                 province_folds, split_of, train_dev)
from gongkai.nlp.evaluate import province_splits
from gongkai.nlp.normalize import normalize_text
from gongkai.nlp.errors import BadTrainingData

CODEBOOK = Path(nlp.__file__).parent / "codebook.md"


@pytest.fixture(scope="module")
def examples():
    return load_examples()


def test_labels_match_the_codebook_table():
    rows = re.findall(r"^\| (\w+) \| ([^|]+) \|", CODEBOOK.read_text(encoding="utf-8"), re.M)
    table = {key: name.strip() for key, name in rows if key != "key"}
    assert list(table) == list(nlp.LABELS)
    assert table == nlp.LABEL_NAMES


def test_enough_examples_of_every_kind(examples):
    assert len(examples) >= 400
    counts = Counter(label for e in examples for label in e.labels)
    assert set(counts) == set(nlp.LABELS)
    assert min(counts.values()) >= 15
    assert sum(len(e.labels) > 1 for e in examples) >= 50, "multi-cause reasons"
    assert sum(bool(re.search(r"\d", e.text)) for e in examples) >= 40, "reasons with numbers"
    assert sum(bool(re.search(r"没有|并非|不是|未发生|无变化", e.text)) for e in examples) >= 10
    assert sum("预算比" in e.text or "年预算" in e.text for e in examples) >= 3, "budget-year wording"
    assert sum(e.source == "sample" for e in examples) >= 5, "sentences of the sample disclosures"


def test_split_is_stable_and_covers_every_label(examples):
    train, dev = train_dev(examples)
    assert len(train) + len(dev) == len(examples)
    assert 0.15 < len(dev) / len(examples) < 0.25
    assert set(nlp.LABELS) == {label for e in dev for label in e.labels}
    assert all(split_of(e.text) == "dev" for e in dev)
    assert split_of("人员增加") == split_of("人员增加 ")  # normalized before hashing


def test_the_hold_out_set_is_apart_from_the_written_examples(examples):
    """The hold-out lines measure phrasings the model was not trained on: a written example
    with the same normalized text would make them a training score (round 7 appended about
    1,100 written examples)."""
    from gongkai.nlp.evaluate import HOLDOUT

    written = {normalize_text(e.text) for e in examples}
    shared = [e.text for e in load_examples(HOLDOUT) if normalize_text(e.text) in written]
    assert not shared


BAD_LINES = [
    ("not json", "not a JSON object"),
    (json.dumps({"labels": ["other"]}), "not a JSON object"),
    (json.dumps({"text": "", "labels": ["other"]}), "empty text"),
    (json.dumps({"text": "人员增加", "labels": ["staff_up"]}), "not codebook keys"),
    (json.dumps({"text": "人员增加", "labels": []}), "not codebook keys"),
    (json.dumps({"text": "持平", "labels": ["no_difference", "austerity"]}), "must stand alone"),
]


@pytest.mark.parametrize("line, message", BAD_LINES)
def test_bad_lines_are_named(tmp_path, line, message):
    path = tmp_path / "reasons.jsonl"
    path.write_text(json.dumps({"text": "调资", "labels": ["pay_policy"]}) + "\n" + line + "\n",
                    encoding="utf-8")
    with pytest.raises(BadTrainingData) as caught:
        load_examples(path)
    assert caught.value.kind == "bad_training_data"
    assert message in str(caught.value) and f"{path}:2" in str(caught.value)


def test_appended_correction_wins(tmp_path):
    path = tmp_path / "reasons.jsonl"
    path.write_text(REASONS.read_text(encoding="utf-8"), encoding="utf-8")
    before = len(load_examples(path))
    append_examples([Example("人员经费变动", ("staff_increase",), "human")], path)
    after = {e.text: e for e in load_examples(path)}
    assert len(after) == before
    assert after["人员经费变动"].labels == ("staff_increase",)
    assert after["人员经费变动"].source == "human"


@pytest.fixture(scope="module")
def real():
    return load_real()


def test_real_reasons_come_from_real_documents_of_many_provinces(real):
    assert len(real) >= 700
    assert len({e.province for e in real}) >= 18
    assert len({e.document for e in real}) >= 60
    assert {e.form for e in real} == {"reason", "sentence"}
    assert all(e.source == "real" and e.province and e.document for e in real)
    counts = Counter(label for e in real for label in e.labels)
    assert sum(n >= 10 for n in counts.values()) >= 12
    records = [json.loads(line) for line in REAL.read_text(encoding="utf-8").splitlines()]
    assert all(r["url"].startswith(("http://", "https://", "samples/source/")) for r in records)
    # a sentence and its reason, as the extractor emits both, carry the same document
    by_document = Counter((e.document, e.form) for e in real)
    assert sum(form == "sentence" for _, form in by_document) >= 60


def test_real_lines_need_a_province_and_a_document(tmp_path):
    path = tmp_path / "real.jsonl"
    path.write_text(json.dumps({"text": "人员增加", "labels": ["staff_increase"], "source": "real"}) + "\n",
                    encoding="utf-8")
    with pytest.raises(BadTrainingData, match="no province or document"):
        load_real(path)


def test_province_groups_hold_every_province_once(real):
    groups = province_folds(real, 5)
    provinces = [p for group in groups for p in group]
    assert sorted(provinces) == sorted({e.province for e in real})
    assert len(provinces) == len(set(provinces))
    assert province_folds(real, 5) == groups  # no randomness


def test_a_tested_province_is_never_trained_on(real, examples):
    groups = province_folds(real, 5)
    for (train, test), provinces in zip(province_splits(examples, real, groups), groups):
        assert test and {e.province for e in test} <= set(provinces)
        assert not {e.province for e in train} & set(provinces)
        assert not {normalize_text(e.text) for e in train} & {normalize_text(e.text) for e in test}
