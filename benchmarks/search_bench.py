"""Chinese search at scale: build a synthetic archive of N pages, index it, and time every
search path a person reaches through Datasette's HTTP API.

    .venv/bin/python benchmarks/search_bench.py --pages 1000000 --db /tmp/search-bench.db
    .venv/bin/python benchmarks/search_bench.py --reuse --db /tmp/search-bench.db  # again

Prints insert, index and optimize times (wall, and CPU seconds of the indexing process:
what one core spends), database and index size, the load average, then for words of one,
two, four and eight characters, rare words, phrases of common characters that never stand
together and numbers next to Chinese, p50/p95 ms of: the ``search_pages`` canned query
(Datasette's own search, ``escape_fts``); the table view ``pages.json?_search=`` with its
count and the HTML page ``pages?_search=`` (the search box); ``_search_text=`` (one
column); the search within one document (``document_id=``, an indexed filter); a facet
over the hits; a filter on an unindexed column (``page=50``, 2 % of rows pass);
``/-/search`` over every table; ``/-/search`` on pages by relevance and newest first; the
load average beside each row; then what the table view says; a ``LIKE`` count over the
text checks that the index finds exactly what a scan finds (``--no-like`` skips it); last,
the documents table with its five facets. "!" marks a path that Datasette stopped at its
SQL time limit (HTTP 400). A benchmark, not a test: it takes many minutes at a million pages.

Measured 2026-12-06 on the 2-core workplace machine while five others' test suites and
builds ran (wall times several times a quiet core's; the load average is printed beside
each row), pages of ~1,200 characters, index of CJK character pairs, --runs 20:
  build of 1,000,000 pages (3.0 GB of text; load 12-18): insert 133 s; index 1,465 s wall,
  264 s CPU: 26.4 s CPU per 100k pages; optimize 337 s wall, 45 s CPU; database 7.6 GB:
  pages 4.1 GB, pages index 3.3 GB. 2,000,000 pages indexed again in place (--reindex,
  load 5-18): 621 s CPU, 31.0 s per 100k (merges grow with the index); optimize 110 s
  CPU; database 15.3 GB, pages index 6.7 GB.
  p50 / p95 ms          common words (227k-2M hits)                 rare, absent (0-200 hits)
                        1M, load 5-6    2M, load 5-7   1M, load 12-18   1M        2M
  canned                2-6 / 2-10      2-5 / 2-9      2-16 / 3-38      1-3 / 2-6  1-5 / 2-10
  table json (count)    6-19 / 6-67     5-15 / 6-24    6-60 / 8-93      3-5 / 3-8  3-13 / 3-18
  table page (box)     10-27 / 11-56    9-23 / 10-36  10-33 / 12-185    4-10 / 4-20  4-20 / 4-31
  one column            6-19 / 6-60     5-15 / 6-95    6-46 / 6-495     3-8 / 4-10  3-12 / 3-16
  in a document         5-19 / 5-48     5-21 / 5-40    5-24 / 7-112     3-7 / 3-13  3-11 / 3-16
  facets                8-19 / 9-43     7-24 / 8-32    8-26 / 8-132     3-8 / 3-13  3-10 / 3-16
  unindexed filter     32-45 / 33-63   32-47 / 38-68  53-103 / 76-286   3-5 / 3-53  3-5 / 3-6
  search-all           14-40 / 15-80   12-35 / 13-76  26-181 / 42-324   2-7 / 3-11  2-6 / 3-14
  relevance            15-25 / 15-74   13-29 / 15-41  21-192 / 112-492  2-11 / 2-21  2-14 / 2-19
  newest                5-10 / 5-38     5-18 / 5-27    5-70 / 6-155     2-10 / 2-35  2-6 / 2-16
  documents, 5 facets: HTML p50 26-44 / p95 70-78, JSON 10-13 / 16-21 (load 5).
  Twice the pages, the same times: every path reads at most 10,001 hits of the index (the
  count), a window of the newest 1,000, and the rows shown; relevance and search-all read
  the text of the newest 1,000 hits to rank them; the unindexed filter checks hits for at
  most table_search.FILTERED_MS (25 ms). The table view says "10,000+ rows match; these
  are the newest 1,000" for every common word; its count never timed out, no path hit the
  time limit. Recall: FTS hit counts equal LIKE counts for every query at 1M (asserted).
  Phrases of common characters that never stand together (度年, 年预算支出, 经费人员) read
  only the short lists of their rare pairs: p50 2-19 ms on every path, at 1M and 2M alike,
  where one token per character took 0.4-3.1 s at 1M (and grew with the archive).
  At 10,000,000 pages (extrapolated): database ~76 GB (pages 41, index ~33), more than the
  page cache, so the first read of a cold index page costs a disk read; the search paths
  read the same bounded number of hits and rows, so they stay within these figures plus
  cold reads; a phrase of rare pairs reads the rarest pair's list (10x longer, still short).
  Indexing everything again (an upgrade that changes the tokens) grows ~4-5 s per 100k
  pages per doubling: ~40 s CPU per 100k, ~70 min of one core at 10M; nightly runs index
  only new pages.
  Before (same machine, 2026-11-23): table view ?_search=&_nocount=1 100-900 ms, its count
  timing out at 3 s on common words; /-/search ranked by FTS5's bm25 took 0.1-1.6 s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import closing
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gongkai.archive import Archive, search  # noqa: E402

SUBJECTS = ["一般公共服务支出", "教育支出", "社会保障和就业支出", "卫生健康支出", "住房保障支出",
            "城乡社区支出", "农林水支出", "科学技术支出", "文化旅游体育与传媒支出", "交通运输支出"]
REASONS = ["人员增加", "人员减少", "财政资金紧张", "严控支出厉行节俭", "智慧城市建设项目推进",
           "政务云平台迁移", "项目完成", "年初未预算年中追加", "上年结转资金使用", "机构改革职能划转",
           "人员经费相应增加", "公用经费节约", "办公费差旅费减少", "信创项目经费支出减少",
           "退休人员增加", "缴费基数调整", "国库集中支付退回", "新增工作任务", "预算编制测算偏差",
           "公车改革", "物业费上涨", "设备购置", "疫情防控", "乡村振兴补助", "基础设施维修改造",
           "会议培训压减", "差旅标准调整", "债务付息", "水电费增加", "网络安全等级保护测评"]
TEMPLATES = [
    "{year}年度，{subject}年初预算数为{a}万元，决算数{b}万元，完成年初预算的{rate}%，"
    "决算数与年初预算数存在差异的主要原因是{reason}。",
    "与上年度相比，{subject}增加{a}万元，增长{rate}%，主要原因是{reason}。",
    "其中：基本支出{a}万元，占{rate}%；项目支出{b}万元，主要用于{subject}方面。",
    "{year}年度“三公”经费财政拨款支出预算为{a}万元，支出决算为{b}万元，完成预算的{rate}%。",
    "部门职责：贯彻执行有关{subject}的法律、法规和方针政策，统筹推进{reason}相关工作。",
    "机关运行经费支出{a}万元，比上年减少{b}万元，下降{rate}%，主要原因是{reason}。",
    "名词解释：财政拨款收入指本年度从本级财政部门取得的财政拨款，包括一般公共预算财政拨款和"
    "政府性基金预算财政拨款。",
    "国有资产占用情况：截至{year}年12月31日，共有车辆{n}辆，其中一般公务用车{n}辆，"
    "单价100万元以上专用设备{n}台（套）。",
    "政府采购支出总额{a}万元，其中：政府采购货物支出{b}万元、政府采购工程支出0万元、"
    "政府采购服务支出{a}万元。",
    "本部门无政府性基金预算财政拨款收入，也没有使用政府性基金预算财政拨款安排的支出，故本表无数据。",
    "{year}年度共组织对{n}个项目开展绩效自评，涉及资金{a}万元，占一般公共预算项目支出总额的{rate}%。",
]
RARE = "数据要素市场化"  # in one page of 10,000
# Common characters in an order the templates never write, in the same pages as RARE.
RARE_COMMON = "经费年度增加"
# "absent": common characters that never stand together; "1 char": one character, found
# through the index's characters column; "mixed": numbers next to CJK characters.
QUERIES = {"1 char": ["年", "费", "券"],
           "2 chars": ["人员", "经费", "政务"], "4 chars": ["人员增加", "智慧城市", "财政资金"],
           "8 chars": ["严控支出厉行节俭", "智慧城市建设项目"], "rare": [RARE, RARE_COMMON],
           "absent": ["度年", "年预算支出", "经费人员"],
           "mixed": ["2024年度", "12月31日", "100万元"]}


def sentence_bank(rng: random.Random, size: int = 5000) -> list[str]:
    return [
        rng.choice(TEMPLATES).format(
            year=rng.randint(2015, 2025), subject=rng.choice(SUBJECTS), reason=rng.choice(REASONS),
            a=f"{rng.uniform(1, 9000):.2f}", b=f"{rng.uniform(1, 9000):.2f}",
            rate=f"{rng.uniform(1, 150):.2f}", n=rng.randint(0, 30))
        for _ in range(size)
    ]


def build(db: Path, pages: int, chars: int, batch: int, seed: int = 1) -> dict[str, float]:
    """Write ``pages`` pages (50 per document) through the real schema and triggers, then index."""
    rng = random.Random(seed)
    bank = sentence_bank(rng)
    per_sentence = sum(map(len, bank)) / len(bank)
    k = max(1, round(chars / per_sentence))
    timings = {}
    with Archive(db) as archive:
        conn = archive.conn
        start = time.perf_counter()
        for first in range(0, pages, 50_000):
            with archive.transaction():
                docs = []
                for d in range(first // 50, min(pages, first + 50_000) // 50 + 1):
                    if d * 50 >= pages:
                        break
                    sha = f"{d:064x}"
                    docs.append((sha,))
                    conn.execute("INSERT OR IGNORE INTO files (sha256, size, path, first_seen) "
                                 "VALUES (?, 0, ?, '2025-01-01')", (sha, sha))
                    conn.execute("INSERT OR IGNORE INTO documents (id, sha256, title, fiscal_year, "
                                 "doc_type, status) VALUES (?, ?, ?, ?, '决算', 'ok')",
                                 (d + 1, sha, f"第{d}单位部门决算", 2015 + d % 11))
                rows = []
                for n in range(first, min(pages, first + 50_000)):
                    text = "".join(rng.choices(bank, k=k))
                    if n % 10_000 == 7:
                        text += f"推进{RARE}改革，{RARE_COMMON}。"
                    rows.append((n // 50 + 1, n % 50 + 1, text))
                conn.executemany("INSERT INTO pages (document_id, page, text) VALUES (?, ?, ?)", rows)
            print(f"  inserted {min(pages, first + 50_000):,} pages", file=sys.stderr, flush=True)
        timings["insert_s"] = time.perf_counter() - start
        # CPU seconds of this process (SQLite runs in it) are what one core spends; wall
        # seconds also count the waits of a shared machine.
        start, cpu = time.perf_counter(), time.process_time()
        archive.refresh_search(batch=batch)
        timings["index_s"] = time.perf_counter() - start
        timings["index_cpu_s"] = time.process_time() - cpu
        start, cpu = time.perf_counter(), time.process_time()
        search.optimize(conn)
        timings["optimize_s"] = time.perf_counter() - start
        timings["optimize_cpu_s"] = time.process_time() - cpu
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return timings


def reindex(db: Path, batch: int) -> dict[str, float]:
    """Index an existing benchmark archive again from scratch with today's code (opening it
    recreates an index whose definition changed, as an upgraded archive does)."""
    timings = {}
    with Archive(db) as archive:
        start, cpu = time.perf_counter(), time.process_time()
        search.rebuild(archive.conn, batch=batch)
        timings["index_s"] = time.perf_counter() - start
        timings["index_cpu_s"] = time.process_time() - cpu
        start, cpu = time.perf_counter(), time.process_time()
        search.optimize(archive.conn)
        timings["optimize_s"] = time.perf_counter() - start
        timings["optimize_cpu_s"] = time.process_time() - cpu
        archive.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return timings


def sizes(db: Path) -> dict[str, float]:
    conn = sqlite3.connect(db)
    out = {"database_gb": db.stat().st_size / 1e9}
    try:
        out["pages_fts_gb"] = conn.execute(
            "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'pages_fts%'").fetchone()[0] / 1e9
        out["pages_gb"] = conn.execute(
            "SELECT sum(pgsize) FROM dbstat WHERE name = 'pages'").fetchone()[0] / 1e9
    except sqlite3.OperationalError:
        pass  # SQLite built without dbstat
    out["text_gb"] = conn.execute("SELECT sum(length(CAST(text AS BLOB))) FROM pages").fetchone()[0] / 1e9
    conn.close()
    return out


def timed(fn, runs: int) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, result


def get_json(base: str, path: str, **params) -> object:
    """The JSON at ``path``, or ``{"error": status}`` (Datasette answers 400 past its time limit)."""
    url = f"{base}{path}?{urllib.parse.urlencode(params)}"
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        return {"error": error.code}


def get_text(base: str, path: str, **params) -> object:
    """The page at ``path`` as text, or ``{"error": status}``."""
    url = f"{base}{path}?{urllib.parse.urlencode(params)}"
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.read().decode()
    except urllib.error.HTTPError as error:
        return {"error": error.code}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(db: Path, port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; from gongkai.archive.publish import serve; "
         f"serve(sys.argv[1], port={port}, immutable=False)", str(db)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        cwd=Path(__file__).resolve().parent.parent)
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/-/versions.json", timeout=2)
            return process
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit("Datasette did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1_000_000)
    parser.add_argument("--chars", type=int, default=1200, help="characters per page")
    parser.add_argument("--db", type=Path, default=Path("/tmp/search-bench.db"))
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--batch", type=int, default=5000, help="rows per index transaction")
    parser.add_argument("--reuse", action="store_true", help="query an existing --db")
    parser.add_argument("--build-only", action="store_true", help="build --db, keep it, query nothing")
    parser.add_argument("--reindex", action="store_true",
                        help="index an existing --db again with today's code, time it, keep it")
    parser.add_argument("--keep", action="store_true", help="keep the database (6 GB at 1M pages)")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--kinds", nargs="*", default=list(QUERIES), choices=list(QUERIES),
                        help="which kinds of query to time [default: all]")
    parser.add_argument("--no-like", action="store_true",
                        help="skip the LIKE scans (minutes at a million pages) and their recall check")
    args = parser.parse_args()

    if args.reindex or not args.reuse:
        if args.reindex:
            timings = reindex(args.db, args.batch)
            timings["insert_s"] = 0
            with closing(sqlite3.connect(args.db)) as conn:
                args.pages = conn.execute("SELECT count(*) FROM pages").fetchone()[0]
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{args.db}{suffix}").unlink(missing_ok=True)
            timings = build(args.db, args.pages, args.chars, args.batch)
        per_100k = 1e5 / args.pages
        print(f"pages: {args.pages:,}  load {os.getloadavg()[0]:.1f}  insert {timings['insert_s']:.0f} s  index "
              f"{timings['index_s']:.0f} s wall, {timings['index_cpu_s']:.0f} s CPU "
              f"({timings['index_cpu_s'] * per_100k:.1f} s CPU per 100k pages)  optimize "
              f"{timings['optimize_s']:.0f} s wall, {timings['optimize_cpu_s']:.0f} s CPU", flush=True)
        if args.build_only:
            return
    print("sizes: " + "  ".join(f"{k} {v:.2f}" for k, v in sizes(args.db).items()))
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} "
          "cores (times of a loaded machine are several times a quiet one's)", flush=True)

    port = args.port or free_port()
    process = serve(args.db, port)
    base = f"http://127.0.0.1:{port}"
    db_name = args.db.stem
    direct = sqlite3.connect(args.db)
    try:
        # Every search path a person reaches, p50/p95 ms; "!" where Datasette gave up at its
        # time limit (HTTP 400).
        paths = {
            "canned": lambda w: get_json(base, f"/{db_name}/search_pages.json", q=w, _shape="array"),
            "table json": lambda w: get_json(base, f"/{db_name}/pages.json", _search=w, _size=50,
                                             _col="page"),
            "table page": lambda w: get_text(base, f"/{db_name}/pages", _search=w),
            # ``_search_text=``: the one indexed column of pages, searched alone.
            "one column": lambda w: get_json(base, f"/{db_name}/pages.json", _search_text=w,
                                             _col="page"),
            # Search within one document (its pages link to it): a filter on an indexed column.
            "in a document": lambda w: get_json(base, f"/{db_name}/pages.json", _search=w,
                                                document_id=str(args.pages // 100), _col="page"),
            # A facet counted over the hits the page works on.
            "facets": lambda w: get_json(base, f"/{db_name}/pages.json", _search=w,
                                         _facet="page", _col="page"),
            # A filter on an unindexed column that most rows fail: the hits are checked a
            # chunk at a time within table_search.FILTERED_MS.
            "unindexed filter": lambda w: get_json(base, f"/{db_name}/pages.json", _search=w,
                                                   page="50", _col="page"),
            "search-all": lambda w: get_json(base, "/-/search", q=w, _format="json"),
            "relevance": lambda w: get_json(base, "/-/search", q=w, table="pages",
                                            order="relevance", _format="json"),
            "newest": lambda w: get_json(base, "/-/search", q=w, table="pages", order="newest",
                                         _format="json"),
        }
        print(f"{'query':<22}{'hits':>9}  " + "  ".join(f"{name:>15}" for name in paths)
              + f"  {'LIKE count':>11}  load")
        for kind in args.kinds:
            for word in QUERIES[kind]:
                match = search.fts_query(word)
                hits = direct.execute("SELECT count(*) FROM pages_fts WHERE pages_fts MATCH ?",
                                      (match,)).fetchone()[0]
                cells = []
                for name, path in paths.items():
                    p50, p95, result = timed(lambda: path(word), args.runs)
                    flag = "!" if isinstance(result, dict) and "error" in result else " "
                    cells.append(f"{p50:>6.1f}/{p95:<7.1f}{flag}")
                shown = get_json(base, f"/{db_name}/pages.json", _search=word, _size=1)
                like = "-"
                if not args.no_like:
                    p50, _, found = timed(lambda: direct.execute(
                        "SELECT count(*) FROM pages WHERE text LIKE ?", (f"%{word}%",)).fetchone()[0], 1)
                    assert found == hits, f"{word}: LIKE {found} vs FTS {hits}"
                    like = f"{p50:.0f}"
                print(f"{kind + ' ' + word:<22}{hits:>9,}  " + "  ".join(cells) + f"  {like:>11}"
                      f"  {os.getloadavg()[0]:.1f}", flush=True)
                print(f"{'':<33}table view says: " + (
                    f"HTTP {shown['error']}" if "error" in shown else
                    f"count {shown['filtered_table_rows_count']}, hits "
                    f"{shown.get('search_hits_label', '-')}: {shown['human_description_en']}"),
                    flush=True)
        for label, path in (("documents page, 5 facets", f"/{db_name}/documents"),
                            ("documents json, 5 facets", f"/{db_name}/documents.json")):
            p50, p95, _ = timed(lambda: get_text(base, path, _search="部门决算"), args.runs)
            print(f"{label} ?_search=部门决算: p50 {p50:.1f} ms, p95 {p95:.1f} ms"
                  f"  load {os.getloadavg()[0]:.1f}", flush=True)
    finally:
        direct.close()
        process.terminate()
        process.wait(timeout=30)
        if not (args.keep or args.reuse or args.build_only or args.reindex):
            for suffix in ("", "-wal", "-shm"):
                Path(f"{args.db}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
