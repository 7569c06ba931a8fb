"""Which texts on screen speak the chosen language: for the Korean walk and the switch test."""

from __future__ import annotations

import re

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QTextDocument
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QComboBox, QDockWidget, QGraphicsSimpleTextItem,
                               QGraphicsTextItem, QGraphicsView, QGroupBox, QLabel, QMenu, QTabBar, QWidget)

from cnnexplorer.core.i18n import LANGUAGES
from cnnexplorer.core.i18n.names import words
from cnnexplorer.gui.shell.stage_audit import on_screen

HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")


def has_hangul(text: str) -> bool:
    return bool(HANGUL.search(text))


def _plain(text: str) -> str:
    if "<" in text and Qt.mightBeRichText(text):
        document = QTextDocument()
        document.setHtml(text)
        return document.toPlainText()
    return text


def visible_texts(root: QWidget) -> list[tuple[QWidget, str]]:
    """Every text shown on screen under ``root`` with the widget that draws it."""
    found: list[tuple[QWidget, str]] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not on_screen(widget):
            continue
        if isinstance(widget, QDockWidget):
            found.append((widget, widget.windowTitle()))
        elif isinstance(widget, QLabel):
            found.append((widget, _plain(widget.text())))
        elif isinstance(widget, QAbstractButton):
            found.append((widget, widget.text()))
        elif isinstance(widget, QComboBox):
            found.append((widget, widget.currentText()))
        elif isinstance(widget, QGroupBox):
            found.append((widget, widget.title()))
        elif isinstance(widget, QTabBar):
            found.extend((widget, widget.tabText(i)) for i in range(widget.count()) if widget.isTabVisible(i))
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            found.extend((widget, text) for text in _model_texts(widget))
        if isinstance(widget, QGraphicsView) and widget.scene() is not None:
            found.extend((widget, text) for text in _scene_texts(widget))
    return [(w, t.strip()) for w, t in found if t and t.strip()]


def _model_texts(view: QAbstractItemView) -> list[str]:
    model = view.model()
    texts = []
    for orientation, count in ((Qt.Orientation.Horizontal, model.columnCount()), (Qt.Orientation.Vertical, 0)):
        texts.extend(str(model.headerData(i, orientation) or "") for i in range(count))
    for row in range(min(model.rowCount(), 200)):
        for column in range(model.columnCount()):
            value = model.data(model.index(row, column))
            if isinstance(value, str):
                texts.append(value)
    return texts


def _scene_texts(view: QGraphicsView) -> list[str]:
    texts = []
    for item in view.scene().items():
        if not item.isVisible():
            continue
        if isinstance(item, pg.AxisItem):
            texts.append(item.labelText)
        elif isinstance(item, pg.LabelItem):
            texts.append(_plain(item.text))
        elif isinstance(item, QGraphicsTextItem):
            texts.append(item.toPlainText())
        elif isinstance(item, QGraphicsSimpleTextItem):
            texts.append(item.text())
    return texts


def menu_texts(window) -> list[str]:
    """The menu bar's menus and every action in them, submenus included."""
    texts, stack = [], [a.menu() for a in window.menuBar().actions() if a.menu() is not None]
    texts += [a.text() for a in window.menuBar().actions()]
    while stack:
        menu: QMenu = stack.pop()
        for action in menu.actions():
            if action.isSeparator() or not action.isVisible():
                continue
            texts.append(action.text())
            if action.menu() is not None:
                stack.append(action.menu())
    return [t.replace("&", "") for t in texts if t]


def untranslated(texts: list[str], names: frozenset[str] = frozenset()) -> list[str]:
    """The texts that hold words to translate but carry no Hangul (``names``: the loaded model's
    layer names and the like, which stay as the file has them)."""
    def to_translate(text: str) -> bool:  # a graph node's "name\nType": each line a name
        return any(line not in names and words(line) for line in text.split("\n"))

    return [t for t in texts if t not in LANGUAGES.values() and to_translate(t) and not has_hangul(t)]


def leftover_korean(texts: list[str]) -> list[str]:
    """The texts that still carry Hangul (after a switch back to English)."""
    return [t for t in texts if has_hangul(t) and t not in LANGUAGES.values()]


def hangul_not_drawn(pairs: list[tuple[QWidget, str]]) -> list[str]:
    """Hangul characters whose widget's font (with its fallbacks) has no glyph for them."""
    missing = set()
    for widget, text in pairs:
        metrics = QFontMetrics(widget.font())
        missing.update(c for c in set(HANGUL.findall(text)) if not metrics.inFontUcs4(ord(c)))
    return sorted(missing)
