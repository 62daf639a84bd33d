"""A time and memory limit per file, so that one pathological file cannot stall a build or
exhaust the machine, at no cost per file.

Files are extracted in worker processes (:class:`Worker`), each forked once with its address
space capped once: it may grow by ``memory_mb`` beyond its size at the fork (``RLIMIT_AS``;
LibreOffice, started by it, inherits the cap).  A worker then extracts file after file, each
under an alarm (``SIGALRM``) that stops it at the time limit (kind ``timeout``); where the
alarm cannot stop it (a long call inside PDFium), its parent kills it a second later.  A file
that needs more memory raises ``MemoryError`` (kind ``too_large``).  PDFium does not raise:
where an allocation fails it aborts, taking its worker down, so such a file is read again
with pdfminer in a fresh worker, where the inflation of a decompression bomb raises
``MemoryError``; a file that kills that worker too is kind ``crashed``.  A worker is replaced
only after a timeout, a ``too_large`` or its death (a fork per file used to cost ~8 ms of CPU),
and dies with its parent: a run stopped by ``kill -9`` leaves no worker behind.

:func:`run_calls` spreads calls over workers (gongkai/pool.py does so for ``gongkai build``
and ``gongkai extract``); :func:`extract_with_limit` and :func:`run_limited` (the crawler's
check of a PDF's first page) run one call in a worker of its own.
"""

from __future__ import annotations

import ctypes
import logging
import os
import pickle
import resource
import select
import signal
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from .document import extract_bytes
from .errors import ExtractCrashed, ExtractError, ExtractTimeout, ExtractTooLarge

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 120.0
# Extraction takes 50-100 MiB (a 300-page PDF: under 100 MiB); a worker's resident size starts
# at its parent's (under gongkai build, with the classifier: ~300 MiB), so 512 more stay under 1 GB.
DEFAULT_MEMORY_MB = 512
MB = 1 << 20
# Seconds past its time limit before a worker that its alarm did not stop is killed: the alarm
# interrupts Python code only, not a call into PDFium.
KILL_GRACE = 1.0


class CallFailed(RuntimeError):
    """The call raised an exception that is not an :class:`ExtractError` (a bug, or a file
    nobody foresaw); the message gives its type and text."""


@dataclass
class Call:
    """``function(*args, **kwargs)`` to run in a worker within ``timeout`` seconds over all its
    tries (``None`` or 0: no limit); ``filename`` names the file in error messages, and
    ``fallback`` holds the keyword arguments of a second try when the first kills its worker."""

    function: Callable[..., Any]
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    filename: str | None = None
    timeout: float | None = DEFAULT_TIMEOUT
    fallback: dict | None = None


def extraction(function: Callable[..., Any], *args: Any, filename: str | None, timeout: float | None,
               engine: str | None = None, **kwargs: Any) -> Call:
    """A call of ``function`` (:func:`extract_bytes`, or one that reads a file and calls it)
    extracting one file: with ``engine`` forced, or PDFium first and pdfminer when the file
    takes PDFium's worker down."""
    kwargs.update(engine=engine, convert_timeout=timeout or DEFAULT_TIMEOUT)
    return Call(function, args, kwargs, filename, timeout, None if engine else {"engine": "pdfminer"})


def extract_with_limit(data: bytes, filename: str | None = None,
                       timeout: float | None = DEFAULT_TIMEOUT,
                       memory_mb: int | None = DEFAULT_MEMORY_MB, attachments=(),
                       engine: str | None = None) -> dict:
    """:func:`extract_bytes` (with an HTML article's ``attachments``) in a worker limited to
    ``timeout`` seconds and ``memory_mb`` MiB more than this process (``None`` or 0: no limit).

    :param engine: force a PDF engine (:func:`extract_bytes`); no second try then.
    :raises ExtractTimeout: past the time limit (kind ``timeout``).
    :raises ExtractTooLarge: past the memory limit (kind ``too_large``).
    :raises ExtractCrashed: the worker died without an answer (kind ``crashed``).
    """
    return _run_one(extraction(extract_bytes, data, filename, filename=filename, timeout=timeout,
                               engine=engine, attachments=attachments), memory_mb)


