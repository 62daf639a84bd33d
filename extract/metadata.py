"""What a document is: title, 预算 or 决算, fiscal year, department, region, cover date."""

from __future__ import annotations

import re
from collections import Counter

from pathlib import Path

from .catalog import BUDGET_NAMES, FINAL_ACCOUNT_NAMES, table_code, table_name
from .pdf import Page
from .text import PAGE_NUMBER, join_lines, squash, tidy

_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "O": 0}
_CN = "〇零○一二三四五六七八九十"
COVER_DATE = re.compile(
    rf"(\d{{4}}|[{_CN}]{{4}})\s*年\s*(\d{{1,2}}|[{_CN}]{{1,3}})\s*月"
    rf"(?:\s*(\d{{1,2}}|[{_CN}]{{1,3}})\s*日)?"
    r"|(\d{4})\s*[.．/-]\s*(\d{1,2})(?:\s*[.．/-]\s*(\d{1,2}))?"  # 2024.10.15, 2024-10
)
FISCAL_YEAR = re.compile(r"(20\d{2})\s*年(?!\s*\d{1,2}\s*月)")
DEPARTMENT_LABEL = re.compile(
    r"(?:部门名称|预算部门|预算单位|编制部门|编制单位|填报单位|单位名称|部\s*门|(?<![金额计量])单\s*位)\s*[:：]\s*"
    r"(?P<name>[^\s:：|]{2,40})"
)
REGION = re.compile(
    r"^(?P<province>[\u4e00-\u9fff]{2,8}?(?:省|自治区))?"
    r"(?P<city>[\u4e00-\u9fff]{1,10}?(?:市|州(?!市)|盟|地区))?"
    r"(?P<county>[\u4e00-\u9fff]{1,8}?自治[县旗]|[\u4e00-\u9fff]{1,5}?(?:区|县|旗)|[\u4e00-\u9fff]{2,3}?市)?"
)
ORGAN_PREFIX = re.compile(r"^(?:中国共产党|中共|共青团|中国人民政治协商会议|政协|中国国民党革命委员会|民革)")
TITLE_LIKE = re.compile(r"(?:部门|单位|整体)(?:预算|决算)|(?:预算|决算)(?:信息)?公开")
TOC_OR_PART = re.compile(r"^(?:目\s*录|第[一二三四五六七八九十]+部分)")


def _cn_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if len(text) == 4:  # a year written digit by digit: 二〇二四
        return int("".join(str(_CN_DIGITS.get(c, 0)) for c in text))
    if "十" in text:  # 十, 十一, 二十, 二十一
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return _CN_DIGITS.get(text, 0)


def _visual_lines(page: Page) -> list[str]:
    """A page's lines in reading order, with pieces of one printed line joined: a year set in
    a larger font sits a little lower than the words beside it ("年部门预算" / "2017":
    js-jianchayuan-2017-doc's cover)."""
    rows: list[list] = []
    for line in sorted(page.lines, key=lambda line: line.top):
        height = max(line.bottom - line.top, 1.0)
        row = rows[-1] if rows else None
        if row and min(line.bottom, max(l.bottom for l in row)) - max(line.top, min(l.top for l in row)) > 0.4 * height:
            row.append(line)
        else:
            rows.append([line])
    return [" ".join(line.text.strip() for line in sorted(row, key=lambda line: line.x0)) for row in rows]


def cover_lines(pages: list[Page]) -> list[str]:
    """The lines of the first page before its table of contents or first part, page numbers
    left out."""
    if not pages:
        return []
    lines = []
    for line in _visual_lines(pages[0]) or pages[0].text.splitlines():
        line = line.strip().rstrip("|").strip()  # a portal's table layout ends lines in "|"
        if TOC_OR_PART.match(line):
            break
        if line and not PAGE_NUMBER.match(line):
            lines.append(line)
    return lines


