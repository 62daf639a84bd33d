"""What an explanation statement explains, named as the document names it.

A numbered item's 类/款/项 chain ("政协事务（款）行政运行（项）"), else the words before the
amount a clause states ("项目支出预算数为 4,968.34 万元" → 项目支出) or before its comparison
("工资福利支出较上年增…"), else the words between the comparison and its verb ("与上年相比，
财政拨款收、支总计各增加…").  The department, the year and words that only say which figure
follows (预算数为, 支出决算, 均为) are left out.
"""

from __future__ import annotations

import re

from .text import NUMBER, compact
from .wording import COMPARISON, DOWN, ITEM_NUMBER, NO_DIFFERENCE, SUBJECT_MARK, UP, YEAR_OVER_YEAR

_LEADING = re.compile(
    r"^(?:经比较|经汇总|经统计|其中|此外|另外|同时|具体情况如下|具体如下|安排|使用)?[:：，,]?\s*"
    r"(?:(?:截至|截止)?\s*\d{4}\s*年(?:度|末|底)?[，,]?\s*)?(?:本部门|本单位|我部门|我单位|我局|本局|本年度?|当年)*\s*"
    # "本部门本年度无因公出国(境)支出,较上年无变化": what there is none of is the subject
    r"(?:(?:无|没有)(?!形))?"
)
# Words after a subject that only say which figure follows: "预算数为", "支出决算", "均为"; a
# 费 item's "预算支出" ("公务接待费预算支出 397.5 万元").  "一般公共预算收入预算" stays whole.
_TRAILING = [
    re.compile(r"(?:年初|全年|调整后)?(?:预算|决算)(?:数|资金)?(?:为|是)$"),
    re.compile(r"(?:年初|全年|调整后)?(?:预算|决算)数$"),
    re.compile(r"(?<=支出)(?:预算|决算)$"),
    # "公务用车购置预算支出" → 公务用车购置; "财政拨款预算支出" → 财政拨款支出
    re.compile(r"(?<=费|用|置)(?:预算|决算)支出(?:数|为|数为)?$"),
    re.compile(r"(?<!支出)(?<!支)(?:预算|决算)(?=支出(?:数|为|数为)?$)"),
    # a 费 item's 支出 says which figure ("公务接待费支出决算"); "公务用车购置支出" is the name
    re.compile(r"(?<=费)支出(?:预算|决算)?数?(?:为)?$"),
    re.compile(r"(?:预算)?(?:拨入|安排)$"),
    re.compile(rf"(?:均|各)(?:{UP}|{DOWN})$"),  # "收、支总计各减少"
    re.compile(r"(?:较|比|与)(?:上年度?|去年|同期)$"),  # "收入较去年"
    re.compile(r"(?<=费)(?:预算|决算)$"),
    re.compile(r"(?:均|各|合计|总额|共计|累计)?(?:为|是)?(?:[\d.,]+(?:万元|元)?)?$"),
    re.compile(r"(?<=支出)(?:数|为|数为)$"),
    re.compile(r"(?:支出)?(?:年初|全年|调整后)(?:预算|决算)(?:资金)?$"),
    re.compile(r"(?:决算数?|预算数?)?(?:大于|小于|等于|高于|低于)$"),
    re.compile(r"[：:（(]$"),
    re.compile(r"(?<=[\u4e00-\u9fff]{2})完成$"),  # a budget report's "增值税完成423.5亿元"
]
# A department printed short before the subject ("省检察院一般公共预算机关运行经费"), or
# the sentence's own framing ("…一般公共预算拨款安排的会议费").
_ORGAN_BEFORE = re.compile(
    r"^.*?(?:院|厅|局|委|办|会|中心|部门|单位|本级)"
    r"(?=一般公共|财政拨款|政府性基金|国有资本|[“\"]?三公|机关运行|基本支出|项目支出|人员经费|公用经费|单位预留|收入|支出|收、支)"
)
_VERB = rf"(?:各|均)?(?:{UP}|{DOWN}|增减|持平|无|没有|未|保持|一致|与|相比)"


