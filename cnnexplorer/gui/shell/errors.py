"""Uncaught exceptions, on any thread, are logged and shown in a dialog instead of killing the app."""

from __future__ import annotations

import logging
import sys
import threading
import traceback

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.infra.logs import log_path

log = logging.getLogger("cnnexplorer.errors")


class ErrorReporter(QObject):
    """Receives exceptions from any thread and shows them on the GUI thread, one dialog at a time."""

    _report = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._parent = parent
        self.dialog: QMessageBox | None = None
        self._report.connect(self._show)

    def install(self) -> None:
        sys.excepthook = self.excepthook
        threading.excepthook = lambda args: self.excepthook(args.exc_type, args.exc_value, args.exc_traceback)

    def excepthook(self, exc_type, exc_value, exc_tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc_value, exc_tb)
            return
        details = "".join(traceback.format_exception(exc_type, exc_value, exc_tb))
        log.error("uncaught exception on %s:\n%s", threading.current_thread().name, details)
        self._report.emit(f"{exc_type.__name__}: {exc_value}", details)

    def _show(self, summary: str, details: str) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.setDetailedText(self.dialog.detailedText() + "\n" + details)
            return
        self.dialog = QMessageBox(QMessageBox.Icon.Critical, tr("Something went wrong"), summary, parent=self._parent)
        self.dialog.setObjectName("ErrorDialog")
        self.dialog.setInformativeText(tr("The app keeps running. Details are logged in {path}.", path=log_path()))
        self.dialog.setDetailedText(details)
        self.dialog.open()
