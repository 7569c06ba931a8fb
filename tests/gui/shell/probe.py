"""A fresh app process on a virtual screen of a given size: the main window built and shown, then a
probe's own lines, whose last printed line is a JSON report."""

import json
import os
import subprocess
import sys

from cnnexplorer.bench.stage import screen_env

WINDOW_SHOWN = """
import json, sys
from PySide6.QtWidgets import QApplication, QTabBar
from cnnexplorer.core.infra.settings import Settings
from cnnexplorer.gui.common.wait import wait_until
from cnnexplorer.gui.shell.main_window import MainWindow
app = QApplication([])
window = MainWindow(Settings())
window.show()
for _ in range(5):
    app.processEvents()
"""


def run_probe(tmp_path, probe: str, width: int, height: int, *args: str, timeout_s: float = 240) -> object:
    """Run ``probe`` after :data:`WINDOW_SHOWN` in its own process; returns its JSON report."""
    done = subprocess.run([sys.executable, "-c", WINDOW_SHOWN + probe, *args], capture_output=True, text=True,
                          env=screen_env(tmp_path, width, height), timeout=timeout_s, cwd=os.getcwd())
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])
