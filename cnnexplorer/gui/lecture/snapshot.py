"""Snapshot (Ctrl+S): the current panel as a PNG at screen resolution, its scene as JSON beside it
(opening that JSON restores the panel), and the picture on the clipboard."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.infra.paths import data_dir
from cnnexplorer.core.lecture.scenes import Scene, Script, save_script


def snapshot_folder() -> Path:
    return data_dir() / "snapshots"


def save_snapshot(widget: QWidget, scene: Scene, folder: Path | None = None, stem: str = "") -> tuple[Path, Path]:
    """Write ``widget`` as ``<stem>.png`` and ``scene`` as ``<stem>.json`` in ``folder``; copy the
    picture to the clipboard. Raises OSError when either file cannot be written."""
    folder = Path(folder) if folder is not None else snapshot_folder()
    folder.mkdir(parents=True, exist_ok=True)
    stem = stem or f"{scene.panel}-{time.strftime('%Y%m%d-%H%M%S')}"
    png, scene_file = folder / f"{stem}.png", folder / f"{stem}.json"
    picture = widget.grab()
    if not picture.save(str(png), "PNG"):
        raise OSError(tr("could not write {path}", path=png))
    save_script(scene_file, Script([scene], title=scene.title))
    QApplication.clipboard().setPixmap(picture)
    return png, scene_file
