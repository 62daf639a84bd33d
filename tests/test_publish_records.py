"""A realistic archive for the publishing tests, and the search tokenizer on its own.

``build_archive`` writes documents through the real ``Archive.save_document`` (real SQLite,
real triggers, a real sample PDF as the archived file) and indexes them with
``archive.search.refresh``; the other test_publish_* modules import it.
"""

from __future__ import annotations

import random
import unicodedata
from pathlib import Path

import pytest

from gongkai.archive import Archive, search

REPO = Path(__file__).resolve().parent.parent
SAMPLE_PDF = sorted((REPO / "samples" / "portal").rglob("*.pdf"))[0]

# Phrases of real 情况说明 and 差异原因 sentences (from the samples and real disclosures).
PHRASES = [
    "决算数与年初预算数存在差异的主要原因是人员增加",
    "主要原因是新调入及招录13人导致人员经费增加",
    "信创项目和政务云项目经费支出减少",
    "智慧城市建设项目按进度拨付",
    "贯彻落实政府“紧日子”政策，严控支出，厉行节俭",
    "财政收入减少，在保证正常支出的前提下，一般预算支出会相应地减少",
    "公用经费 9.00 万元，与上年度相比增加 2.47 万元，增长 37.83%",
    "一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）事业运行（项）",
    "人员经费 250.93 万元，主要包括：基本工资、奖金、津贴补贴",
    "年初预算数为 765.29 万元，决算数 448.64 万元，完成年初预算的 58.62%",
    "因人员，增加了办公设备购置",  # 人员 and 增加 split by a comma: not 人员增加
    "政务服务大厅运行维护及智慧政务平台升级",
    "住房公积金（项）。年初预算数为 16.53 万元，决算数 16.53 万元，无差异",
    "数据中心迁移至政务云平台，IDC 托管费用减少",
    "2024 年度部门决算公开",
]
REGIONS = ["洛阳市洛龙区", "浙江省温州市鹿城区", "四川省成都市", None]
CATEGORIES = {"人员增加": "staff_increase", "政务云": "project_decrease", "紧日子": "austerity",
              "财政收入减少": "fiscal_tightness", "智慧城市": "project_increase"}


def records(count: int = 24, seed: int = 7) -> list[dict]:
    """``count`` extracted-document records with pages, sections and explanations."""
    rng = random.Random(seed)
    out = []
    for n in range(count):
        year = 2021 + n % 4
        doc_type = "预算" if n % 5 == 0 else "决算"
        pages = []
        for page in range(1, 5):
            sentences = rng.sample(PHRASES, 4)
            if page == 3 and n % 6 == 1:
                # A word broken across two PDF lines (seen in the samples' wrapped paragraphs).
                sentences.append("主要原因是人员增\n加，经费相应增加")
            pages.append({"page": page, "text": "。".join(sentences) + "。"})
        reasons = rng.sample(PHRASES[:6], 3)
        out.append({
            "title": f"{REGIONS[n % 4] or ''}第{n}单位{year}年度部门{doc_type}",
            "department": f"第{n % 7}局",
            "region": REGIONS[n % 4],
            "fiscal_year": year,
            "doc_type": doc_type,
            "page_count": len(pages),
            "format": "pdf",
            "unit": "万元",
            "pages": pages,
            "sections": [{"heading": "三、支出决算情况说明", "level": 1, "page": 2,
                          "text": pages[1]["text"]}],
            "explanations": [
                {"kind": "budget_vs_actual", "subject": "事业运行", "subject_code": "2010350",
                 "budget": 100.0 + i, "actual": 60.0 + 20 * i, "reason": reason,
                 "text": f"年初预算数与决算数存在差异的主要原因是{reason}。", "page": 3}
                for i, reason in enumerate(reasons)
            ],
            "line_items": [
                {"table": "一般公共预算财政拨款支出决算表", "subject_code": "2010350",
                 "subject_name": "事业运行", "level": "项", "page": 2,
                 "values": {"年初预算数": 765.29, "决算数": 448.64}},
            ],
            "findings": [{"rule": "totals_mismatch", "severity": "warning",
                          "message": "收入合计不等于各项收入之和", "page": 1}] if n % 3 == 0 else [],
        })
    return out


