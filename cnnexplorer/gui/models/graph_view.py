"""The model as a graph (course §3): layers are nodes, tensors are edges labelled with their shapes.

Every edge is drawn: one that skips rows (a residual connection) bows out beside the nodes it passes
instead of running hidden behind them. The plain wheel scrolls; Ctrl+wheel zooms, within limits."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView

from cnnexplorer.core.models.graph import graph_layout
from cnnexplorer.gui.common.picture_menu import PictureMenu
from cnnexplorer.gui.models.layer_tree import _kind_colour

PAD = 5  # between a node's text and its box
MIN_SCALE, MAX_SCALE = 0.25, 3.0
READABLE_SCALE = 0.9  # a model too big to fit at this zoom is shown at it and scrolled instead
ZOOM_STEP = 1.15


class GraphView(PictureMenu, QGraphicsView):
    """Boxes and gaps are sized from the text's font, and laid out again when the font changes
    (presenter view's bigger type): no label spills out of its box or runs into another."""

    layer_clicked = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("GraphView")
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.nodes: dict[str, object] = {}
        self.edges: dict[tuple[str, str], object] = {}
        self.shape_labels: dict[str, object] = {}  # one per producing layer: the shape of its output
        # A box's name and kind sit over it as an item of their own, not its child: a PySide6 scene with
        # parented text items has crashed clearing itself once Python had looked them up.
        self.node_texts: dict[str, object] = {}
        self.node_font = QFont(self.font())
        self._positions: dict[str, tuple[int, int]] = {}
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
        self.shape_labels.clear()
        self.node_texts.clear()
        self._selected = None
        self._model, self._built = model, model is None
        if self.isVisible():
            self._build()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._built:  # on the next turn: the panel around it paints first, then the graph
            QTimer.singleShot(1, self, self._build_if_wanted)
        elif self.node_font != self.font():
            self._restyle()  # the font changed while another tab was in front

    def changeEvent(self, event) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and self.isVisible():  # hidden: done when shown
            QTimer.singleShot(0, self, self._restyle)  # after presenter view has set the scene's fonts too

    def _build_if_wanted(self) -> None:
        if not self._built and self.isVisible():
            self._build()

    def _build(self) -> None:
        model, scene = self._model, self.scene()
        self._built = True
        self.node_font = QFont(self.font())
        self._positions, edges = graph_layout(model)
        pen = QPen(QColor("#777777"), 1.4)
        for source, target, shape in edges:
            item = scene.addPath(QPainterPath(), pen)
            item.setToolTip(f"{source} → {target}: {shape}")
            self.edges[(source, target)] = item
            if source not in self.shape_labels:
                label = scene.addSimpleText(shape, self.node_font)
                label.setBrush(QColor("#555555"))
                self.shape_labels[source] = label
        kinds = {layer.name: type(layer).__name__ for layer in model.layers}
        for name in self._positions:
            kind = kinds.get(name, "InputLayer")
            rect = scene.addRect(QRectF(), QPen(QColor(_kind_colour(kind)), 2), QBrush(QColor("#ffffff")))
            rect.setData(0, name)
            rect.setToolTip(f"{name} ({kind})")
            rect.setZValue(1)
            text = scene.addSimpleText(f"{name}\n{kind}", self.node_font)
            text.setData(0, name)
            text.setZValue(2)
            self.nodes[name] = rect
            self.node_texts[name] = text
        self._arrange()
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

    def _restyle(self) -> None:
        """The view's font on every text of the graph, and the graph laid out again around it."""
        self.node_font = QFont(self.font())
        if not self.nodes:
            return
        for item in (*self.shape_labels.values(), *self.node_texts.values()):
            item.setFont(self.node_font)
        self._arrange()
        if self._selected is not None:
            self.centerOn(self._selected)

    def _arrange(self) -> None:
        """Boxes as big as the largest text, columns wider than the widest shape label, rows with
        room for a shape label between them; each label sits under its layer, right of its line."""
        texts = list(self.node_texts.values())
        node_w = max(t.boundingRect().width() for t in texts) + 2 * PAD
        node_h = max(t.boundingRect().height() for t in texts) + 2 * PAD
        labels = [label.boundingRect() for label in self.shape_labels.values()] or [QRectF()]
        label_w, label_h = max(r.width() for r in labels), max(r.height() for r in labels)
        gap_x = max(node_h, label_w + 2 * PAD - node_w)
        step_x, step_y = node_w + gap_x, node_h + label_h + 3 * PAD
        widest = max((c for _, c in self._positions.values()), default=0) + 1
        per_row: dict[int, int] = {}
        for row, _ in self._positions.values():
            per_row[row] = per_row.get(row, 0) + 1
        centre = {name: ((column - (per_row[row] - 1) / 2) * step_x + widest * step_x / 2, row * step_y)
                  for name, (row, column) in self._positions.items()}
        for name, (x, y) in centre.items():
            node = self.nodes[name]
            node.setRect(QRectF(x - node_w / 2, y - node_h / 2, node_w, node_h))
            self.node_texts[name].setPos(x - node_w / 2 + PAD, y - node_h / 2 + PAD)
            if name in self.shape_labels:
                self.shape_labels[name].setPos(x + PAD, y + node_h / 2 + PAD)
        for (source, target), item in self.edges.items():
            item.setPath(self._edge_path(centre[source], centre[target], self._positions[source][0],
                                         self._positions[target][0], node_w, node_h, gap_x))
        self.setSceneRect(self.scene().itemsBoundingRect().adjusted(-20, -20, 20, 20))

    @staticmethod
    def _edge_path(start, end, start_row: int, end_row: int, node_w: float, node_h: float,
                   gap_x: float) -> QPainterPath:
        """A straight line to the next row; an edge that skips rows leaves the node's right side and
        bows out past the nodes in between."""
        (x1, y1), (x2, y2) = start, end
        path = QPainterPath()
        if end_row - start_row <= 1:
            path.moveTo(x1, y1 + node_h / 2)
            path.lineTo(x2, y2 - node_h / 2)
            return path
        side = max(x1, x2) + node_w / 2 + gap_x / 2
        path.moveTo(x1 + node_w / 2, y1)
        path.cubicTo(side + gap_x / 2, y1, side + gap_x / 2, y2, x2 + node_w / 2, y2)
        return path

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
        item = self.itemAt(event.position().toPoint())  # a box or its text: both name the layer
        if item is not None and item.data(0) is not None:
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
