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
    # "减少原因原因是" (the word printed twice), "下降的主要原因都是" (one reason for every item)
    rf"(?:(?:{_GAP_WORD}|主要)的?(?:主要)?原因(?:原因)?(?:主要)?(?:都|均)?(?:是|为|在于|如下|有|系)?"
    r"|原因(?:主要)?(?:都|均)?(?:是|为|在于|如下|有|系)|原因(?=[:：])"
    # a report quoting the department's own explanation: "该部门对此解释为,…", "情况表中解释称,…"
    r"|解释(?:为|称)(?=[:：，,]|[\u4e00-\u9fff])"
    # "…决算小于预算数的主要情况：…" (广东): what a gap comes from, named after the gap
    r"|(?<=[于加少长降平数额])的主要情况(?=[:：])"
    # a bare 原因 opening a clause after the figures: "减少率35.22%,原因执行八项规定"
    r"|(?:(?<=[，,；;])|^)\s*原因(?=[\u4e00-\u9fff])(?![是为在如有系主])"
    r")[:：]?"
)
_INFLUENCE = r"[^，,。；;]{1,40}?影响"
_CLAUSE_START = r"(?:(?<=[，,；;。])|^)\s*(?:[一二三四五六七八九十]是)?"
# A reason without the word 原因 ("主要是由于人员增加", "，系新增人员所致"), taken only in a
# statement that makes a comparison; "主要用于" says what money is for, which is no reason.
CAUSE = re.compile(
    r"主要(?:是)?(?:由于|因为)|(?:这|这是|是)?由于|是因为|主要系|(?:(?<=[，,；;。])|^)\s*系(?![统列数])"
    r"|主要是(?!指|包括)|主要(?=用于)"
    # what a gap comes from, named before or after it as 由于 is: "主要受出国(境)费标准调整…等因素影响",
    # "受…清算因素影响,预测税收分成收入增加3,392万元", "四是因政府性基金收入短收,…减少5000万元";
    # 因公出国, 因此 and 因而 are no cause
    rf"|主要(?=受{_INFLUENCE})|{_CLAUSE_START}(?=受{_INFLUENCE})|{_CLAUSE_START}因(?![公此而素])"
    # a report of what was learnt, then its consequence: "据了解,白云区…设立了食品药品监督管理所,所以增加…"
    r"|(?:(?<=[。；;])|^)\s*据(?:了解|介绍|悉)[，,](?=[^。！？；;]*?[，,]\s*(?:故|所以|因此|因而))"
)
# A cause opening a sentence and the change it brought, joined by 故/所以/因此/因而: "因本年度我单位下属
# 大瑶山林场增加一个车辆编制,故我单位2018年车编费增加2万元" (乐昌市林业局), "据了解,…,所以增加…"
CONSEQUENCE = re.compile(r"[，,]\s*(?:故|所以|因此|因而)")
# A report of the department's own words opening the sentence after a comparison it explains: "…比2010年
# 预算数减少22.9万元。该部表示,今年「三公经费」预算严格控制在…之内" (环境保护部 2011, 文汇报); "据了解,…"
REPORT = re.compile(
    r"\s*(?:(?:该|其|此|这)?[\u4e00-\u9fff“”]{0,10}?(?:部|局|委|办|院|厅|署|会|中心|部门|单位|负责人)"
    r"(?:有关负责人|相关负责人|负责人)?(?:表示|称|解释说|解释称|说明|介绍)|据(?:了解|介绍|悉))[，,:：]\s*"
)
# ...and when it opens a sentence, only as the cause of the comparison that follows in it: after a
# comparison, "因我县财力不足,因公出(境)国、公务接待费没预算" says why other items have no budget
# (cq-lagm-2017-sangong), not why the one before fell.
OPENING_CAUSE = re.compile(rf"\s*(?:[一二三四五六七八九十]是)?(?:因(?![公此而素])|受{_INFLUENCE})")
# What the money is for is a reason only after the change it accounts for ("增加 1,777.14 万元，
# 增长 903.39%，主要是用于工资福利支出的增加部分": js-shengwei-2018-doc); before it, it
# describes the subject ("一般公共服务（类）支出…，主要用于单位行政运行…。与上年相比…").
USE = re.compile(r"^\s*用于")
# ...and after a cause it ends the cause: "增人增资,主要用于保障学校本年度在职人员工资福利…" (what the
# money pays for, the boilerplate of 重庆 school budgets; the reason region of codebook rule 12)
USE_AFTER = re.compile(r"\s*[，,；;]\s*主要(?:是)?用于")
NO_DIFFERENCE = re.compile(
    r"(?:无|不存在|没有)(?:明显|较大)?差异|持平|(?:无|没有)增减(?:变化|变动)?|(?:无|没有|未发生|未)变化"
    r"|无变动|保持不变"
    r"|(?:与|和|同)(?:上年|上一年|去年|同期|\d{4}\s*年|年初|全年|调整后|预算|决算)(?![^，,。；;《》]{0,10}?口径)[^，,。；;《》]{0,10}?(?<!不)(?:一致|相同|持平|相等)"
    r"|本年数?等于上年|零增长|(?:决算数?|支出)?等于(?:年初|全年|调整后)?预算"
    # nothing in either year, said in words: "上年与本年均无因公出国(境)情况", "2013年也未安排"
    r"|(?:\d{4}\s*年度?|上年|本年)[^，,。；;]{0,6}?(?:也|均|都)(?:未安排|无|没有|未发生)"
)
ITEM_NUMBER = re.compile(
    r"^\s*(?:\d{1,2}\s*(?:[.．](?!\d)|、)|[（(]\s*[\d一二三四五六七八九十]{1,3}\s*[)）]|[①-⑳])\s*"
)