# Where a cover title stops: the 部门/单位 line, who printed it, a table's own title.
_COVER_END = re.compile(r"(?:部\s*门|单\s*位|编制)\s*[:：]|印制|^\s*单位\s*[:：]")
# A title is no sentence and no numbered heading ("二、2021年度…情况说明" starts a section).
_NOT_TITLE = re.compile(r"[。，；,;:：《》]|^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．])"
                        r"|^(?:根据|按照|依据|为了|为|经)|原因")
# A line that only finishes a title ("2014年情况的说明", "公开"): no 预算 / 决算 word of its own.
_ENDS_A_TITLE = re.compile(r"(?:20\d{2}年度?)?[^预决，,。；;]{0,6}(?:情况)?的?(?:说明|报告)|(?:信息)?公开(?:报告|说明)?")
# The title of a set of tables is the file's title, not its first table's ("2023年区本级“三公”经费
# 预算公开报表" above "一、2023年烈山区本级“三公”经费预算表"; "省级部门预算公开报表").
_TABLES_TITLE = re.compile(r"公开(?:报表|表格?)$")
# ...and ends like one: 部门预算公开, 决算情况说明, 预算公开表, 报告.
_TITLE_END = re.compile(r"(?:公开|说明|报告|情况|预算|决算|报表|公开表|公开表格|(?:预算|决算)信息)(?:[（(][^)）]*[)）])?$")


def _starts_paragraph(page: Page, text: str) -> bool:
    """Whether a line is the first of a paragraph: indented or not, it runs to the right edge
    of the lines below, the next one about as long and starting at or left of it ("2020 年度一般公共
    预算财政拨款安排的“三公”经费支出决算" / "总额为…"); a title stops short, or is centred, or has a
    short heading under it."""
    lines = [line for line in page.lines if line.text.strip()]
    for index, line in enumerate(lines[:-1]):
        if squash(line.text) == squash(text):
            below = lines[index + 1: index + 4]
            return (below[0].x0 <= line.x0 + 1 and below[0].x1 >= 0.9 * line.x1
                    and line.x1 >= max(other.x1 for other in below) - 2)
    return False


def title(pages: list[Page]) -> str | None:
    """The cover title: the cover lines up to the date, joined while the title is not complete
    ("江苏省人民检察院" / "2017 年部门预算"); None for a file of tables that starts with its
    first table, and for a section that starts with its numbered heading or a sentence."""
    parts: list[str] = []
    for line in cover_lines(pages)[:8]:
        if COVER_DATE.search(line) and not re.search(r"预算|决算", line):
            break
        if _NOT_TITLE.search(line) and parts and _starts_paragraph(pages[0], parts[-1]):
            parts = []  # the first line of a paragraph, as long as the lines under it
            break
        if _NOT_TITLE.search(line) or _COVER_END.search(line):
            break
        if (table_name(line) and not _TABLES_TITLE.search(re.sub(r"\s+", "", line))) or table_code(line):
            break  # a table: the file has no cover
        if parts and (_TITLE_END.search(join_lines(parts)) or squash(line) == squash(parts[-1])):
            if not (_TITLE_END.search(join_lines(parts)) and _ENDS_A_TITLE.fullmatch(re.sub(r"\s+", "", line))
                    and squash(line) != squash(parts[-1])):
                break  # a title is complete, or printed again
            # "眉山市人民检察院" / "关于财政拨款“三公”经费预算" / "2014年情况的说明"
        parts.append(line)
    text = join_lines(parts)
    if re.search(r"预算|决算", text) and _TITLE_END.search(squash(text).replace(" ", "")):
        return tidy(squash(text))
    for page in pages[:3]:  # no cover: the first line that reads like a disclosure title
        for line in page.text.splitlines():
            if (TITLE_LIKE.search(line) and len(line.strip()) <= 60 and not _NOT_TITLE.search(line)
                    and not TOC_OR_PART.match(line.strip()) and not table_name(line)
                    and _TITLE_END.search(re.sub(r"\s+", "", line))):
                return tidy(squash(line))
    return None


_DISCLOSURE_WORDS = re.compile(r"(?:部门|单位)(预算|决算)|(?<!预)(?<!政府)(预算|决算)(?:信息)?公开")
# Words of a document that is no disclosure though it names a 预算 (a 招标公告: 预算金额).
_NOT_DISCLOSURE = re.compile(r"招标|采购公告|预算金额|投标|中标")


