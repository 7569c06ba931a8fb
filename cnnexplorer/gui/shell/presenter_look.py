"""Presenter-size type and lines for one panel: every font, line and marker in it grows by one
factor (×1.5 / ×2 / ×2.5), with an optional high-contrast palette; everything is put back after.

Qt widgets scale through their fonts (the panel's own font, plus widgets that set their own or
carry a ``font-size`` in a style sheet); pyqtgraph and other graphics scenes scale their text items,
axis fonts, curve pens and scatter markers.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pyqtgraph as pg
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontInfo, QPalette
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QGraphicsSimpleTextItem, QGraphicsTextItem,
                               QGraphicsView, QWidget)

SCALES = (1.5, 2.0, 2.5)
BASE_TEXT_PX = 13  # ×1 in presenter view: the smallest text we let a panel show
_FONT_SIZE = re.compile(r"font-size:\s*(\d+(?:\.\d+)?)px")


def text_px(font: QFont) -> int:
    """Height of ``font`` on screen, in pixels (point sizes resolved through the screen)."""
    return QFontInfo(font).pixelSize()


def scaled_font(font: QFont, scale: float) -> QFont:
    scaled = QFont(font)
    scaled.setPixelSize(max(round(text_px(font) * scale), round(BASE_TEXT_PX * scale)))
    return scaled


def high_contrast_palette() -> QPalette:
    palette = QPalette()
    dark, light, accent = QColor("black"), QColor("white"), QColor("#ffd400")
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base, QPalette.ColorRole.AlternateBase,
                 QPalette.ColorRole.Button):
        palette.setColor(role, dark)
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText,
                 QPalette.ColorRole.BrightText):
        palette.setColor(role, light)
    palette.setColor(QPalette.ColorRole.Highlight, accent)
    palette.setColor(QPalette.ColorRole.HighlightedText, dark)
    return palette


class PresenterLook:
    """Apply with :meth:`apply` (remembering what it changed), undo with :meth:`restore`."""

    def __init__(self) -> None:
        self._undo: list[tuple[object, Callable[[], None]]] = []  # (what was changed, how to put it back)

    @property
    def applied(self) -> bool:
        return bool(self._undo)

    def apply(self, panel: QWidget, scale: float, high_contrast: bool = False) -> None:
        self.restore()
        self._undo.append((panel, lambda: _settle_hidden_layouts(panel)))  # undone last
        self._scale_widget_fonts(panel, scale)
        for view in panel.findChildren(QGraphicsView):
            self._scale_scene(view, scale)
        if high_contrast:
            old_palette, old_auto = QPalette(panel.palette()), panel.autoFillBackground()
            panel.setPalette(high_contrast_palette())
            panel.setAutoFillBackground(True)
            self._undo.append((panel, lambda: (panel.setPalette(old_palette), panel.setAutoFillBackground(old_auto))))

    def restore(self) -> None:
        while self._undo:
            target, undo = self._undo.pop()
            if shiboken6.isValid(target):  # a panel may have dropped it while on stage (a redrawn network)
                undo()

    # -- widgets ------------------------------------------------------------------------------------
    def _scale_widget_fonts(self, panel: QWidget, scale: float) -> None:
        widgets = [panel, *panel.findChildren(QWidget)]
        for widget in widgets:
            sheet = widget.styleSheet()
            if _FONT_SIZE.search(sheet):
                scaled = _FONT_SIZE.sub(lambda m: f"font-size: {max(float(m.group(1)) * scale, BASE_TEXT_PX * scale):.0f}px", sheet)
                widget.setStyleSheet(scaled)
                self._undo.append((widget, lambda w=widget, s=sheet: w.setStyleSheet(s)))
            elif widget is panel or widget.testAttribute(Qt.WidgetAttribute.WA_SetFont) or sheet:
                # a widget with its own style sheet does not inherit the panel's font: set it too
                font = QFont(widget.font())
                explicit = widget.testAttribute(Qt.WidgetAttribute.WA_SetFont)
                widget.setFont(scaled_font(font, scale))
                self._undo.append((widget, lambda w=widget, f=font, e=explicit: w.setFont(f) if e else w.setFont(QFont())))
            if isinstance(widget, QAbstractItemView):
                self._scale_rows(widget, scale)

    def _scale_rows(self, view: QAbstractItemView, scale: float) -> None:
        header = getattr(view, "verticalHeader", lambda: None)()
        if header is not None:
            size = header.defaultSectionSize()
            header.setDefaultSectionSize(round(size * scale))
            self._undo.append((header, lambda: header.setDefaultSectionSize(size)))

    # -- graphics ----------------------------------------------------------------------------------
    def _scale_scene(self, view: QGraphicsView, scale: float) -> None:
        items = view.scene().items()
        inner = _pyqtgraph_texts(items)
        for item in items:
            if isinstance(item, pg.AxisItem):
                self._scale_axis(item, scale)
            elif isinstance(item, pg.LabelItem):
                size = item.opts.get("size")
                item.setText(item.text, size=f"{max(_label_px(item) * scale, BASE_TEXT_PX * scale):.0f}px")
                self._undo.append((item, lambda i=item, s=size: i.setText(i.text, size=s) if s else i.setText(i.text)))
            elif isinstance(item, pg.ScatterPlotItem):
                size = item.opts["size"]
                item.setSize(size * scale)
                self._undo.append((item, lambda i=item, s=size: i.setSize(s)))
            elif isinstance(item, pg.PlotCurveItem):
                pen = pg.mkPen(item.opts["pen"])
                wider = pg.mkPen(pen)
                wider.setWidthF(max(pen.widthF(), 1.0) * scale)
                item.setPen(wider)
                self._undo.append((item, lambda i=item, p=pen: i.setPen(p)))
            elif isinstance(item, (QGraphicsSimpleTextItem, QGraphicsTextItem)) and id(item) not in inner:
                font = QFont(item.font())
                item.setFont(scaled_font(font, scale))  # QGraphicsTextItem / QGraphicsSimpleTextItem
                self._undo.append((item, lambda i=item, f=font: i.setFont(f)))
            elif isinstance(item, pg.TextItem):
                font = QFont(item.textItem.font())
                item.setFont(scaled_font(font, scale))
                self._undo.append((item, lambda i=item, f=font: i.setFont(f)))

    def _scale_axis(self, axis: pg.AxisItem, scale: float) -> None:
        had_font = axis.style.get("tickFont")  # None: the axis's own font, as before
        font = QFont(had_font or axis.font())
        label_font = QFont(axis.label.font())
        axis.setTickFont(scaled_font(font, scale))
        axis.label.setFont(scaled_font(label_font, scale))
        pen = pg.mkPen(axis.pen())
        wider = pg.mkPen(pen)
        wider.setWidthF(max(pen.widthF(), 1.0) * scale)
        axis.setPen(wider)
        # pyqtgraph chooses how many ticks without looking at the font: bigger numbers need fewer ticks
        density = getattr(axis, "_tickDensity", 1.0)
        axis.setTickDensity(density / scale)

        def undo() -> None:
            axis.setTickFont(had_font)
            axis.label.setFont(label_font)
            axis.setPen(pen)
            axis.setTickDensity(density)

        self._undo.append((axis, undo))


def smallest_text_px(panel: QWidget) -> tuple[int, str]:
    """The smallest text height (px) shown anywhere in ``panel`` and what shows it — the
    presenter-view legibility check."""
    found: list[tuple[int, str]] = []
    for widget in [panel, *panel.findChildren(QWidget)]:
        if not widget.isVisible() or widget.visibleRegion().isEmpty() or not _shows_text(widget):
            continue
        found.append((text_px(widget.font()), f"{type(widget).__name__} {widget.objectName()}".strip()))
    for view in panel.findChildren(QGraphicsView):
        if not view.isVisible():
            continue
        items = view.scene().items()
        inner = _pyqtgraph_texts(items)
        for item in items:
            if not item.isVisible():
                continue
            if isinstance(item, pg.AxisItem) and item.style.get("showValues", True):
                found.append((text_px(item.style.get("tickFont") or item.font()), "axis ticks"))
            elif isinstance(item, pg.LabelItem) and item.text:
                found.append((round(_label_px(item)), f"label {item.text[:20]!r}"))
            elif isinstance(item, (QGraphicsSimpleTextItem, QGraphicsTextItem)) and id(item) not in inner:
                found.append((text_px(item.font()), "scene text"))
            elif isinstance(item, pg.TextItem):
                found.append((text_px(item.textItem.font()), "text item"))
    return min(found) if found else (0, "no text")


def _settle_hidden_layouts(panel: QWidget) -> None:
    """Lay out again what is hidden too (a tab not in front): a hidden widget keeps its layout's
    presenter-size minimum until shown, and that minimum would widen the window past the screen."""
    for widget in (panel, *panel.findChildren(QWidget)):
        layout = widget.layout()
        if layout is not None and not widget.isVisible():
            layout.invalidate()
            layout.activate()


def _pyqtgraph_texts(items) -> set[int]:
    """The text items pyqtgraph's own items hold (scaled through their owners). Found from the owners,
    never by asking a text item for its parent: with PySide6 that has crashed a later scene clear."""
    inner = set()
    for item in items:
        for name in ("item", "textItem", "label"):  # LabelItem, TextItem, AxisItem
            held = getattr(item, name, None) if isinstance(item, (pg.GraphicsObject, pg.GraphicsWidget)) else None
            if isinstance(held, (QGraphicsSimpleTextItem, QGraphicsTextItem)):
                inner.add(id(held))
    return inner


def _label_px(label: pg.LabelItem) -> float:
    """A pyqtgraph label's text height: its ``size`` option ("12pt", "20px") or the app font."""
    size = label.opts.get("size") or ""
    if size.endswith("px"):
        return float(size[:-2])
    if size.endswith("pt"):
        return float(size[:-2]) * QApplication.primaryScreen().logicalDotsPerInchY() / 72
    return text_px(QApplication.font())


def _shows_text(widget: QWidget) -> bool:
    text = getattr(widget, "text", None)
    if callable(text):
        try:
            return bool(text())
        except TypeError:
            return False
    return isinstance(widget, QAbstractItemView) or hasattr(widget, "currentText")
