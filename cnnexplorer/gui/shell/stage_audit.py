"""What a room sees of a panel, measured: texts cut off (elided or clipped) and the share of the
panel its lesson pictures cover. A font size is not legibility; these are the checks that are."""

from __future__ import annotations

from collections.abc import Iterator

import pyqtgraph as pg
from PySide6 import QtGui
from PySide6.QtCore import QModelIndex, QPoint, QRect, QRectF, Qt
from PySide6.QtGui import QFontMetrics, QImage, QPainter, QRegion, QTextDocument
from PySide6.QtWidgets import (QAbstractButton, QAbstractScrollArea, QAbstractSpinBox,
                               QComboBox, QGraphicsRectItem, QGraphicsSimpleTextItem, QGraphicsTextItem,
                               QGraphicsView,
                               QHeaderView, QLabel, QLineEdit, QStyle, QStyleOptionComboBox, QTabBar, QTableView,
                               QTreeView, QWidget)

from cnnexplorer.gui.common.stage import is_lesson_picture

SLACK_PX = 1  # rounding between a text's advance and its box
FRAME_PX = 2  # a widget's border, which may sit under its neighbour's
SMALL_TABLE_ROWS = 16  # a table this small shows all of itself: it must not need a scroll bar


def on_screen(widget: QWidget) -> bool:
    return widget.isVisible() and not _visible(widget).isEmpty()


def _visible(widget: QWidget) -> QRegion:
    """What of ``widget`` is on screen (a scroll area's own region is empty: its viewport covers it)."""
    if isinstance(widget, QAbstractScrollArea):
        viewport = widget.viewport()
        return viewport.visibleRegion().translated(viewport.mapTo(widget, QPoint(0, 0)))
    return widget.visibleRegion()


def _name(widget: QWidget, text: str) -> str:
    label = f"{type(widget).__name__}"
    if widget.objectName():
        label += f" {widget.objectName()}"
    return f"{label}: {text[:40]!r}"


# -- texts --------------------------------------------------------------------------------------
def clipped_texts(panel: QWidget) -> list[str]:
    """Every text on screen in ``panel`` that is cut: wider (or taller) than its box, a tab not shown
    whole, a small table that needs a scroll bar, graph labels over one another or out of their box,
    axis numbers on top of each other or left out for want of room."""
    found: list[str] = []
    for widget in [panel, *panel.findChildren(QWidget)]:
        if not on_screen(widget):
            continue
        found.extend(_clipped_in(widget))
    return found


TEXT_WIDGETS = (QLabel, QAbstractButton, QComboBox, QAbstractSpinBox, QTabBar, QLineEdit)


def _clipped_in(widget: QWidget) -> Iterator[str]:
    if isinstance(widget, TEXT_WIDGETS) or _is_small_table(widget):
        yield from _hidden_part(widget)
    if isinstance(widget, QLabel):
        yield from _label(widget)
    elif isinstance(widget, QAbstractButton):
        text = widget.text()
        if text and widget.sizeHint().width() > widget.width() + SLACK_PX:
            yield _name(widget, text) + f" needs {widget.sizeHint().width()} px, has {widget.width()}"
    elif isinstance(widget, QComboBox):
        yield from _combo(widget)
    elif isinstance(widget, QAbstractSpinBox):
        edit = widget.findChild(QWidget, "qt_spinbox_lineedit")
        text = widget.text()
        if edit is not None and text and widget.fontMetrics().horizontalAdvance(text) + 4 > edit.width() + SLACK_PX:
            yield _name(widget, text) + " value cut"
    elif isinstance(widget, QTabBar):
        yield from _tabs(widget)
    elif isinstance(widget, QLineEdit) and widget.parentWidget() is not None and not isinstance(
            widget.parentWidget(), QAbstractSpinBox):  # a spin box's own edit is checked with it
        text = widget.text()
        margins = widget.textMargins()
        room = widget.contentsRect().width() - margins.left() - margins.right() - 4  # the edit's own padding
        if text and widget.fontMetrics().horizontalAdvance(text) > room + SLACK_PX:
            yield _name(widget, text) + f" value cut ({room} px for it)"
    elif isinstance(widget, QTableView):
        yield from _table(widget)
    elif isinstance(widget, QTreeView):
        yield from _tree(widget)
    elif isinstance(widget, QHeaderView) and isinstance(widget.parent(), (QTableView, QTreeView)):
        yield from _header(widget)
    if isinstance(widget, QGraphicsView):
        yield from _scene_texts(widget)


