"""The central "Course map": each course section, what to show, and which panel shows it."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QTextBrowser

SECTIONS = (
    ("1", "ANN → deep learning", "a neuron's numbers, an MLP forward pass, backprop, vanishing gradients"),
    ("2", "Image processing", "the live frame as numbers, its channels, bit depth, resolution"),
    ("3", "TensorFlow", "a model as a graph of nodes and edges; TensorBoard logs"),
    ("4", "CNN", "an editable kernel with stride, padding, pooling; a filter bank; parameter counts"),
    ("5", "Pretrained models", "an ImageNet model on the webcam, its layers and top-5"),
    ("6", "Data augmentation", "augmented versions of the live frame from the training pipeline"),
    ("7", "Inception module", "the branches side by side and what the 1×1 bottleneck saves"),
)


class CourseMap(QTextBrowser):
    """Lists the course; ``set_panels`` says which open panel covers which section."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("CourseMap")
        self.setOpenLinks(False)
        self.set_panels({})

    def set_panels(self, panels_by_section: dict[str, list[str]]) -> None:
        rows = []
        for number, title, show in SECTIONS:
            panels = ", ".join(panels_by_section.get(number, [])) or "—"
            rows.append(
                f"<tr><td><b>{number}</b></td><td><b>{escape(title)}</b><br>{escape(show)}</td>"
                f"<td>{escape(panels)}</td></tr>"
            )
        self.setHtml(
            "<h2>cnnexplorer</h2>"
            "<p>Point a camera at the room, or pick a sample or pattern in the Source panel, "
            "then teach each section from its panel. Panels dock anywhere; View lists them all.</p>"
            "<table cellspacing=8><tr><th>§</th><th>Section — what to show</th><th>Panel</th></tr>"
            + "".join(rows)
            + "</table>"
            "<p>Shortcuts: <b>Space</b> freeze · <b>N</b> / <b>Shift+N</b> next / previous source · "
            "<b>F11</b> full screen · <b>Ctrl+O</b> open a file.</p>"
        )
