"""Progress of long work (build, crawl, indexing): a bar on a terminal, log lines otherwise.

    with Progress("build", total=len(files)) as progress:
        for item in files:
            ...
            progress.update(1, item=name)

On a TTY the bar redraws in place (``build  42/120  35% [=======>      ] 3.1/s eta 25s``);
in CI or a log file it prints the same figures as a plain line at most every
``interval`` seconds, and always a final line.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

BAR_WIDTH = 24


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    if seconds >= 60:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds}s"


class Progress:
    """Counts done items and reports them.

    :param label: what is being done ("build", "crawl").
    :param total: items expected, or None when unknown (no percentage or ETA).
    :param stream: where to write (stderr by default).
    :param tty: force bar (True) or lines (False); by default, whether ``stream`` is a TTY.
    :param interval: seconds between plain log lines.
    """

    def __init__(self, label: str, total: int | None = None, *, stream: TextIO | None = None,
                 tty: bool | None = None, interval: float = 5.0, clock=time.monotonic):
        self.label = label
        self.total = total
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.interval = interval
        self.clock = clock
        self.done = 0
        self.item: str | None = None
        self.started = clock()
        self._last_line = self.started
        self._closed = False

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def update(self, n: int = 1, item: str | None = None) -> None:
        self.done += n
        self.item = item if item is not None else self.item
        now = self.clock()
        if self.tty:
            self.stream.write("\r" + self.line(now) + "\x1b[K")
            self.stream.flush()
        elif now - self._last_line >= self.interval:
            self._last_line = now
            self.stream.write(self.line(now) + "\n")
            self.stream.flush()

    def close(self) -> None:
        """Write the final figures once (ending the bar's line on a TTY)."""
        if self._closed:
            return
        self._closed = True
        line = self.line(self.clock(), final=True)
        self.stream.write(("\r" + line + "\x1b[K\n") if self.tty else line + "\n")
        self.stream.flush()

    def line(self, now: float, final: bool = False) -> str:
        elapsed = max(now - self.started, 1e-9)
        rate = self.done / elapsed
        parts = [self.label, f"{self.done}/{self.total}" if self.total else str(self.done)]
        if self.total:
            fraction = min(1.0, self.done / self.total)
            parts.append(f"{fraction:4.0%}")
            if self.tty:
                filled = int(BAR_WIDTH * fraction)
                parts.append("[" + "=" * filled + (">" if filled < BAR_WIDTH else "")
                             + " " * max(0, BAR_WIDTH - filled - 1) + "]")
        parts.append(f"{rate:.1f}/s")
        if final:
            parts.append(f"in {_duration(elapsed)}")
        elif self.total and rate > 0:
            parts.append(f"eta {_duration((self.total - self.done) / rate)}")
        if self.item and not final:
            parts.append(self.item if len(self.item) <= 40 else "…" + self.item[-39:])
        return "  ".join(parts)
