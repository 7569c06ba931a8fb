import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

import cnnexplorer.gui  # noqa: E402,F401 - as in the app: PySide's per-import check lightened before TensorFlow

from tests.gui.shell.stage_walks import (  # noqa: E402
    MADE_KEY, STASH_KEY, StageWalks, is_a_stage_test, remove_shared_folder, share_a_folder, walks_asked_for)
from tests.media import write_video  # noqa: E402


def pytest_configure(config: pytest.Config) -> None:
    starts_the_run = not hasattr(config, "workerinput")  # it starts the test processes (or is the only one)
    config.stash[MADE_KEY] = share_a_folder() if starts_the_run else None
    config.stash[STASH_KEY] = StageWalks.shared()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Long tests first: the test processes then share out the short ones and end together. The
    stage tests last: the walks they read run in the background until then."""
    items.sort(key=lambda item: (is_a_stage_test(item), item.get_closest_marker("long") is None))


def pytest_collection_finish(session: pytest.Session) -> None:
    """The walks the selected tests read (once -k, -m and the rest have deselected), started now."""
    if not session.config.option.collectonly:
        session.config.stash[STASH_KEY].start(walks_asked_for(session.items))


def pytest_sessionfinish(session: pytest.Session) -> None:
    session.config.stash[STASH_KEY].wait()


def pytest_unconfigure(config: pytest.Config) -> None:
    remove_shared_folder(config.stash.get(MADE_KEY, None))


@pytest.fixture(autouse=True)
def user_home(tmp_path, monkeypatch) -> Path:
    """Every test gets its own empty user data folder."""
    home = tmp_path / "home"
    monkeypatch.setenv("CNNEXPLORER_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def english_unless_asked(monkeypatch):
    """Tests speak English whatever the machine's locale; a test may switch, and is switched back."""
    from cnnexplorer.core import i18n

    monkeypatch.setenv(i18n.ENV, "en")
    yield
    gui_language = sys.modules.get("cnnexplorer.gui.common.language")
    if gui_language is not None:
        gui_language.choose_language(None)
    if i18n.language() != i18n.SOURCE_LANGUAGE:
        i18n.set_language(i18n.SOURCE_LANGUAGE)


@pytest.fixture
def video_file(tmp_path) -> Path:
    path = tmp_path / "clip.avi"
    write_video(path)
    return path

