"""Hostile files through extraction: a 1 MB PDF whose page stream inflates to 1 GiB, built
by the test, through the real ``gongkai extract`` (its whole process tree's peak memory
measured by the kernel) and through the worker function of ``gongkai build`` (gongkai.pool)."""

from __future__ import annotations

import json
import subprocess
import sys
import zlib

import pytest
from conftest import REPO
from hostile import GIB, MB, flate_bomb, flate_bomb_pdf

from gongkai.pool import extract_path

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


def test_extract_refuses_the_bomb_as_too_large_under_1_gb(bomb):
    result = subprocess.run(
        [sys.executable, "-c", PEAK_OF, sys.executable, "-m", "gongkai", "extract", "--json",
         str(bomb)],
        capture_output=True, text=True, cwd=REPO, timeout=300)
    record_line, peak_kib = result.stdout.strip().splitlines()
    record = json.loads(record_line)
    assert record["error"]["kind"] == "too_large"
    assert "附件1.pdf" in record["error"]["message"] and "--max-memory" in record["error"]["message"]
    assert int(peak_kib) < 1024 * 1024, f"extraction peaked at {int(peak_kib) >> 10} MiB"


def test_a_build_worker_returns_the_bomb_as_a_too_large_record(bomb):
    record = extract_path(str(bomb), bomb.name, timeout=60, memory_mb=256)
    assert record["error"]["kind"] == "too_large" and "256 MiB" in record["error"]["message"]
