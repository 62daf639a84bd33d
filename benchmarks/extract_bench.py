"""Extraction speed and memory, beside poppler's pdftotext on the same files.

Prints pages per second with one worker and with every core, the ratio to pdftotext (the
issue's target: full extraction within 10× pdftotext, single core), peak memory per worker,
peak memory on one 300-page PDF, and where the time goes (cProfile of one document).

    .venv/bin/python benchmarks/extract_bench.py [--pages 200] [--profile]
"""

from __future__ import annotations

import argparse
import copy
import cProfile
import io
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

FIXTURES = REPO / "tests" / "fixtures" / "documents"
KINDS = ("reportlab", "libreoffice")


def corpus(min_pages: int) -> list[Path]:
    """The fixture renderings, repeated until they hold at least ``min_pages`` pages."""
    import pdfplumber

    files = sorted(path for kind in KINDS for path in FIXTURES.glob(f"*.{kind}.pdf"))
    counts = {path: len(pdfplumber.open(path).pages) for path in files}
    chosen, pages = [], 0
    while pages < min_pages:
        for path in files:
            chosen.append(path)
            pages += counts[path]
    return chosen


def _extract(path: str) -> tuple[int, int]:
    """Worker: extract one file; (pages, this process's peak RSS in KiB)."""
    from gongkai import extract

    record = extract.extract_bytes(Path(path).read_bytes(), Path(path).name)
    return record["page_count"], resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run_pool(files: list[Path], workers: int) -> tuple[float, int, int]:
    """(seconds, pages, peak RSS of any worker in KiB), the pool warmed up first."""
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(_extract, [str(files[0])] * workers))  # imports, fonts, CMaps
        start = time.perf_counter()
        results = list(pool.map(_extract, [str(path) for path in files]))
        elapsed = time.perf_counter() - start
    return elapsed, sum(pages for pages, _ in results), max(rss for _, rss in results)


def run_pdftotext(files: list[Path]) -> float:
    start = time.perf_counter()
    for path in files:
        subprocess.run(["pdftotext", str(path), "-"], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def big_pdf(pages: int) -> bytes:
    """One long disclosure: a sample source's body repeated, rendered by the samples' renderer."""
    from samples.pdf import render
    from samples.source import load_sources

    source = next(s for s in load_sources() if s["slug"] == "yanshi-2024-juesuan")
    one, count, _ = render(source)
    long_source = copy.deepcopy(source)
    long_source["body"] = source["body"] * max(1, round(pages / count))
    data, _, _ = render(long_source)
    return data


def _peak_of_one(path: str) -> tuple[int, int, float]:
    start = time.perf_counter()
    pages, rss = _extract(path)
    return pages, rss, time.perf_counter() - start


def profile(path: Path, top: int) -> None:
    from gongkai import extract

    data = path.read_bytes()
    extract.extract_bytes(data, path.name)  # warm
    profiler = cProfile.Profile()
    profiler.enable()
    extract.extract_bytes(data, path.name)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    total = stats.total_tt
    stages = [
        ("pdfminer + pdfplumber: interpret pages into char/line objects", "pdfplumber/page.py", "parse_objects"),
        ("  of which pdfminer's content-stream interpreter", "pdfminer/pdfinterp.py", "process_page"),
        ("pdfplumber: find ruled tables (edges, intersections)", "pdfplumber/page.py", "find_tables"),
        ("extract: fill table cells (bisect)", "extract/pdf.py", "_raw_table"),
        ("pdfplumber: page text (extract_text)", "pdfplumber/page.py", "extract_text"),
        ("pdfplumber: narrative lines (extract_text_lines)", "pdfplumber/page.py", "extract_text_lines"),
        ("extract: tables → records", "extract/tables.py", "find_tables"),
        ("extract: paragraphs", "extract/narrative.py", "paragraphs"),
        ("extract: explanations", "extract/explanations.py", "explanations"),
        ("extract: line items + findings + metadata", "extract/document.py", "build_record"),
    ]
    print(f"\nprofile of {path.name}: {total:.2f} s inside Python (cumulative per step)")
    for label, file_part, function in stages:
        cumulative = max(
            (row[3] for key, row in stats.stats.items() if file_part in key[0] and key[2] == function),
            default=0.0,
        )
        print(f"  {cumulative:6.2f} s  {cumulative / total:5.1%}  {label}")
    stats.sort_stats("tottime").print_stats(top)
    print("\n".join(out.getvalue().splitlines()[-(top + 2):]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200, help="corpus size in pages")
    parser.add_argument("--big", type=int, default=300, help="pages of the long PDF for peak memory")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one document")
    args = parser.parse_args()

    files = corpus(args.pages)
    cores = os.cpu_count() or 1
    one_time, pages, one_rss = run_pool(files, 1)
    all_time, _, all_rss = run_pool(files, cores)
    poppler = run_pdftotext(files)
    print(f"corpus: {len(files)} files, {pages} pages (fixtures in {len(KINDS)} renderings)")
    print(f"pdftotext:            {pages / poppler:8.1f} pages/s  ({poppler:.2f} s)")
    print(f"extract, 1 worker:    {pages / one_time:8.1f} pages/s  ({one_time:.2f} s)  "
          f"{one_time / poppler:.1f}× pdftotext  peak {one_rss / 1024:.0f} MiB/worker")
    print(f"extract, {cores} workers:   {pages / all_time:8.1f} pages/s  ({all_time:.2f} s)  "
          f"{all_time / poppler:.1f}× pdftotext  peak {all_rss / 1024:.0f} MiB/worker")

    for kind in KINDS:  # poppler is much faster on reportlab's non-embedded fonts
        subset = [path for path in files if f".{kind}." in path.name]
        seconds, subset_pages, _ = run_pool(subset, 1)
        print(f"  {kind:11} renderings, 1 worker: {subset_pages / seconds:6.1f} pages/s, "
              f"{seconds / run_pdftotext(subset):.1f}× pdftotext")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long.pdf"
        path.write_bytes(big_pdf(args.big))
        with ProcessPoolExecutor(max_workers=1) as pool:  # a fresh process: its own peak
            big_pages, big_rss, seconds = pool.submit(_peak_of_one, str(path)).result()
        start = time.perf_counter()
        subprocess.run(["pdftotext", str(path), "-"], check=True, stdout=subprocess.DEVNULL)
        poppler_big = time.perf_counter() - start
        print(f"long PDF: {big_pages} pages in {seconds:.1f} s ({big_pages / seconds:.1f} pages/s, "
              f"{seconds / poppler_big:.1f}× pdftotext), peak {big_rss / 1024:.0f} MiB in one worker")

    if args.profile:
        profile(FIXTURES / "yanshi-2024-juesuan.libreoffice.pdf", top=15)


if __name__ == "__main__":
    main()