def run_limited(function: Callable[..., Any], *args: Any, filename: str | None,
                timeout: float | None, memory_mb: int | None, **kwargs: Any) -> Any:
    """``function(*args, **kwargs)`` in a worker under the limits: its result, or the
    ``ExtractError`` it raised or that the limits raised."""
    return _run_one(Call(function, args, kwargs, filename, timeout), memory_mb)


def _run_one(call: Call, memory_mb: int | None) -> Any:
    ((_, value, error),) = run_calls([call], workers=1, memory_mb=memory_mb)
    if error is not None:
        raise error
    return value


@dataclass
class _Progress:
    """Where a call stands: its keyword arguments for the next try, when its first try began,
    and which second tries it has had."""

    kwargs: dict
    started: float | None = None
    fell_back: bool = False
    fresh: bool = False  # tried again in a worker that had extracted nothing before


def run_calls(calls: Sequence[Call], *, workers: int = 1,
              memory_mb: int | None = DEFAULT_MEMORY_MB) -> Iterator[tuple[int, Any, Exception | None]]:
    """Run each call in one of ``workers`` capped worker processes; yield ``(index, value,
    None)`` or ``(index, None, error)`` for each as it finishes (``error``: an
    :class:`ExtractError`, or :class:`CallFailed`).

    A call whose worker died is tried again in a fresh worker, with its ``fallback`` arguments
    if it has some; so is a ``too_large`` in a worker that had extracted other files before
    (their leftovers may have taken the room).  Each try gets the time left.
    """
    queue: deque[int] = deque(range(len(calls)))
    progress = {index: _Progress(dict(calls[index].kwargs)) for index in queue}
    needs_fresh: set[int] = set()
    idle: list[Worker] = []
    busy: dict[Worker, int] = {}
    finished: list[tuple[int, Any, Exception | None]] = []
    try:
        while queue or busy or finished:
            while queue and len(busy) < workers:
                index = queue.popleft()
                call, state = calls[index], progress[index]
                if state.started is None:
                    state.started = time.monotonic()
                left = _time_left(call, state)
                if left is not None and left <= 0:
                    finished.append((index, None, _timeout(call)))
                    continue
                if index in needs_fresh or not idle:
                    needs_fresh.discard(index)
                    if idle and len(idle) + len(busy) >= workers:
                        idle.pop().stop()
                    worker = Worker(memory_mb, (call.function, call.args, state.kwargs, left))
                    busy[worker] = index
                else:
                    worker = idle.pop()
                    busy[worker] = index
                    worker.send(call.function, call.args, state.kwargs, left)
            # Handed back only now that the workers have their next calls: they work meanwhile.
            yield from finished
            finished = []
            if not busy:
                continue
            for worker, outcome in _answers(busy):
                index = busy.pop(worker)
                error = _settle(calls[index], progress[index], outcome, worker, memory_mb)
                if worker.alive:
                    idle.append(worker)
                if error is _AGAIN:
                    queue.appendleft(index)
                    needs_fresh.add(index)
                else:
                    finished.append((index, outcome[1] if error is None else None, error))
    finally:
        for worker in busy:
            worker.kill()
        for worker in idle:
            worker.stop()


_AGAIN = object()  # _settle's answer for a call to try again in a fresh worker


def _settle(call: Call, state: _Progress, outcome: tuple[str, Any], worker: Worker,
            memory_mb: int | None) -> Exception | object | None:
    """What a worker's answer means for its call: None (its value), the error that ends it,
    or _AGAIN."""
    kind, value = outcome
    name = Path(call.filename).name if call.filename else None
    used = worker.sent > 1  # the worker had extracted other files before this one
    if kind == "ok":
        return None
    if kind == "error":
        return value
    if kind == "failed":
        return CallFailed(value)
    if kind == "timeout":
        return _timeout(call)
    if kind == "too_large":
        if used and not state.fresh:
            state.fresh = True
            return _AGAIN
        return ExtractTooLarge(f"extraction needed more than the {memory_mb} MiB memory limit "
                               f"(a decompression bomb, or a file too large to extract)", name)
    # kind == "died"
    if call.fallback and not state.fell_back:
        log.warning("%s: the extraction worker died (%s); trying again with %s", name or "a file", value,
                    ", ".join(f"{key}={setting}" for key, setting in call.fallback.items()))
        state.kwargs.update(call.fallback)
        state.fell_back = state.fresh = True
        return _AGAIN
    if used and not state.fresh:
        state.fresh = True
        return _AGAIN
    return ExtractCrashed(f"the extraction process died ({value}) without an answer", name)


