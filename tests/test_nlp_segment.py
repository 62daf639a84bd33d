"""jieba segments fiscal terms whole because the repo's user dictionary is loaded, both
in nlp.segment and in the words the shipped model was trained on."""

import jieba
import pytest

from gongkai import nlp

from gongkai.nlp.model import features
from gongkai.nlp.segment import FISCAL_DICTIONARY, segment

TERMS = ["政务云", "信创", "过紧日子", "机关事业单位基本养老保险缴费", "一般公共预算", "调出", "招录"]


@pytest.fixture(scope="module")
def plain_jieba():
    """jieba with only its own dictionary, for contrast."""
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


@pytest.mark.parametrize("term", TERMS)
def test_terms_come_out_whole(term):
    sentence = f"主要原因是{term}相关经费减少"
    assert term in segment(sentence)


# jieba's HMM happens to keep 信创 whole; these it splits without the dictionary.
@pytest.mark.parametrize("term", ["政务云", "过紧日子", "机关事业单位基本养老保险缴费"])
def test_plain_jieba_splits_them(plain_jieba, term):
    assert term not in plain_jieba.lcut(f"主要原因是{term}相关经费减少")


@pytest.mark.parametrize("term", ["政务云", "信创", "过紧日子"])
def test_shipped_model_reads_the_dictionary_terms_as_words(term):
    model = nlp.load_classifier().model
    assert model is not None, "nlp/model/ should ship a trained model"
    assert term in features(f"信息化{term}项目支出减少")[1]
    assert term in model.vocabulary["words"]  # trained with the dictionary loaded


def test_dictionary_lines_are_well_formed():
    for number, line in enumerate(FISCAL_DICTIONARY.read_text(encoding="utf-8").splitlines(), 1):
        word, frequency, tag = line.split(" ")
        assert word and int(frequency) > 0 and tag.isalpha(), f"line {number}: {line!r}"
