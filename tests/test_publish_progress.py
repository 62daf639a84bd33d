"""Progress: a redrawn bar on a terminal, throttled plain lines in logs."""

from __future__ import annotations

import io

import pytest

from gongkai.archive.progress import Progress


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


class TtyBuffer(io.StringIO):
    def isatty(self):
        return True


def test_plain_lines_are_throttled_and_final_line_written():
    clock, out = Clock(), io.StringIO()
    with Progress("build", total=10, stream=out, interval=5, clock=clock) as progress:
        for n in range(10):
            clock.now += 1
            progress.update(1, item=f"file-{n}.pdf")
    lines = out.getvalue().splitlines()
    # A line at 5 s and at 10 s of work, then the final one.
    assert lines[0].startswith("build  5/10   50%  1.0/s  eta 5s  file-4.pdf")
    assert lines[-1] == "build  10/10  100%  1.0/s  in 10s"
    assert len(lines) == 3
    assert "\r" not in out.getvalue()


def test_tty_bar_redraws_in_place():
    clock, out = Clock(), TtyBuffer()
    progress = Progress("crawl", total=4, stream=out, clock=clock)
    clock.now += 2
    progress.update(2)
    progress.close()
    progress.close()  # idempotent
    text = out.getvalue()
    assert text.count("\n") == 1
    assert "\rcrawl  2/4   50%  [============>           ]  1.0/s  eta 2s" in text


@pytest.mark.parametrize("total,expected", [(None, "pages  3  1.5/s  in 2s"),
                                            (0, "pages  3  1.5/s  in 2s")])
def test_unknown_total(total, expected):
    clock, out = Clock(), io.StringIO()
    with Progress("pages", total=total, stream=out, clock=clock) as progress:
        clock.now += 2
        progress.update(3)
    assert out.getvalue().splitlines()[-1] == expected
