"""Extraction speed and memory, beside poppler's ``pdftotext -layout`` on the same files.

For the fixtures (both renderings) and the real corpus (tests/real): pages per second with one
worker and with every core, through ``gongkai extract``'s pool (gongkai/pool.py), and
``pdftotext -layout`` on the same files, run back to back (pdftotext, ours, pdftotext) and
repeated, so that other work on a shared machine hits both alike; the spread over rounds is
printed, and CPU-time ratios beside wall-time ones.  Then the peak memory of a worker, a
300-page PDF made of real pages (pypdfium2 concatenates them), and a summary against the goals
of issue 13 (within 3× of pdftotext with one worker, faster than it with every core, under
300 MB per worker on a 300-page PDF).  Every figure carries the load average while it was
measured: on a shared machine other work slows both sides, not always alike.  Optionally the
page layer alone per engine (--candidates) and where the time goes (--profile).

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
MB = 1 << 20


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


def load() -> str:
    """The load averages over 1, 5 and 15 minutes, as uptime prints them."""
    return "load " + " ".join(f"{value:.2f}" for value in os.getloadavg())


def spread(values: list[float], unit: str = "") -> str:
    return f"{statistics.median(values):.2f}{unit} ({min(values):.2f}–{max(values):.2f})"


def compare(name: str, files: list[Path], repeat: int, cores: int) -> dict[str, list[float]]:
    """Rounds of pdftotext, one worker, every core, pdftotext; ratios against the mean of the
    two pdftotext runs around them, by round: {"1 worker wall": [...], ...}."""
    run_ours(files[:1], 1)  # warm the disk cache
    rounds, loads = [], []
    for _ in range(repeat):
        before = run_pdftotext(files)
        one = run_ours(files, 1)
        every = run_ours(files, cores)
        after = run_pdftotext(files)
        poppler = [(b + a) / 2 for b, a in zip(before, after)]
        rounds.append((one, every, poppler))
        loads.append(os.getloadavg()[0])
    pages = rounds[0][0][2]
    print(f"\n{name}: {len(files)} files, {pages} pages; {repeat} rounds; 1-minute load after each round "
          f"{' '.join(f'{value:.2f}' for value in loads)}; {load()} now")
    ratios = {}
    for label, index in (("wall", 0), ("cpu", 1)):
        poppler = [pages / r[2][index] for r in rounds]
        one = [pages / r[0][index] for r in rounds]
        ratios[f"1 worker {label}"] = [r[0][index] / r[2][index] for r in rounds]
        print(f"  {label:4} pdftotext -layout   {spread(poppler, ' p/s')}")
        print(f"  {label:4} extract, 1 worker   {spread(one, ' p/s')}   × pdftotext {spread(ratios[f'1 worker {label}'])}")
        if label == "wall":  # CPU time adds up over workers: only wall time shows the cores
            every = [pages / r[1][0] for r in rounds]
            ratios["every core wall"] = [r[1][0] / r[2][0] for r in rounds]
            print(f"  {label:4} extract, {cores} workers  {spread(every, ' p/s')}   "
                  f"× pdftotext {spread(ratios['every core wall'])}")
    return ratios


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


# Steps of extraction, timed by wrapping them: (label, module, function).  A profiler's own cost
# per Python call would inflate the pure-Python steps against PDFium's C.
STEPS = [
    ("PDFium page objects (page layer)", "pdfium_pages", "_page_objects"),
    ("  of which characters", "pdfium_pages", "_chars"),
    ("  of which ruling edges (path objects)", "pdfium_pages", "_graphics"),
    ("ruled tables (rulings.py)", "rulings", "find_tables"),
    ("words, lines, text of pages (layout.read)", "layout", "read"),
    ("table cells (pdf._raw_table)", "pdf", "_raw_table"),
    ("record: tables, line items, explanations, findings, metadata", "document", "build_record"),
]


def profile(files: list[Path], top: int) -> None:
    """CPU time per step over ``files`` in this process, then cProfile's busiest functions."""
    import functools
    import importlib

    from gongkai import extract

    spent = dict.fromkeys((label for label, _, _ in STEPS), 0.0)
    originals = []
    for label, module_name, name in STEPS:
        module = importlib.import_module(f"gongkai.extract.{module_name}")
        function = getattr(module, name)

        def timed(*args, _function=function, _label=label, **kwargs):
            start = time.process_time()
            try:
                return _function(*args, **kwargs)
            finally:
                spent[_label] += time.process_time() - start

        originals.append((module, name, function))
        setattr(module, name, functools.wraps(function)(timed))
    datas = [(path.read_bytes(), path.name) for path in files]
    extract.extract_bytes(*datas[0])  # warm
    spent.update(dict.fromkeys(spent, 0.0))
    start = time.process_time()
    pages = sum(extract.extract_bytes(data, name)["page_count"] for data, name in datas)
    total = time.process_time() - start
    for module, name, function in originals:
        setattr(module, name, function)
    print(f"\nwhere the time goes: {len(files)} files, {pages} pages, {total:.2f} s CPU in one process "
          f"({pages / total:.0f} pages/s); {load()}")
    for label, seconds in spent.items():
        print(f"  {seconds:6.2f} s  {seconds / total:5.1%}  {label}")

    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for data, name in datas:
        extract.extract_bytes(data, name)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    print("\nbusiest functions under cProfile (own time; the profiler slows Python calls):")
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
    print(f"{cores} cores, {load()} at the start")
    corpora = {"fixtures": fixture_files(args.pages), "real corpus": real_files()}
    goals = []  # (goal, measured, met)
    for name, files in corpora.items():
        ratios = compare(f"{name} ({'reportlab and LibreOffice renderings' if name == 'fixtures' else 'tests/real'})",
                         files, args.repeat, cores)
        pages, _, _, peak = peak_memory(files)
        print(f"  peak memory of one worker extracting all {pages} pages: {peak:.0f} MiB; {load()}")
        for label in ("1 worker wall", "1 worker cpu"):
            median = statistics.median(ratios[label])
            goals.append((f"{name}, {label} time ≤ 3× pdftotext", f"{median:.2f}×", median <= 3))
        median = statistics.median(ratios["every core wall"])
        goals.append((f"{name}, {cores} workers faster than pdftotext (wall)", f"{median:.2f}×", median < 1))

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long.pdf"
        path.write_bytes(long_pdf(args.big))
        rounds = []
        for _ in range(args.repeat):  # pdftotext, ours in a fresh worker, pdftotext
            before = run_pdftotext([path])
            pages, wall, cpu, peak = peak_memory([path])
            after = run_pdftotext([path])
            poppler_cpu = (before[1] + after[1]) / 2
            rounds.append((wall / ((before[0] + after[0]) / 2), cpu / poppler_cpu, wall, peak, pages / cpu,
                           pages / poppler_cpu))
        peak = max(r[3] for r in rounds)
        print(f"\nlong PDF of real pages ({pages} pages, {path.stat().st_size / 1e6:.1f} MB): "
              f"{pages / statistics.median(r[2] for r in rounds):.0f} pages/s in one worker, "
              f"× pdftotext wall {spread([r[0] for r in rounds])}, cpu {spread([r[1] for r in rounds])}; "
              f"peak {peak:.0f} MiB; {load()}")
        print(f"  CPU: extract {statistics.median(r[4] for r in rounds):.0f} pages/s, pdftotext "
              f"{statistics.median(r[5] for r in rounds):.0f} pages/s on this one file (beside their speeds on "
              f"the same pages in their own files, the real corpus above)")
        goals.append((f"peak memory of a worker on a {pages}-page PDF < 300 MB", f"{peak * MB / 1e6:.0f} MB",
                      peak * MB < 300e6))

    print(f"\nissue 13 goals ({cores} cores; {load()}):")
    for goal, measured, met in goals:
        print(f"  {'met ' if met else 'MISS'}  {goal}: {measured}")

    if args.candidates:
        candidates(real_files())
    if args.profile:
        profile(real_files(), top=15)


if __name__ == "__main__":
    main()
