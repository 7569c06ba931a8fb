"""Snapshot (Ctrl+S): the current panel as a PNG at screen resolution, its scene as JSON beside it
(opening that JSON restores the panel), and the picture on the clipboard."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.infra.paths import data_dir, time_stamp, unique_path
from cnnexplorer.core.lecture.scenes import Scene, Script, save_script


def snapshot_folder() -> Path:
    return data_dir() / "snapshots"


def save_snapshot(widget: QWidget, scene: Scene, folder: Path | None = None, stem: str = "") -> tuple[Path, Path]:
    """Write ``widget`` as ``<stem>.png`` and ``scene`` as ``<stem>.json`` in ``folder`` under new
    names (``<stem>-2``… when taken: nothing is overwritten); copy the picture to the clipboard.
    Raises OSError when either file cannot be written, and then leaves neither behind."""
    folder = Path(folder) if folder is not None else snapshot_folder()
    png = unique_path(folder, stem or f"{scene.panel}-{time_stamp()}", ".png")
    claimed = [png]
    try:
        scene_file = unique_path(folder, png.stem, ".json")  # the same stem, unless a lone scene has it
        claimed.append(scene_file)
        picture = widget.grab()
        if not picture.save(str(png), "PNG"):
            raise OSError(tr("could not write {path}", path=png))
        save_script(scene_file, Script([scene], title=scene.title))
    except OSError:
        for path in claimed:
            path.unlink(missing_ok=True)
        raise
    QApplication.clipboard().setPixmap(picture)
    return png, scene_file