def doc_type(title_text: str | None, table_names: list[str], pages: list[Page] | None = None,
             filename: str | None = None) -> str | None:
    """决算 or 预算, from the title, else from the standard tables found, else from the words
    the text (部门预算, 决算公开 …) or the file name use most; None otherwise (a 招标公告 that
    mentions 预算金额 is neither)."""
    if title_text:
        if "决算" in title_text:
            return "决算"
        if "预算" in title_text:
            return "预算"
    if any(name in FINAL_ACCOUNT_NAMES for name in table_names):
        return "决算"
    if any(name in BUDGET_NAMES for name in table_names):
        return "预算"
    words = Counter(
        "".join(match.groups(""))
        for page in (pages or [])[:10]
        for match in _DISCLOSURE_WORDS.finditer(re.sub(r"\s+", "", page.text))
    )
    if words:
        return words.most_common(1)[0][0]
    match = _DISCLOSURE_WORDS.search(filename or "") or re.search(r"(预算|决算)", filename or "")
    if match:
        return next(group for group in match.groups() if group)
    text = "".join(re.sub(r"\s+", "", page.text) for page in (pages or [])[:10])
    return None if _NOT_DISCLOSURE.search(text) else _kind_of_figures(text)


# 预算 words that name a fund or a comparison base, not the kind of document.
_NOT_KIND = re.compile(r"(?:一般公共|政府性基金|国有资本经营|社会保险基金|年初|全年|上年|调整后|完成)$")


def _kind_of_figures(text: str) -> str | None:
    """预算 or 决算 for a section of a page that says neither in a title: a 决算 prints actual
    figures (支出决算, 决算数, 较年初预算) of its year; a 预算's latest year has plans only
    ("2022年“三公”经费预算…" after "2021年“三公”经费决算…": a 2022 预算 looking back)."""
    final_years, plan_years = [], []
    for clause in re.split(r"[。；;]", text):
        years = [int(year) for year in re.findall(r"(?<![较比与同上至])(20\d{2})年", clause)]
        if not years:
            continue
        if re.search(r"(?<!上年)(?<!去年)(?<!预)决算|[较比](?:年初|全年|调整后)预算", clause):
            final_years.append(max(years))
        elif any(not _NOT_KIND.search(clause[: m.start()]) for m in re.finditer("预算", clause)):
            plan_years.append(max(years))
    if final_years or plan_years:
        return "预算" if max(plan_years, default=0) > max(final_years, default=0) else "决算"
    if re.search(r"决算|[较比](?:年初|全年|调整后)预算|完成[^，。]{0,6}预算", text):
        return "决算"
    if re.search(r"上年(?:年初)?预算", text) or any(
            not _NOT_KIND.search(text[: m.start()]) for m in re.finditer("预算", text)):
        return "预算"
    if "预算" not in text and _YEAR_BEFORE.search(text) and re.search(r"支出[^。；;]{0,12}[增减]|[增减][^。；;]{0,6}支出", text):
        return "决算"  # spending that went up or down since a year it names, and no plan: what was spent
    return None


# A year that is not compared with ("较2022年度", "与2016年相比"; but "经比较2020年度…" is the year
# itself), not a date.
_YEAR_OF_FIGURES = re.compile(r"(?:(?<![较比与同上至])|(?<=经比较))(20\d{2})年(?!\d{1,2}月)(?!\d)")
# A year the figures are compared with, the year before theirs: "较2022年度决算数增加", "与2016年相比".
# Not one followed by 预算: a 决算 is compared with its own year's budget.
_YEAR_BEFORE = re.compile(r"(?<!经)(?:[较比]|与)(20\d{2})年度?(?:决算|相比|比较|同期|[增减]|下降|上升|持平)")
# What a document cites (《…(2022年修订)的通知》) says nothing of its year or kind.
_CITED = re.compile(r"《[^《》]{0,80}》")