YEAR_OVER_YEAR = re.compile(
    r"与上年度?(?:预算|决算)?(?:数)?(?:相比)?|较上年|比上年|上年度相比|同比|较去年|比去年|与去年"
    r"|与\d{4}\s*年度?(?:预算|决算)?(?:数)?相比|比\s*\d{4}\s*年度?|较\s*\d{4}\s*年度?"
    r"|本年数?[大小等高低]于上年|与上年数|[大小高低多少]于上年"
    r"|相比\s*(?:上年|\d{4}\s*年度?)|\d{4}\s*年度?相比|对比(?=增|减|下降|上升)"
    # a comparison with last year's figure printed in its place: "较20155.88万元增加了0.51万元"
    r"|(?<![经比])较(?=\d[\d.,]*\s*(?:万元|元|亿元))"
)
BUDGET_VS_ACTUAL = re.compile(
    r"决算数?与(?:年初|全年|调整后)?预算数?|完成(?:了)?(?:年初|全年|调整后)?预算"
    r"|(?:年初|全年)预算(?:数|资金)?(?:为|是)?[-−\d]|执行数|执行率|决算数?[大小等]于(?:年初|全年)?预算"
    r"|[较比超](?:年初|全年|调整后)?预算(?!数?为)(?!数?的[^\d])|与(?:年初|全年|调整后)?(?:年度)?预算(?:数)?相比"
    r"|[高低大小]于(?:年初|全年)?预算|[和同](?:年初|全年|调整后)预算"
)
COMPARISON = re.compile(f"{YEAR_OVER_YEAR.pattern}|{BUDGET_VS_ACTUAL.pattern}|预算数|决算数")
SUBJECT_MARK = re.compile(r"[（(]\s*[类款项]\s*[)）]")

