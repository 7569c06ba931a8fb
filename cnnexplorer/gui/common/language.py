"""The language the window speaks: chosen at the first window, switched at run time.

A switch carries every text already on screen into the new language (see
:mod:`cnnexplorer.core.i18n.retranslate`); widgets that put their texts together from several
messages draw them again (:func:`cnnexplorer.gui.common.translated.follow_language`). Qt's own
buttons and dialogs follow through its ``qtbase`` catalogue.
"""

from __future__ import annotations

from collections.abc import Callable

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDoubleSpinBox,
    QGraphicsSimpleTextItem,
    QGraphicsTextItem,
    QGraphicsView,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QProgressBar,
    QSpinBox,
    QTableWidget,
    QTabWidget,
    QTreeWidget,
    QWidget,
)

from cnnexplorer.core import i18n
from cnnexplorer.gui.common.translated import carried

_chosen: str | None = None  # --lang, or View → Language in this process: wins over the environment
_qt_translator: QTranslator | None = None

Convert = Callable[[str], str]
USER_NAMES = "cnnexplorerUserNames"  # a widget property: its items are names a user gave, never carried


def holds_user_names(widget: QWidget) -> QWidget:
    """Mark ``widget`` (a list of saved kernels, pipelines…) as showing the user's own names: a switch
    leaves them as typed, even a name that happens to be one of our messages ("sharpen")."""
    widget.setProperty(USER_NAMES, True)
    return widget


def choose_language(code: str | None) -> None:
    """Remember an explicit choice (the command line's, or the menu's) for every window after."""
    global _chosen
    if code not in (None, "system"):
        i18n.catalogue(code)  # raises LanguageError for a language we do not have
    _chosen = code


def start_language(saved: str | None) -> str:
    """Speak the language chosen for this process, else the environment's, the saved or the system's."""
    code = i18n.resolve_language(_chosen, saved)
    if code != i18n.language():
        i18n.set_language(code)
    _install_qt_catalogue(code)
    return code


def switch_language(root: QWidget, code: str) -> None:
    """Carry every text under ``root`` (menus and plots too) into ``code`` and speak it from now on."""
    old = i18n.language()
    if code == old:
        return
    i18n.set_language(code)  # widgets that compose their own texts draw them again
    _install_qt_catalogue(code)
    retranslate_tree(root, lambda text: carried(text, old, code))


def _install_qt_catalogue(code: str) -> None:
    global _qt_translator
    app = QCoreApplication.instance()
    if app is None:
        return
    if _qt_translator is not None:
        app.removeTranslator(_qt_translator)
        _qt_translator = None
    if code == i18n.SOURCE_LANGUAGE:
        return
    translator = QTranslator(app)
    # qt_<code> only points to qtbase and qtmultimedia, and the latter is not in the wheel.
    if translator.load(QLocale(code), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)
        _qt_translator = translator


def retranslate_tree(root: QWidget, convert: Convert) -> None:
    """Pass every text of ``root``, its children, their actions and their graphics through ``convert``."""
    seen_actions: set[int] = set()
    for widget in [root, *root.findChildren(QWidget)]:
        _widget_texts(widget, convert)
        for action in widget.actions():
            if id(action) not in seen_actions:
                seen_actions.add(id(action))
                _swap(action.text, action.setText, convert)
                _swap(action.toolTip, action.setToolTip, convert)
                _swap(action.statusTip, action.setStatusTip, convert)
        if isinstance(widget, QGraphicsView) and widget.scene() is not None:
            _scene_texts(widget.scene(), convert)


def _swap(get: Callable[[], str], set_: Callable[[str], object], convert: Convert) -> None:
    text = get()
    if text:
        new = convert(text)
        if new != text:
            set_(new)


