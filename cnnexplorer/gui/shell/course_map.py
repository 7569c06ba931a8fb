"""The central "Course map": a compact start page — each course section on one line, with links
that bring its panels to the front. It is a map, not a panel to teach from: the labs take the room."""

from __future__ import annotations

import math
from html import escape

from PySide6.QtCore import QEvent, Qt, QUrl, Signal
from PySide6.QtWidgets import QSizePolicy, QTextBrowser

from cnnexplorer.core.i18n import N_, tr
from cnnexplorer.gui.common.translated import carried, follow_language

# The sections of the lecturers' notes (course_notes_ko.md), titled as the notes title them.
SECTIONS = (
    ("1", N_("ANN → deep learning"), N_("a neuron's numbers, an MLP forward pass, backprop, vanishing gradients")),
    ("2", N_("Image processing"), N_("the live frame as numbers, its channels, bit depth, resolution")),
    ("3", "TensorFlow", N_("a model as a graph of nodes and edges; TensorBoard logs")),
    ("4", "CNN", N_("an editable kernel with stride, padding, pooling; a filter bank; parameter counts")),
    ("5", N_("Pretrained models"), N_("an ImageNet model on the webcam, its layers and top-5")),
    ("6", N_("Data augmentation"), N_("augmented versions of the live frame from the training pipeline")),
    ("7", N_("Inception module"), N_("the branches side by side and what the 1×1 bottleneck saves")),
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
        self._panels: dict[str, list[tuple[str, str]]] = {}
        self.set_panels({})
        follow_language(self, self._on_language_changed)

    def set_panels(self, panels_by_section: dict[str, list[tuple[str, str]]]) -> None:
        self._panels = panels_by_section
        cells = []
        for number, title, show in SECTIONS:
            links = ", ".join(
                f'<a href="{PANEL_SCHEME}:{escape(name)}">{escape(panel_title)}</a>'
                for name, panel_title in panels_by_section.get(number, [])
            ) or "—"
            cells.append(f'<td title="{escape(tr(show))}"><b>§{number} {escape(tr(title))}</b>: {links}</td>')
        cells.append("<td>" + tr("Pick a source, then a section's panel · <b>Space</b> freeze · "
                                 "<b>F5</b> presenter view · <b>F1</b> all shortcuts") + "</td>")
        rows = "".join(f"<tr>{''.join(cells[i:i + 2])}</tr>" for i in range(0, len(cells), 2))
        html = f"<table cellspacing=0 cellpadding=1 width=100%>{rows}</table>"
        self.setHtml(html)
        self._fit_height()

    def _on_language_changed(self, old: str, new: str) -> None:
        """The panels' titles were given in ``old``: carried over, the map is written again."""
        self.set_panels({number: [(name, carried(title, old, new)) for name, title in panels]
                         for number, panels in self._panels.items()})

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
