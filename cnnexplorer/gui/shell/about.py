"""About dialog: the versions of everything that matters for a bug report."""

from __future__ import annotations

import pyqtgraph as pg
import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

from cnnexplorer import __version__
from cnnexplorer.core.models.backend import base_versions
from cnnexplorer.gui.common.keras_loader import KerasLoader, KerasState


def version_rows(loader: KerasLoader) -> list[tuple[str, str]]:
    rows = list(base_versions().items())
    rows += [("Qt", qVersion()), ("PySide6", PySide6.__version__), ("pyqtgraph", pg.__version__)]
    if loader.state == KerasState.READY and loader.info is not None:
        info = loader.info
        rows += [
            ("Keras", info.keras),
            ("Backend", f"{info.backend} {info.backend_version}"),
            ("GPU", ", ".join(info.gpus) or "none (CPU)"),
        ]
    elif loader.state == KerasState.FAILED:
        rows += [("Keras", f"failed to load: {loader.error}")]
    else:
        rows += [("Keras", "loading TensorFlow…")]
    return rows


def show_about(parent: QWidget, loader: KerasLoader) -> QMessageBox:
    table = "".join(f"<tr><td><b>{name}</b></td><td>{value}</td></tr>" for name, value in version_rows(loader))
    box = QMessageBox(parent)
    box.setObjectName("AboutDialog")
    box.setWindowTitle("About cnnexplorer")
    box.setText(
        f"<h3>cnnexplorer {__version__}</h3><p>Teach and explore convolutional neural networks live.</p>"
        f"<table cellspacing=4>{table}</table>"
    )
    box.open()
    return box