def _widget_texts(w: QWidget, convert: Convert) -> None:
    _swap(w.windowTitle, w.setWindowTitle, convert)
    _swap(w.toolTip, w.setToolTip, convert)
    _swap(w.statusTip, w.setStatusTip, convert)
    if isinstance(w, (QLabel, QAbstractButton)):
        _swap(w.text, w.setText, convert)
    elif isinstance(w, (QGroupBox, QMenu)):
        _swap(w.title, w.setTitle, convert)
    elif isinstance(w, QLineEdit):
        _swap(w.placeholderText, w.setPlaceholderText, convert)
    elif isinstance(w, QComboBox) and not w.property(USER_NAMES):
        for i in range(w.count()):
            _swap(lambda i=i: w.itemText(i), lambda text, i=i: w.setItemText(i, text), convert)
    elif isinstance(w, QTabWidget):
        for i in range(w.count()):
            _swap(lambda i=i: w.tabText(i), lambda text, i=i: w.setTabText(i, text), convert)
            _swap(lambda i=i: w.tabToolTip(i), lambda text, i=i: w.setTabToolTip(i, text), convert)
    elif isinstance(w, (QSpinBox, QDoubleSpinBox)):
        _swap(w.suffix, w.setSuffix, convert)
        _swap(w.prefix, w.setPrefix, convert)
    elif isinstance(w, QProgressBar):
        _swap(w.format, w.setFormat, convert)
    elif isinstance(w, (QTreeWidget, QTableWidget, QListWidget)):
        _item_view_texts(w, convert)
    if isinstance(w, QAbstractSpinBox):
        _swap(w.specialValueText, w.setSpecialValueText, convert)


def _item_view_texts(view: QWidget, convert: Convert) -> None:
    if isinstance(view, QTreeWidget):
        items = [view.headerItem()]
        stack = [view.topLevelItem(i) for i in range(view.topLevelItemCount())]
        while stack:
            item = stack.pop()
            items.append(item)
            stack.extend(item.child(i) for i in range(item.childCount()))
        for item in items:
            for column in range(view.columnCount()):
                _swap(lambda: item.text(column), lambda text: item.setText(column, text), convert)
                _swap(lambda: item.toolTip(column), lambda text: item.setToolTip(column, text), convert)
    elif isinstance(view, QTableWidget):
        headers = [view.horizontalHeaderItem(c) for c in range(view.columnCount())]
        headers += [view.verticalHeaderItem(r) for r in range(view.rowCount())]
        cells = [view.item(r, c) for r in range(view.rowCount()) for c in range(view.columnCount())]
        for item in (i for i in headers + cells if i is not None):
            _swap(item.text, item.setText, convert)
            _swap(item.toolTip, item.setToolTip, convert)
    else:
        for row in range(view.count()):
            item = view.item(row)
            _swap(item.text, item.setText, convert)
            _swap(item.toolTip, item.setToolTip, convert)


def _scene_texts(scene, convert: Convert) -> None:
    items = scene.items()
    # pyqtgraph's TextItem draws through a QGraphicsTextItem of its own: carry it once. (Asking an
    # item for its parent from Python can crash a later scene.clear() in PySide6.)
    inner = {id(item.textItem) for item in items if isinstance(item, pg.TextItem)}
    for item in items:
        if isinstance(item, pg.AxisItem):
            _swap(lambda: item.labelText, lambda text: item.setLabel(
                text, units=item.labelUnits, unitPrefix=item.labelUnitPrefix,
                siPrefixEnableRanges=item.getSIPrefixEnableRanges(), unitPower=item.unitPower), convert)
        elif isinstance(item, pg.LabelItem):
            _swap(lambda: item.text, item.setText, convert)
        elif isinstance(item, pg.TextItem):
            _swap(item.toPlainText, item.setPlainText, convert)
        elif isinstance(item, QGraphicsTextItem) and id(item) not in inner:
            _swap(item.toPlainText, item.setPlainText, convert)
        elif isinstance(item, QGraphicsSimpleTextItem):
            _swap(item.text, item.setText, convert)
