"""Collect Python's reference cycles on the GUI thread only.

The cycle collector runs on whichever thread happens to allocate, so a worker busy in TensorFlow
ends up freeing Qt objects left over from closed panels. That deadlocks: the worker, inside
``QObject::~QObject`` and holding the object's lock, waits for the GIL while the GUI thread, holding
the GIL, waits for that lock. While a guard is active automatic collection is off and a timer on the
GUI thread collects instead, with the usual thresholds for the young generations. A full collection
walks every object: ~0.15–0.25 s once TensorFlow is imported (a visible hitch), ~10 ms once the
import's objects are set aside (:meth:`set_aside_long_lived`); it still waits for 30
middle-generation ones: at most one every five minutes at the timer's pace.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

FULL_COLLECTION_AFTER = 30  # middle-generation collections between two full ones


class GuiThreadCollector(QObject):
    """Active from construction until :meth:`stop`; guards nest (the last one out re-enables)."""

    _active = 0
    _set_aside = False  # whether the objects frozen now were frozen by a collector (and are given back by one)

    def __init__(self, interval_ms: int = 1000, parent: QObject | None = None) -> None:
        super().__init__(parent)
        young, middle, _ = gc.get_threshold()
        self._thresholds = (young, middle, FULL_COLLECTION_AFTER)
        self._timer = QTimer(self, interval=interval_ms)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start()
        self._soon = QTimer(self, singleShot=True, interval=3000)
        self._soon.timeout.connect(self._collect_around_retired)
        self._later = QTimer(self, singleShot=True, interval=1000)
        self._later.timeout.connect(gc.collect)
        self._retired: list = []
        self._stopped = False
        GuiThreadCollector._active += 1
        gc.disable()

    def collecting(self) -> bool:
        """Whether the timer collects now (not while Keras imports, nor once stopped)."""
        return self._timer.isActive()

    def collect_due(self) -> None:
        """Collect the generations whose allocation counts passed their thresholds."""
        counts = gc.get_count()
        for generation in range(3):
            if counts[generation] <= self._thresholds[generation]:
                break
            gc.collect(generation)

    def collect_soon(self, retired=None) -> None:
        """A full collection in a few seconds: for big cyclic garbage, e.g. a replaced model and its
        weights, once the workers have let go of it. A ``retired`` object (the replaced model) is
        kept through that collection and freed by one a second later: what was built on it
        (tapping models, their traced graphs) and the model itself are then two short pauses of
        the GUI thread instead of one long one."""
        if retired is not None:
            self._retired.append(retired)
        if not self._soon.isActive():  # models swapped in a row must not postpone it (and pile up)
            self._soon.start()

    def _collect_around_retired(self) -> None:
        gc.collect()
        if self._retired:
            self._retired.clear()
            self._later.start()

    def pause(self, *_) -> None:
        """No collection while TensorFlow imports (until :meth:`resume` or :meth:`set_aside_long_lived`):
        the import allocates ~500k objects and leaves ~1.5k garbage, so walking them meanwhile only
        holds the GIL that the import thread needs (~0.2 s in all)."""
        self._timer.stop()

    def resume(self, *_) -> None:
        if not self._stopped:  # Keras may arrive after the window closed
            self._timer.start()

    def set_aside_long_lived(self, *_) -> None:
        """Once TensorFlow is imported, before any model is loaded: the ~500k objects alive now (its
        modules, the window) live as long as the app; frozen out of the collector's sight, a full
        collection (e.g. of a replaced model) no longer walks them. Nothing is collected first: that
        would walk them all (~0.25 s holding the GIL while the model load starts) to free the ~1.5k
        objects of garbage the import leaves, which stay instead. A model loaded afterwards is
        collected as before.

        Where the process had already set objects aside itself (a host that manages the collector, a
        test harness), those are left to it: nothing more is frozen and nothing given back at
        :meth:`stop`, since Python can only thaw everything at once."""
        if self._stopped:
            return
        if gc.get_freeze_count() == 0 or GuiThreadCollector._set_aside:
            gc.freeze()
            GuiThreadCollector._set_aside = True
        self.resume()

    def stop(self) -> None:
        """Call once the window's threads have stopped: frees what is left here, on this thread.
        Once only (closing twice, or while Keras was still importing and collections paused, is one stop)."""
        if self._stopped:
            return
        self._stopped = True
        self._timer.stop()
        self._soon.stop()
        self._later.stop()
        self._retired.clear()
        GuiThreadCollector._active -= 1
        if GuiThreadCollector._active == 0 and GuiThreadCollector._set_aside:
            gc.unfreeze()  # what was set aside is the collector's again
            GuiThreadCollector._set_aside = False
        gc.collect()
        if GuiThreadCollector._active == 0:
            gc.enable()
