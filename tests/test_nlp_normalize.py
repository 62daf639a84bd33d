"""Normalization of PDF text, and clause spans pointing back into the caller's text."""

import pytest

from gongkai import nlp

from gongkai.nlp.clauses import split_clauses

NORMALIZE_CASES = [
    ("新调入及招录１３人", "新调入及招录13人"),
    ("预算调整 率 47. 77%", "预算调整率47.77%"),
    ("认 真研读\n细则", "认真研读细则"),
    ("主要原因是人员增加。\r\n", "主要原因是人员增加。"),
    ("（项）财政拨款，", "(项)财政拨款,"),
    ("  use  of   PDF ", "use of PDF"),
    ("", ""),
]


@pytest.mark.parametrize("raw, expected", NORMALIZE_CASES)
def test_normalize(raw, expected):
    normalized = nlp.normalize(raw)
    assert normalized.text == expected
    assert len(normalized.offsets) == len(normalized.text) + 1
    for position, char in enumerate(normalized.text):
        original = raw[normalized.offsets[position]]
        assert nlp.normalize_text(original) in (char, "") or char == " "


CLAUSE_CASES = [
    ("一是新建平台服务项目支出减少,二是部分办公费用年底未支付完成,国库退回",
     ["新建平台服务项目支出减少", "部分办公费用年底未支付完成", "国库退回"]),
    ("人员增加;同时公用经费上涨", ["人员增加", "公用经费上涨"]),
    ("机构改革以及人员调出", ["机构改革", "人员调出"]),
    ("新调入及招录13人导致人员经费增加", ["新调入及招录13人", "人员经费增加"]),
    ("(1)调资;(2)人员增加", ["调资", "人员增加"]),
    ("完成预算的58.62%", ["完成预算的58.62%"]),
]


@pytest.mark.parametrize("text, expected", CLAUSE_CASES)
def test_split_clauses(text, expected):
    assert [clause.text for clause in split_clauses(text)] == expected


SPAN_CASES = [
    ("信创项目和政务云项目经费支出减少，新调入及招录１３人导致人员经费增加",
     {"project_decrease": "信创项目和政务云项目经费支出减少", "staff_increase": "新调入及招录１３人"}),
    ("决算数与预算数存在差异的主要原因是：一是人员 增加；二是财政未及时\n清算",
     {"staff_increase": "人员 增加", "payment_timing": "财政未及时\n清算"}),
]


@pytest.mark.parametrize("text, expected", SPAN_CASES)
def test_spans_point_into_the_input(text, expected):
    result = nlp.load_classifier().classify(text)
    found = {span["label"]: text[span["start"]:span["end"]] for span in result["spans"]}
    assert found == expected