def fiscal_year(title_text: str | None, pages: list[Page], filename: str | None = None) -> int | None:
    """The year the figures are for: the title's year, else the year the text names most
    (not a date, not a year compared with: "较2022年度", not in a document it cites), else the
    year after the one it is compared with, else the year in the file name."""
    if title_text:
        match = FISCAL_YEAR.search(title_text)
        if match:
            return int(match.group(1))
    texts = [_CITED.sub("", re.sub(r"\s+", "", page.text)) for page in pages[:20]]
    years = Counter(int(match.group(1)) for text in texts for match in _YEAR_OF_FIGURES.finditer(text))
    if years:
        return years.most_common(1)[0][0]
    years = Counter(int(match.group(1)) + 1 for text in texts for match in _YEAR_BEFORE.finditer(text))
    if years:
        return years.most_common(1)[0][0]
    match = re.search(r"(20\d{2})\s*年", filename or "")  # "…2017年预算公开表格.pdf", not an id
    return int(match.group(1)) if match else None


def published(pages: list[Page]) -> str | None:
    """The date printed on the cover as ISO (YYYY-MM-DD, or YYYY-MM when no day is given)."""
    for line in cover_lines(pages):
        # The cover date stands on its own line ("二〇二四年十月"), not inside a sentence.
        match = COVER_DATE.fullmatch(re.sub(r"^[^：:]{0,6}[：:]", "", line.strip()))
        if not match:
            continue
        year, month, day_text = (
            match.group(1, 2, 3) if match.group(1) else match.group(4, 5, 6)
        )
        year, month = _cn_number(year), _cn_number(month)
        if not (1990 <= year <= 2100 and 1 <= month <= 12):
            continue
        if day_text:
            day = _cn_number(day_text)
            if 1 <= day <= 31:
                return f"{year:04d}-{month:02d}-{day:02d}"
        return f"{year:04d}-{month:02d}"
    return None


# A department's name ends like an organ's: 局, 厅, 委员会, 中心, 医院, 学校, 小学, 办公室, a sector's 部门 …
_ORGAN = r"(?:[局厅委办院心部会室站所队处馆校园社团署府司台场科组庭狱大镇乡]|[小中大]学|.{4,}部门)"
_ORGAN_END = re.compile(rf"{_ORGAN}(?:[（(](?:本级|汇总)[)）])?$")
# Words printed after a name in a title or a sentence: where the name ends ("银川市档案局关于2016年度…",
# "山南市司法局机关2024年度…", "水文局汇总2023年度…", "游仙区政府办财政拨款“三公”经费2022年…")
_AFTER_NAME = r"(?:关于|机关|汇总|本级|财政拨款|[“\"]?三公|一般公共|部门|单位|安排|内设|下设)"
_NOT_A_NAME = re.compile(r"^(?:[一二三四五六七八九十\d]+[、.．]|一般公共|政府性|国有资本|财政|合计|项目|单位[:：]|[本全该各])")
# A town's name alone is a place, the region of its own summary ("许镇镇2020年“三公”经费…"), not a
# department (its government prints 人民政府).
_TOWN = re.compile(r"[\u4e00-\u9fff]{1,4}?[镇乡]")


def _name(text: str) -> str | None:
    """A department name as printed, cut before a year glued to it ("…民防办公室2022年度");
    None for a fragment ("一、", "一般公共")."""
    text = re.split(r"\s*(?:20\d{2}|[〇零○一二三四五六七八九]{4})\s*年", text.strip())[0].strip(" ：:")
    # "第三部广水市白泉卫生院" (第三部分 printed short), "纳入天津市武清区河西务镇人民政府…"
    text = re.sub(r"^(?:第[一二三四五六七八九十]+部分?|关于|经|据|我|由|纳入|包括)", "", re.sub(r"\s+", "", text))
    if re.search(rf"{_ORGAN}部门$", text):  # "广水市白泉卫生院部门2023年度…": the unit's 部门 budget
        text = text[:-2]
    # an organ's second name in brackets: "杭州市钱塘区综合行政执法局(杭州市钱塘区城市管理局)"
    text = re.sub(rf"^(.{{2,30}}?{_ORGAN})[（(][^（()）]{{2,30}}{_ORGAN}[)）]$", r"\1", text)
    if not _ORGAN_END.search(text):
        named = re.match(rf"^(.{{2,30}}?{_ORGAN})(?:[（(](?:本级|汇总)[)）])?(?={_AFTER_NAME})", text)
        text = named.group(1) if named else text
    if len(text) < 3 or _NOT_A_NAME.match(text) or not _ORGAN_END.search(text):
        return None
    place = REGION.match(text).group(0)
    if _TOWN.fullmatch(text[len(place):]):
        return None
    return text


