"""The linear model: seeded training gives identical files, a saved model loads back with
the same scores, and the classifier version follows the model and the rules."""

import hashlib
import shutil

import pytest

from gongkai import nlp

from gongkai.nlp.classifier import Classifier, load_classifier
from gongkai.nlp.errors import ModelMissing
from gongkai.nlp.dataset import Example, load_examples, load_real, train_dev
from gongkai.nlp.decision import DECISION, PEOPLE, Evidence
from gongkai.nlp.model import MODEL_DIR, LinearModel, document_weights, features, figures_masked, model_text, train
from gongkai.nlp.normalize import normalize_text
from gongkai.nlp.rules import apply_rules

TEXTS = ["人员增加", "信创项目和政务云项目经费支出减少", "严控支出", "主要用于日常运转"]


def digest(directory):
    h = hashlib.sha256()
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(directory)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def small_examples():
    train_part, _ = train_dev(load_examples())
    return train_part[::4]


def test_retrain_gives_the_same_model(tmp_path, small_examples):
    train(small_examples, tmp_path / "a")
    train(small_examples, tmp_path / "b")
    assert digest(tmp_path / "a") == digest(tmp_path / "b")


def test_saved_model_loads_with_the_same_scores(tmp_path, small_examples):
    trained = train(small_examples, tmp_path / "m")
    loaded = LinearModel.load(tmp_path / "m")
    texts = [model_text(t) for t in TEXTS]
    assert trained.scores(texts) == loaded.scores(texts)
    assert set(loaded.scores(texts)[0]) == set(nlp.LABELS)


def test_shipped_model_is_small_and_loads():
    size = sum(p.stat().st_size for p in MODEL_DIR.rglob("*") if p.is_file())
    assert size < 5_000_000
    classifier = load_classifier()
    assert classifier.model is not None and classifier.version.startswith("hybrid-")
    assert load_classifier() is classifier  # cached


def test_version_follows_the_model(tmp_path, small_examples):
    shutil.copytree(MODEL_DIR, tmp_path / "same")
    assert load_classifier(str(tmp_path / "same")).version == load_classifier().version
    train(small_examples, tmp_path / "other")
    shutil.copy(MODEL_DIR / DECISION, tmp_path / "other" / DECISION)
    assert load_classifier(str(tmp_path / "other")).version != load_classifier().version
    assert Classifier().version.startswith("rules-")
    assert Classifier().version != load_classifier().version


def test_a_model_without_its_own_arbiter_is_refused(tmp_path, small_examples):
    """An arbiter is fitted on one model's out-of-fold scores: weighing another model's scores
    with it (the shipped one, silently, before) would give labels nobody measured."""
    train(small_examples, tmp_path / "m")
    with pytest.raises(ModelMissing) as caught:
        load_classifier(str(tmp_path / "m"))
    assert DECISION in str(caught.value) and "gongkai train" in str(caught.value)


@pytest.mark.parametrize("text", ["一是人员增加3人,二是办公费减少", "人员经费增加", "在职人员减少"])
def test_evidence_is_read_from_the_rules_in_one_place(text):
    """The classifier, the arbiter's fit and scripts/unread_rules.py all take the evidence
    from Evidence.of(rule result), which counts the people itself."""
    result = apply_rules(normalize_text(text), Classifier().rules)
    evidence = Evidence.of(result)
    assert evidence.people == bool(PEOPLE.search(normalize_text(text)))
    assert Classifier().evidence(text) == evidence


# A department's own figures are not cause words: the model reads them masked, a zero stays
# a zero (预算为0万元 is no gap, codebook rule 11).
@pytest.mark.parametrize("one, other", [
    ("2019年度增加培训费12.5万元,完成预算的85.3%", "2023年度增加培训费3万元,完成预算的101%"),
    ("公务接待费支出减少1,264元", "公务接待费支出减少57元"),
])
def test_the_model_reads_no_figures(one, other):
    assert features(model_text(one)) == features(model_text(other))
    assert "#" in figures_masked(model_text(one)) and "85" not in figures_masked(model_text(one))


def test_a_zero_is_not_masked():
    assert figures_masked("预算为0.00万元,与上年相比无变化") == "预算为0元,与上年相比无变化"
    assert features("预算为0万元") != features("预算为5万元")


def test_wording_of_one_document_alone_is_no_feature():
    """A feature must come from two documents: a department's project name, repeated in its
    own reasons, says nothing about the next province's wording."""
    own = [Example(f"云平台租赁费项目经费减少{i}", ("project_decrease",), "real", "江苏", "a.pdf") for i in range(3)]
    shared = [Example("公务用车减少", ("operating_costs",), "real", province, f"{province}.pdf")
              for province in ("河南", "安徽")]
    model = train(own + shared + [Example("人员增加", ("staff_increase",))] * 2)
    assert "租赁" not in model.vocabulary["chars"] and "云平台" not in model.vocabulary["words"]
    assert "公务" in model.vocabulary["chars"] and "减少" in model.vocabulary["chars"]


