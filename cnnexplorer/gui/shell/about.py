"""About dialog: the versions of everything that matters for a bug report."""

from __future__ import annotations

from html import escape

import pyqtgraph as pg
import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

from cnnexplorer import __version__
from cnnexplorer.core.i18n import tr
from cnnexplorer.core.models.backend import base_versions
from cnnexplorer.gui.common.keras_loader import KerasLoader, KerasState


def version_rows(loader: KerasLoader) -> list[tuple[str, str]]:
    rows = list(base_versions().items())
    rows += [("Qt", qVersion()), ("PySide6", PySide6.__version__), ("pyqtgraph", pg.__version__)]
    if loader.state == KerasState.READY and loader.info is not None:
        info = loader.info
        rows += [
            ("Keras", info.keras),
            (tr("Backend"), f"{info.backend} {info.backend_version}"),
            ("GPU", ", ".join(info.gpus) or tr("none (CPU)")),
        ]
    elif loader.state == KerasState.FAILED:
        rows += [("Keras", tr("failed to load: {error}", error=loader.error))]
    else:
        rows += [("Keras", tr("loading TensorFlow…"))]
    return rows


def show_about(parent: QWidget, loader: KerasLoader) -> QMessageBox:
    table = "".join(f"<tr><td><b>{escape(name)}</b></td><td>{escape(str(value))}</td></tr>"
                    for name, value in version_rows(loader))
    box = QMessageBox(parent)
    box.setObjectName("AboutDialog")
    box.setWindowTitle(tr("About cnnexplorer"))
    blurb = escape(tr("Teach and explore convolutional neural networks live."))
    html = f"<h3>cnnexplorer {__version__}</h3><p>{blurb}</p><table cellspacing=4>{table}</table>"
    box.setText(html)
    box.open()
    return box