def subject(texts: list[str], department: str | None, marked: str | None = None,
            generic: bool = False) -> str | None:
    """What the statement explains, as printed: a numbered item's 类/款/项 text, or the
    words naming the amount compared (收、支总计, 基本支出, 人员经费, 公务接待费 …).

    :param texts: the statement's clauses, the last one without its reason.
    :param marked: the last clause up to the end of its reason marker ("…增长的原因主要是").
    :param generic: a bare 收入 / 支出 is the subject when nothing names it better
        ("收入较去年增加785.67万元", "支出比上年增加42.5%").
    """
    flat = compact(ITEM_NUMBER.sub("", texts[0], count=1))
    marks = list(SUBJECT_MARK.finditer(flat))
    if marks and marks[0].start() < 40:
        return flat[: marks[-1].end()]
    before_reason = named_before_reason(compact(marked or texts[-1]), department)
    if before_reason:
        return before_reason  # "公务用车购置增长的原因主要是…", "…支出决算数大于预算数的主要原因是…"
    heading = re.fullmatch(r"([^，,。；;：:\d]{2,20}(?:费|支出|收入|资金))[。：:]", flat)
    if ITEM_NUMBER.match(texts[0]) and heading and _valid(heading.group(1)) \
            and not (COMPARISON.search(heading.group(1)) or NO_DIFFERENCE.search(heading.group(1))):
        return heading.group(1)  # "(一)因公出国(境)费。支出预算0万元，与2021年相比持平…"
    plain = None  # a bare 收入 / 支出, kept in case nothing names the amount better
    flats = [ITEM_NUMBER.sub("", compact(text), count=1) for text in reversed(texts)]
    for flat in flats:  # the amount a clause states, latest clause first
        for found in _named_amounts(flat):
            cleaned = _clean(found, department)
            if _valid(cleaned):
                return cleaned
            plain = plain or _plain(found, department)
    for flat in flats:  # "与上年相比，财政拨款收、支总计各增加…"
        after = re.search(
            rf"(?:{YEAR_OVER_YEAR.pattern}|与(?:年初|全年|调整后)?预算(?:数)?相比)[，,]?(?P<s>[^，,。；;\d]{{2,30}}?){_VERB}", flat
        )
        if after:
            cleaned = _clean(after.group("s"), department)
            if _valid(cleaned):
                return cleaned
            plain = _plain(after.group("s"), department) or plain  # "比上年收入增加50.8%" names it
    for flat in flats:  # "公务接待费预算无变化"
        before_same = re.match(rf"(?P<s>[^，,。；;：:\d]{{2,30}}?)(?:{NO_DIFFERENCE.pattern})", flat)
        if before_same and not COMPARISON.search(before_same.group("s")) \
                and _valid(_clean(before_same.group("s"), department)):
            return _clean(before_same.group("s"), department)
    for flat in flats:  # "上年与本年均无因公出国(境)情况", "2013年也未安排出国(境)经费预算"
        absent = re.search(r"(?:均|也|都)(?:未安排|无|没有)(?P<s>[^，,。；;\d]{2,20}?)(?:情况|计划|预算)", flat)
        if absent and _valid(_clean(absent.group("s"), department)):
            return _clean(absent.group("s"), department)
    return plain if generic else None


def _plain(text: str, department: str | None) -> str | None:
    """收入 or 支出 left alone after cleaning ("收入较去年…", "支出预算较2023年…")."""
    text = _clean(re.sub(r"(?:预算|决算)(?:数)?$", "", compact(text)), department)
    return text if text in {"收入", "支出"} else None


def heading_subject(heading: str, department: str | None) -> str | None:
    """The item a section heading names ("（一）因公出国(境)经费", "三、公务用车购置及运行维护费"),
    for a statement whose sentence does not repeat it ("2022年预算安排0万元,与2021年预算持平")."""
    name = re.sub(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[\d一二三四五六七八九十]+\s*[)）]|\d+\s*[.、．])\s*", "",
                  compact(heading)).rstrip("。.：:")
    name = re.sub(r"(?<=[费出])情况$", "", name)  # "(3)公务接待费支出情况。"
    if len(name) > 20 or re.search(r"情况|说明|解释|[，,。；;]", name) or not re.search(r"(?:费|经费|支出|收入)$", name):
        return None
    cleaned = _clean(name, department)
    return cleaned if _valid(cleaned) else None


_GAP_WORDS = re.compile(
    r"(?:的|主要|(?:比上年|较上年|同比)?(?:增加|减少|增长|下降|降低|持平|变动|变化|增减变化)"
    r"|(?:决算数?|预算数?|实际支出)?(?:大于|小于|等于|高于|低于|多于|少于)(?:上年|年初|全年)?(?:预算|决算)?数?"
    r"|全区|全市|全县)$"
)


def named_before_reason(stated: str, department: str | None) -> str | None:
    """The subject a reason sentence names before its marker ("公务用车购置增长的原因主要是",
    "…“三公”经费支出决算数大于预算数的主要原因是"), when it prints no figure."""
    stated = re.sub(r"(?:的)?(?:主要)?(?:变动)?(?:原因(?:主要)?(?:是|为|在于|如下|有|系)?|情况)[:：]?$"
                    r"|(?:主要)?(?:是)?(?:由于|因为)?$", "", stated)  # "因公出国(境)费增加主要是受…影响"
    if not stated or re.search(r"\d", re.sub(r"\d{4}年度?", "", stated)) or not _GAP_WORDS.search(stated):
        return None
    previous = None
    while previous != stated:
        previous = stated
        stated = _GAP_WORDS.sub("", stated)
    cleaned = _clean(stated, department)
    return cleaned if _valid(cleaned) else None