def _is_small_table(widget: QWidget) -> bool:
    return isinstance(widget, QTableView) and widget.model() is not None and \
        widget.model().rowCount() <= SMALL_TABLE_ROWS


def _hidden_part(widget: QWidget) -> Iterator[str]:
    """A text widget cut by the edge of what holds it, or covered by an overlay: sideways always;
    at the top or bottom unless a scroll bar beside it brings the rest into view."""
    # a scroll area's own region leaves out its viewport, header and bars: clip it by its holders instead
    shown = _clipped_by_holders(widget) if isinstance(widget, QAbstractScrollArea) else _visible(widget).boundingRect()
    full = widget.rect().adjusted(FRAME_PX, FRAME_PX, -FRAME_PX, -FRAME_PX)  # a frame's line may be hidden
    if shown.width() < full.width() - SLACK_PX:
        yield _name(widget, _text_of(widget)) + f" cut sideways ({shown.width()} of {full.width()} px shown)"
    elif shown.height() < full.height() - SLACK_PX and not _scrolls_vertically(widget):
        yield _name(widget, _text_of(widget)) + f" cut ({shown.height()} of {full.height()} px high shown)"


def _clipped_by_holders(widget: QWidget) -> QRect:
    """``widget``'s rectangle less what its parents cut off, in its own coordinates."""
    shown = widget.rect()
    parent = widget.parentWidget()
    while parent is not None and not shown.isEmpty():
        shown = shown.intersected(parent.rect().translated(-widget.mapTo(parent, QPoint(0, 0))))
        parent = parent.parentWidget()
    return shown


def _scrolls_vertically(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea) and parent.verticalScrollBar().isVisible():
            return True
        parent = parent.parentWidget()
    return False


def _text_of(widget: QWidget) -> str:
    for getter in ("text", "currentText"):
        if hasattr(widget, getter):
            return str(getattr(widget, getter)())
    return type(widget).__name__


def _label(label: QLabel) -> Iterator[str]:
    text = label.text()
    if not text or label.pixmap() is not None and not label.pixmap().isNull():
        return
    box = label.contentsRect()
    margin = label.margin() * 2 + max(label.indent(), 0)
    rich = label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(text))
    if rich or label.wordWrap():
        document = QTextDocument()
        document.setDefaultFont(label.font())
        document.setDocumentMargin(0)
        if rich:
            document.setHtml(text)
        else:
            document.setPlainText(text)
        if label.wordWrap():
            document.setTextWidth(box.width() - margin)
            if document.size().height() > box.height() + SLACK_PX + 2:
                yield _name(label, text) + " wraps below its box"
            return
        width, height = document.idealWidth(), document.size().height()
    else:
        metrics = QFontMetrics(label.font())
        lines = text.split("\n")
        width = max(metrics.horizontalAdvance(line) for line in lines)
        height = metrics.height() * len(lines)
    if width > box.width() - margin + SLACK_PX:
        yield _name(label, text) + f" needs {width:.0f} px, has {box.width() - margin}"
    elif height > box.height() + SLACK_PX + 2:
        yield _name(label, text) + f" needs {height:.0f} px high, has {box.height()}"


def _combo(combo: QComboBox) -> Iterator[str]:
    text = combo.currentText()
    if not text or combo.isEditable():
        return
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                         QStyle.SubControl.SC_ComboBoxEditField, combo)
    if combo.fontMetrics().horizontalAdvance(text) > field.width() + SLACK_PX:
        yield _name(combo, text) + f" shown in {field.width()} px"


def _tabs(bar: QTabBar) -> Iterator[str]:
    shown = bar.rect()
    for index in range(bar.count()):
        if not bar.isTabVisible(index):
            continue
        rect = bar.tabRect(index)
        if bar.tabSizeHint(index).width() > rect.width() + SLACK_PX or not shown.contains(rect):
            yield _name(bar, bar.tabText(index)) + " tab cut"


