"""A per-file time limit, so one pathological PDF cannot stall a build.

In the main thread (the CLI, and each ``ProcessPoolExecutor`` worker of gongkai/pool.py)
the limit is a SIGALRM timer: no extra process; Python runs the handler between two calls
into PDFium (a page at most) or anywhere in pdfminer.  Elsewhere (a thread) the work runs in
a forked child that is killed when time is up.
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
from pathlib import Path

from .document import extract_bytes
from .errors import ExtractError, ExtractTimeout

DEFAULT_TIMEOUT = 120.0


class _Expired(BaseException):
    """Raised by the alarm; a BaseException so pdfminer's ``except Exception`` cannot eat it."""


def extract_with_limit(data: bytes, filename: str | None = None, timeout: float | None = DEFAULT_TIMEOUT,
                       engine: str | None = None) -> dict:
    """:func:`extract_bytes`, giving up after ``timeout`` seconds.

    :param engine: force a PDF engine (:func:`extract_bytes`).
    :raises ExtractTimeout: when the limit is reached (kind ``timeout``).
    """
    if not timeout or timeout <= 0:
        return extract_bytes(data, filename, engine=engine)
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        return _with_alarm(data, filename, timeout, engine)
    return _in_child(data, filename, timeout, engine)


def _timeout_error(filename: str | None, timeout: float) -> ExtractTimeout:
    name = Path(filename).name if filename else None
    return ExtractTimeout(f"extraction took longer than the {timeout:g} s limit", name)


def _on_alarm(signum, frame):
    raise _Expired()


def _with_alarm(data: bytes, filename: str | None, timeout: float, engine: str | None) -> dict:
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    try:
        try:
            signal.setitimer(signal.ITIMER_REAL, timeout)
            return extract_bytes(data, filename, convert_timeout=timeout, engine=engine)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _Expired:
        raise _timeout_error(filename, timeout) from None
    finally:
        signal.signal(signal.SIGALRM, previous)


def _child(connection, data: bytes, filename: str | None, timeout: float, engine: str | None) -> None:
    try:
        connection.send(("ok", extract_bytes(data, filename, convert_timeout=timeout, engine=engine)))
    except ExtractError as error:
        connection.send(("error", error))
    except Exception as error:  # noqa: BLE001 - handed to the parent, which re-raises it
        connection.send(("crash", repr(error)))


def _in_child(data: bytes, filename: str | None, timeout: float, engine: str | None) -> dict:
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, data, filename, timeout, engine), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise _timeout_error(filename, timeout)
        status, payload = receiver.recv()
    finally:
        if process.is_alive():
            process.kill()
        process.join()
    if status == "ok":
        return payload
    if status == "error":
        raise payload
    raise RuntimeError(f"extracting {filename}: {payload}")
