"""A run that survives being killed: after every completed epoch the run folder holds a resume point,
and a later process continues from it.

While a run trains, its folder (``<name>.partial``, see :func:`~.fit.staged_run_dir`) holds
``progress.json``, the commit point, naming files under ``resume/``: the fitted model's weights with
the optimizer's state, and the best weights so far. The named files are written (through a temporary
name, then renamed) before ``progress.json`` is replaced, so a process killed at any moment leaves
the previous point whole. The folder is locked while a process trains into it; the operating system
drops the lock when that process dies, however it dies.

A resumed run trains the same number of epochs and ends in a complete run folder; its weights need
not be bit-identical to an uninterrupted run's, because the data order is drawn again (and an epoch
cut short restarts from its beginning).
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.infra.paths import atomic_write_bytes
from cnnexplorer.core.infra.store import read_json, write_json

PROGRESS = "progress.json"  # the commit point; its epochs_done is the last completed epoch
RESUME_FOLDER = "resume"
RECORD = "resumed.json"  # left in the finished folder of a run that was resumed
LOCK = "training.lock"
PARTIAL = ".partial"
PROGRESS_VERSION = 1
GUARANTEE = ("A resumed run trains the same number of epochs as the run file asks and ends in a complete run folder. "
             "Its weights need not be bit-identical to those of an uninterrupted run: the data order is drawn "
             "again, and an epoch that was cut short restarts from its beginning.")


class ResumeError(RuntimeError):
    """There is nothing to resume in a folder, or it is busy; the message says which folder and why."""


@dataclass
class ResumePoint:
    """The state after ``epochs_done`` completed epochs, as ``progress.json`` describes it."""

    staging: Path
    epochs_done: int
    epochs: int
    weights: Path | None = None  # the fitted model's weights and optimizer state (None: no epoch done)
    history: dict[str, list[float]] = field(default_factory=dict)
    best_val_loss: float | None = None
    best_weights: Path | None = None  # the plain model's best weights, as ``get_weights()`` lists them
    resumed_after: list[int] = field(default_factory=list)  # epochs done at each earlier resumption

    def best(self) -> list[np.ndarray] | None:
        if self.best_weights is None:
            return None
        with np.load(self.best_weights) as arrays:
            return [arrays[f"w{i}"] for i in range(len(arrays.files))]


# -- where --------------------------------------------------------------------------------------
def run_and_staging(folder: Path | str) -> tuple[Path, Path]:
    """(final run folder, its ``.partial`` staging folder) for ``folder``, given either way."""
    folder = Path(folder)
    if folder.name.endswith(PARTIAL):
        return folder.with_name(folder.name[: -len(PARTIAL)]), folder
    return folder, folder.with_name(folder.name + PARTIAL)


def interrupted_staging(folder: Path | str) -> Path:
    """The staging folder of the interrupted run ``folder``; raises :class:`ResumeError` if there is
    none (the run finished, or never started) or if a process is training into it now."""
    run_dir, staging = run_and_staging(folder)
    if not (staging / "run.json").is_file():
        if (run_dir / "history.json").is_file():
            raise ResumeError(tr("{folder} is a finished run: there is nothing to resume", folder=run_dir))
        raise ResumeError(tr("{folder} holds no interrupted run (no {partial} folder with a run.json)",
                             folder=run_dir, partial=staging.name))
    if is_busy(staging):
        raise ResumeError(tr("{folder} is being trained by another process", folder=staging))
    return staging


def latest_interrupted(runs: Path) -> Path | None:
    """The most recently advanced interrupted run under ``runs`` that no process trains now
    (its staging folder), or None."""
    if not runs.is_dir():
        return None
    found = [p for p in runs.glob("*" + PARTIAL) if (p / "run.json").is_file() and not is_busy(p)]
    return max(found, key=lambda p: _advanced_at(p), default=None)


def _advanced_at(staging: Path) -> float:
    progress = staging / PROGRESS
    return (progress if progress.exists() else staging).stat().st_mtime


# -- the lock -----------------------------------------------------------------------------------
@contextlib.contextmanager
def training_lock(staging: Path) -> Iterator[None]:
    """Hold ``staging``'s lock while training into it; raises :class:`ResumeError` if another process
    holds it. The lock file is removed on the way out (before the folder is renamed), while it is
    still held where the system allows it: nobody can take a lock on a name about to vanish."""
    path = staging / LOCK
    handle = _locked(path)
    if handle is None:
        raise ResumeError(tr("{folder} is being trained by another process", folder=staging))
    try:
        yield
    finally:
        if os.name != "nt":
            path.unlink(missing_ok=True)
        handle.close()  # releases the lock (Windows cannot remove an open file: it goes after)
        if os.name == "nt":
            with contextlib.suppress(OSError):  # another process may have it open now
                path.unlink(missing_ok=True)


def _locked(path: Path):
    """``path`` opened and locked, or None if another process holds it. A lock taken on a file its
    holder removed meanwhile is no lock: the name is opened again."""
    while True:
        handle = open(path, "a+b")
        if not _try_lock(handle):
            handle.close()
            return None
        try:
            same = os.name == "nt" or os.fstat(handle.fileno()).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return handle
        handle.close()


def is_busy(staging: Path) -> bool:
    """A process (this one too) is training into ``staging`` now."""
    try:
        handle = open(staging / LOCK, "r+b")
    except OSError:  # no lock file: nobody has it
        return False
    with handle:
        return not _try_lock(handle)


def _try_lock(handle) -> bool:
    try:
        if os.name == "nt":
            import msvcrt

            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


# -- writing ------------------------------------------------------------------------------------
def write_best_weights(path: Path, weights: list[np.ndarray]) -> None:
    buffer = io.BytesIO()
    np.savez(buffer, **{f"w{i}": np.asarray(w) for i, w in enumerate(weights)})
    atomic_write_bytes(path, buffer.getvalue())


def commit(point: ResumePoint) -> None:
    """Replace ``progress.json`` by ``point`` (its files are on disk already), then remove the files
    of earlier points."""
    staging = point.staging

    def relative(path: Path | None) -> str | None:
        return path.relative_to(staging).as_posix() if path is not None else None

    write_json(staging / PROGRESS, {
        "version": PROGRESS_VERSION, "epochs_done": point.epochs_done, "epochs": point.epochs,
        "weights": relative(point.weights), "history": point.history, "best_val_loss": point.best_val_loss,
        "best_weights": relative(point.best_weights), "resumed_after": point.resumed_after})
    kept = {point.weights, point.best_weights}
    for stale in (staging / RESUME_FOLDER).iterdir():
        if stale not in kept and not stale.name.startswith("."):  # a dot name: a file being written
            stale.unlink(missing_ok=True)


def finish(staging: Path, point: ResumePoint | None) -> None:
    """The run is saved: for a resumed run, record what it promises. The resume point stays until
    the folder has its final name (:func:`drop_resume_point`): a kill in between leaves a run that
    resumes after its last epoch, never one that starts again from nothing."""
    if point is not None:
        write_json(staging / RECORD, {"resumed_after_epochs": [*point.resumed_after, point.epochs_done],
                                      "epochs": point.epochs, "guarantee": GUARANTEE})


def drop_resume_point(run_dir: Path) -> None:
    """A finished run, under its final name, needs its resume point no more."""
    (run_dir / PROGRESS).unlink(missing_ok=True)
    shutil.rmtree(run_dir / RESUME_FOLDER, ignore_errors=True)


# -- reading ------------------------------------------------------------------------------------
def read_resume_point(staging: Path) -> ResumePoint | None:
    """The point ``staging``'s ``progress.json`` names; None if no epoch completed. Raises
    :class:`ResumeError` for a progress file this version cannot use."""
    path = staging / PROGRESS
    if not path.exists():
        return None
    try:
        data = read_json(path)
        if data["version"] > PROGRESS_VERSION:
            raise ResumeError(tr("{file} was written by a newer cnnexplorer: update it to resume this run",
                                 file=path))
        weights = staging / data["weights"]
        best = staging / data["best_weights"] if data["best_weights"] else None
        point = ResumePoint(staging, int(data["epochs_done"]), int(data["epochs"]), weights,
                            {k: [float(v) for v in values] for k, values in data["history"].items()},
                            data["best_val_loss"], best, [int(n) for n in data["resumed_after"]])
    except (ValueError, KeyError, TypeError) as exc:
        raise ResumeError(tr("{file} cannot be read ({error})", file=path, error=exc)) from None
    missing = [p for p in (point.weights, point.best_weights) if p is not None and not p.is_file()]
    if missing:
        raise ResumeError(tr("the resume point in {folder} lacks {file}", folder=staging, file=missing[0].name))
    return point


def restore(trained, point: ResumePoint) -> None:
    """Give the compiled model ``trained`` the weights and optimizer state of ``point`` (call it in
    the distribution scope the model was built in)."""
    if trained.optimizer is not None and not trained.optimizer.built:
        trained.optimizer.build(trained.trainable_variables)  # its variables must exist to be loaded
    trained.load_weights(point.weights)
