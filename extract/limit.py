"""A time and memory limit per file, so one pathological file cannot stall a build or
exhaust the machine.

Each file is extracted in a forked child process whose address space may grow by at most
``memory_mb`` (``RLIMIT_AS``; LibreOffice, started by the child, inherits the limit): a
1 MB PDF whose FlateDecode stream inflates to a gigabyte stops at the limit with kind
``too_large`` instead of taking the machine. The parent waits at most ``timeout`` seconds
for the result and kills the child after that (kind ``timeout``). The crawler's check of a
PDF's first page runs the same way (``run_limited``).
"""

from __future__ import annotations

import os
import pickle
import resource
import select
import signal
import time
from pathlib import Path
from typing import Any, Callable

from .document import extract_bytes
from .errors import ExtractCrashed, ExtractError, ExtractTimeout, ExtractTooLarge

DEFAULT_TIMEOUT = 120.0
# Extraction takes 50-100 MiB (a 278-page PDF: 63 MiB); a child's resident size starts at
# its parent's (a build worker's, with the classifier: ~300 MiB), so 512 more stay under 1 GB.
DEFAULT_MEMORY_MB = 512
MB = 1 << 20


def extract_with_limit(data: bytes, filename: str | None = None,
                       timeout: float | None = DEFAULT_TIMEOUT,
                       memory_mb: int | None = DEFAULT_MEMORY_MB, attachments=(),
                       engine: str | None = None) -> dict:
    """:func:`extract_bytes` (with an HTML article's ``attachments``) in a child process
    limited to ``timeout`` seconds and ``memory_mb`` MiB more than this process (``None``
    or 0: no limit).

    PDFium runs inside the child: where pdfminer raises, it may abort the process (past the
    memory limit its allocator crashes, where pdfminer's inflation raises ``MemoryError``).
    So a child that dies reading with PDFium is followed by one reading with pdfminer, in the
    time left, and the record says ``engine: pdfminer``.

    :param engine: force a PDF engine (:func:`extract_bytes`); no second try then.
    :raises ExtractTimeout: past the time limit (kind ``timeout``).
    :raises ExtractTooLarge: past the memory limit (kind ``too_large``).
    :raises ExtractCrashed: the child died without an answer (kind ``crashed``).
    """
    started = time.monotonic()
    try:
        return run_limited(extract_bytes, data, filename,
                           convert_timeout=timeout or DEFAULT_TIMEOUT, attachments=attachments, engine=engine,
                           filename=filename, timeout=timeout, memory_mb=memory_mb)
    except ExtractCrashed:
        if engine is not None:
            raise
    left = timeout - (time.monotonic() - started) if timeout and timeout > 0 else timeout
    if left is not None and left <= 0:
        name = Path(filename).name if filename else None
        raise ExtractTimeout(f"extraction took longer than the {timeout:g} s limit", name)
    return run_limited(extract_bytes, data, filename,
                       convert_timeout=left or DEFAULT_TIMEOUT, attachments=attachments, engine="pdfminer",
                       filename=filename, timeout=left, memory_mb=memory_mb)


def run_limited(function: Callable[..., Any], *args: Any, filename: str | None,
                timeout: float | None, memory_mb: int | None, **kwargs: Any) -> Any:
    """``function(*args, **kwargs)`` in a forked child under the limits; its result, or its
    ``ExtractError``, comes back through a pipe."""
    name = Path(filename).name if filename else None
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(reader)
        _child(writer, memory_mb, function, args, kwargs)
    os.close(writer)
    payload = None
    try:
        payload = _read_all(reader, timeout)
    finally:
        os.close(reader)
        if payload is None:
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    if payload is None:
        raise ExtractTimeout(f"extraction took longer than the {timeout:g} s limit", name)
    if not payload:
        how = f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else \
            f"exit code {os.WEXITSTATUS(status)}"
        raise ExtractCrashed(f"the extraction process died ({how}) without an answer", name)
    outcome, value = pickle.loads(payload)
    if outcome == "ok":
        return value
    if outcome == "too_large":
        raise ExtractTooLarge(f"extraction needed more than the {memory_mb} MiB memory limit "
                              f"(a decompression bomb, or a file too large to extract)", name)
    if outcome == "error":
        raise value
    raise RuntimeError(f"extracting {filename}: {value}")


def _child(writer: int, memory_mb: int | None, function, args, kwargs) -> None:
    status = 1
    try:
        if memory_mb:
            _limit_address_space(memory_mb * MB)
        try:
            outcome = ("ok", function(*args, **kwargs))
        except MemoryError:
            outcome = ("too_large", None)
        except ExtractError as error:
            outcome = ("error", error)
        except Exception as error:  # noqa: BLE001 - handed to the parent, which re-raises it
            outcome = ("crash", f"{type(error).__name__}: {error}")
        payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(writer, "wb") as out:
            out.write(payload)
        status = 0
    finally:
        os._exit(status)  # no atexit handlers, no flushing of the parent's buffers


def _limit_address_space(extra: int) -> None:
    """Let the address space grow by ``extra`` bytes beyond what it is now."""
    with open("/proc/self/statm") as statm:
        size = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = size + extra if hard == resource.RLIM_INFINITY else min(size + extra, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _read_all(fd: int, timeout: float | None) -> bytes | None:
    """Everything written to ``fd`` until it closes; ``None`` when ``timeout`` passes first."""
    deadline = None if not timeout or timeout <= 0 else time.monotonic() + timeout
    chunks = []
    while True:
        wait = None if deadline is None else deadline - time.monotonic()
        if wait is not None and wait <= 0:
            return None
        ready, _, _ = select.select([fd], [], [], wait)
        if not ready:
            return None
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