# "4.66万," and "38万。" leave 元 out; 万 before another word (万人次) is no amount.
AMOUNT = rf"{NUM}\s*(万元|亿元|元|万(?![\u4e00-\u9fff\d]))"
BUDGET = re.compile(rf"(?:年初|全年|调整后)?预算(?:数|资金)?(?:为|是|的)?[:：]?{AMOUNT}")
# "年初预算为0.95万元,差值为0.95万元": the gap printed without its sign (华龙区)
DIFFERENCE = re.compile(rf"差(?:值|额)(?:为|是)?[:：]?{AMOUNT}")
ACTUAL = re.compile(rf"(?:(?:支出)?决算(?:数)?|执行数|实际支出(?:数)?)(?:为|是)?[:：]?{AMOUNT}")
# "完成全年预算84.82万元的73.2%" prints the budget inside the rate
RATE = re.compile(rf"(?:完成(?:了)?(?:年初|全年|调整后)?预算(?:数)?(?:{NUMBER}\s*(?:万元|亿元|元))?的?|执行率(?:为|是)?){NUM}[%％]")
UP = "增加|增长|上升|超支|增支|增幅|大于上年(?:预算)?数?|高于上年(?:预算)?数?|增"
DOWN = "减少|下降|降低|节约|减支|减幅|降幅|小于上年(?:预算)?数?|低于上年(?:预算)?数?|减"
# "增加（减少）0万元", "增(减)0元": a template's both words, the figure tells which
CHANGE_WORD = rf"[（(]?({UP}|{DOWN})(?:了|为)?[)）]?(?:[（(](?:{UP}|{DOWN})[)）])?(?:幅|额|率)?(?:为)?"
CHANGE = re.compile(rf"{CHANGE_WORD}{AMOUNT}")
CHANGE_PCT = re.compile(rf"{CHANGE_WORD}{NUM}[%％]")
# "较上年减少 18.50 万元（65.37%）": the percentage in brackets after the change.
BRACKETED_PCT = re.compile(rf"{CHANGE_WORD}{AMOUNT}[（(]{NUM}[%％][)）]")
# A change printed verb first, the item between the verb and the amount ("压缩公务接待费52万元",
# "增加购置公务执法车经费324万元"): news quoting a department; the item ends like money (费, 经费, 支出, 资金).
OBJECT_CHANGE = re.compile(
    rf"(?P<verb>增加|减少|压缩|压减|节约|节省|核减|削减)(?P<object>[\u4e00-\u9fff“”\"]{{1,12}}?(?:费|经费|支出|资金))"
    rf"(?:预算)?{AMOUNT}")
SCALE = {"万元": 1.0, "万": 1.0, "元": 1e-4, "亿元": 1e4}
# A cause printed right after a change with no word for "reason", in two forms only: 为 naming what
# the change is ("增加23.4万元,为新增单位…的车辆运行费", "减少9亿元,为正常对账调整"), and a clause that
# says what was done ("同比减少144.92万元,各部门单位贯彻落实…规定,采取措施,降低支出").  Never 为
# after an amount that is no change ("收入382.17万元,为市本级财政当年拨付的资金" defines it) nor
# 为 giving a share or rank ("为上年的105%", "为历年最低").
AFTER_CHANGE = re.compile(
    rf"{CHANGE_WORD}(?:{AMOUNT}|{NUM}[%％])[)）]?\s*[，,]\s*"
    r"(?P<cause>(?:主要)?为(?![\d了止何]|历年|近|同期|上年|去年|全年|年初|调整|预算|决算|最|零|此|[负正](?:增长|数)|本级)"
    r"|(?=(?:(?:各|我|本)[\u4e00-\u9fff]{0,4}?(?:单位|部门|局|委|办|院|镇|乡|街道))?(?:严格|认真|贯彻|厉行|压减|压缩|严控))"
    # numbered causes with no marker: "减少105.5万元,一是民政部采取措施厉行节约,…;二是受…影响,…" (民政部 2013)
    r"|(?=一是[^。！？]*?[，,；;]\s*二是))"
)




def amount_value(number: str, unit: str) -> float | None:
    """A printed amount in 万元 ("2,247.84" 万元, "905709.06" 元 → 90.570906)."""
    value = parse_number(number)
    return None if value is None else round(value * SCALE[unit], 6)


def signed(word: str, value: float | None) -> float | None:
    """A change or change % with the sign its word gives (减少, 下降, 降幅 … negative)."""
    if value and re.fullmatch(DOWN, word):
        return -abs(value)
    return value
