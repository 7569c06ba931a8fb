"""Right-click on any picture: "Save image…" (PNG of what the view shows) and "Copy"."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAction, QImage
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu, QWidget

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.infra.paths import data_dir


class PictureMenu:
    """Mixed into a picture widget (before its Qt base class)."""

    context_menu: QMenu | None = None

    def picture(self: QWidget) -> QImage:
        """What the view shows, at screen resolution."""
        return self.grab().toImage()

    def copy_picture(self) -> None:
        QApplication.clipboard().setImage(self.picture())

    def save_picture(self, path: Path | str) -> bool:
        return self.picture().save(str(path), "PNG")

    def picture_actions(self: QWidget) -> list[QAction]:
        save = QAction(tr("Save image…"), self)
        save.triggered.connect(self._save_picture_dialog)
        copy = QAction(tr("Copy"), self)
        copy.triggered.connect(self.copy_picture)
        return [save, copy]

    def contextMenuEvent(self: QWidget, event) -> None:  # noqa: N802
        if self.context_menu is None:  # made once, a child of the view: a language switch reaches it
            self.context_menu = QMenu(self)
            self.context_menu.addActions(self.picture_actions())
        self.context_menu.popup(event.globalPos())
        event.accept()

    def _save_picture_dialog(self: QWidget) -> None:
        start = str(data_dir() / "snapshots" / f"{self.objectName() or 'picture'}.png")
        path, _ = QFileDialog.getSaveFileName(self, tr("Save image"), start,
                                              tr("PNG images ({patterns})", patterns="*.png"))
        if path and not self.save_picture(path):
            QApplication.beep()
