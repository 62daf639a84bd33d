"""Hostile files through extraction: a 1 MB PDF whose page stream inflates to 1 GiB and a
PDF whose page takes minutes to read, built by the test, through the real ``gongkai extract``
(its whole process tree's peak memory measured by the kernel, its workers after a kill -9) and
through the workers of ``gongkai build`` (gongkai.pool)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from conftest import REPO
from hostile import GIB, MB, endless_pdf, flate_bomb, flate_bomb_pdf

from gongkai.pool import Job, extract_many

FIXTURES = REPO / "tests" / "fixtures" / "documents"

# Runs a command and prints the peak resident memory of its largest process, its children
# (the extraction child) included, in KiB: the kernel's own count.
PEAK_OF = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:]); "
           "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


@pytest.fixture(scope="module")
def bomb(tmp_path_factory):
    path = tmp_path_factory.mktemp("bomb") / "附件1.pdf"
    path.write_bytes(flate_bomb_pdf(GIB))
    return path


def test_the_bomb_is_a_valid_stream_a_thousand_times_its_size():
    small = flate_bomb(16 * MB)  # the same construction, small enough to inflate here
    assert zlib.decompress(small) == b" " * (16 * MB) and len(small) < 20_000


def test_the_bomb_is_small_and_inflates_to_a_gigabyte(bomb):
    data = bomb.read_bytes()
    assert len(data) < 1.5 * MB
    stream = data[data.index(b"stream\n") + 7:data.rindex(b"\nendstream")]
    inflater = zlib.decompressobj()
    assert inflater.decompress(stream, 64 * MB) == b" " * (64 * MB)
    assert inflater.unconsumed_tail  # and much more to come


def extract_in_one_worker(files: list, *options: str) -> tuple[list[dict], str, int]:
    """``gongkai extract --json --no-pages --workers 1`` on ``files``: the records, what it
    logged, and the peak memory of its largest process in KiB.  One worker, so that a file
    after one that ended its worker is read by the worker that replaced it."""
    result = subprocess.run(
        [sys.executable, "-c", PEAK_OF, sys.executable, "-m", "gongkai", "extract", "--json", "--no-pages",
         "--workers", "1", *options, *map(str, files)],
        capture_output=True, text=True, cwd=REPO, timeout=300)
    *lines, peak_kib = result.stdout.strip().splitlines()
    records = [json.loads(line) for line in lines]
    assert [record["file"] for record in records] == list(map(str, files))
    return records, result.stderr, int(peak_kib)


def test_extract_refuses_the_bomb_as_too_large_under_1_gb_and_goes_on(bomb):
    good = FIXTURES / "yanshi-2023-juesuan.reportlab.pdf"
    (record, after), log, peak_kib = extract_in_one_worker([bomb, good])
    assert record["error"]["kind"] == "too_large"
    assert "附件1.pdf" in record["error"]["message"] and "--max-memory" in record["error"]["message"]
    # PDFium aborted its worker on the bomb; pdfminer, in a new worker, ran out of memory
    assert "附件1.pdf: the extraction worker died (signal 6); trying again with engine=pdfminer" in log
    assert after["fiscal_year"] == 2023
    assert peak_kib < 1024 * 1024, f"extraction peaked at {peak_kib >> 10} MiB"


def test_a_file_that_never_ends_is_stopped_at_the_time_limit_and_the_next_extracts(tmp_path):
    # 300 pages of a million segments each: some 30 s of reading (0.1 s a page here), in flat
    # memory (each page freed before the next), so the 2 s limit, in wall time, comes first on
    # any machine and the 512 MiB cap never.
    endless = tmp_path / "endless.pdf"
    endless.write_bytes(endless_pdf(300, 1_000_000))  # 47 KB
    good = FIXTURES / "xuchang-2025-yusuan.libreoffice.pdf"
    (record, after), _, _ = extract_in_one_worker([endless, good], "--timeout", "2")
    assert record["error"]["kind"] == "timeout" and "2 s limit" in record["error"]["message"]
    assert after["fiscal_year"] == 2025


def test_a_file_that_kills_its_worker_with_no_engine_to_fall_back_on_is_crashed(bomb):
    good = FIXTURES / "yanshi-2024-juesuan.reportlab.pdf"
    jobs = [Job(str(bomb), bomb.name), Job(str(good), good.name)]
    (_, crashed), (_, record) = extract_many(jobs, workers=1, memory_mb=256, ordered=True, engine="pdfium")
    assert crashed["error"]["kind"] == "crashed"
    assert crashed["error"]["message"].startswith("附件1.pdf: the extraction process died (signal 6)")
    assert record["fiscal_year"] == 2024 and record["engine"] == "pdfium"


def test_a_run_killed_with_kill_9_leaves_no_worker_reading_on(tmp_path):
    endless = tmp_path / "endless.pdf"
    endless.write_bytes(endless_pdf(300, 1_000_000))
    run = subprocess.Popen([sys.executable, "-m", "gongkai", "extract", "--json", "--timeout", "120", str(endless)],
                           cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        workers = _children(run.pid, wait=60)
    finally:
        run.kill()
        run.wait()
    deadline = time.monotonic() + 10
    while (left := [pid for pid in workers if _alive(pid)]) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert workers and not left, f"workers {left} outlived their parent"


def _children(pid: int, wait: float) -> list[int]:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        children = [int(stat.parent.name) for stat in Path("/proc").glob("[0-9]*/stat") if _stat(stat)[1:2] == [str(pid)]]
        if children:
            return children
        time.sleep(0.05)
    raise AssertionError(f"gongkai extract started no worker in {wait} s")


def _alive(pid: int) -> bool:
    """Running, not a zombie left for init to reap."""
    return _stat(Path(f"/proc/{pid}/stat"))[:1] not in ([], ["Z"])


def _stat(path: Path) -> list[str]:
    """State, parent's pid, ... of a process (/proc/PID/stat after the command's name); [] once it is gone."""
    try:
        return path.read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return []
