"""The codebook's categories (nlp/codebook.md), in codebook order."""

from __future__ import annotations

# key → 中文 name, exactly as in the codebook table; tests check the two agree.
LABEL_NAMES: dict[str, str] = {
    "staff_increase": "人员增加",
    "staff_decrease": "人员减少",
    "pay_policy": "工资社保政策调整",
    "fiscal_tightness": "财政资金紧张",
    "austerity": "厉行节约",
    "payment_timing": "资金拨付与清算时点",
    "project_decrease": "项目支出减少",
    "project_increase": "项目支出增加",
    "unbudgeted": "年初未预算/年中追加",
    "budget_estimation": "预算编制与测算",
    "carryover": "使用上年结转",
    "reorganization": "机构改革职能调整",
    "accounting_reclass": "科目与口径调整",
    "operating_costs": "公用经费变动",
    "no_difference": "无差异",
    "other": "其他/未说明",
}

LABELS: tuple[str, ...] = tuple(LABEL_NAMES)

# Labels that never share a text with another label (codebook rule 4, and `other`
# meaning "none of the above").
EXCLUSIVE = ("no_difference", "other")

# Labels that state a direction, and the staff labels (which need people counted).
DIRECTION = {"staff_increase": 1, "staff_decrease": -1, "project_increase": 1, "project_decrease": -1}
STAFF = ("staff_increase", "staff_decrease")
