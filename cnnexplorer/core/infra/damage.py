"""A damaged user file is set aside, never half read or silently replaced, and the user is told once.

:func:`set_aside` renames ``settings.json`` to ``settings.json.damaged-<time>`` beside it (a new
name each time: an earlier damaged copy is never overwritten) and reports one notice; :func:`report`
tells of other trouble with the user's files (a data folder that cannot be written). The GUI
listens with :func:`on_damaged_file`; notices reported before anyone listens wait for the first
listener, so those found while the window is being built are shown once it stands.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.infra.paths import time_stamp, unique_path

log = logging.getLogger(__name__)

_lock = threading.Lock()
_pending: list[str] = []
_listeners: list[Callable[[str], None]] = []
_left_in_place: set[Path] = set()  # damaged files that could not be moved: told about once


def set_aside(path: Path, problem: object, instead: str) -> str:
    """Move the damaged ``path`` to a new ``<name>.damaged-<time>`` beside it and report it.

    ``problem`` says what is wrong with it, ``instead`` what the app does without it. Returns the
    notice (the user's words). When the file cannot be moved (a read-only folder) it is left as it
    is and reported only the first time."""
    path = Path(path)
    claim = None
    try:
        claim = unique_path(path.parent, f"{path.name}.damaged-{time_stamp()}")
        os.replace(path, claim)
    except OSError as exc:
        if claim is not None:
            claim.unlink(missing_ok=True)
        notice = tr("{path} is damaged ({problem}) and could not be set aside ({error}): {instead}", path=path,
                    problem=problem, error=exc.strerror or exc, instead=instead)
        with _lock:
            if path in _left_in_place:
                return notice
            _left_in_place.add(path)
    else:
        notice = tr("{path} was damaged ({problem}): it is kept as {copy}, and {instead}", path=path,
                    problem=problem, copy=claim.name, instead=instead)
    report(notice)
    return notice


def on_damaged_file(listener: Callable[[str], None]) -> Callable[[], None]:
    """Call ``listener(notice)`` for each damaged file found from now on, and at once for those found
    before anyone listened. It may be called on any thread. Returns a function that stops it."""
    with _lock:
        _listeners.append(listener)
        waiting = _drain()
    for notice in waiting:
        listener(notice)
    return lambda: _stop(listener)


def take_notices() -> list[str]:
    """The notices no listener has had yet, forgotten as they are returned."""
    with _lock:
        return _drain()


def _drain() -> list[str]:
    """The pending notices, emptied (the caller holds the lock)."""
    waiting = list(_pending)
    _pending.clear()
    return waiting


def report(notice: str) -> None:
    """Tell the user ``notice`` about one of their files, once (logged as well)."""
    log.warning("%s", notice)
    with _lock:
        listeners = list(_listeners)
        if not listeners:
            _pending.append(notice)
    for listener in listeners:
        listener(notice)


def _stop(listener: Callable[[str], None]) -> None:
    with _lock:
        if listener in _listeners:
            _listeners.remove(listener)
