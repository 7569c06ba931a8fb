"""The model's layers as a tree: class, output shape, parameters; conv base vs classifier marked."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHeaderView, QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from cnnexplorer.core.i18n import N_, tr
from cnnexplorer.core.models.taps import LayerNode

ROLE_COLOURS = {"base": "#e8f1fa", "classifier": "#fdebd3", "input": "#eeeeee"}
ROLE_TITLES = {"base": N_("convolutional base"), "classifier": N_("classifier"), "input": N_("input")}  # shown through tr()
COLUMNS = (N_("Layer"), N_("Class"), N_("Output shape"), N_("Parameters"))
KIND_COLOURS = {"Conv": "#2166ac", "Dense": "#b2182b", "Pool": "#1a9850", "Concatenate": "#762a83",
                "Add": "#762a83", "BatchNormalization": "#888888"}
PATH_ROLE = Qt.ItemDataRole.UserRole


def _kind_colour(class_name: str) -> str:
    return next((c for key, c in KIND_COLOURS.items() if key in class_name), "#333333")


class LayerTreeWidget(QWidget):
    layer_selected = Signal(str)  # path

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(placeholderText=tr("Search layers…"), clearButtonEnabled=True)
        self.tree = QTreeWidget(objectName="LayerTree")
        self.tree.setHeaderLabels([tr(c) for c in COLUMNS])
        # Every column shows whole or not at all (a room cannot read "BatchNor…"): the layer names
        # always, then as many of class, shape and parameters as fit; the name's tooltip has them all.
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tree.viewport().installEventFilter(self)  # its width decides which columns fit
        self.tree.setToolTip(tr("Blue rows: convolutional base · orange rows: classifier (course §5)"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.tree, 1)
        self.items: dict[str, QTreeWidgetItem] = {}
        self.search.textChanged.connect(self._filter)
        self.tree.currentItemChanged.connect(self._on_current_changed)

    def sizeHint(self) -> QSize:  # noqa: N802 - narrow: as wide as the layer names
        tree = self.tree
        width = tree.sizeHintForColumn(0) + tree.indentation() + tree.verticalScrollBar().sizeHint().width()
        return QSize(max(width + 2 * tree.frameWidth(), self.search.sizeHint().width()), super().sizeHint().height())

    def set_nodes(self, nodes: list[LayerNode]) -> None:
        self.tree.clear()
        self.items.clear()

        def add(parent, node: LayerNode) -> None:
            params = node.trainable_params + node.frozen_params
            text = (tr("{params} ({frozen} frozen)", params=f"{params:,}", frozen=f"{node.frozen_params:,}")
                    if node.frozen_params else f"{params:,}")
            shape = "×".join("?" if d is None else str(d) for d in node.output_shape[1:])
            item = QTreeWidgetItem(parent, [node.name, node.class_name, shape, text])
            item.setData(0, PATH_ROLE, node.path)
            background = QBrush(QColor(ROLE_COLOURS[node.role]))
            for column in range(4):
                item.setBackground(column, background)
            item.setForeground(1, QBrush(QColor(_kind_colour(node.class_name))))
            item.setToolTip(0, f"{node.path} — {tr(ROLE_TITLES.get(node.role, node.role))}\n"
                               f"{node.class_name} · {shape} · {text}")
            self.items[node.path] = item
            for child in node.children:
                add(item, child)

        for node in nodes:
            add(self.tree, node)
        self.updateGeometry()
        self.fit_columns()

    def fit_columns(self) -> None:
        """Show the columns, left to right, while each fits whole in the tree's width."""
        tree, header = self.tree, self.tree.header()
        room, shown = tree.viewport().width(), True
        for column in range(tree.columnCount()):
            need = max(tree.sizeHintForColumn(column), header.sectionSizeHint(column))
            shown = column == 0 or (shown and need <= room)
            if tree.isColumnHidden(column) == shown:
                tree.setColumnHidden(column, not shown)
            room -= need if shown else 0

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if watched is self.tree.viewport() and event.type() == QEvent.Type.Resize:
            self.fit_columns()
        return False

    def select(self, path: str) -> None:
        item = self.items.get(path)
        if item is not None:
            self.tree.setCurrentItem(item)
            self.tree.scrollToItem(item)

    def _on_current_changed(self, current: QTreeWidgetItem | None, _previous) -> None:
        if current is not None:
            self.layer_selected.emit(current.data(0, PATH_ROLE))

    def _filter(self, text: str) -> None:
        text = text.lower().strip()
        for path, item in self.items.items():
            match = not text or text in path.lower() or text in item.text(1).lower()
            item.setHidden(not match)
            if match:  # keep the parents of a match visible
                parent = item.parent()
                while parent is not None:
                    parent.setHidden(False)
                    parent.setExpanded(True)
                    parent = parent.parent()
