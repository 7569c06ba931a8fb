"""The model as a graph (course §3): layers are nodes, tensors are edges labelled with their shapes.

Every edge is drawn: one that skips rows (a residual connection) bows out beside the nodes it passes
instead of running hidden behind them. The plain wheel scrolls; Ctrl+wheel zooms, within limits."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView

from cnnexplorer.core.models.graph import graph_layout
from cnnexplorer.gui.common.picture_menu import PictureMenu
from cnnexplorer.gui.models.layer_tree import _kind_colour

NODE_W, NODE_H, GAP_X, GAP_Y = 190, 44, 40, 50
FONT_POINTS = 9
MIN_SCALE, MAX_SCALE = 0.25, 3.0
READABLE_SCALE = 0.9  # a model too big to fit at this zoom is shown at it and scrolled instead
ZOOM_STEP = 1.15


class GraphView(PictureMenu, QGraphicsView):
    layer_clicked = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("GraphView")
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.nodes: dict[str, object] = {}
        self.edges: dict[tuple[str, str], object] = {}
        self.node_font = QFont()
        self.node_font.setPointSize(FONT_POINTS)
        self._selected = None
        self._model = None
        self._built = True  # nothing to build yet
        self._wanted = ""  # a layer asked for before the graph was built

    @property
    def zoom(self) -> float:
        return self.transform().m11()

    def set_model(self, model) -> None:
        """Show ``model``'s graph; while the view is hidden (another tab in front) the scene is built
        only when it comes into view."""
        self.scene().clear()
        self.nodes.clear()
        self.edges.clear()
        self._selected = None
        self._model, self._built = model, model is None
        if self.isVisible():
            self._build()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._built:
            self._build()

    def _build(self) -> None:
        model, scene = self._model, self.scene()
        self._built = True
        positions, edges = graph_layout(model)
        widest = max((c for _, c in positions.values()), default=0) + 1
        per_row: dict[int, int] = {}
        for row, _ in positions.values():
            per_row[row] = per_row.get(row, 0) + 1
        centre = {}
        for name, (row, column) in positions.items():
            x = (column - (per_row[row] - 1) / 2) * (NODE_W + GAP_X) + widest * (NODE_W + GAP_X) / 2
            centre[name] = (x, row * (NODE_H + GAP_Y))
        pen = QPen(QColor("#777777"), 1.4)
        for source, target, shape in edges:
            path, label_at = self._edge_path(centre[source], centre[target], positions[source][0], positions[target][0])
            item = scene.addPath(path, pen)
            item.setToolTip(f"{source} → {target}: {shape}")
            self.edges[(source, target)] = item
            label = scene.addSimpleText(shape, self.node_font)
            label.setBrush(QColor("#555555"))
            label.setPos(label_at)
        kinds = {layer.name: type(layer).__name__ for layer in model.layers}
        for name, (x, y) in centre.items():
            kind = kinds.get(name, "InputLayer")
            rect = scene.addRect(QRectF(x - NODE_W / 2, y - NODE_H / 2, NODE_W, NODE_H),
                                 QPen(QColor(_kind_colour(kind)), 2), QBrush(QColor("#ffffff")))
            rect.setData(0, name)
            rect.setToolTip(f"{name} ({kind})")
            rect.setZValue(1)
            text = scene.addSimpleText(f"{name}\n{kind}", self.node_font)
            text.setPos(x - NODE_W / 2 + 5, y - NODE_H / 2 + 4)
            text.setParentItem(rect)
            self.nodes[name] = rect
        self.setSceneRect(scene.itemsBoundingRect().adjusted(-20, -20, 20, 20))
        self.resetTransform()
        self.fitInView(self.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
        if self.zoom < READABLE_SCALE:  # big models: readable boxes, scroll to explore
            self.resetTransform()
            self.scale(READABLE_SCALE, READABLE_SCALE)
            self.centerOn(self.sceneRect().center().x(), self.sceneRect().top())
        elif self.zoom > 1.0:  # a tiny model is not blown up either
            self.resetTransform()
        if self._wanted:
            self.show_layer(self._wanted)

    @staticmethod
    def _edge_path(start, end, start_row: int, end_row: int) -> tuple[QPainterPath, QPointF]:
        """A straight line to the next row; an edge that skips rows leaves the node's right side and
        bows out past the nodes in between."""
        (x1, y1), (x2, y2) = start, end
        path = QPainterPath()
        if end_row - start_row <= 1:
            path.moveTo(x1, y1 + NODE_H / 2)
            path.lineTo(x2, y2 - NODE_H / 2)
            return path, QPointF((x1 + x2) / 2 + 4, (y1 + y2) / 2 - 10)
        side = max(x1, x2) + NODE_W / 2 + GAP_X / 2
        path.moveTo(x1 + NODE_W / 2, y1)
        path.cubicTo(side + GAP_X, y1, side + GAP_X, y2, x2 + NODE_W / 2, y2)
        return path, QPointF(side + GAP_X / 2, (y1 + y2) / 2 - 10)

    def show_layer(self, path: str) -> None:
        """Scroll to the node of layer ``path`` (a nested layer: its outer model's node) and mark it."""
        self._wanted = path
        node = self.nodes.get(path.split("/")[0])
        if node is None:
            return
        if self._selected is not None:
            self._selected.setBrush(QBrush(QColor("#ffffff")))
        node.setBrush(QBrush(QColor("#fff3b0")))
        self._selected = node
        self.centerOn(node)

    def mousePressEvent(self, event) -> None:  # noqa: N802
        item = self.itemAt(event.position().toPoint())
        while item is not None and item.data(0) is None:
            item = item.parentItem()
        if item is not None:
            self.layer_clicked.emit(item.data(0))
        super().mousePressEvent(event)

    def wheelEvent(self, event) -> None:  # noqa: N802
        if not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            super().wheelEvent(event)  # scroll, like any long page
            return
        factor = ZOOM_STEP if event.angleDelta().y() > 0 else 1 / ZOOM_STEP
        factor = min(max(self.zoom * factor, MIN_SCALE), MAX_SCALE) / self.zoom
        self.scale(factor, factor)
        event.accept()
