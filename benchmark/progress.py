"""Progress of long work: a tqdm bar on a terminal, plain lines in a log.

With `--no-progress` (or output to a file) a long run still says it is alive: one line each time
another tenth is done, at least once a minute, and a last line with the total time. Work that
finishes within `quiet_for` seconds prints nothing.

    with Progress(len(todo), "hi_tvgbench: score", bar=config.progress) as progress:
        ...
        progress.update(len(batch))
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from tqdm import tqdm


class Progress:
    def __init__(
        self,
        total: int,
        desc: str,
        *,
        bar: bool,
        unit: str = "sample",
        stream: TextIO | None = None,
        step: float = 0.1,
        every: float = 60.0,
        quiet_for: float = 10.0,
    ) -> None:
        self.total, self.desc, self.unit = total, desc, unit
        self.stream = stream or sys.stderr
        self.step, self.every, self.quiet_for = step, every, quiet_for
        self.done = 0
        self.started = self.last = time.monotonic()
        self._printed_step = 0
        self._lines = 0
        self._bar = tqdm(total=total, desc=desc, unit=unit) if bar else None

    def update(self, n: int) -> None:
        self.done += n
        if self._bar is not None:
            self._bar.update(n)
            return
        now = time.monotonic()
        steps = int(self.done / self.total / self.step) if self.total else 0
        if now - self.started < self.quiet_for:
            return
        if steps > self._printed_step or now - self.last >= self.every:
            self._printed_step = steps
            self._line(now)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
        elif self._lines:  # a last line only when the work was long enough to report
            elapsed = time.monotonic() - self.started
            print(f"{self.desc}: {self.done}/{self.total} {self.unit}s in {_clock(elapsed)}",
                  file=self.stream, flush=True)  # fmt: skip

    def _line(self, now: float) -> None:
        self.last = now
        self._lines += 1
        elapsed = now - self.started
        share = self.done / self.total if self.total else 1.0
        left = elapsed * (1 - share) / share if share else 0.0
        print(
            f"{self.desc}: {self.done}/{self.total} {self.unit}s ({share:.0%}) in "
            f"{_clock(elapsed)}, about {_clock(left)} left",
            file=self.stream,
            flush=True,
        )

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _clock(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"
