"""The stage walks (``bench stage``) that the selected tests ask for, started once the tests are
collected and run in the background while every other test runs.

Each walk is a process of its own on a virtual screen that spends most of its time letting pages
settle (about 10 s of CPU in 40 s), so the walks run side by side, and no test process sits idle
waiting for them: the first test process to finish collecting starts them all (a lock file in the
folder the test processes share says which), each report lands there as a file, and the stage
tests, which run last, read them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from cnnexplorer.bench.stage import run_setup

SWITCH_SETUP = "window-1280x720"  # the set-up whose walk, in a language other than English, switches languages too
SHARED_ENV = "CNNEXPLORER_TESTS_SHARED"  # the folder this run's test processes share
REPORT_WAIT_S = 900.0
AT_ONCE = 3  # walks side by side: each imports TensorFlow while the test processes run theirs


def share_a_folder() -> Path | None:
    """In the process that starts the run, before any test process is started: the folder they
    share, made here unless the environment names one already (then None)."""
    if SHARED_ENV in os.environ:
        return None
    os.environ[SHARED_ENV] = tempfile.mkdtemp(prefix="cnnexplorer-tests-")
    return Path(os.environ[SHARED_ENV])


def remove_shared_folder(folder: Path | None) -> None:
    """At the end of the run, in the process that made the folder: gone, and no longer named."""
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
        os.environ.pop(SHARED_ENV, None)


def walks_asked_for(items: list[pytest.Item]) -> set[tuple[str, str]]:
    """(set-up, language) of every selected test that uses ``stage_walks``: its ``setup`` parameter
    and its module's ``LANGUAGE``."""
    return {(item.callspec.params["setup"], item.module.LANGUAGE) for item in items if is_a_stage_test(item)}


def is_a_stage_test(item: pytest.Item) -> bool:
    return "stage_walks" in getattr(item, "fixturenames", ())


class StageWalks:
    """Reports by (set-up, language), read from the shared folder as they land."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._pool: ThreadPoolExecutor | None = None

    @classmethod
    def shared(cls) -> StageWalks:
        return cls(Path(os.environ[SHARED_ENV]))

    def start(self, walks: set[tuple[str, str]]) -> None:
        """Start ``walks`` unless another test process of this run already has; the lock file names
        the process that did."""
        if not walks:
            return
        try:
            lock = os.open(self.folder / "stage-walks.lock", os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return
        os.write(lock, str(os.getpid()).encode())
        os.close(lock)
        self._pool = ThreadPoolExecutor(max_workers=min(AT_ONCE, len(walks)), thread_name_prefix="stage-walk")
        for setup, language in sorted(walks):
            self._pool.submit(self._walk, setup, language)

    def wait(self) -> None:
        """Let the walks this process started finish (it must not end before they have reported)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)

    def report(self, setup: str, language: str) -> dict:
        """The walk's report once it lands; a walk that failed, a process that started the walks
        and ended without reporting, or no report in time fail here, saying which."""
        path = self._path(setup, language)
        deadline = time.monotonic() + REPORT_WAIT_S
        while not path.exists():
            owner = self._owner()
            if owner is not None and not _alive(owner):
                if path.exists():  # it reported just before it ended
                    break
                raise RuntimeError(f"the test process that ran the stage walks (pid {owner}) ended without "
                                   f"the report {path.name}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"no stage walk report {path.name} after {REPORT_WAIT_S:.0f} s "
                                   f"(walks started by pid {owner})")
            time.sleep(0.5)
        outcome = json.loads(path.read_text())
        if "error" in outcome:
            raise RuntimeError(outcome["error"])
        return outcome

    def _owner(self) -> int | None:
        try:
            return int((self.folder / "stage-walks.lock").read_text())
        except (OSError, ValueError):  # not started yet, or the pid not written yet
            return None

    def _walk(self, setup: str, language: str) -> None:
        path = self._path(setup, language)
        try:
            try:
                outcome = run_setup(setup, language=language, switch=setup == SWITCH_SETUP)
            except subprocess.TimeoutExpired as error:  # where it was: the walk's progress lines
                stderr = error.stderr.decode(errors="replace") if isinstance(error.stderr, bytes) else error.stderr
                outcome = {"error": f"{error}\n{(stderr or '')[-3000:]}"}
            except Exception as error:  # noqa: BLE001 — the test that reads it fails with the reason
                outcome = {"error": f"{type(error).__name__}: {error}"}
            partial = path.with_suffix(".partial")
            partial.write_text(json.dumps(outcome))
            os.replace(partial, path)  # a reader never sees half a report
        except OSError as error:  # the report cannot be written: say so where it is read
            with open(path, "w") as last_word:
                json.dump({"error": f"the stage walk's report could not be written: {error}"}, last_word)

    def _path(self, setup: str, language: str) -> Path:
        return self.folder / f"stage-{setup}-{language}.json"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, someone else's
        return True
    return True


STASH_KEY = pytest.StashKey[StageWalks]()  # this test process's walks, on its pytest config
MADE_KEY = pytest.StashKey[Path | None]()  # the shared folder, in the process that made it
