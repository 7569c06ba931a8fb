"""A dataset folder under a Hangul path, as a Korean student's Windows account gives one: captures
are saved and loaded back without OpenCV ever opening the path (``cv2.imwrite`` and ``cv2.imread``
cannot open non-ASCII paths on Windows; here they are made to fail the same way)."""

import cv2
import numpy as np
import pytest

from cnnexplorer.core.training import datasets
from cnnexplorer.core.training.datasets import DatasetSpec, load_dataset


@pytest.fixture
def windows_opencv(monkeypatch):
    """OpenCV's path functions refuse non-ASCII paths, as they do on Windows."""
    def ascii_only(function, refusal):
        def call(path, *args, **kwargs):
            return function(path, *args, **kwargs) if str(path).isascii() else refusal
        return call

    monkeypatch.setattr(cv2, "imwrite", ascii_only(cv2.imwrite, False))
    monkeypatch.setattr(cv2, "imread", ascii_only(cv2.imread, None))


def test_captures_under_a_hangul_folder_are_saved_and_loaded_back(tmp_path, windows_opencv):
    root = tmp_path / "학습 데이터"
    store = datasets.CaptureStore(root)
    colours = {"고양이": (200, 40, 40), "커피": (40, 40, 200)}
    for name, colour in colours.items():
        for _ in range(3):
            saved = store.add(name, np.full((30, 40, 3), colour, np.uint8))
            assert saved.is_file() and saved.parent == root / name
    assert store.counts() == {"고양이": 3, "커피": 3}
    assert not [p for p in root.rglob("*") if p.is_file() and p.suffix != ".png"]  # no temporary file left

    back = cv2.imdecode(np.fromfile(root / "고양이" / "00000.png", np.uint8), cv2.IMREAD_COLOR)
    np.testing.assert_array_equal(back[0, 0], colours["고양이"][::-1])  # BGR on disk: the colour kept

    for kind in ("capture", "folder"):
        data = load_dataset(DatasetSpec(kind, size=16, folder=str(root)))
        assert data.class_names == ["고양이", "커피"] and data.image_shape == (16, 16, 3)
        assert sum(data.counts().values()) == 6 and data.skipped == 0
        first = data.x_train[data.y_train == 0][0]
        np.testing.assert_array_equal(first[0, 0], colours["고양이"])
