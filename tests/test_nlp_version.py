"""The classifier version moves with what decides a label (rule tables, decision logic,
fiscal dictionary, labels, model bytes) and stays when only a comment or a docstring
changes, so a build does not re-classify the whole archive for nothing."""

import importlib.util
import sys
from pathlib import Path

import pytest

from gongkai import nlp
from gongkai.nlp.classifier import Classifier
from gongkai.nlp.cues import CUES, CueRules
from gongkai.nlp.version import module_fingerprint

NLP = Path(nlp.__file__).parent


def load_copy(tmp_path, name: str, source: str):
    """Import an edited copy of an nlp/ module as a sibling module (relative imports work)."""
    path = tmp_path / f"{name}.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(f"gongkai.nlp.{name}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


@pytest.mark.parametrize("module", ["rules", "clauses", "classifier", "model"])
def test_comments_docstrings_and_layout_keep_the_fingerprint(tmp_path, module):
    source = (NLP / f"{module}.py").read_text(encoding="utf-8")
    original = load_copy(tmp_path, f"probe_{module}_a", source)
    parts = source.split('"""')
    parts[1], parts[3] = "Edited module docstring. " + parts[1], "Edited docstring. " + parts[3]
    edited = '"""'.join(parts) + "\n\n# a comment added at the end\n"
    edited = edited.replace("\nimport re\n", "\n# why: a comment above an import\nimport re\n\n", 1)
    changed = load_copy(tmp_path, f"probe_{module}_b", edited)
    fingerprint = lambda m: module_fingerprint(m).replace(m.__name__.encode(), b"")
    assert fingerprint(original) == fingerprint(changed)


@pytest.mark.parametrize("module, old, new", [
    ("rules", '"小于|低于|少于|减少', '"小于|低于|少于|短少|减少'),          # a pattern
    ("classifier", "RULE_SCORE = 0.95", "RULE_SCORE = 0.96"),                  # a constant
    ("clauses", "start = marker.end() if marker else 0", "start = marker.start() if marker else 0"),  # logic
    ("model", "NGRAMS = (1, 4)", "NGRAMS = (1, 3)"),                               # how the model reads
    ("decision", "float(evidence.preamble)", "float(not evidence.preamble)"),          # how rules are weighed
])
def test_a_rule_or_logic_change_moves_the_fingerprint(tmp_path, module, old, new):
    source = (NLP / f"{module}.py").read_text(encoding="utf-8")
    assert old in source
    original = load_copy(tmp_path, f"probe_{module}_c", source)
    changed = load_copy(tmp_path, f"probe_{module}_d", source.replace(old, new, 1))
    fingerprint = lambda m: module_fingerprint(m).replace(m.__name__.encode(), b"")
    assert fingerprint(original) != fingerprint(changed)


def test_version_is_stable_and_follows_the_rule_tables_in_use():
    assert Classifier().version == Classifier().version
    nlp.load_classifier()  # loading the model (and jieba's dictionary) changes no rule
    assert Classifier().version == Classifier().version
    more = {**CUES, "austerity": CUES["austerity"] + ["勤俭办事"]}
    assert Classifier(rules=CueRules(more)).version != Classifier().version


def test_the_hybrid_version_follows_how_the_model_reads_a_text(monkeypatch):
    from gongkai.nlp import model as model_module

    shipped = nlp.load_classifier()
    before, rules_alone = Classifier(shipped.model).version, Classifier().version
    assert before == shipped.version
    monkeypatch.setattr(model_module, "NGRAMS", (1, 3))  # same files, other features read
    assert Classifier(shipped.model).version != before
    assert Classifier().version == rules_alone  # the rules alone do not read the model


def test_the_hybrid_version_follows_the_arbiters_weights():
    from gongkai.nlp.decision import Arbiter

    shipped = nlp.load_classifier()
    weights, intercept = shipped.arbiter.weights, shipped.arbiter.intercept
    assert Classifier(shipped.model, arbiter=Arbiter(weights, intercept)).version == shipped.version
    refit = Arbiter(weights[:-1] + [weights[-1] + 0.01], intercept)
    assert Classifier(shipped.model, arbiter=refit).version != shipped.version
