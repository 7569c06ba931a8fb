"""The side strip that holds a panel's settings beside its pictures (napari's layer controls beside
the canvas): what a lecturer sets before talking. It folds to a narrow tab along the panel's edge with
one click; on a panel too narrow to give its pictures the room it folds by itself (until the user
opens or folds it), and presenter view holds it folded, so the pictures take the stage."""

from __future__ import annotations

import weakref

import shiboken6
from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLayout, QScrollArea, QSizePolicy, QStyle, QStyleOptionToolButton,
                               QStylePainter, QToolButton, QVBoxLayout, QWidget)

from cnnexplorer.core.i18n import N_, tr
from cnnexplorer.gui.common.translated import carried, follow_language

FOLD_KEY = "F7"  # presenter view: open or fold the strip of the panel on stage
AUTO_FOLD_SHARE = 0.25  # an open side strip wider than this share of its panel folds by itself
AUTO_FOLD_SHARE_TOP = 0.4  # a strip above its pictures: taller than this share of its column
_STRIPS: weakref.WeakSet[SettingsStrip] = weakref.WeakSet()  # every strip alive, for settings_strips()


class FoldButton(QToolButton):
    """A tool button whose text may run top to bottom (a tab along the strip's edge when folded)."""

    def __init__(self) -> None:
        super().__init__(objectName="SettingsStripFold", autoRaise=True)
        self.vertical = False

    def set_vertical(self, vertical: bool) -> None:
        self.vertical = vertical
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        hint = super().sizeHint()
        return hint.transposed() if self.vertical else hint

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        hint = super().minimumSizeHint()
        return hint.transposed() if self.vertical else hint

    def paintEvent(self, event) -> None:  # noqa: N802
        if not self.vertical:
            super().paintEvent(event)
            return
        painter = QStylePainter(self)
        painter.rotate(90)
        painter.translate(0, -self.width())
        option = QStyleOptionToolButton()
        self.initStyleOption(option)
        option.rect = option.rect.transposed()
        painter.drawComplexControl(QStyle.ComplexControl.CC_ToolButton, option)


