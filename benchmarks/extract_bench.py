"""Extraction speed and memory, beside poppler's ``pdftotext -layout`` on the same files.

For the fixtures (both renderings) and the real corpus (tests/real): pages per second with one
worker and with every core, through ``gongkai extract``'s pool (gongkai/pool.py), and
``pdftotext -layout`` on the same files, run back to back (pdftotext, ours, pdftotext) and
repeated, so that other work on a shared machine hits both alike; the spread over rounds is
printed, and CPU-time ratios beside wall-time ones (the target of issue 13: within 3× of
pdftotext with one worker, faster with every core).  Then the peak memory of a worker, a
300-page PDF made of real pages (pypdfium2 concatenates them), the page layer alone per engine
(--candidates) and where the time goes (--profile).

    .venv/bin/python benchmarks/extract_bench.py [--repeat 3] [--candidates] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

FIXTURES = REPO / "tests" / "fixtures" / "documents"
REAL = REPO / "tests" / "real"


def fixture_files(min_pages: int) -> list[Path]:
    """Both renderings of the fixtures, repeated until they hold at least ``min_pages`` pages."""
    files = sorted(path for kind in ("reportlab", "libreoffice") for path in FIXTURES.glob(f"*.{kind}.pdf"))
    counts = {path: _pages(path) for path in files}
    chosen, pages = [], 0
    while pages < min_pages:
        for path in files:
            chosen.append(path)
            pages += counts[path]
    return chosen


def real_files() -> list[Path]:
    """The real corpus: the published PDFs (tests/real/jiangsu/) and the renderings of real
    texts (tests/real/rendered/), each once."""
    return sorted(REAL.glob("*/*.pdf"))


def _pages(path: Path) -> int:
    import pypdfium2

    with pypdfium2.PdfDocument(path) as document:
        return len(document)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_ours(files: list[Path], workers: int) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, pages) for ``gongkai extract``'s pool: the CPU time of the
    workers and of this process, which hands them the files and takes their records."""
    from gongkai.pool import Job, extract_many

    cpu, start = _children_cpu() + time.process_time(), time.perf_counter()
    records = [record for _, record in extract_many([Job(str(path), path.name) for path in files], workers=workers)]
    wall = time.perf_counter() - start
    failed = [record["error"] for record in records if "error" in record]
    if failed:
        raise SystemExit(f"extraction failed: {failed[:3]}")
    return wall, _children_cpu() + time.process_time() - cpu, sum(record["page_count"] for record in records)