def _named_amounts(flat: str):
    """The words before an amount a clause states ("项目支出预算数为 4,968.34 万元") or before
    its comparison ("工资福利支出较上年增…"); never a change, a share or a comparison."""
    before = re.search(
        rf"(?P<s>[^，,。；;：:]{{2,40}}?)(?:{NUMBER}\s*(?:万元|亿元|元)[，,]?)?(?:[，,]?(?:占[^，,。]*[，,])?)"
        rf"(?:(?<!比)较(?:上年|去年|年初|全年|调整后|预算|同期|\d{{4}})|比(?!较)(?:上年|去年|年初|全年|调整后|预算|同期|\d{{4}})"
        rf"|同比|与上年|与\d{{4}}年|本年数)",
        flat,
    )
    if before:
        yield before.group("s")
    change = re.match(rf"(?P<s>[^，,。；;：:]{{2,30}}?)(?:全区|全市|全县)?(?:{UP}|{DOWN})(?:了)?(?:{NUMBER})",
                      re.split(r"[:：]|^其中[，,]", flat)[-1])  # "其中:因公出国(境)费支出决算增加0元", "其中,…"
    if change:
        yield change.group("s")
    for amount in re.finditer(rf"(?:{NUMBER})?\s*(?:万元|亿元|(?<=\d)元|(?<=\d)万(?![\u4e00-\u9fff]))", flat):
        head = flat[: amount.start()]
        if re.search(rf"(?:{UP}|{DOWN}|占|差值为|相比|[较比][^，,。]*)(?:了|为)?[)）]?$", head):
            continue
        for piece in reversed(re.split(r"(?<!\d)[，,]|[，,](?!\d)|[：:；;]", head)):
            if piece and not re.search(r"[（(][^)）]*$", piece):
                yield piece
        break


_FIGURE_WORDS = re.compile(r"(?:年末|年初|全年)?(?:实际)?(?:支出|预算|决算|安排|预算安排)?(?:数)?")


def _clean(text: str, department: str | None) -> str:
    text = compact(text)
    if department:
        text = text.split(compact(department), 1)[-1]
    year = re.match(r"^(.*?)\d{4}年(?:度|末|底)?[，,]?(.*)$", text)
    if year:
        # "公务接待费2015年年末支出", "公务车辆运行2016年预算": the subject before its year
        head = _clean(year.group(1), None) if year.group(1) else ""
        keep_head = _FIGURE_WORDS.fullmatch(year.group(2)) and _valid(head)
        # "财政部2015年的因公出国(境)费": the 的 after the year joins it, it names nothing
        text = year.group(1) if keep_head else re.sub(r"^的(?=.{2})", "", year.group(2))
    if re.search(r"\d", text):  # "计划购置0辆公务接待费": what follows a count
        tail = re.split(r"\d[\d.,]*\s*(?:辆|个|人次|人|批次|批|台|名|项|万元|元)?", text)[-1]
        text = tail if len(tail) >= 2 else text
    text = _LEADING.sub("", text)
    text = re.sub(r"^.*安排的?(?=.{2})", "", text)  # "…拨款安排的会议费", "…全口径安排“三公”经费"
    text = re.sub(r"^全[省市区县州镇乡旗](?=.{2})", "", text)  # "2021年度全镇“三公”经费": the whole town's
    text = re.sub(r"^(?:省|市|区|县|州)?本?级", "", text)
    text = re.sub(r"^\d+个(?=.{2})", "", text)  # "11个项目全年预算资金" is about 项目
    text = re.sub(r"^[\u4e00-\u9fff]{1,6}(?:区|县|市)(?=一般公共|[“\"]?三公|部门|财政拨款)", "", text)
    text = re.sub(r"^.*支出中(?=.{2})", "", text)  # "“三公”经费支出中公务接待费"
    text = _ORGAN_BEFORE.sub("", text)
    previous = None
    while previous != text:
        previous = text
        for pattern in _TRAILING:
            shorter = pattern.sub("", text)
            if shorter not in GENERIC or not re.search(r"(?:合计|总计)(?:为|是)?$", text):
                text = shorter  # "收入合计" keeps its 合计
    return text


GENERIC = {"支出", "预算", "决算", "收入", "经费", "费用", "资金", "金额", "合计", "总计", "本年", "当年", "上年", "去年",
           "本年度", "上年度", "实际支出", "年末支出", "支出预算", "预算支出", "支出决算", "决算支出", "预算安排",
           "预算数字", "决算数字"}  # "比上年决算数字下降34.26%": the base, not what is compared


def _valid(text: str | None) -> bool:
    """A subject names something: not a verb, a share, what the money is for, a comparison,
    a bracket's inside, or a bare figure word ("支出", "预算")."""
    return bool(text) and text not in GENERIC and not re.search(
        r"[大小等高低]于|持平|相比|口径|\d|(?<![（(]境)[)）]$|[与和同较比及]$", text) and text.count("（") + text.count("(") == text.count("）") + text.count(")") and len(re.findall(r"[\u4e00-\u9fff]", text)) >= 2 and not re.match(
        rf"(?:{_VERB}|较|比|同比|占|其中|主要|全年|年初|预算|决算|合计|总计|执行数|执行率)$"
        rf"|^(?!增值税)(?:较|比|与|占|全部|主要|其中|包括|用于|均为|分别|各|均|也|无|未|没有|对比|相比|{UP}|{DOWN}|增减|[（(])", text
    )
