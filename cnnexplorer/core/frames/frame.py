"""A captured frame, and the one-item mailbox that hands the newest one between threads."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np

T = TypeVar("T")


@dataclass(frozen=True)
class Frame:
    """One captured frame with where it came from and what capturing it cost."""

    rgb: np.ndarray
    index: int
    captured_at: float  # the pump's clock (time.perf_counter() by default) when read returned
    capture_ms: float
    source: str


class LatestSlot(Generic[T]):
    """A one-item mailbox between threads: a new item replaces an unread one (latest wins)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._item: T | None = None

    def put(self, item: T) -> bool:
        """Store ``item``; True when the slot was empty (the reader needs waking)."""
        with self._lock:
            was_empty = self._item is None
            self._item = item
            return was_empty

    def take(self) -> T | None:
        """The newest item, emptying the slot; ``None`` if nothing arrived since the last take."""
        with self._lock:
            item, self._item = self._item, None
            return item

    def empty(self) -> bool:
        with self._lock:
            return self._item is None
