"""Run the Qt event loop until a condition holds, for scripted (snapshot, benchmark) runs."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEventLoop


def wait_until(app, condition: Callable[[], bool], timeout_s: float) -> bool:
    deadline = time.perf_counter() + timeout_s
    while time.perf_counter() < deadline:
        if condition():
            return True
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        time.sleep(0.005)
    return condition()
