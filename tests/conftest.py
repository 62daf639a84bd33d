"""Shared fixtures: the sample portal over real HTTP, an archive built from it by the real
commands, and a real Datasette serving that archive."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from gongkai.sample_portal import PORTAL_DIR, serve_directory

REPO = Path(__file__).resolve().parent.parent


def gongkai(*args: str, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    """Run the real ``gongkai`` command in a subprocess."""
    result = subprocess.run(
        [sys.executable, "-m", "gongkai", *args],
        capture_output=True, text=True, cwd=kwargs.pop("cwd", REPO), timeout=kwargs.pop("timeout", 600),
        **kwargs,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"gongkai {' '.join(args)} exited {result.returncode}\n"
            f"stdout:\n{result.stdout}\nstderr:\n{result.stderr[-4000:]}"
        )
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A running ``gongkai serve``: its base URL, process id and log file."""

    base: str
    pid: int
    log: Path

    def peak_rss_mb(self) -> float:
        """The server's peak resident memory so far (VmHWM), in MiB."""
        status = Path(f"/proc/{self.pid}/status").read_text()
        return int(re.search(r"VmHWM:\s+(\d+) kB", status)[1]) / 1024


@contextmanager
def serving(archive_path: Path, *extra: str, log: Path | None = None):
    """Start ``gongkai serve`` on a free port; yields its ``Server``."""
    port = free_port()
    if log is None:
        handle, name = tempfile.mkstemp(prefix="gongkai-serve-", suffix=".log")
        os.close(handle)
    log_path = log or Path(name)
    # A file, not a pipe: nobody reads a pipe while tests run, and uvicorn blocks once
    # its request log fills the pipe's buffer (64 KiB, a few hundred requests).
    log_file = open(log_path, "wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "gongkai", "serve", "--archive", str(archive_path),
         "--port", str(port), *extra],
        stdout=log_file, stderr=subprocess.STDOUT, cwd=REPO,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=2).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = log_path.read_text(errors="replace")
                    raise AssertionError(f"Datasette did not start:\n{output}")
                time.sleep(0.2)
        yield Server(base, process.pid, log_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log_file.close()
        if log is None:
            log_path.unlink(missing_ok=True)


@contextmanager
def running_datasette(archive_path: Path, *extra: str):
    """Start ``gongkai serve`` on a free port; yields its base URL."""
    with serving(archive_path, *extra) as server:
        yield server.base


@contextmanager
def chromium_page(**context_options):
    """A page in Debian's Chromium through Playwright (skipped where Playwright is missing)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox"])
        try:
            yield browser.new_context(**context_options).new_page()
        finally:
            browser.close()


@pytest.fixture(scope="session")
def sample_portal() -> str:
    """The bundled sample portal served on 127.0.0.1 (base URL ending in /)."""
    with serve_directory(PORTAL_DIR) as url:
        yield url


@pytest.fixture(scope="session")
def sample_archive(tmp_path_factory, sample_portal) -> Path:
    """An archive made by the real ``gongkai crawl`` and ``gongkai build`` over the portal.

    Read-only for tests: copy it (with its -files directory) before changing it.
    """
    archive_path = tmp_path_factory.mktemp("sample-archive") / "archive.db"
    gongkai("crawl", sample_portal + "index.html", "--archive", str(archive_path), check=False)
    gongkai("build", "--archive", str(archive_path))
    return archive_path


@pytest.fixture(scope="session")
def sample_datasette(sample_archive) -> str:
    """A real Datasette serving the sample archive; yields its base URL."""
    with running_datasette(sample_archive) as base:
        yield base