def _time_left(call: Call, state: _Progress) -> float | None:
    if not call.timeout or call.timeout <= 0:
        return None
    return call.timeout - (time.monotonic() - state.started)


def _timeout(call: Call) -> ExtractTimeout:
    name = Path(call.filename).name if call.filename else None
    return ExtractTimeout(f"extraction took longer than the {call.timeout:g} s limit", name)


def _answers(busy: dict[Worker, int]) -> list[tuple[Worker, tuple[str, Any]]]:
    """The answers of the busy workers that have one, waiting until the first comes or a
    worker passes its deadline (killed: a timeout)."""
    deadlines = [worker.deadline for worker in busy if worker.deadline is not None]
    wait = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
    ready, _, _ = select.select(list(busy), [], [], wait)
    answers = [(worker, worker.receive()) for worker in ready]
    now = time.monotonic()
    for worker in busy:
        if worker not in ready and worker.deadline is not None and worker.deadline <= now:
            worker.kill()
            answers.append((worker, ("timeout", None)))
    return answers


class Worker:
    """A forked child process with its address space capped, running one call at a time: the
    call's function, arguments and time limit go down one pipe, its outcome comes back up
    another (8 bytes of length, then a pickle).

    Its first call (``first``: function, args, kwargs, timeout) it has from the fork, with no
    copy: the crawler's check hands it a whole PDF, which three copies in a pipe would take
    past the cap.  It dies with the thread that forked it (``PR_SET_PDEATHSIG``), so a parent
    killed by ``kill -9`` leaves no worker reading on.
    """

    _parent_ends: set[int] = set()  # every live worker's pipes on this side, closed in each new child
    _forking = threading.Lock()  # a worker forked by another thread meanwhile must not hold our pipes

    def __init__(self, memory_mb: int | None, first: tuple | None = None):
        parent = os.getpid()
        with Worker._forking:
            calls_out, calls_in = os.pipe()
            answers_out, answers_in = os.pipe()
            pid = os.fork()
            if pid == 0:  # the worker: never returns
                for fd in Worker._parent_ends | {calls_in, answers_out}:
                    os.close(fd)
                _serve(calls_out, answers_in, memory_mb, parent, first)
            os.close(calls_out)
            os.close(answers_in)
            Worker._parent_ends |= {calls_in, answers_out}
        self.pid, self._calls, self._answers = pid, calls_in, answers_out
        self.alive = True
        self.sent = 0  # calls sent, the current one included
        self.deadline: float | None = None  # when to kill it
        if first is not None:
            self._started(first[3])

    def fileno(self) -> int:
        return self._answers

    def send(self, function: Callable[..., Any], args: tuple, kwargs: dict, timeout: float | None) -> None:
        """Start a call; the worker stops it after ``timeout`` seconds, or is killed
        :data:`KILL_GRACE` later."""
        self._started(timeout)
        try:
            _write_frame(self._calls, pickle.dumps((function, args, kwargs, timeout), pickle.HIGHEST_PROTOCOL))
        except BrokenPipeError:  # it died before reading: receive() reports how
            pass

    def _started(self, timeout: float | None) -> None:
        self.sent += 1
        self.deadline = None if timeout is None else time.monotonic() + timeout + KILL_GRACE

    def receive(self) -> tuple[str, Any]:
        """The outcome of the call: ("ok", value), ("error", ExtractError), ("failed", text),
        ("timeout" | "too_large", None) after which the worker exits, or ("died", how)."""
        payload = _read_frame(self._answers)
        if payload is None:
            return "died", self._reap()
        outcome = pickle.loads(payload)
        if outcome[0] in ("timeout", "too_large"):
            self._reap()
        return outcome

    def kill(self) -> None:
        if self.alive:
            os.kill(self.pid, signal.SIGKILL)
            self._reap()

    def stop(self) -> None:
        """Ask an idle worker to exit, and wait for it."""
        if self.alive:
            try:
                _write_frame(self._calls, b"")
            except BrokenPipeError:
                pass
            self._reap()

    def _reap(self) -> str:
        """Wait for the worker's end; how it ended."""
        _, status = os.waitpid(self.pid, 0)
        for fd in (self._calls, self._answers):
            os.close(fd)
        Worker._parent_ends -= {self._calls, self._answers}
        self.alive = False
        if os.WIFSIGNALED(status):
            return f"signal {os.WTERMSIG(status)}"
        return f"exit code {os.WEXITSTATUS(status)}"


