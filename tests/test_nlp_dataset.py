"""The labelled reasons: enough of them, of every kind, valid against the codebook, with a
stable train/dev split; bad lines are named."""

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from gongkai import nlp

from gongkai.nlp.dataset import REASONS, Example, append_examples, load_examples, split_of, train_dev
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