_NAME_BEFORE_YEAR = re.compile(
    r"(?<![\u4e00-\u9fff（）()《])([\u4e00-\u9fff（）()]{3,40})(?=(?:20\d{2}|[〇零○一二三四五六七八九]{4})年)"
)


_NAME_AFTER_YEAR = re.compile(
    r"(?:20\d{2}|[〇零○一二三四五六七八九]{4})年度?(?!度)([\u4e00-\u9fff（）()]{3,30}?)"
    r"(?=[“\"]?三公|一般公共|(?:部门|单位)(?:预算|决算)|财政拨款|本级|[预决]算|安排)"
)
# A sentence or heading about the unit itself: "重庆市梁平区明达镇天台完全小学内设2个机构科室",
# "(一)绵竹市清平镇人民政府主要职能。", "第一部分 辽宁省本溪观音阁经济开发区管委会概况", and the
# sentence that starts its 职责: "庆阳市中级人民法院是国家审判机关", "县人社局贯彻落实中央关于…"
_NAME_BEFORE_STRUCTURE = re.compile(
    r"^(?:第[一二三四五六七八九十]+部分[:：]?|[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+[、.．])?"
    r"([\u4e00-\u9fff（）()]{4,30}?)(?=内设|下设|(?:主要|基本)?(?:职能|职责)|(?:部门|单位)?概况$"
    r"|是|作为|贯彻落实|隶属)")


def department(pages: list[Page], captions: list[str], title_text: str | None,
               filename: str | None = None) -> str | None:
    """The department's full name as printed beside the tables (部门名称：…), most common first;
    else the name printed before or after a year in the title and the text ("江苏省委办公厅2018
    年度部门预算公开", "杜集区机关事务管理中心2021年度…支出预算为", "2017年度江苏省高级人民法院
    部门预算公开"), the title counting most and the longest form of a name winning ("寻甸回族彝族
    自治县农业农村局" over the title's "寻甸县农业农村局"); else the same in the file name."""
    names = Counter()
    for line in captions + [line for page in pages for line in page.text.splitlines()]:
        for match in DEPARTMENT_LABEL.finditer(line):
            name = _name(match.group("name"))
            if name:
                names[name] += 1
    if names:
        return names.most_common(1)[0][0]
    if title_text:
        name = _name_in_title(title_text)
        if name:
            names[name] += 3
    for page in pages[:10]:
        text = re.sub(r"[ \t]+", "", page.text)
        for match in list(_NAME_BEFORE_YEAR.finditer(text)) + list(_NAME_AFTER_YEAR.finditer(text)):
            name = _name(match.group(1))
            if name:
                names[name] += 1
        for line in text.splitlines():
            match = _NAME_BEFORE_STRUCTURE.match(line.strip())
            name = _name(match.group(1)) if match else None
            if name:
                names[name] += 1
    lines = [line.strip() for page in pages[:10] for line in page.text.splitlines() if line.strip()]
    for name, date in zip(lines, lines[1:]):  # a signature and its date, also on the next page
        if COVER_DATE.fullmatch(date) and _name(name) == re.sub(r"\s+", "", name):
            names[re.sub(r"\s+", "", name)] += 1
    if names:
        tails = Counter()
        for name, count in names.items():
            tails[name[-4:]] += count
        tail = tails.most_common(1)[0][0]
        return max((name for name in names if name.endswith(tail)), key=lambda name: (len(name), names[name]))
    name = _name_in_title(Path(filename).stem) if filename else None
    return name


