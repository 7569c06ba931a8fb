import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from tests.media import write_video  # noqa: E402


@pytest.fixture(autouse=True)
def user_home(tmp_path, monkeypatch) -> Path:
    """Every test gets its own empty user data folder."""
    home = tmp_path / "home"
    monkeypatch.setenv("CNNEXPLORER_HOME", str(home))
    return home


@pytest.fixture
def video_file(tmp_path) -> Path:
    path = tmp_path / "clip.avi"
    write_video(path)
    return path

