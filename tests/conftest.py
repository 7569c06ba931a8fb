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


def pytest_collection_modifyitems(items):
    """The model explorer's tests first. They load models on worker threads; after many TensorFlow
    tests in the same process such a load has deadlocked inside TensorFlow 2.21 (an eager op never
    returned), while in a fresh process they pass in seconds."""
    first = [item for item in items if "test_model_explorer" in item.nodeid]
    items[:] = first + [item for item in items if item not in first]
