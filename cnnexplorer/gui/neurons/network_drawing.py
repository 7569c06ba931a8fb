"""Draw a small MLP: nodes with their values, edges coloured by sign and thick by size."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView

from cnnexplorer.core.display.numbers import number
from cnnexplorer.core.neurons.mlp import Grads, Layer, Trace
from cnnexplorer.core.neurons.readouts import weight_gradient
from cnnexplorer.gui.common.picture_menu import PictureMenu

MAX_SHOWN = 10  # wider layers show their first neurons


class NetworkDrawing(PictureMenu, QGraphicsView):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("NetworkDrawing")
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumSize(320, 220)
        self.edge_items: dict[tuple[int, int, int], object] = {}
        self.nodes: list[tuple[object, object, QPointF]] = []  # (ellipse, value text, centre)
        self.scene().changed.connect(self._fit_nodes)  # presenter type grows the values: the nodes follow

    def draw(self, layers: list[Layer], trace: Trace | None = None, sample: int = 0, grads: Grads | None = None) -> None:
        """``trace`` puts each neuron's value on it; ``grads`` puts ∂L/∂w in each edge's tooltip."""
        scene = self.scene()
        scene.clear()
        self.edge_items.clear()
        self.nodes.clear()
        widths = [layers[0].weights.shape[1]] + [layer.weights.shape[0] for layer in layers]
        positions = []
        for column, width in enumerate(widths):
            shown = min(width, MAX_SHOWN)
            ys = [(i - (shown - 1) / 2) * 46 for i in range(shown)]
            positions.append([QPointF(column * 170, y) for y in ys])
        top = max(float(np.abs(layer.weights).max()) for layer in layers) or 1.0
        for index, layer in enumerate(layers):
            for j, end in enumerate(positions[index + 1]):
                for i, start in enumerate(positions[index]):
                    w = float(layer.weights[j, i])
                    colour = QColor("#b2182b" if w > 0 else "#2166ac")
                    pen = QPen(colour, 0.5 + 5.0 * abs(w) / top)
                    line = scene.addLine(start.x(), start.y(), end.x(), end.y(), pen)
                    tip = f"w[{index}][{j},{i}] = {w:.4f}"
                    if grads is not None:
                        tip += "\n" + weight_gradient(grads, index, j, i, sample)
                    line.setToolTip(tip)
                    self.edge_items[(index, j, i)] = line
        font = QFont()
        font.setPointSize(8)
        for column, points in enumerate(positions):
            values = None
            if trace is not None:
                values = trace.inputs[0][sample] if column == 0 else trace.a[column - 1][sample]
            for i, point in enumerate(points):
                node = scene.addEllipse(point.x() - 17, point.y() - 17, 34, 34, QPen(Qt.GlobalColor.black),
                                        QBrush(QColor("#f7f7f7")))
                if values is not None:
                    text = scene.addText(number(values[i], ".2f"), font)
                    label = "x" if column == 0 else f"a{column}"
                    node.setToolTip(f"{label}[{i}] = {values[i]:.5f}")
                    self.nodes.append((node, text, point))
        self._fit_nodes()
        self._fit_view()

    def _fit_nodes(self, *_) -> None:
        """Each node as wide and high as its value (at least a 34-unit circle), the value in its middle."""
        grew = False
        for node, text, centre in self.nodes:
            box = text.boundingRect()
            rx, ry = max(17.0, box.width() / 2 + 4), max(17.0, box.height() / 2 + 2)
            if (node.rect().width(), node.rect().height()) != (2 * rx, 2 * ry):
                node.setRect(centre.x() - rx, centre.y() - ry, 2 * rx, 2 * ry)
                grew = True
            text.setPos(centre.x() - box.width() / 2, centre.y() - box.height() / 2)
        if grew:
            self._fit_view()

    def _fit_view(self) -> None:
        self.fitInView(self.scene().itemsBoundingRect().adjusted(-20, -20, 20, 20), Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self.scene().items():
            self._fit_view()