def _table(table: QTableView) -> Iterator[str]:
    model = table.model()
    if model is None:
        return
    rows, cols = model.rowCount(), model.columnCount()
    if rows <= SMALL_TABLE_ROWS and (table.verticalScrollBar().isVisible() or table.horizontalScrollBar().isVisible()):
        yield _name(table, f"{rows}×{cols} table") + " needs a scroll bar"
    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1
    viewport = table.viewport().rect()
    for row in range(rows):
        for col in range(cols):
            index = model.index(row, col, QModelIndex())
            rect = table.visualRect(index)
            if not rect.intersects(viewport):
                continue
            needs = _cell_needs(table, index, margin)
            if needs is None:
                continue
            text, width, height = needs
            if height > rect.height() + SLACK_PX + 2:
                yield _name(table, text) + f" cell needs {height} px high"
            if width > rect.width() + SLACK_PX:
                yield _name(table, text) + f" cell needs {width} px, has {rect.width()}"


def _cell_needs(view, index: QModelIndex, margin: int, icon: bool = False) -> tuple[str, int, int] | None:
    """A table or tree cell's text and the width and height it needs (with its icon, if ``icon``);
    None for an empty cell."""
    model = view.model()
    text = model.data(index, Qt.ItemDataRole.DisplayRole)
    if text is None or str(text) == "":
        return None
    metrics = QFontMetrics(model.data(index, Qt.ItemDataRole.FontRole) or view.font())
    lines = str(text).split("\n")
    width = max(metrics.horizontalAdvance(line) for line in lines) + 2 * margin
    if icon and model.data(index, Qt.ItemDataRole.DecorationRole) is not None:
        width += view.iconSize().width() + margin
    return str(text), width, metrics.height() * len(lines)


def _tree(tree: QTreeView) -> Iterator[str]:
    """Each row in view (expanded branches followed), each column shown: its text whole in the part
    of its cell the viewport shows."""
    model = tree.model()
    if model is None:
        return
    margin = tree.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, tree) + 1
    viewport = tree.viewport().rect()

    def rows(parent: QModelIndex) -> Iterator[tuple[int, QModelIndex]]:
        for row in range(model.rowCount(parent)):
            yield row, parent
            child = model.index(row, 0, parent)
            if tree.isExpanded(child):
                yield from rows(child)

    for row, parent in rows(QModelIndex()):
        for col in range(model.columnCount(parent)):
            if tree.isColumnHidden(col):
                continue
            index = model.index(row, col, parent)
            shown = tree.visualRect(index).intersected(viewport)
            needs = None if shown.isEmpty() else _cell_needs(tree, index, margin, icon=True)
            if needs is not None and needs[1] > shown.width() + SLACK_PX:
                yield _name(tree, needs[0]) + f" item needs {needs[1]} px, has {shown.width()}"


def _header(header: QHeaderView) -> Iterator[str]:
    model = header.model()
    if model is None:
        return
    count = model.columnCount() if header.orientation() == Qt.Orientation.Horizontal else model.rowCount()
    margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    for section in range(count):
        if header.isSectionHidden(section):
            continue
        text = model.headerData(section, header.orientation(), Qt.ItemDataRole.DisplayRole)
        if text is None:
            continue
        need = (header.fontMetrics().horizontalAdvance(str(text)) + 2 * margin
                if header.orientation() == Qt.Orientation.Horizontal else header.fontMetrics().height())
        if need > header.sectionSize(section) + SLACK_PX:
            yield _name(header, str(text)) + " header cut"


# -- graphics scenes --------------------------------------------------------------------------------
def _scene_texts(view: QGraphicsView) -> Iterator[str]:
    """Graph labels: a text that reaches over the edge of a box it overlaps, or over another text.
    (Items are only read, never asked for their parent: see graph_view's note on PySide6.)"""
    texts: list[tuple[QRectF, str]] = []
    boxes: list[QRectF] = []
    plots = isinstance(view, pg.GraphicsView)  # pyqtgraph lays out its own titles: its axes are checked
    for item in view.scene().items():
        if not item.isVisible():
            continue
        if isinstance(item, pg.AxisItem):
            yield from _axis(item, view)
        elif plots:
            continue
        elif isinstance(item, QGraphicsRectItem):
            boxes.append(item.sceneBoundingRect())
        elif isinstance(item, (QGraphicsSimpleTextItem, QGraphicsTextItem)):
            text = item.text() if isinstance(item, QGraphicsSimpleTextItem) else item.toPlainText()
            if text.strip():
                texts.append((item.sceneBoundingRect(), text))
    for rect, text in texts:
        for box in boxes:
            inner = box.adjusted(-SLACK_PX - 2, -SLACK_PX - 2, SLACK_PX + 2, SLACK_PX + 2)  # the box's pen
            overlap = rect.intersected(box)
            if overlap.width() > 2 and overlap.height() > 2 and not inner.contains(rect):
                yield f"graph label {text[:30]!r} over the edge of its box"
                break
    for i, (rect, text) in enumerate(texts):
        for other, other_text in texts[i + 1:]:
            overlap = rect.intersected(other)
            if overlap.width() > 2 and overlap.height() > 2:
                yield f"graph labels {text[:20]!r} and {other_text[:20]!r} overlap"


