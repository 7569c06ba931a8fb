"""The central "Course map": a compact start page — each course section on one line, with links
that bring its panels to the front. It is a map, not a panel to teach from: the labs take the room."""

from __future__ import annotations

import math
from html import escape

from PySide6.QtCore import QEvent, Qt, QUrl, Signal
from PySide6.QtWidgets import QSizePolicy, QTextBrowser

SECTIONS = (
    ("1", "ANN → deep learning", "a neuron's numbers, an MLP forward pass, backprop, vanishing gradients"),
    ("2", "Image processing", "the live frame as numbers, its channels, bit depth, resolution"),
    ("3", "TensorFlow", "a model as a graph of nodes and edges; TensorBoard logs"),
    ("4", "CNN", "an editable kernel with stride, padding, pooling; a filter bank; parameter counts"),
    ("5", "Pretrained models", "an ImageNet model on the webcam, its layers and top-5"),
    ("6", "Data augmentation", "augmented versions of the live frame from the training pipeline"),
    ("7", "Inception module", "the branches side by side and what the 1×1 bottleneck saves"),
)
PANEL_SCHEME = "panel"


class CourseMap(QTextBrowser):
    """Lists the course; ``set_panels`` says which panel (name, title) covers which section.
    Clicking a panel's name emits ``panel_requested(name)``."""

    panel_requested = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("CourseMap")
        self.setOpenLinks(False)
        self.setFrameShape(QTextBrowser.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.anchorClicked.connect(self._on_link)
        self.set_panels({})

    def set_panels(self, panels_by_section: dict[str, list[tuple[str, str]]]) -> None:
        cells = []
        for number, title, show in SECTIONS:
            links = ", ".join(
                f'<a href="{PANEL_SCHEME}:{escape(name)}">{escape(panel_title)}</a>'
                for name, panel_title in panels_by_section.get(number, [])
            ) or "—"
            cells.append(f'<td title="{escape(show)}"><b>§{number} {escape(title)}</b>: {links}</td>')
        cells.append("<td>Pick a source, then a section's panel · <b>Space</b> freeze · "
                     "<b>F5</b> presenter view · <b>F1</b> all shortcuts</td>")
        rows = "".join(f"<tr>{''.join(cells[i:i + 2])}</tr>" for i in range(0, len(cells), 2))
        self.setHtml("<table cellspacing=0 cellpadding=1 width=100%>" + rows + "</table>")
        self._fit_height()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_height()

    def changeEvent(self, event) -> None:  # noqa: N802 - a bigger font (presenter view) needs more lines
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_height()

    def _fit_height(self) -> None:
        """Exactly as tall as its lines at the current width: a map, not a panel."""
        document = self.document()
        document.setTextWidth(self.viewport().width())
        height = math.ceil(document.size().height()) + 2 * self.frameWidth()
        if height != self.height():
            self.setFixedHeight(height)

    def _on_link(self, url: QUrl) -> None:
        if url.scheme() == PANEL_SCHEME:
            self.panel_requested.emit(url.path())