# A two-cause reason: the model reads each clause as well as the whole, so the thin label's
# clause ("调整支出科目") is not drowned by its partner's words.
def test_a_label_carried_by_one_clause_scores_as_that_clause():
    model = load_classifier().model
    text = "办公楼维修改造工程增加,调整支出科目"
    whole, = model.scores([text])
    clauses = model.scores(["办公楼维修改造工程增加", "调整支出科目"])
    assert whole["accounting_reclass"] >= 0.5
    for label in nlp.LABELS:
        if label not in ("no_difference", "other"):  # these two speak of the whole text
            assert whole[label] >= max(clause[label] for clause in clauses)


# The model alone may not contradict the direction the text states (项目 leans to
# project_decrease in the data; "项目增多" says the opposite), nor give a direction the
# text does not state (a written reason of the dev split the model read as a project cut).
@pytest.mark.parametrize("text, wrong", [
    ("项目增多", "project_decrease"),
    ("新建项目", "project_decrease"),
    ("人员有所减少", "staff_increase"),
    ("支出用途详见项目说明", "project_decrease"),
])
def test_model_labels_respect_the_stated_direction(text, wrong):
    assert wrong not in load_classifier().classify(text)["labels"]


def test_broken_model_is_named(tmp_path):
    shutil.copytree(MODEL_DIR, tmp_path / "broken")
    (tmp_path / "broken" / "weights.npy").write_bytes(b"truncated")
    with pytest.raises(ModelMissing) as caught:
        LinearModel.load(tmp_path / "broken")
    assert caught.value.kind == "model_missing" and "gongkai train" in str(caught.value)


# Phrasings no cue rule matches (the rules alone say `other`); the model knows them, and the
# arbiter trusts it there.
@pytest.mark.parametrize("text, label", [
    ("改在单位资金中列支", "accounting_reclass"),
    ("部分支出改在单位资金中列支", "accounting_reclass"),
])
def test_model_handles_wording_the_rules_do_not_know(text, label):
    assert Classifier().classify(text)["labels"] == ["other"]
    result = load_classifier().classify(text)
    assert result["labels"] == [label]
    assert result["spans"] == [{"start": 0, "end": len(text), "label": label}]


# New bond quota is money added in the year (nlp/data/README.md, round-4 coding conventions):
# `unbudgeted`, a project only where one is named (福建 2019 预算调整, real.jsonl corpus-4).
BOND = "今年在预算执行过程中,因增加地方政府债券资金等因 素,使本年预算收支与年初预算相比发生变化。"


def test_new_bond_quota_is_money_added_in_the_year():
    assert any(e.text == BOND and e.labels == ("unbudgeted",) for e in load_real())
    assert Classifier().classify(BOND)["labels"] == ["unbudgeted"]
    result = load_classifier().classify(BOND)
    assert result["labels"] == ["unbudgeted"]
    assert result["spans"][0]["label"] == "unbudgeted" and "债券" in BOND[result["spans"][0]["start"]:result["spans"][0]["end"]]


def test_one_documents_many_reasons_weigh_as_the_square_root_of_their_count():
    examples = [Example("人员增加", ("staff_increase",))] + [
        Example(f"项目{i}减少", ("project_decrease",), "real", "江苏", "a.pdf") for i in range(9)] + [
        Example("调资", ("pay_policy",), "real", "河南", "b.pdf")]
    weights = document_weights(examples)
    assert sum(weights) == pytest.approx(len(examples))
    assert weights[1] * 3 == pytest.approx(weights[-1]) == pytest.approx(weights[0])
    real = load_real()
    jiangsu = [w for e, w in zip(real, document_weights(real)) if e.province == "江苏"]
    others = [w for e, w in zip(real, document_weights(real)) if e.province != "江苏"]
    # 江苏's budgets give dozens of reasons each: their share of the weight is well under their
    # share of the texts (equal weights would make the two the same); the share of texts itself
    # falls as whole documents of other provinces are added (0.38 early in round 6, 0.30 at its end,
    # under 0.25 in round 7 once corpus4's 重庆 batches were in)
    share = len(jiangsu) / len(real)
    assert share > 0.20 and sum(jiangsu) / (sum(jiangsu) + sum(others)) < share * 0.6


# A real reason of a mid-year budget adjustment (real.jsonl, corpus-4) whose wording no rule knew
# when the model learned it; round 6 gave its family a cue (the treasury under strain), so the
# model alone is what is tested here.
UNREAD = [
    ("受经济下行、国家节能限电、土地交易市场低迷等多重因素影响,全市财政收支压力艰巨,形势严峻",
     "fiscal_tightness", "广西"),
]


@pytest.mark.slow
def test_a_model_that_never_saw_the_province_labels_wording_no_rule_knows():
    real = load_real()
    for text, label, province in UNREAD:
        assert any(e.text == text and e.labels == (label,) and e.province == province for e in real)
    held = {province for _, _, province in UNREAD} | {"江苏"}  # 江苏 out too: half the texts, twice the time
    model = train(load_examples() + [e for e in real if e.province not in held])
    for text, label, _ in UNREAD:
        scores = model.scores([model_text(text)])[0]
        assert max(scores, key=scores.get) == label and scores[label] >= 0.5