def categorize(explanation: dict) -> list[dict]:
    """A stand-in for nlp's labels, good enough to give categories to facet and chart."""
    return [
        {"label": label, "score": 0.9, "model_version": "test"}
        for cue, label in CATEGORIES.items()
        if cue in explanation["text"]
    ] or [{"label": "other", "score": 0.5, "model_version": "test"}]


def build_archive(path: Path, count: int = 24) -> Path:
    """A real archive at ``path``: one real sample PDF per document (distinct bytes)."""
    pdf = SAMPLE_PDF.read_bytes()
    with Archive(path) as archive:
        for n, record in enumerate(records(count)):
            body = pdf + f"\n%gongkai test document {n}\n".encode()
            url = f"http://127.0.0.1/articles/{n}.pdf"
            sha256, _ = archive.store_file(body, url=url, filename=f"附件{n}.pdf",
                                           content_type="application/pdf", file_format="pdf")
            archive.record_fetch(url=url, kind="file", status=200, sha256=sha256, outcome="new")
            archive.save_document(sha256, record, extractor_version="test", categorize=categorize)
        search.refresh(archive.conn)
    return path


def compact(text: str) -> str:
    """Text as the index sees it for matching: NFKC, whitespace removed."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def scan(conn, table: str, query: str, *, compacted: bool = False) -> set[int]:
    """Ids of rows where every word of ``query`` is a substring of one of the columns the
    table's index covers (ignoring whitespace when ``compacted``): what search must find."""
    columns = search.source_for(table).columns
    prepare = compact if compacted else (lambda text: text)
    words = [prepare(word) for word in query.split()]
    return {
        row[0]
        for row in conn.execute(f"SELECT id, {', '.join(columns)} FROM {table}")
        if all(any(word in prepare(value or "") for value in row[1:]) for word in words)
    }


@pytest.mark.parametrize(
    "text,expected",
    [
        ("人员增加", "人 人员 员增 增加 加"),
        ("政务云 IDC托管", "政 政务 务云 云 IDC 托 托管 管"),
        ("增长 37.83%", f"增 增长 长 37 {search.BREAK} 83 {search.BREAK}"),
        ("人员，增加", f"人 人员 员 {search.BREAK} 增 增加 加"),
        ("人员增\n加", "人 人员 员增 增加 加"),
        ("２０２４年", "2024 年 年"),  # full-width digits; a run of one: first and last
        ("⼈员增加", "人 人员 员增 增加 加"),  # Kangxi radical ⼈ (U+2F08) from a PDF text layer
        ("a , . b_c", f"a {search.BREAK} b {search.BREAK} c"),
        ("𠀀𠀁x", "𠀀 𠀀𠀁 𠀁 x"),  # characters beyond the BMP
        ("", ""),
    ],
)
def test_fts_text(text, expected):
    assert search.fts_text(text).split() == expected.split()
    assert search.fts_texts([text, "人员"]) == [search.fts_text(text), search.fts_text("人员")]


@pytest.mark.parametrize(
    "query,expected",
    [
        ("人员", '"人员"'),
        ("人员增加 政务云", '"人员 员增 增加" "政务 务云"'),
        ('"人员 增加"', '"人员 员增 增加"'),
        ("（智慧城市）", '"智慧 慧城 城市"'),
        ("37.83%", f'"37 {search.BREAK} 83"'),
        ('say "', '"say"'),
        ("人", 'characters : "人"'),  # one character: anywhere in a run
        ("IDC托", '"IDC 托"'),  # a run's first character alone
        ("托管IDC", '"托管 管 IDC"'),  # its last alone
        ("12月31日", '"12 月 月 31 日"'),
        ("年2024", '"年 2024"'),
        ("", '""'),
        ("，。", '""'),
    ],
)
def test_fts_query(query, expected):
    assert search.fts_query(query) == expected