def _name_in_title(text: str) -> str | None:
    text = re.sub(r"\s+", "", text)
    year = re.search(r"(?:20\d{2}|[〇零○一二三四五六七八九]{4})年度?", text)
    before = text[: year.start()] if year else ""
    after = text[year.end():] if year else text
    after = re.sub(r"(?:部门|单位)?(?:整体)?(?:预算|决算).*$", "", after)
    for candidate in (before, after):
        name = _name(candidate)
        if name:
            return name
    return None


# A region's own summary names it beside the year: "2017年渝中区一般公共预算…", "奉新县2023年…",
# or as the finance bureau that summed it: "经绵竹市财政局汇总,2025年全市…".
_REGION_BY_FINANCE = re.compile(r"经(?P<after>[\u4e00-\u9fff]{2,12}?(?:自治区|省|市|州|盟|区|县|旗))财政(?:局|厅)汇总")
_REGION_BY_YEAR = re.compile(
    r"(?:20\d{2}年度?)(?P<after>[\u4e00-\u9fff]{2,12}?(?:自治区|省|市|州|盟|区|县|旗))(?=部门|一般公共|[“\"]?三公|州本级|市本级|区本级|县本级|本级|全|级|各)"
    r"|(?:^|(?<=[^\u4e00-\u9fff]))(?:现将|关于|按照|根据|将|对)?(?P<before>[\u4e00-\u9fff]{2,12}?(?:自治区|省|市|州|盟|区|县|旗|镇|乡))"
    r"(?:[州市区县]?本级)?(?=20\d{2}年)"
)


def region(department_name: str | None, pages: list[Page] | None = None) -> str | None:
    """The administrative region that prefixes a department name (洛阳市偃师区, 许昌市); for a
    region's own summary with no department, the region it names beside the year."""
    if not department_name:
        for page in (pages or [])[:3]:
            text = re.sub(r"\s+", "", page.text)
            for match in list(_REGION_BY_FINANCE.finditer(text)) + list(_REGION_BY_YEAR.finditer(text)):
                name = match.group("after") or match.group("before")
                found = REGION.match(name).group(0)
                if found == name:
                    return name
                if _TOWN.fullmatch(name[len(found):]):  # "涪陵区新妙镇" → 涪陵区; "许镇镇" alone → itself
                    return found or name
        return None
    department_name = ORGAN_PREFIX.sub("", department_name)  # 中共洛阳市委… → 洛阳市委…
    match = REGION.match(department_name)
    found = match.group(0) if match else ""
    if found and len(found) < len(department_name):
        return found
    return _region_printed(pages or [], department_name)


# 区/县/市 words that name no place: 自治区 alone ("自治区水利厅"), 全区, 本市, 辖区, 城区 …
_NO_PLACE = re.compile(r"^自治区$|[全本我该辖各城市郊][区县市州旗省]$")


def _region_printed(pages: list[Page], department_name: str = "") -> str | None:
    """The region a department printed without one belongs to ("市直林业部门"): the place that
    starts the names of organs its pages print most, at least twice ("岳阳市林业科学研究所",
    "岳阳市木材检查检疫站"); for a name that starts with its level ("区直工委", "市林业局"), the
    place of that level they print most ("中共宣城市宣州区直属机关工作委员会" → 宣城市宣州区)."""
    level = re.match(r"[省市州区县旗]", department_name)
    places, leveled = Counter(), Counter()
    for page in pages[:3]:
        for run in re.findall(r"[\u4e00-\u9fff]{4,}", page.text):
            run = ORGAN_PREFIX.sub("", run)
            place = REGION.match(run).group(0)
            if len(place) < 3 or _NO_PLACE.search(place):
                continue
            if _name(run[len(place):]):
                places[place] += 1
            if level and place.endswith(level.group(0)):
                leveled[place] += 1
    place, count = places.most_common(1)[0] if places else (None, 0)
    if count >= 2:
        return place
    return leveled.most_common(1)[0][0] if leveled else None
