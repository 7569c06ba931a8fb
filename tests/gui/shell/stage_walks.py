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
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from cnnexplorer.bench.stage import run_setup

SWITCH_SETUP = "window-1280x720"  # the set-up whose walk, in a language other than English, switches languages too
SHARED_ENV = "CNNEXPLORER_TESTS_SHARED"  # the folder this run's test processes share
REPORT_WAIT_S = 900.0


def share_a_folder() -> Path | None:
    """In the process that starts the run, before any test process is started: the folder they
    share, made here unless the environment names one already (then None)."""
    if SHARED_ENV in os.environ:
        return None
    os.environ[SHARED_ENV] = tempfile.mkdtemp(prefix="cnnexplorer-tests-")
    return Path(os.environ[SHARED_ENV])


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
        """Start ``walks`` unless another test process of this run already has."""
        if not walks:
            return
        try:
            os.close(os.open(self.folder / "stage-walks.lock", os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            return
        self._pool = ThreadPoolExecutor(max_workers=len(walks), thread_name_prefix="stage-walk")
        for setup, language in sorted(walks):
            self._pool.submit(self._walk, setup, language)

    def wait(self) -> None:
        """Let the walks this process started finish (it must not end before they have reported)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)

    def report(self, setup: str, language: str) -> dict:
        path = self._path(setup, language)
        deadline = time.monotonic() + REPORT_WAIT_S
        while not path.exists():
            if time.monotonic() > deadline:
                raise TimeoutError(f"no stage walk report {path.name} after {REPORT_WAIT_S:.0f} s")
            time.sleep(0.5)
        outcome = json.loads(path.read_text())
        if "error" in outcome:
            raise RuntimeError(outcome["error"])
        return outcome

    def _walk(self, setup: str, language: str) -> None:
        try:
            outcome = run_setup(setup, language=language, switch=setup == SWITCH_SETUP)
        except Exception as error:  # noqa: BLE001 — the test that reads it fails with the reason
            outcome = {"error": f"{type(error).__name__}: {error}"}
        path = self._path(setup, language)
        partial = path.with_suffix(".partial")
        partial.write_text(json.dumps(outcome))
        os.replace(partial, path)  # a reader never sees half a report

    def _path(self, setup: str, language: str) -> Path:
        return self.folder / f"stage-{setup}-{language}.json"


STASH_KEY = pytest.StashKey[StageWalks]()  # this test process's walks, on its pytest config
MADE_KEY = pytest.StashKey[Path | None]()  # the shared folder, in the process that made it


def remove_shared_folder(folder: Path | None) -> None:
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
