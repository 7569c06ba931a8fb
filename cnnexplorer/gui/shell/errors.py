"""Uncaught exceptions, on any thread, are logged and shown in a dialog instead of killing the app;
so are the user's files found damaged (see :mod:`cnnexplorer.core.infra.damage`), once each."""

from __future__ import annotations

import logging
import sys
import threading
import traceback

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.infra.damage import on_damaged_file
from cnnexplorer.core.infra.logs import log_path

log = logging.getLogger("cnnexplorer.errors")


class ErrorReporter(QObject):
    """Receives exceptions from any thread and shows them on the GUI thread, one dialog at a time."""

    _report = Signal(str, str)
    _damaged = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        """With a ``parent`` window it also tells of damaged files: those found while the window was
        built at once, later ones as they are found."""
        super().__init__(parent)
        self._parent = parent
        self.dialog: QMessageBox | None = None
        self.damage_dialog: QMessageBox | None = None
        self._report.connect(self._show)
        self._damaged.connect(self._show_damaged)
        if parent is not None:
            stop = on_damaged_file(self._damaged.emit)  # from any thread: queued to this one
            self.destroyed.connect(lambda *_: stop())

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

    def _show_damaged(self, notice: str) -> None:
        if self.damage_dialog is not None and self.damage_dialog.isVisible():
            self.damage_dialog.setText(self.damage_dialog.text() + "\n\n" + notice)
            return
        self.damage_dialog = QMessageBox(QMessageBox.Icon.Warning, tr("Some of your files could not be used"), notice,
                                         parent=self._parent)
        self.damage_dialog.setObjectName("DamagedFilesDialog")
        self.damage_dialog.setInformativeText(tr("Nothing else was changed. Details are logged in {path}.",
                                                 path=log_path()))
        self.damage_dialog.open()
