"""Stop talking to an endpoint that has stopped answering, instead of failing every request.

Each request already retries with backoff; what a dead server needs is a decision for the whole
run. A `Breaker` counts the attempts in a row, over all threads, that got no answer (connection
refused or dropped, timeouts, 502/503/504 from a proxy in front of nothing). Once there are
`failures` of them spanning at least `seconds`, it opens: the attempt that opened it and every
later one raise `EndpointDown`, naming the URL and the last error. One answer of any kind in
between (a reply, a 4xx) closes the count again: the server is there.
"""

from __future__ import annotations

import threading
import time

from benchmark.errors import EndpointDown

#: (failures in a row, seconds they must span) before an endpoint counts as down
DOWN_AFTER = (10, 30.0)


class Breaker:
    def __init__(self, url: str, failures: int | None = None, seconds: float | None = None):
        self.url = url
        self.failures = failures if failures is not None else DOWN_AFTER[0]
        self.seconds = seconds if seconds is not None else DOWN_AFTER[1]
        self._lock = threading.Lock()
        self._count = 0
        self._since = 0.0
        self.down: EndpointDown | None = None

    def check(self) -> None:
        """Raise at once when the endpoint is down (before another attempt)."""
        if self.down is not None:
            raise self.down

    def answered(self) -> None:
        with self._lock:
            self._count = 0

    def failed(self, error: str) -> None:
        """One attempt got no answer; raise EndpointDown when that makes the endpoint down."""
        with self._lock:
            now = time.monotonic()
            if self._count == 0:
                self._since = now
            self._count += 1
            if self.down is None and (
                self._count >= self.failures and now - self._since >= self.seconds
            ):
                self.down = EndpointDown(
                    f"{self.url} stopped answering ({self._count} attempts in a row failed "
                    f"over {now - self._since:.0f} s; last: {error}). Everything done so far is "
                    "kept: run the same command again to resume once it is back"
                )
        self.check()