def run_pdftotext(files: list[Path]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of ``pdftotext -layout`` on each file in turn."""
    cpu, start = _children_cpu(), time.perf_counter()
    for path in files:
        subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start, _children_cpu() - cpu


def compare(name: str, files: list[Path], repeat: int, cores: int) -> None:
    """Rounds of pdftotext, one worker, every core, pdftotext; ratios against the mean of the
    two pdftotext runs around them."""
    run_ours(files[:1], 1)  # warm the disk cache and the imports the workers fork with
    rounds = []
    for _ in range(repeat):
        before = run_pdftotext(files)
        one = run_ours(files, 1)
        every = run_ours(files, cores)
        after = run_pdftotext(files)
        poppler = [(b + a) / 2 for b, a in zip(before, after)]
        rounds.append((one, every, poppler))
    pages = rounds[0][0][2]
    print(f"\n{name}: {len(files)} files, {pages} pages; {repeat} rounds, load {os.getloadavg()[0]:.1f} now")

    def spread(values: list[float], unit: str = "") -> str:
        return f"{statistics.median(values):.2f}{unit} ({min(values):.2f}–{max(values):.2f})"

    for label, index in (("wall", 0), ("cpu", 1)):
        poppler = [pages / r[2][index] for r in rounds]
        one = [pages / r[0][index] for r in rounds]
        print(f"  {label:4} pdftotext -layout   {spread(poppler, ' p/s')}")
        print(f"  {label:4} extract, 1 worker   {spread(one, ' p/s')}   "
              f"× pdftotext {spread([r[0][index] / r[2][index] for r in rounds])}")
        if label == "wall":  # CPU time adds up over workers: only wall time shows the cores
            every = [pages / r[1][0] for r in rounds]
            print(f"  {label:4} extract, {cores} workers  {spread(every, ' p/s')}   "
                  f"× pdftotext {spread([r[1][0] / r[2][0] for r in rounds])}")


# In a fresh process: ``gongkai extract``'s pool with one worker over the files given; prints
# pages, wall seconds, the worker's CPU seconds and its peak resident memory in KiB (the kernel's
# count for the reaped worker: RUSAGE_CHILDREN).
PEAK_OF_ONE_WORKER = """
import resource, sys, time
from gongkai.pool import Job, extract_many
start = time.perf_counter()
pages = sum(record["page_count"] for _, record in extract_many([Job(path) for path in sys.argv[1:]], workers=1))
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(pages, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)
"""


def peak_memory(files: list[Path]) -> tuple[int, float, float, float]:
    """(pages, wall seconds, CPU seconds, peak MiB) of one worker of the pool, started fresh,
    extracting ``files`` one after another."""
    result = subprocess.run([sys.executable, "-c", PEAK_OF_ONE_WORKER, *map(str, files)],
                            check=True, capture_output=True, text=True, cwd=REPO)
    pages, wall, cpu, peak = result.stdout.split()
    return int(pages), float(wall), float(cpu), int(peak) / 1024


def long_pdf(pages: int) -> bytes:
    """One PDF of ``pages`` real pages: the real corpus's pages in turn, concatenated."""
    import pypdfium2

    target = pypdfium2.PdfDocument.new()
    while len(target) < pages:
        for path in real_files():
            with pypdfium2.PdfDocument(path) as source:
                count = min(len(source), pages - len(target))
                target.import_pages(source, list(range(count)))
            if len(target) >= pages:
                break
    buffer = io.BytesIO()
    target.save(buffer)
    target.close()
    return buffer.getvalue()


def candidates(files: list[Path]) -> None:
    """Each engine's page layer alone (characters and ruling edges of every page), and the whole
    extraction with each engine, in this process (CPU time)."""
    from gongkai import extract
    from gongkai.extract import pdfium_pages, pdfminer_pages

    print("\npage layer alone and whole extraction, per engine (CPU time, one process):")
    datas = [(path.read_bytes(), path.name) for path in files]
    for engine, module in (("pdfium", pdfium_pages), ("pdfminer", pdfminer_pages)):
        start, pages = time.process_time(), 0
        for data, name in datas:
            with module.open_pages(data, name) as objects:
                pages += sum(1 for _ in objects)
        layer = time.process_time() - start
        start = time.process_time()
        for data, name in datas:
            extract.extract_bytes(data, name, engine=engine)
        whole = time.process_time() - start
        print(f"  {engine:9} page layer {pages / layer:6.0f} p/s   whole extraction {pages / whole:6.0f} p/s")


def profile(path: Path, top: int) -> None:
    from gongkai import extract

    data = path.read_bytes()
    extract.extract_bytes(data, path.name)  # warm
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    extract.extract_bytes(data, path.name)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=io.StringIO())
    total = stats.total_tt
    stages = [
        ("PDFium: characters, edges (page layer)", "extract/pdfium_pages.py", "_page_objects"),
        ("  of which characters", "extract/pdfium_pages.py", "_chars"),
        ("ruled tables (rulings.py)", "extract/rulings.py", "find_tables"),
        ("words, lines, text (layout.py read)", "extract/layout.py", "read"),
        ("table cells (pdf._raw_table)", "extract/pdf.py", "_raw_table"),
        ("tables → records", "extract/tables.py", "find_tables"),
        ("paragraphs", "extract/narrative.py", "paragraphs"),
        ("explanations", "extract/explanations.py", "explanations"),
        ("record: tables, line items, findings, metadata", "extract/document.py", "build_record"),
    ]
    print(f"\nprofile of {path.name}: {total:.2f} s CPU in Python (cumulative per step)")
    for label, file_part, function in stages:
        cumulative = max((row[3] for key, row in stats.stats.items()
                          if key[0].endswith(file_part) and key[2] == function), default=0.0)
        print(f"  {cumulative:6.2f} s  {cumulative / total:5.1%}  {label}")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    print("\n".join(out.getvalue().splitlines()[-(top + 2):]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200, help="fixture corpus size in pages")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of pdftotext / ours / pdftotext")
    parser.add_argument("--big", type=int, default=300, help="pages of the long PDF")
    parser.add_argument("--candidates", action="store_true", help="time each engine's page layer")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one document")
    args = parser.parse_args()

    cores = os.cpu_count() or 1
    corpora = {"fixtures (reportlab and LibreOffice renderings)": fixture_files(args.pages),
               "real corpus (tests/real)": real_files()}
    for name, files in corpora.items():
        compare(name, files, args.repeat, cores)
        pages, _, _, peak = peak_memory(files)
        print(f"  peak memory of one worker extracting all {pages} pages: {peak:.0f} MiB")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long.pdf"
        path.write_bytes(long_pdf(args.big))
        rounds = []
        for _ in range(args.repeat):  # pdftotext, ours in a fresh worker, pdftotext
            before = run_pdftotext([path])
            pages, wall, cpu, peak = peak_memory([path])
            after = run_pdftotext([path])
            rounds.append((wall / ((before[0] + after[0]) / 2), cpu / ((before[1] + after[1]) / 2), wall, peak))
        print(f"\nlong PDF of real pages ({pages} pages, {path.stat().st_size / 1e6:.1f} MB): "
              f"{pages / statistics.median(r[2] for r in rounds):.0f} pages/s in one worker, "
              f"× pdftotext wall {statistics.median(r[0] for r in rounds):.2f} "
              f"({min(r[0] for r in rounds):.2f}–{max(r[0] for r in rounds):.2f}), "
              f"cpu {statistics.median(r[1] for r in rounds):.2f} "
              f"({min(r[1] for r in rounds):.2f}–{max(r[1] for r in rounds):.2f}); "
              f"peak {max(r[3] for r in rounds):.0f} MiB")

    if args.candidates:
        candidates(real_files())
    if args.profile:
        profile(REAL / "jiangsu" / "js-zhengxie-2019-doc.pdf", top=15)


if __name__ == "__main__":
    main()
