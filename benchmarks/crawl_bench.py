"""Crawl a generated portal of >= 2,000 pages and 500 disclosure files on 127.0.0.1, twice.

Prints pages/s and files/s of the first crawl, and for the second crawl over the unchanged
site the requests made, the bytes received and how many file bodies came again (the goal:
none — every archived file answers 304 to the conditional request).

    .venv/bin/python benchmarks/crawl_bench.py [--articles 1900] [--files 500]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from gongkai.crawler import run_crawl  # noqa: E402
from sites.server import render_pdf, request_log, serve  # noqa: E402

LIST_SIZE = 19


def generate_site(root: Path, articles: int, files: int) -> dict[str, int]:
    """A TRS-style portal: index → columns → paged lists (createPageHTML) → articles → PDFs."""
    lists = -(-articles // LIST_SIZE)
    columns = max(1, lists // 5)
    per_column = -(-lists // columns)
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /admin/\n")
    column_links = "".join(f'<li><a href="col{c}/index.html">部门预决算公开（第{c}组）</a></li>' for c in range(columns))
    (root / "index.html").write_text(
        f'<html><head><meta charset="utf-8"><title>示例市人民政府</title></head><body>'
        f'<a href="/admin/">后台</a><ul>{column_links}</ul></body></html>', "utf-8")
    article = 0
    for c in range(columns):
        folder = root / f"col{c}"
        folder.mkdir()
        for page in range(per_column):
            items = []
            for _ in range(LIST_SIZE):
                if article >= articles:
                    break
                has_file = article < files
                title = f"示例单位{article}2023年部门决算" if has_file else f"示例单位{article}工作动态"
                items.append(f'<li><a href="./a{article}.html">{title}</a></li>')
                attachment = f'<a href="./P0{article:08d}.pdf">{title}.pdf</a>' if has_file else ""
                (folder / f"a{article}.html").write_text(
                    f'<html><head><meta charset="utf-8"><title>{title}</title></head><body><h1>{title}</h1>'
                    f'<p>正文。</p>{attachment}<a href="../index.html">首页</a></body></html>', "utf-8")
                if has_file:
                    (folder / f"P0{article:08d}.pdf").write_bytes(render_pdf([title, f"编号 {article}"]))
                article += 1
            name = "index.html" if page == 0 else f"index_{page}.html"
            (folder / name).write_text(
                f'<html><head><meta charset="utf-8"><title>部门预决算公开</title></head><body>'
                f'<ul>{"".join(items)}</ul><script>createPageHTML({per_column}, {page}, "index", "html");'
                f'</script></body></html>', "utf-8")
    return {"pages": 1 + columns * per_column + articles, "files": min(files, articles)}


def crawl(base: str, archive: Path, settings: dict) -> dict:
    request_log(base, clear=True)
    started = time.perf_counter()
    summary = run_crawl([base + "index.html"], archive, settings={"LOG_LEVEL": "WARNING", **settings})
    summary["wall_seconds"] = time.perf_counter() - started
    summary["log"] = request_log(base)
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1900)
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--unthrottled", action="store_true",
                        help="switch AutoThrottle off and allow 8 requests at once: the crawler's own speed")
    args = parser.parse_args()
    settings = {"AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS_PER_DOMAIN": 8} if args.unthrottled else {}
    with tempfile.TemporaryDirectory(prefix="gongkai-crawl-bench-") as scratch:
        root = Path(scratch) / "site"
        root.mkdir()
        site = generate_site(root, args.articles, args.files)
        print(f"generated site: {site['pages']} pages, {site['files']} disclosure PDFs; "
              f"{'unthrottled' if args.unthrottled else 'production settings (AutoThrottle, 2 per domain)'}")
        archive = Path(scratch) / "archive.db"
        with serve(root) as base:
            first = crawl(base, archive, settings)
            second = crawl(base, archive, settings)
    elapsed = first["stats"]["elapsed_time_seconds"]
    print(f"first crawl : {first['pages']} pages, {first['files_new']} files new, {first['errors']} errors "
          f"in {elapsed:.1f} s (process {first['wall_seconds']:.1f} s)")
    print(f"              {first['pages'] / elapsed:.1f} pages/s, {first['files_new'] / elapsed:.1f} files/s, "
          f"{first['stats'].get('downloader/response_bytes', 0) / 1e6:.1f} MB received")
    bodies_again = sum(1 for e in second["log"] if e["path"].endswith(".pdf") and e["status"] == 200)
    not_modified = sum(1 for e in second["log"] if e["status"] == 304)
    stats = second["stats"]
    print(f"second crawl: {stats.get('downloader/request_count', 0)} requests, "
          f"{stats.get('downloader/response_bytes', 0) / 1e6:.2f} MB received in "
          f"{stats['elapsed_time_seconds']:.1f} s; file bodies downloaded again: {bodies_again}, "
          f"304 Not Modified: {not_modified}; files unchanged {second['files_unchanged']}, "
          f"new {second['files_new']}, changed {second['files_changed']}")
    if first["files_new"] < site["files"] or bodies_again:
        sys.exit(1)


if __name__ == "__main__":
    main()
