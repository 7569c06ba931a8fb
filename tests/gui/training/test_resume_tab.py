"""The training tab resumes a run that was killed with the app: a real tab in its own process is
killed with SIGKILL in its third epoch of six; a new tab finds the interrupted run, offers Resume, and
ends with six epochs and a complete run folder."""

import json
import os
import signal
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt

pytest.importorskip("keras")

from tests.core.training.test_resume import RUN, epochs_done, kill_after_two_epochs  # noqa: E402
from tests.gui.training.fresh_tab import fresh_tab  # noqa: E402

# The app's training tab alone, offscreen: open the run file, load its dataset, start.
TAB_THAT_TRAINS = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from cnnexplorer.gui.training.tab import TrainingTab
tab = TrainingTab()
tab.show()
assert tab.open_run(sys.argv[1]), tab.status.text()
tab.load_dataset()
def start_when_loaded():
    if tab.dataset is None:
        QTimer.singleShot(20, start_when_loaded)
    else:
        tab.start()
start_when_loaded()
app.exec()
"""


@pytest.mark.long
def test_the_tab_resumes_a_run_killed_with_the_app(qtbot, tmp_path, user_home):
    run_file = tmp_path / "run.json"
    run_file.write_text(json.dumps(RUN))
    app = subprocess.Popen([sys.executable, "-c", TAB_THAT_TRAINS, str(run_file)], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True,
                           env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "CUDA_VISIBLE_DEVICES": ""})
    runs = user_home / "runs"
    try:
        qtbot.waitUntil(lambda: app.poll() is not None or any(runs.glob("*.partial")), timeout=120000)
        assert app.poll() is None, app.communicate()[1][-3000:]
        (staging,) = runs.glob("*.partial")
        kill_after_two_epochs(app, staging)
    finally:
        app.kill()
        app.communicate()
    assert app.returncode == -signal.SIGKILL

    tab = fresh_tab(qtbot)
    assert tab.resume_button.isEnabled() and tab.interrupted == staging
    assert "interrupted after epoch 2 of 6" in tab.status.text()
    qtbot.mouseClick(tab.resume_button, Qt.MouseButton.LeftButton)
    assert tab.setup.batch_size.value() == 1 and tab.setup.epochs.value() == 6  # its settings on screen
    qtbot.waitUntil(lambda: tab.result is not None and tab._fit is None, timeout=240000)
    result = tab.result
    assert not result.stopped and len(result.history["loss"]) == 6 and epochs_done(staging) == 0
    assert result.run_dir == staging.with_name(staging.name.removesuffix(".partial")) and not staging.exists()
    assert {"best.keras", "last.keras", "history.json", "confusion.json", "resumed.json", "run.json"} <= \
        {p.name for p in result.run_dir.iterdir()}
    assert json.loads((result.run_dir / "resumed.json").read_text())["resumed_after_epochs"] == [2]
    assert len(tab.val_loss.getData()[0]) == 6  # the epochs before the kill are on the curves too
    assert "Training finished" in tab.status.text()
    assert not tab.resume_button.isEnabled() and tab.interrupted is None
