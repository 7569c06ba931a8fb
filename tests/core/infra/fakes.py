"""A clock that moves only when told, for testing timing logic without sleeping."""

from __future__ import annotations

import threading


class FakeClock:
    """Call it for the time; :meth:`advance` moves it; :meth:`wait` is a sleep that takes no time.

    ``wait(event, seconds)`` has the signature of :meth:`threading.Event.wait`, so code that sleeps
    through an injected ``wait`` runs on the test's own thread: the clock jumps by ``seconds`` and
    every wait is logged in ``waits``. An endless wait (``seconds=None``) on an unset event would
    block the test forever; it stands for the user pressing stop, so it sets the event.
    Code that goes on past ``limit_s`` of fake time or ``max_waits`` waits is stuck in a loop: the
    clock raises rather than let the test hang.
    """

    def __init__(self, start: float = 1000.0, limit_s: float = 3600.0, max_waits: int = 1000) -> None:
        self.now = start
        self.deadline = start + limit_s
        self.max_waits = max_waits
        self.waits: list[float | None] = []

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        assert seconds >= 0, "time only moves forward"
        self.now += seconds
        if self.now > self.deadline:
            raise AssertionError("the fake clock ran past its limit: a loop that never ends?")

    def wait(self, event: threading.Event, seconds: float | None = None) -> bool:
        self.waits.append(seconds)
        if len(self.waits) > self.max_waits:
            raise AssertionError(f"over {self.max_waits} waits: a loop that never ends?")
        if event.is_set():
            return True
        if seconds is None:
            event.set()
            return True
        self.advance(seconds)
        return event.is_set()
