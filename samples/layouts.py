"""Header layouts of the standard disclosure tables, as the finance bureaus' templates print them.

A layout is data: the table's canonical name, its printed code, the header rows (cells are
text or ``(text, colspan, rowspan)``), relative column widths and whether the real documents
print it on a landscape page. Source files name a layout by key and give only the data rows.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Layout:
    key: str
    name: str
    code: str | None
    header: list[list]
    widths: list[float]
    landscape: bool = False
    label_columns: tuple[int, ...] = field(default=(0, 1))

    @property
    def column_count(self) -> int:
        return len(self.widths)

    def grid(self) -> list[list[str]]:
        """The header expanded to a full grid, spans filled with '' as reportlab expects."""
        rows = [[None] * self.column_count for _ in self.header]
        for r, header_row in enumerate(self.header):
            c = 0
            for cell in header_row:
                while rows[r][c] is not None:
                    c += 1
                text, colspan, rowspan = cell if isinstance(cell, tuple) else (cell, 1, 1)
                for dr in range(rowspan):
                    for dc in range(colspan):
                        rows[r + dr][c + dc] = ""
                rows[r][c] = text
                c += colspan
        return [[cell or "" for cell in row] for row in rows]

    def spans(self) -> list[tuple[int, int, int, int]]:
        """(col0, row0, col1, row1) of every merged header cell."""
        occupied = [[False] * self.column_count for _ in self.header]
        out = []
        for r, header_row in enumerate(self.header):
            c = 0
            for cell in header_row:
                while occupied[r][c]:
                    c += 1
                _, colspan, rowspan = cell if isinstance(cell, tuple) else (cell, 1, 1)
                for dr in range(rowspan):
                    for dc in range(colspan):
                        occupied[r + dr][c + dc] = True
                if colspan > 1 or rowspan > 1:
                    out.append((c, r, c + colspan - 1, r + rowspan - 1))
                c += colspan
        return out

    def columns(self) -> list[str]:
        """Column names: merged headers joined top-down with '/', the 栏次 numbering row left out."""
        names = []
        grid = self.grid()
        owners = self.owners()
        for c in range(self.column_count):
            parts = []
            for r, row in enumerate(grid):
                text = grid[owners[r][c][0]][owners[r][c][1]]
                if row[0] in ("栏次",) or text in ("栏次",) or text.isdigit():
                    continue
                if text and (not parts or parts[-1] != text):
                    parts.append(text)
            names.append("/".join(parts))
        return names

    def owners(self):
        """(row, col) of the header cell that covers each grid position."""
        owners = [[None] * self.column_count for _ in self.header]
        for r, header_row in enumerate(self.header):
            c = 0
            for cell in header_row:
                while owners[r][c] is not None:
                    c += 1
                _, colspan, rowspan = cell if isinstance(cell, tuple) else (cell, 1, 1)
                for dr in range(rowspan):
                    for dc in range(colspan):
                        owners[r + dr][c + dc] = (r, c)
                c += colspan
        return owners


def _juesuan(number: str, name: str, header, widths, landscape=False, label_columns=(0, 1)):
    return Layout(f"juesuan{number}", name, f"公开{number}表", header, widths, landscape, label_columns)


_SUBJECT = [("项目", 2, 1)]
_SUBJECT_CODES = ["科目代码", "科目名称"]

JUESUAN = [
    _juesuan("01", "收入支出决算总表", [
        [("收入", 3, 1), ("支出", 3, 1)],
        ["项目", "行次", "金额", "项目", "行次", "金额"],
        ["栏次", "", "1", "栏次", "", "2"],
    ], [3.2, 0.6, 1.2, 3.2, 0.6, 1.2], label_columns=(0, 1, 3, 4)),
    _juesuan("02", "收入决算表", [
        _SUBJECT + [(t, 1, 2) for t in ("本年收入合计", "财政拨款收入", "上级补助收入", "事业收入",
                                        "经营收入", "附属单位上缴收入", "其他收入")],
        _SUBJECT_CODES,
        [("栏次", 2, 1), "1", "2", "3", "4", "5", "6", "7"],
    ], [1.0, 3.2] + [1.0] * 7, landscape=True),
    _juesuan("03", "支出决算表", [
        _SUBJECT + [(t, 1, 2) for t in ("本年支出合计", "基本支出", "项目支出", "上缴上级支出",
                                        "经营支出", "对附属单位补助支出")],
        _SUBJECT_CODES,
        [("栏次", 2, 1), "1", "2", "3", "4", "5", "6"],
    ], [1.0, 3.2] + [1.0] * 6),
    _juesuan("04", "财政拨款收入支出决算总表", [
        [("收入", 3, 1), ("支出", 6, 1)],
        ["项目", "行次", "金额", "项目", "行次", "合计", "一般公共预算财政拨款",
         "政府性基金预算财政拨款", "国有资本经营预算财政拨款"],
        ["栏次", "", "1", "栏次", "", "2", "3", "4", "5"],
    ], [2.8, 0.5, 1.0, 2.8, 0.5, 1.0, 1.2, 1.2, 1.2], landscape=True, label_columns=(0, 1, 3, 4)),
    _juesuan("05", "一般公共预算财政拨款支出决算表", [
        _SUBJECT + [("本年支出", 3, 1)],
        _SUBJECT_CODES + ["小计", "基本支出", "项目支出"],
        [("栏次", 2, 1), "1", "2", "3"],
    ], [1.0, 3.6, 1.2, 1.2, 1.2]),
    _juesuan("06", "一般公共预算财政拨款基本支出决算明细表", [
        [("人员经费", 3, 1), ("公用经费", 6, 1)],
        ["科目代码", "科目名称", "决算数"] * 3,
    ], [0.8, 2.6, 0.9] * 3, landscape=True, label_columns=(0, 1, 3, 4, 6, 7)),
    _juesuan("07", "政府性基金预算财政拨款收入支出决算表", [
        _SUBJECT + [("年初结转和结余", 1, 2), ("本年收入", 1, 2), ("本年支出", 3, 1), ("年末结转和结余", 1, 2)],
        _SUBJECT_CODES + ["小计", "基本支出", "项目支出"],
        [("栏次", 2, 1), "1", "2", "3", "4", "5", "6"],
    ], [1.0, 3.0, 1.1, 1.0, 1.0, 1.0, 1.0, 1.1]),
    _juesuan("08", "国有资本经营预算财政拨款支出决算表", [
        _SUBJECT + [("本年支出", 3, 1)],
        _SUBJECT_CODES + ["合计", "基本支出", "项目支出"],
        [("栏次", 2, 1), "1", "2", "3"],
    ], [1.0, 3.6, 1.2, 1.2, 1.2]),
    _juesuan("09", "财政拨款“三公”经费支出决算表", [
        [("预算数", 6, 1), ("决算数", 6, 1)],
        [("合计", 1, 2), ("因公出国（境）费", 1, 2), ("公务用车购置及运行维护费", 3, 1), ("公务接待费", 1, 2)] * 2,
        ["小计", "公务用车购置费", "公务用车运行维护费"] * 2,
        [str(n) for n in range(1, 13)],
    ], [1.0] * 12, landscape=True, label_columns=()),
]

_CLASS_CODES = [("科目编码", 3, 1)]


def _yusuan(number: int, name: str, header, widths, landscape=False, label_columns=(0, 1, 2, 3)):
    return Layout(f"yusuan{number:02d}", name, f"表{number}", header, widths, landscape, label_columns)


_BY_SUBJECT = [
    _CLASS_CODES + [("科目名称", 1, 2), ("合计", 1, 2), ("基本支出", 1, 2), ("项目支出", 1, 2)],
    ["类", "款", "项"],
]

YUSUAN = [
    _yusuan(1, "部门收支预算表", [
        [("收入", 2, 1), ("支出", 2, 1)],
        ["项目", "预算数", "项目", "预算数"],
    ], [3.4, 1.3, 3.4, 1.3], label_columns=(0, 2)),
    _yusuan(2, "部门收入预算表", [
        _CLASS_CODES + [(t, 1, 2) for t in ("科目名称", "合计", "一般公共预算", "政府性基金预算",
                                            "国有资本经营预算", "财政专户管理资金", "单位资金")],
        ["类", "款", "项"],
    ], [0.5, 0.5, 0.5, 3.0, 1.1, 1.1, 1.0, 1.0, 1.0, 1.0], landscape=True),
    _yusuan(3, "部门支出预算表", _BY_SUBJECT, [0.5, 0.5, 0.5, 3.4, 1.2, 1.2, 1.2]),
    _yusuan(4, "财政拨款收支预算表", [
        [("收入", 2, 1), ("支出", 4, 1)],
        ["项目", "预算数", "项目", "合计", "一般公共预算", "政府性基金预算"],
    ], [2.6, 1.0, 2.6, 1.0, 1.1, 1.1], label_columns=(0, 2)),
    _yusuan(5, "一般公共预算支出预算表", _BY_SUBJECT, [0.5, 0.5, 0.5, 3.4, 1.2, 1.2, 1.2]),
    _yusuan(6, "一般公共预算基本支出预算表", [
        [("经济分类科目编码", 2, 1), ("科目名称", 1, 2), ("合计", 1, 2), ("人员经费", 1, 2), ("公用经费", 1, 2)],
        ["类", "款"],
    ], [0.6, 0.6, 3.4, 1.2, 1.2, 1.2], label_columns=(0, 1, 2)),
    _yusuan(7, "一般公共预算“三公”经费预算表", [
        [("合计", 1, 2), ("因公出国（境）费", 1, 2), ("公务用车购置及运行费", 3, 1), ("公务接待费", 1, 2)],
        ["小计", "公务用车购置费", "公务用车运行费"],
    ], [1.0] * 6, label_columns=()),
    _yusuan(8, "政府性基金支出预算表", _BY_SUBJECT, [0.5, 0.5, 0.5, 3.4, 1.2, 1.2, 1.2]),
    _yusuan(9, "国有资本经营支出预算表", _BY_SUBJECT, [0.5, 0.5, 0.5, 3.4, 1.2, 1.2, 1.2]),
    _yusuan(10, "项目支出预算表", [
        [("项目名称", 1, 2), ("科目编码", 3, 1), ("科目名称", 1, 2), ("合计", 1, 2), ("一般公共预算", 1, 2),
         ("政府性基金预算", 1, 2)],
        ["类", "款", "项"],
    ], [2.8, 0.6, 0.6, 0.6, 3.0, 1.1, 1.1, 1.1], label_columns=(0, 1, 2, 3, 4)),
]

LAYOUTS = {layout.key: layout for layout in JUESUAN + YUSUAN}