def _axis(axis: pg.AxisItem, view: QGraphicsView) -> Iterator[str]:
    if not axis.style.get("showValues", True) or not axis.isVisible():
        return
    image = QImage(1, 1, QImage.Format.Format_ARGB32)  # pyqtgraph measures the numbers with a painter
    painter = QPainter(image)  # (in the tick font, which generateDrawSpecs sets on it)
    try:
        try:
            specs = axis.generateDrawSpecs(painter)
        except Exception:  # noqa: BLE001 - an axis without a linked view has nothing drawn
            return
        left_out = list(_numbers_left_out(axis, painter))
    finally:
        painter.end()
    yield from left_out
    if not specs:
        return
    text_specs = specs[2]
    rects = [(QRectF(rect), text) for rect, _flags, text in text_specs]
    bounds = axis.boundingRect().adjusted(-2, -2, 2, 2)
    shown = QRectF(view.viewport().rect()).adjusted(-SLACK_PX, -SLACK_PX, SLACK_PX, SLACK_PX)
    for i, (rect, text) in enumerate(rects):
        if axis.orientation in ("left", "right") and rect.width() > bounds.width() + 2:
            yield f"axis {axis.orientation} number {text!r} wider than its axis"
        elif not shown.contains(view.mapFromScene(axis.mapRectToScene(rect)).boundingRect()):
            yield f"axis {axis.orientation} number {text!r} cut by the edge of its view"
        for other, other_text in rects[i + 1:]:
            overlap = rect.intersected(other)
            if overlap.width() > 1 and overlap.height() > 1:
                yield f"axis {axis.orientation} numbers {text!r} and {other_text!r} overlap"


def _numbers_left_out(axis: pg.AxisItem, painter: QPainter) -> Iterator[str]:
    """A major number of an axis of fixed width that pyqtgraph leaves out because it is wider than
    the axis (a colour bar showing "0" alone): measured as pyqtgraph measures it, with ``painter``
    in the tick font."""
    if axis.orientation not in ("left", "right") or axis.fixedWidth is None:
        return
    levels = axis.tickValues(*sorted(axis.range), axis.geometry().height())  # the length pyqtgraph ticks
    if not levels or not len(levels[0][1]):
        return
    spacing, values = levels[0]
    offset = max(0, axis.style["tickLength"]) + axis.style["tickTextOffset"][0]
    for text in axis.tickStrings(values, axis.autoSIPrefixScale * axis.scale, spacing):
        width = painter.boundingRect(QRectF(0, 0, 100, 100), Qt.AlignmentFlag.AlignCenter, text).width()
        if width + offset > axis.width() + SLACK_PX:
            yield f"axis {axis.orientation} number {text!r} left out ({width + offset:.0f} px needed, {axis.width():.0f})"


# -- pictures -----------------------------------------------------------------------------------
def picture_share(panel: QWidget) -> float:
    """The share of ``panel``'s visible content covered by its on-screen lesson pictures (0…1)."""
    content = panel.widget() if hasattr(panel, "widget") and panel.widget() is not None else panel
    # the content's whole rectangle: its own visible region leaves out the opaque pictures in it
    area = QRegion(content.rect().translated(content.mapTo(panel, QPoint(0, 0))))
    total = _area(area)
    if total == 0:
        return 0.0
    covered = QRegion()
    for widget in content.findChildren(QWidget):
        if is_lesson_picture(widget) and on_screen(widget):
            # its rectangle as far as its holders show it (its own region leaves out its children)
            shown = _clipped_by_holders(widget)
            covered = covered.united(QRegion(shown.translated(widget.mapTo(panel, QPoint(0, 0)))))
    return _area(covered.intersected(area)) / total


def _area(region: QRegion) -> int:
    return sum(rect.width() * rect.height() for rect in region)
