"""Cue rules from the codebook: phrases that, read in the reason, name a category.

Patterns are written against normalized text (NFKC: ascii , ; : ( )). Two shorthands keep
them readable: ``…`` is a short gap (up to 4 characters, no punctuation, no negator) and
``~`` is a gap for staff cues that also refuses money words, so that 人员经费增加 (a
restated gap, codebook rule 2) is not 人员增加. A cue preceded by a negator (无, 未, 没有,
并非 …) does not count: "没有新增人员" is not staff_increase.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_GAP = r"[^,;:。无未没不非]{0,4}"
_STAFF_GAP = r"(?:(?!经费|支出|工资|费用|资金|保险|开支|成本|津贴|补贴|福利|公积金|预算)[^,;:。无未没不非]){0,6}"

# label → patterns. Order inside a label does not matter; every match counts.
CUES: dict[str, list[str]] = {
    "staff_increase": [
        r"人员~(?:增加|增多|扩充|增长)", r"人数~(?:增加|增多|增长)", r"(?:增加|新增|增补)~(?:人员|人数|编制|\d+人|\d+名)",
        r"新进(?:人员|\d+人|\d+名|职工|干部)?", r"新(?:调入|入职|招录|录用|聘用|聘)", r"(?:调入|招录|招聘|录用|遴选|选调|考录)", r"(?:人员|干部)转入|转入\d+(?:人|名)",
        r"新增编制", r"增编", r"引进(?:人才|人员)", r"接收(?:安置)?(?:军转干部|军队转业|退役军人|毕业生|新人)",
        r"(?:军转干部|转业干部|公务员|事业编|工作人员)…(?:安置|入职|到岗)", r"人员~由\d+人?~增(?:加|至)",
        r"(?:在职|在编|退休)(?:人员|人数)~增", r"(?:新招|新录|补充)(?:人员|工作人员|\d+人)",
    ],
    "staff_decrease": [
        r"人员~(?:减少|减员|下降|精简)", r"人数~(?:减少|下降)", r"减少~(?:人员|人数|编制|\d+人|\d+名)",
        r"调(?:出|离|走)", r"转出", r"离职", r"辞职", r"辞退", r"减员", r"人员流失", r"精简人员",
        r"(?:人员|职工|干部|同志|\d+人|\d+名)…(?:退休|去世|死亡|病故|离世)", r"(?:办理|到龄|陆续|正常)退休",
        r"退休\d+(?:人|名)", r"(?:去世|死亡|病故|离世)", r"人员~由\d+人?~减(?:少|至)", r"(?:在职|在编)(?:人员|人数)~减",
        r"(?:借调|抽调)(?:到|至)?(?:其他|外|上级)", r"编制(?:减少|核减|收回)", r"核减编制",
    ],
    "pay_policy": [
        r"调资", r"(?:调整|提高|上调)…(?:工资|薪酬|津贴|补贴|津补贴|标准)", r"(?:工资|薪酬|津贴|补贴|津补贴)…(?:调整|调标|上调|提标|提高|增资)",
        r"增资", r"绩效(?:工资|奖|考核奖)", r"缴(?:费|存)(?:基数|比例)", r"(?:基数|比例)…(?:调整|提高|上调|变化|变动)",
        r"(?:养老保险|医疗保险|医保|社保|社会保险|公积金|职业年金)…(?:基数|比例|标准|政策)", r"职业年金",
        r"补缴…(?:养老|医疗|保险|社保|公积金|年金)", r"(?:年终)?一次性奖金", r"第十三个月工资", r"年终奖",
        r"职级(?:晋升|并行|调整)", r"(?:职务|职级|职称|薪级|级别)(?:晋升|变动|调整|提高|提升)", r"(?:正常)?晋级", r"晋升", r"薪级工资",
        r"工资正常(?:晋升|增长)", r"(?:规范|落实)(?:津补贴|津贴补贴|工资)", r"(?:乡镇工作补贴|艰苦边远地区津贴|取暖补贴|车改补贴|交通补贴)",
        r"补发…(?:工资|津贴|补贴|绩效|奖金)", r"(?:工资|薪酬)(?:政策|制度|改革)", r"(?:工资|薪酬)(?:上涨|增长)",
    ],
    "fiscal_tightness": [
        r"(?:财政)?资金紧张", r"财力(?:紧张|有限|不足|困难)", r"(?:财政|税收|非税|一般公共预算)收入…(?:减少|下降|下滑)", r"财政(?:减收|短收)",
        r"财政(?:困难|压力|紧张|紧缺)", r"(?:资金|经费)?未(?:能)?足额(?:安排|保障|预算)", r"(?:财政)?(?:资金|拨款)(?:不足|短缺|有限|紧缺)",
        r"可用财力", r"收支矛盾", r"库款(?:紧张|不足)", r"减收", r"财政(?:保障|支付)能力",
    ],
    "austerity": [
        r"紧日子", r"厉行(?:节约|节俭)", r"八项规定", r"(?:压减|压缩|缩减|削减|核减)(?!…项目)", r"(?:严控|严格控制|从严控制|严格管控|从严管控)",
        r"节约", r"节俭", r"勤俭", r"只减不增", r"控制…(?:支出|开支|经费|费用|规模)", r"节支", r"降低(?:行政|运行)?成本",
        r"精简(?:会议|文件|开支)", r"反对浪费", r"(?:严格|从严)(?:执行|落实)…(?:规定|标准|制度)",
    ],
    "payment_timing": [
        r"未(?:能)?及时", r"(?:未|尚未|没有|暂未)(?:完成)?(?:支付|拨付|清算|结算|报账|付款|下达|汇缴|到位)", r"国库退回", r"退回国库",
        r"(?:资金|经费|款项)…(?:未到位|到位(?:较|偏)?晚|滞后)", r"结转(?:至|到)?(?:下年|下一年|次年|明年|以后年度)", r"列入(?:来年|下年|次年)",
        r"指标(?:被)?(?:收回|回收)", r"收回(?:指标|资金)", r"年底(?:未|没有)", r"跨年(?:度)?(?:支付|结算)", r"(?:延迟|推迟|延期)(?:支付|拨付|清算)",
        r"清算", r"(?:年末|年底)(?:结余|结转)", r"(?:支付|拨付)(?:进度|滞后)", r"(?:下年|次年|明年)(?:支付|清算|拨付)",
    ],
    "project_decrease": [
        r"项目…(?:支出|经费|资金)?…(?:减少|下降|调减|压减|缩减|降低)", r"项目(?:已)?(?:完成|完工|结束|结项|竣工|到期|完结)",
        r"(?:不再|未再|停止)(?:安排|实施|执行|拨付)", r"(?:减少|取消|撤销|压减)(?:了)?…项目", r"调减", r"(?:上年|上年度|去年)…一次性",
        r"(?:上年|上年度|去年|20\d\d年)[^,;:。]{0,10}(?:下拨了|拨付了|发放了|安排了|实施了)", r"(?:本年|今年|本年度)(?:未|没有)(?:再)?(?:安排|实施)",
        r"一次性(?:项目|支出|经费)", r"专项(?:经费|资金)?(?:减少|下降|取消)",
    ],
    "project_increase": [
        r"新增(?:了)?[^,;:。人]{0,10}(?:项目|专项|任务|工作经费|业务经费)", r"项目…(?:支出|经费|资金)?…(?:增加|增长|上升)",
        r"(?:增加|新上|新设|新开)(?:了)?…项目", r"建设项目(?!…(?:完成|完工|结束|减少|竣工))", r"专项(?:经费|资金)?(?:增加|增长)", r"(?:追加|调增|年中新增|年中安排)[^,;:。]{0,12}(?:项目|专项|任务)",
        r"新(?:增|开展)(?:了)?[^,;:。人]{0,8}工作", r"承担(?:了)?…(?:任务|工作)",
    ],
    "unbudgeted": [
        r"年初(?:未|没有)(?:安排|预算|编制|列入)?", r"年初(?:无|没有)(?:此|该)?(?:项|类)?(?:预算|安排)", r"年初预算(?:未|没有)", r"未(?:列入|纳入)(?:年初)?预算",
        r"追加", r"调增", r"年中(?:新增|下达|调整|安排|增加)", r"预算调整(?!至|到|率)", r"上级(?:追加|下达|专项|转移支付|补助)",
        r"(?:临时|年中)(?:性)?(?:安排|下达|追加|增加)", r"动用预备费",
    ],
    "budget_estimation": [
        r"预算…(?:估算|测算|预估|预计|编制)…(?:不足|偏差|偏低|偏高|不准|不够|不精准|不科学)", r"(?:估算|测算|预估)(?:不足|偏差|偏低|偏高|不准)",
        r"充分保障", r"周全保障", r"保障测算", r"预算编制", r"编制预算", r"按(?:全年|足额|满额|最高|全额)[^,;:。]{0,6}(?:测算|预估|编制|安排)",
        r"预算(?:安排)?(?:偏高|偏低|不足|宽松|较高|较低)", r"(?:录入|填报|编报)(?:错误|失误|有误)", r"误录", r"预留",
    ],
    "carryover": [
        r"(?:上年|上年度|以前年度|往年|上一年度?)(?:的)?(?:结转|结余)", r"(?:使用|动用|消化|安排)(?:了)?…结转", r"结转(?:资金|结余)…(?:安排|支出|用于|使用)",
    ],
    "reorganization": [
        r"机构改革", r"(?:体制|事业单位|管理体制)改革", r"职能(?:划转|划入|划出|调整|转变|整合)", r"(?:机构|单位|部门)…(?:合并|撤并|撤销|整合|调整|分设)",
        r"合并", r"转隶", r"隶属关系", r"新成立", r"(?:成立|组建)…(?:机构|单位|部门|中心|局|办公室|委员会)", r"新设(?:机构|单位)", r"新组建", r"撤并", r"并入", r"更名", r"挂牌",
        r"(?:人员|机构|职能)…划转", r"单位性质(?:变更|调整)",
    ],
    "accounting_reclass": [
        r"科目(?:调整|变更|变化|调整)", r"调整(?:了)?(?:支出|会计|功能|经济)?(?:分类)?科目", r"口径", r"代扣", r"统发", r"调整列支",
        r"列支…(?:科目|渠道)", r"统计范围", r"不在[^,;:。]{0,12}中反映", r"在[^,;:。]{0,10}科目(?:中)?(?:反映|列支|核算)",
        r"调整(?:至|到)[^,;:。]{0,10}(?:使用|列支|支出)", r"下划", r"划(?:拨|转)(?:至|到)[^,;:。]{0,6}(?:街道|乡镇|街镇|下属|二级)",
        r"(?:改由|统一由|改为由)[^,;:。]{0,10}(?:支付|列支|发放|承担|核算)", r"由[^,;:。]{0,8}统一(?:支付|列支|发放|承担|核算)", r"会计制度", r"核算(?:方式|口径|科目)",
    ],
    "operating_costs": [
        r"办公(?:费|经费|用品|费用|设备|耗材|场所|用房)", r"差旅", r"会议(?!精神|要求|决定|纪要|研究)", r"培训费", r"公务用车", r"(?:公务)?车辆", r"公车",
        r"水电", r"电费", r"水费", r"物业", r"维修", r"运行维护", r"油价", r"燃油", r"油费", r"邮电", r"印刷", r"租赁", r"租金",
        r"取暖费", r"(?:公务)?接待", r"公用经费", r"日常(?:运转|运行|办公)", r"运行(?:成本|费用)", r"(?:办公地点|办公场所)?搬迁", r"出国(?:境)?",
    ],
    "no_difference": [
        r"不存在(?:明显)?差异", r"(?<!人员)(?<!人数)(?<!编制)(?:无|没有)(?:明显)?(?:差异|增减变化|增减|变化)", r"(?<!人员)(?<!人数)未发生(?:增减)?变化",
        r"一致", r"持平", r"相等", r"相同", r"(?:增加|减少|增长|下降|增减|变动|增\(减\)|增减变动)(?:了)?0(?:\.0+)?(?:万元|元|%)",
        r"完成(?:年初)?预算(?:数)?的100(?:\.0+)?%", r"差异(?:为|是)?0(?![.\d])",
    ],
}

# Statements that a fund or item does not exist (codebook rule 10): they are `other`,
# and the model may not add a category to them.
OTHER_CUES = [
    r"(?:无|没有|未)(?:使用)?(?:政府性基金|国有资本经营)", r"不涉及", r"本(?:单位|部门)(?:无|没有)[^,;:。]{0,10}(?:收入|支出|预算)",
]

# A staff change with no direction (codebook rule 5): the direction comes from the gap.
STAFF_CHANGE = r"(?:人员|人事|人数)(?:变动|变化|流动|调整|异动)"

_NEGATED = re.compile(r"(?:无|未|没有|并非|不是|不属于|(?<!除)非(?!税)|不涉及|未发生)[^,;:。]{0,2}$")
_RESTATED = re.compile(r"^[^,;:。]{0,12}(?:支出|费用|经费|开支|费)[^,;:。]{0,2}(?:减少|增加|下降|增长|相应)")


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern.replace("…", _GAP).replace("~", _STAFF_GAP))


@dataclass(frozen=True)
class CueMatch:
    label: str
    start: int
    end: int


class CueRules:
    """The compiled cue table; ``find(text, start, end)`` lists unnegated matches."""

    def __init__(self, cues: dict[str, list[str]] = CUES):
        self.patterns = [(label, _compile(p)) for label, patterns in cues.items() for p in patterns]
        self.other = [_compile(p) for p in OTHER_CUES]
        self.staff_change = _compile(STAFF_CHANGE)

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[CueMatch]:
        end = len(text) if end is None else end
        found = []
        for label, pattern in self.patterns:
            for match in pattern.finditer(text, start, end):
                if not _NEGATED.search(text, max(start, match.start() - 6), match.start()):
                    found.append(CueMatch(label, match.start(), match.end()))
        return found

    def says_other(self, text: str, start: int = 0, end: int | None = None) -> bool:
        end = len(text) if end is None else end
        return any(p.search(text, start, end) for p in self.other)

    def staff_changes(self, text: str, start: int = 0, end: int | None = None) -> list[CueMatch]:
        end = len(text) if end is None else end
        return [
            CueMatch("staff_change", m.start(), m.end())
            for m in self.staff_change.finditer(text, start, end)
            if not _NEGATED.search(text, max(start, m.start() - 6), m.start())
        ]


def is_restatement(clause: str) -> bool:
    """"公务接待支出减少": a clause that names spending and its direction, nothing else."""
    return bool(_RESTATED.match(clause))
