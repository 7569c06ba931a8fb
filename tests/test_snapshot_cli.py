"""``--snapshot … --panel model`` waits for the panel's first result, within a timeout."""

import sys

import numpy as np
import pytest

from cnnexplorer.core.frames.images import load_image
from tests.test_packaging import run


def test_model_panel_snapshot_shows_a_result_not_loading(tmp_path):
    pytest.importorskip("keras")
    out = tmp_path / "model.png"
    result = run([sys.executable, "-m", "cnnexplorer", "--snapshot", str(out), "--panel", "model",
                  "--source", "sample:chelsea", "--data-dir", str(tmp_path / "home")])
    assert result.returncode == 0, result.stderr
    picture = load_image(out)
    colours = np.unique(picture.reshape(-1, 3), axis=0)
    assert len(colours) > 1000  # activation maps and top-5 bars, not "loading TensorFlow…" on grey
    assert "oneDNN" not in result.stderr and "cuda" not in result.stderr.lower()  # quiet without --verbose


def test_model_panel_snapshot_says_when_it_timed_out(tmp_path):
    out = tmp_path / "model.png"
    result = run([sys.executable, "-m", "cnnexplorer", "--snapshot", str(out), "--panel", "model",
                  "--snapshot-timeout", "0.05", "--data-dir", str(tmp_path / "home")])
    assert result.returncode == 1
    assert "panel 'model' showed no result within 0.05 s" in result.stderr
    assert out.is_file()  # still saved, as it was
