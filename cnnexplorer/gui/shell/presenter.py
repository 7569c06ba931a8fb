"""Presenter view (F5, Esc to leave): one panel fills the screen, chrome hidden, its type and lines
at ×1.5 / ×2 / ×2.5 (remembered), optionally high-contrast — legible from the back row."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import QDockWidget, QMainWindow, QScrollArea, QToolBar, QWidget

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.infra.settings import Settings
from cnnexplorer.gui.common.built_on_show import dock_content
from cnnexplorer.gui.common.settings_strip import settings_strips
from cnnexplorer.gui.common.stage import set_on_stage
from cnnexplorer.gui.shell.presenter_look import SCALES, PresenterLook

DEFAULT_SCALE = 2.0


class PresenterView(QObject):
    """Puts ``window``'s panel on stage with :meth:`enter` and back with :meth:`leave`;
    ``changed(active)`` fires on both."""

    changed = Signal(bool)
    entered = Signal(object)  # the dock put on stage
    left = Signal(object)  # the dock taken off stage, once the everyday layout is back

    def __init__(self, window: QMainWindow, settings: Settings, state_version: int) -> None:
        super().__init__(window)
        self.window, self.settings, self._state_version = window, settings, state_version
        self.look = PresenterLook()
        self.dock: QDockWidget | None = None
        scale = settings.get("presenter_scale", DEFAULT_SCALE)
        self.scale = scale if scale in SCALES else DEFAULT_SCALE
        self.high_contrast = bool(settings.get("presenter_high_contrast", False))
        self._saved_layout = self._saved_geometry = QByteArray()
        self._saved_window_state = Qt.WindowState.WindowNoState
        self._hidden: list[QWidget] = []
        self._leaving: QDockWidget | None = None  # its layout comes back on the next turn

    @property
    def active(self) -> bool:
        return self.dock is not None

    def enter(self, dock: QDockWidget) -> None:
        if self.dock is dock:
            return
        if self.active:
            self.leave()
        self._restore_layout()  # a two-step leave not finished yet
        window = self.window
        self._saved_layout = window.saveState(self._state_version)
        self._saved_window_state = window.windowState()
        self._saved_geometry = window.saveGeometry()
        self.dock = dock
        if dock.isFloating():
            dock.setFloating(False)
        # A main window's docks and bars are its direct children: a search of the whole tree wraps
        # every Qt object in it for Python first (tens of milliseconds).
        direct = Qt.FindChildOption.FindDirectChildrenOnly
        others = [d for d in window.findChildren(QDockWidget, options=direct) if d is not dock and d.isVisible()]
        bars = window.findChildren(QToolBar, options=direct)
        chrome = [w for w in (window.menuBar(), window.statusBar(), window.centralWidget(), *bars, *others)
                  if w is not None and w.isVisible()]
        self._hidden = chrome
        for widget in chrome:
            widget.hide()
        tags = [window.rec_indicator] if hasattr(window, "rec_indicator") else []
        dock.setTitleBarWidget(StageTitleBar(dock, tags))  # no title, no buttons: room for the FROZEN tag only
        self._wrap_in_scroll_area(dock)
        for strip in settings_strips(dock):
            strip.hold()  # the pictures take the stage; F7 opens the settings
        set_on_stage(dock, True)
        dock.show()
        dock.raise_()
        window.setWindowState(window.windowState() | Qt.WindowState.WindowFullScreen)
        # The presenter type on the next turn: the panel alone on the screen is one repaint, its type
        # grown another, each short enough not to stall the GUI (as leaving does in two steps).
        QTimer.singleShot(1, self, self._apply_look)
        self.entered.emit(dock)
        self.changed.emit(True)

    def leave(self, in_two_steps: bool = False) -> None:
        """Back to the everyday layout. ``in_two_steps`` (a key press) gives the panel its own look
        back now, the window its menus, bars and layout on the event loop's next turn, and paints the
        result once, on the turn after: short turns that do not stall the GUI, instead of one long one."""
        if self.dock is None:
            return
        dock, self.dock = self.dock, None
        if in_two_steps:  # the room sees the next picture once, with its layout: no repaint in between
            self.window.setUpdatesEnabled(False)
        set_on_stage(dock, False)
        self.look.restore()
        for strip in settings_strips(dock):
            strip.release()
        self._unwrap(dock)
        empty = dock.titleBarWidget()
        dock.setTitleBarWidget(None)
        if empty is not None:
            empty.deleteLater()
        self._leaving = dock
        if in_two_steps:
            QTimer.singleShot(1, self._restore_layout)  # a timer, after the layout this step asked for
        else:
            self._restore_layout()

    def _restore_layout(self) -> None:
        dock, self._leaving = self._leaving, None
        if dock is None:  # already restored (entered again, or left once more, before this turn)
            self.window.setUpdatesEnabled(True)
            return
        for widget in self._hidden:  # the menus and bars come back with the layout, in one repaint
            if not isinstance(widget, QDockWidget):
                widget.show()
        self._hidden = []
        self.window.setWindowState(self._saved_window_state)
        self.window.restoreState(self._saved_layout, self._state_version)
        if not self._saved_window_state & (Qt.WindowState.WindowFullScreen | Qt.WindowState.WindowMaximized):
            self.window.restoreGeometry(self._saved_geometry)
        if not self.window.updatesEnabled():  # left in steps: laid out on this turn, painted on the next
            QTimer.singleShot(1, self, lambda: self.window.setUpdatesEnabled(True))
        self.left.emit(dock)
        self.changed.emit(False)

    def _wrap_in_scroll_area(self, dock: QDockWidget) -> None:
        """At presenter size a panel may need more than the screen: it scrolls rather than
        pushing the window past the screen's edge (and cutting itself off)."""
        content = dock_content(dock)
        scroll = QScrollArea(objectName="PresenterScroll", widgetResizable=True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        dock.setWidget(scroll)
        scroll.setWidget(content)

    def _unwrap(self, dock: QDockWidget) -> None:
        scroll = dock.widget()
        if isinstance(scroll, QScrollArea) and scroll.objectName() == "PresenterScroll":
            content = scroll.takeWidget()
            dock.setWidget(content)
            scroll.deleteLater()

    def toggle_settings(self, dock: QDockWidget) -> None:
        """F7: open or fold the settings strips of ``dock`` (the panel on stage)."""
        strips = settings_strips(dock)
        fold = any(not s.folded for s in strips)
        for strip in strips:
            if strip.folded != fold:
                strip.toggle()

    def set_scale(self, scale: float) -> None:
        if scale not in SCALES:
            raise ValueError(tr("The presenter scale must be one of {scales}, not {scale}.",
                                scales=", ".join(map(str, SCALES)), scale=scale))
        self.scale = scale
        self.settings.set("presenter_scale", scale)
        self._apply_look()

    def step_scale(self, step: int) -> None:
        """Next (+1) or previous (-1) size, stopping at the ends."""
        index = min(max(SCALES.index(self.scale) + step, 0), len(SCALES) - 1)
        self.set_scale(SCALES[index])

    def set_high_contrast(self, on: bool) -> None:
        self.high_contrast = on
        self.settings.set("presenter_high_contrast", on)
        self._apply_look()

    def _apply_look(self) -> None:
        if self.dock is not None:
            self.look.apply(self.dock, self.scale, self.high_contrast)


class StageTitleBar(QWidget):
    """The title bar of a panel on stage: empty, and exactly as tall as the tags shown over it (FROZEN
    at its right, REC in its middle) while they show, so no tag covers a control or a picture."""

    def __init__(self, dock: QDockWidget, tags: list[QWidget]) -> None:
        super().__init__(dock)
        self._tags = tags
        badge = getattr(dock, "frozen_badge", None)
        if badge is not None:
            self._tags.append(badge)
            badge.controller.frozen_changed.connect(self._refit)
        for tag in tags:
            if hasattr(tag, "shown_changed"):
                tag.shown_changed.connect(self._refit)

    def _refit(self, *_) -> None:
        self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802
        shown = [t.sizeHint().height() for t in self._tags if t.isVisibleTo(t.parentWidget())]
        return QSize(0, max(shown, default=0))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self.sizeHint()