class SettingsStrip(QWidget):
    """Holds ``content`` in a column that scrolls up and down (never sideways: its width is the
    content's) and folds. ``folded_changed(folded)`` fires on a change.

    ``side=False`` for a strip above what it serves (it folds to a plain button, and by itself when it
    would take too much of its column's height)."""

    folded_changed = Signal(bool)

    def __init__(self, content: QWidget, title: str = N_("Settings"), parent=None, side: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("SettingsStrip")
        _STRIPS.add(self)
        self.content = content
        self._title, self._side = title, side
        self._folded = False
        self._auto = True  # folds with the panel's size until the user chooses
        self._held: tuple[bool, bool] | None = None  # (folded, auto) from before presenter view held it
        self._host: QWidget | None = None
        self.fold_button = FoldButton()
        self.fold_button.setCheckable(True)
        self.fold_button.setToolTip(tr("Fold or open the settings ({key})", key=FOLD_KEY))
        self.fold_button.clicked.connect(lambda checked: self._choose(checked))
        self.scroll = QScrollArea(objectName="SettingsStripScroll", widgetResizable=True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(content)
        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.fold_button, 0, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        column.addWidget(self.scroll, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(column)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        self._show_state()
        follow_language(self, self._on_language_changed)
        content.installEventFilter(self)  # content that grows later (a combo filled) widens the strip

    @property
    def folded(self) -> bool:
        return self._folded

    def set_folded(self, folded: bool) -> None:
        if folded == self._folded:
            return
        self._folded = folded
        self._show_state()
        self.folded_changed.emit(folded)

    def toggle(self) -> None:
        """The user's fold or open (the button, F7): from now on the panel's width does not decide."""
        self._choose(not self._folded)

    def hold(self) -> None:
        """Presenter view: folded until :meth:`release`, whatever the width."""
        if self._held is None:
            self._held = (self._folded, self._auto)
        self._auto = False
        self.set_folded(True)

    def release(self) -> None:
        """Back to how it was before :meth:`hold` (the user's choice, or folding with the width)."""
        if self._held is not None:
            folded, self._auto = self._held
            self._held = None
            self.set_folded(folded)
            self._fit_host()

    def _choose(self, folded: bool) -> None:
        self._auto = False
        self.set_folded(folded)

    # -- following the panel's width ------------------------------------------------------------------
    def changeEvent(self, event) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.ParentChange:
            if self._host is not None:
                self._host.removeEventFilter(self)
            self._host = self.parentWidget()
            if self._host is not None:
                self._host.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if watched is self.content and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        elif watched is self._host and event.type() == QEvent.Type.Resize:
            self._fit_host()
        return False

    def _fit_host(self) -> None:
        host = self._host
        if not self._auto or host is None or host.width() <= 0:
            return
        if self._side:
            self.set_folded(self._open_width() > AUTO_FOLD_SHARE * host.width())
        else:
            open_height = self.content.sizeHint().height() + self.fold_button.sizeHint().height()
            self.set_folded(open_height > AUTO_FOLD_SHARE_TOP * host.height())

    # -- looks --------------------------------------------------------------------------------------
    def _show_state(self) -> None:
        self.fold_button.blockSignals(True)
        self.fold_button.setChecked(self._folded)
        self.fold_button.blockSignals(False)
        self.fold_button.setText(f"{'▸' if self._folded else '◂'} {tr(self._title) if self._title else ''}")
        self.fold_button.set_vertical(self._folded and self._side)
        self.scroll.setVisible(not self._folded)
        self.updateGeometry()

    def _on_language_changed(self, old: str, new: str) -> None:
        self._title = carried(self._title, old, new)  # a title given already translated
        self.fold_button.setToolTip(tr("Fold or open the settings ({key})", key=FOLD_KEY))
        self._show_state()

    def _open_width(self) -> int:
        content = self.content.sizeHint().expandedTo(self.content.minimumSizeHint())
        bar = self.scroll.verticalScrollBar().sizeHint().width()
        return max(content.width() + bar + 2, self.fold_button.sizeHint().width())

    def sizeHint(self) -> QSize:  # noqa: N802 - as wide as the content (plus a scroll bar), never less
        button = self.fold_button.sizeHint()
        if self._folded:
            return button
        content = self.content.sizeHint().expandedTo(self.content.minimumSizeHint())
        return QSize(self._open_width(), content.height() + button.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        hint = self.sizeHint()
        return QSize(hint.width(), self.fold_button.sizeHint().height())


def settings_strips(panel: QWidget) -> list[SettingsStrip]:
    """The strips inside ``panel`` (from the strips made, not a search of the panel's whole tree,
    which wraps every Qt object in it for Python first)."""
    return [strip for strip in list(_STRIPS) if shiboken6.isValid(strip) and panel.isAncestorOf(strip)]


def beside_strip(strip: SettingsStrip, stage: QLayout, host: QWidget | None = None,
                 margin: int | None = None) -> QWidget:
    """A panel's body: ``strip`` at its side, ``stage`` (its pictures) taking the rest of the width;
    laid on ``host`` (a new widget when none), which is returned. ``margin``: the style's when None."""
    host = host or QWidget()
    layout = QHBoxLayout(host)
    if margin is not None:
        layout.setContentsMargins(margin, margin, margin, margin)
    layout.addWidget(strip)
    layout.addLayout(stage, 1)
    return host


def settings_column(*items: QWidget | tuple[QWidget, ...], stretch: bool = False, gap: int = 4) -> QWidget:
    """A strip's content: widgets one under another, a tuple of widgets as one row of them, and
    (``stretch``) the room left below them; ``gap`` pixels before the strip's scroll bar."""
    column = QWidget()
    layout = QVBoxLayout(column)
    layout.setContentsMargins(0, 0, gap, 0)
    for item in items:
        if isinstance(item, tuple):
            row = QHBoxLayout()
            for widget in item:
                row.addWidget(widget)
            layout.addLayout(row)
        else:
            layout.addWidget(item)
    if stretch:
        layout.addStretch(1)
    return column
