"""The model as a graph (course §3): layers are nodes, tensors are edges labelled with their shapes."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView

from cnnexplorer.core.models.graph import graph_layout
from cnnexplorer.gui.models.layer_tree import _kind_colour

NODE_W, NODE_H, GAP_X, GAP_Y = 170, 38, 30, 46


class GraphView(QGraphicsView):
    layer_clicked = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("GraphView")
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.nodes: dict[str, object] = {}

    def set_model(self, model) -> None:
        scene = self.scene()
        scene.clear()
        self.nodes.clear()
        if model is None:
            return
        positions, edges = graph_layout(model)
        widest = max((c for _, c in positions.values()), default=0) + 1
        centre = {}
        for name, (row, column) in positions.items():
            count = sum(1 for r, _ in positions.values() if r == row)
            x = (column - (count - 1) / 2) * (NODE_W + GAP_X) + widest * (NODE_W + GAP_X) / 2
            centre[name] = (x, row * (NODE_H + GAP_Y))
        font = QFont()
        font.setPointSize(7)
        pen = QPen(QColor("#777777"), 1.2)
        for source, target, shape in edges:
            (x1, y1), (x2, y2) = centre[source], centre[target]
            scene.addLine(x1, y1 + NODE_H / 2, x2, y2 - NODE_H / 2, pen)
            label = scene.addText(shape, font)
            label.setDefaultTextColor(QColor("#555555"))
            label.setPos((x1 + x2) / 2 + 4, (y1 + y2) / 2 - 8)
        kinds = {layer.name: type(layer).__name__ for layer in model.layers}
        for name, (x, y) in centre.items():
            kind = kinds.get(name, "InputLayer")
            rect = scene.addRect(QRectF(x - NODE_W / 2, y - NODE_H / 2, NODE_W, NODE_H),
                                 QPen(QColor(_kind_colour(kind)), 2), QBrush(QColor("#ffffff")))
            rect.setData(0, name)
            rect.setToolTip(f"{name} ({kind})")
            text = scene.addText(f"{name}\n{kind}", font)
            text.setPos(x - NODE_W / 2 + 4, y - NODE_H / 2 + 1)
            text.setParentItem(rect)
            self.nodes[name] = rect
        self.setSceneRect(scene.itemsBoundingRect().adjusted(-20, -20, 20, 20))
        self.fitInView(self.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
        if self.transform().m11() < 0.35:  # big models: readable boxes, scroll to explore
            self.resetTransform()
            self.scale(0.6, 0.6)
            self.centerOn(self.sceneRect().center().x(), self.sceneRect().top())

    def mousePressEvent(self, event) -> None:  # noqa: N802
        item = self.itemAt(event.position().toPoint())
        while item is not None and item.data(0) is None:
            item = item.parentItem()
        if item is not None:
            self.layer_clicked.emit(item.data(0))
        super().mousePressEvent(event)

    def wheelEvent(self, event) -> None:  # noqa: N802
        factor = 1.15 if event.angleDelta().y() > 0 else 1 / 1.15
        self.scale(factor, factor)