class _TimeUp(BaseException):
    """The alarm of a call's time limit: not an Exception, so that no library's ``except
    Exception`` swallows it (LibreOffice's conversion kills soffice on the way out)."""


_armed = False  # whether the alarm may still stop the current call


def _alarm(signum, frame) -> None:
    if _armed:
        raise _TimeUp


def _serve(calls: int, answers: int, memory_mb: int | None, parent: int, first: tuple | None) -> None:
    """The worker's life: the cap, then calls (``first``, then those read from ``calls``)
    until told to stop, or until a call ran out of time or memory (what it left behind is not
    to be trusted)."""
    status = 1
    try:
        die_with_parent(parent)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
        signal.signal(signal.SIGALRM, _alarm)
        if memory_mb:
            _limit_address_space(memory_mb * MB)
        call = first
        while call is not None or (payload := _read_frame(calls)):
            function, args, kwargs, timeout = call if call is not None else pickle.loads(payload)
            call = None
            outcome = _run(function, args, kwargs, timeout)
            try:
                answer = pickle.dumps(outcome, pickle.HIGHEST_PROTOCOL)
            except MemoryError:
                outcome = ("too_large", None)
                answer = pickle.dumps(outcome)
            except Exception as error:  # noqa: BLE001 - a value or error that cannot be pickled
                outcome = ("failed", f"the answer cannot be handed back: {type(error).__name__}: {error}")
                answer = pickle.dumps(outcome)
            _write_frame(answers, answer)
            if outcome[0] in ("timeout", "too_large"):
                break
        status = 0
    finally:
        os._exit(status)  # no atexit handlers, no flushing of the parent's buffers


def _run(function: Callable[..., Any], args: tuple, kwargs: dict, timeout: float | None) -> tuple[str, Any]:
    global _armed
    try:
        try:
            if timeout is not None:
                _armed = True
                signal.setitimer(signal.ITIMER_REAL, max(timeout, 1e-6))
            return "ok", function(*args, **kwargs)
        finally:
            _armed = False
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _TimeUp:
        return "timeout", None
    except MemoryError:
        return "too_large", None
    except ExtractError as error:
        return "error", error
    except Exception as error:  # noqa: BLE001 - handed to the parent as CallFailed
        return "failed", f"{type(error).__name__}: {error}"


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(parent: int | None) -> None:
    """Have the kernel SIGKILL this process when its parent dies (Linux's PR_SET_PDEATHSIG):
    a kill -9 of the parent must not leave a worker or a crawl running on beside the next
    run.  Exit at once if the parent is already gone.  Elsewhere nothing is asked: a worker
    still sees its pipe close, a crawl still has its timeout."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if parent is not None and os.getppid() != parent:
        os._exit(1)


def _limit_address_space(extra: int) -> None:
    """Let the address space grow by ``extra`` bytes beyond what it is now."""
    with open("/proc/self/statm") as statm:
        size = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = size + extra if hard == resource.RLIM_INFINITY else min(size + extra, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _write_frame(fd: int, payload: bytes) -> None:
    for part in (len(payload).to_bytes(8, "little"), payload):  # two writes: no copy of the payload
        view = memoryview(part)
        while view:
            view = view[os.write(fd, view):]


def _read_frame(fd: int) -> bytearray | None:
    """One frame's payload; None when the other end closed before a whole frame came."""
    header = _read_exactly(fd, 8)
    return None if header is None else _read_exactly(fd, int.from_bytes(header, "little"))


def _read_exactly(fd: int, size: int) -> bytearray | None:
    data = bytearray(size)
    view, got = memoryview(data), 0
    while got < size:
        count = os.readv(fd, [view[got:]])
        if not count:
            return None
        got += count
    return data
