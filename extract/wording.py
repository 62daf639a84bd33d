"""The words departments print around a gap: comparisons, changes, reasons, no difference.

Shared by the statement parser (explanations.py), subject naming (subjects.py) and the
findings that recheck stated figures.  Amounts are matched with their unit; ``amount_value``
gives them in 万元.
"""

from __future__ import annotations

import re

from .text import NUMBER, parse_number

NUM = rf"({NUMBER})"
_GAP_WORD = r"增加|减少|增长|下降|降低|增减|变动|变化|差异|减支|增支|超支|节支|偏差"
REASON = re.compile(
    rf"(?:(?:{_GAP_WORD}|主要)的?(?:主要)?原因(?:主要)?(?:是|为|在于|如下|有|系)?"
    r"|原因(?:主要)?(?:是|为|在于|如下|有|系)|原因(?=[:：]))[:：]?"
)
# A reason without the word 原因 ("主要是由于人员增加", "，系新增人员所致"), taken only in a
# statement that makes a comparison; "主要用于" says what money is for, which is no reason.
CAUSE = re.compile(
    r"主要(?:是)?(?:由于|因为)|(?:这|这是|是)?由于|是因为|主要系|(?:(?<=[，,；;。])|^)\s*系(?![统列数])"
    r"|主要是(?!指|包括)|主要(?=用于)"
)
# What the money is for is a reason only after the change it accounts for ("增加 1,777.14 万元，
# 增长 903.39%，主要是用于工资福利支出的增加部分": js-shengwei-2018-doc); before it, it
# describes the subject ("一般公共服务（类）支出…，主要用于单位行政运行…。与上年相比…").
USE = re.compile(r"^\s*用于")
NO_DIFFERENCE = re.compile(
    r"(?:无|不存在|没有)(?:明显|较大)?差异|持平|(?:无|没有)增减(?:变化|变动)?|(?:无|没有|未发生|未)变化"
    r"|无变动|保持不变"
    r"|(?:与|和|同)(?:上年|上一年|去年|同期|\d{4}\s*年|年初|全年|调整后|预算|决算)(?![^，,。；;《》]{0,10}?口径)[^，,。；;《》]{0,10}?(?<!不)(?:一致|相同|持平|相等)"
    r"|本年数?等于上年|零增长"
)
ITEM_NUMBER = re.compile(
    r"^\s*(?:\d{1,2}\s*[.、．](?!\d)|[（(]\s*[\d一二三四五六七八九十]{1,3}\s*[)）]|[①-⑳])\s*"
)

YEAR_OVER_YEAR = re.compile(
    r"与上年度?(?:预算|决算)?(?:数)?(?:相比)?|较上年|比上年|上年度相比|同比|较去年|比去年|与去年"
    r"|与\d{4}\s*年度?(?:预算|决算)?(?:数)?相比|比\s*\d{4}\s*年度?|较\s*\d{4}\s*年度?"
    r"|本年数?[大小等高低]于上年|与上年数"
)
BUDGET_VS_ACTUAL = re.compile(
    r"决算数?与(?:年初|全年|调整后)?预算数?|完成(?:了)?(?:年初|全年|调整后)?预算"
    r"|(?:年初|全年)预算(?:数|资金)?(?:为|是)?[-−\d]|执行数|执行率|决算数?[大小]于(?:年初)?预算"
    r"|[较比超](?:年初|全年|调整后)?预算(?!数?为)(?!数?的[^\d])|与(?:年初|全年|调整后)?(?:年度)?预算(?:数)?相比"
    r"|[高低大小]于(?:年初|全年)?预算|[和同](?:年初|全年|调整后)预算"
)
COMPARISON = re.compile(f"{YEAR_OVER_YEAR.pattern}|{BUDGET_VS_ACTUAL.pattern}|预算数|决算数")
SUBJECT_MARK = re.compile(r"[（(]\s*[类款项]\s*[)）]")

AMOUNT = rf"{NUM}\s*(万元|亿元|元)"
BUDGET = re.compile(rf"(?:年初|全年|调整后)?预算(?:数|资金)?(?:为|是|的)?[:：]?{AMOUNT}")
ACTUAL = re.compile(rf"(?:(?:支出)?决算(?:数)?|执行数|实际支出(?:数)?)(?:为|是)?[:：]?{AMOUNT}")
RATE = re.compile(rf"(?:完成(?:了)?(?:年初|全年|调整后)?预算(?:数)?的?|执行率(?:为|是)?){NUM}[%％]")
UP = "增加|增长|上升|超支|增支|增幅|大于上年(?:预算)?数?|高于上年(?:预算)?数?|增"
DOWN = "减少|下降|降低|节约|减支|减幅|降幅|小于上年(?:预算)?数?|低于上年(?:预算)?数?|减"
# "增加（减少）0万元", "增(减)0元": a template's both words, the figure tells which
CHANGE_WORD = rf"[（(]?({UP}|{DOWN})(?:了|为)?[)）]?(?:[（(](?:{UP}|{DOWN})[)）])?(?:幅|额|率)?(?:为)?"
CHANGE = re.compile(rf"{CHANGE_WORD}{AMOUNT}")
CHANGE_PCT = re.compile(rf"{CHANGE_WORD}{NUM}[%％]")
# "较上年减少 18.50 万元（65.37%）": the percentage in brackets after the change.
BRACKETED_PCT = re.compile(rf"{CHANGE_WORD}{AMOUNT}[（(]{NUM}[%％][)）]")
SCALE = {"万元": 1.0, "元": 1e-4, "亿元": 1e4}




def amount_value(number: str, unit: str) -> float | None:
    """A printed amount in 万元 ("2,247.84" 万元, "905709.06" 元 → 90.570906)."""
    value = parse_number(number)
    return None if value is None else round(value * SCALE[unit], 6)


def signed(word: str, value: float | None) -> float | None:
    """A change or change % with the sign its word gives (减少, 下降, 降幅 … negative)."""
    if value and re.fullmatch(DOWN, word):
        return -abs(value)
    return value
