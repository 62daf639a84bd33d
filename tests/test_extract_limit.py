"""The limits' machinery (extract.limit): long-lived capped workers, each call under its time
limit, a worker replaced only when a call ran out of time or memory or took it down.

The calls here are plain functions run in real forked workers, killed by real signals; the
same runs with real hostile PDFs are in tests/security/test_hostile_files.py."""

from __future__ import annotations

import faulthandler
import os
import signal
import threading
import time

import pytest

from gongkai.extract import ExtractCrashed, ExtractTimeout, ExtractTooLarge
from gongkai.extract.limit import KILL_GRACE, Call, CallFailed, run_calls, run_limited

MB = 1 << 20


def pid() -> int:
    return os.getpid()


def stuck(seconds: float) -> None:
    """Deaf to the alarm, as a long call into a C library is."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    time.sleep(seconds)


def busy(seconds: float, stopped: str | None = None) -> None:
    """Spin; ``stopped`` is a file written if the call is stopped in Python (by the alarm),
    which a SIGKILL never lets happen."""
    end = time.monotonic() + seconds
    try:
        while time.monotonic() < end:
            pass
    finally:
        if stopped:
            with open(stopped, "w") as marker:
                marker.write("stopped by the alarm")


def allocate(megabytes: int) -> int:
    return len(bytearray(megabytes * MB)) // MB


LEFT_BEHIND = []


def leave_behind(megabytes: int) -> int:
    """Memory a call keeps after it returns, as a leak in a library would."""
    LEFT_BEHIND.append(bytearray(megabytes * MB))
    return megabytes


def started() -> float:
    return time.monotonic()  # the system's clock: the same in every process


def die(unless: bool = False) -> str:
    if not unless:
        faulthandler.disable()  # pytest's: an abort here is the test, not news
        os.abort()
    return "read on the second try"


def fail() -> None:
    raise ValueError("a bug")


def unpicklable() -> threading.Lock:
    return threading.Lock()


def run(*calls: Call, workers: int = 1, memory_mb: int | None = 256) -> list:
    """Each call's value or error, in the order given."""
    results = {index: error or value for index, value, error in run_calls(calls, workers=workers, memory_mb=memory_mb)}
    return [results[index] for index in range(len(calls))]


def test_one_worker_extracts_file_after_file_without_a_fork_each():
    pids = run(*[Call(pid) for _ in range(5)])
    assert len(set(pids)) == 1 and pids[0] != os.getpid()


def test_the_alarm_stops_a_call_and_its_worker_is_replaced(tmp_path):
    stopped = tmp_path / "stopped"
    before, timed_out, after = run(Call(pid), Call(busy, (30, str(stopped)), filename="/x/slow.pdf", timeout=0.3),
                                   Call(pid))
    assert stopped.exists()  # the alarm stopped it, not the parent's kill (a load-proof witness, not a clock)
    assert isinstance(timed_out, ExtractTimeout) and str(timed_out).startswith("slow.pdf: extraction took longer "
                                                                               "than the 0.3 s limit.")
    assert before != after


def test_a_call_deaf_to_the_alarm_is_killed_a_moment_later():
    started = time.monotonic()
    timed_out, after = run(Call(stuck, (30,), timeout=0.2), Call(pid))
    assert isinstance(timed_out, ExtractTimeout) and isinstance(after, int)
    assert 0.2 + KILL_GRACE <= time.monotonic() - started < 10


def test_memory_past_the_cap_is_too_large_and_the_next_call_goes_on():
    small, too_large, pids = run(Call(allocate, (64,)), Call(allocate, (400,), filename="big.pdf"), Call(pid),
                                 memory_mb=256)
    assert small == 64
    assert isinstance(too_large, ExtractTooLarge) and "256 MiB" in str(too_large)
    assert isinstance(pids, int)


def test_a_call_that_fits_only_a_fresh_worker_is_tried_again_in_one():
    kept, fits = run(Call(leave_behind, (160,)), Call(allocate, (160,)), memory_mb=256)
    assert (kept, fits) == (160, 160)


def test_a_call_that_kills_its_worker_is_crashed_and_the_others_go_on():
    first, crashed, after = run(Call(pid), Call(die, filename="killer.pdf"), Call(pid), workers=2)
    assert isinstance(crashed, ExtractCrashed)
    assert "killer.pdf: the extraction process died (signal 6)" in str(crashed)
    assert isinstance(first, int) and isinstance(after, int)


def test_a_call_that_kills_its_worker_is_tried_again_with_its_fallback():
    (value,) = run(Call(die, fallback={"unless": True}))
    assert value == "read on the second try"


def test_an_unforeseen_exception_is_reported_with_its_type():
    (error,) = run(Call(fail))
    assert isinstance(error, CallFailed) and str(error) == "ValueError: a bug"


def test_an_answer_that_cannot_be_handed_back_is_reported_and_the_worker_goes_on():
    error, after = run(Call(unpicklable), Call(pid))
    assert isinstance(error, CallFailed) and str(error).startswith("the answer cannot be handed back: TypeError")
    assert isinstance(after, int)


def test_a_fresh_worker_has_its_call_s_data_from_the_fork_not_through_the_cap():
    # The crawler hands its check a whole PDF: a copy or three in a pipe would count against
    # the cap (a 96 MB body read through one took 3 × 96 MiB, past 128).
    data = b"%PDF" * (24 * MB)
    assert run_limited(len, data, filename="big.pdf", timeout=30, memory_mb=128) == len(data)


def test_the_next_call_runs_while_the_caller_handles_an_answer():
    answers = run_calls([Call(pid), Call(started)], workers=1, memory_mb=None)
    next(answers)
    time.sleep(1.0)  # storing a record, say
    handled = time.monotonic()
    (_, second_started, _), = answers
    assert second_started < handled - 0.5


@pytest.mark.parametrize("workers", [1, 3])
def test_every_call_is_answered_once_as_it_finishes(workers):
    calls = [Call(busy, (0.01 * (n % 3),)) for n in range(7)] + [Call(die), Call(busy, (5,), timeout=0.1)]
    answered = [index for index, _, _ in run_calls(calls, workers=workers, memory_mb=None)]
    assert sorted(answered) == list(range(len(calls)))
