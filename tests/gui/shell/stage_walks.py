"""The stage walks (``bench stage``) that the selected tests ask for, started side by side.

Each walk is a process of its own on a virtual screen that spends most of its time letting pages
settle, so the walks run together, all started when the first result is wanted."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

import pytest

from cnnexplorer.bench.stage import run_setup

SWITCH_SETUP = "window-1280x720"  # the set-up whose walk, in a language other than English, switches languages too


class StageWalks:
    """Reports by (set-up, language); ``walks`` are started on creation."""

    def __init__(self, walks: set[tuple[str, str]]) -> None:
        pool = ThreadPoolExecutor(max_workers=max(1, len(walks)), thread_name_prefix="stage-walk")
        self._reports: dict[tuple[str, str], Future] = {
            (setup, language): pool.submit(run_setup, setup, language=language, switch=setup == SWITCH_SETUP)
            for setup, language in sorted(walks)}
        pool.shutdown(wait=False)

    def report(self, setup: str, language: str) -> dict:
        return self._reports[(setup, language)].result()


def walks_asked_for(items: list[pytest.Item]) -> set[tuple[str, str]]:
    """(set-up, language) of every selected test that uses ``stage_walks``: its ``setup`` parameter
    and its module's ``LANGUAGE``."""
    return {(item.callspec.params["setup"], item.module.LANGUAGE)
            for item in items if "stage_walks" in getattr(item, "fixturenames", ())}
