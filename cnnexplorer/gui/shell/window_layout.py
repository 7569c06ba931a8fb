"""The main window's dock layout: the default arrangement fitted to the screen, the layout saved at
exit and restored at start, and Reset layout."""

from __future__ import annotations

import base64
import logging

from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtWidgets import QMainWindow, QTabBar

from cnnexplorer.core.infra.settings import Settings

log = logging.getLogger(__name__)

STATE_VERSION = 2  # 2: the course map is a bar, no longer the central widget
DEFAULT_SIZE = (1400, 900)
FRAME_ALLOWANCE = (8, 36)  # room for a window manager's frame and title bar


class WindowLayout:
    """Owns ``window``'s default and saved layouts; ``window`` has ``source_dock``, ``conv_lab``,
    and ``panels``. Call :meth:`start` once every panel is added."""

    def __init__(self, window: QMainWindow, settings: Settings) -> None:
        self.window, self.settings = window, settings
        self._default_geometry = self._default_state = QByteArray()
        self._settle_on_first_show = False

    def start(self) -> None:
        """Arrange the default layout (kept for Reset), then restore the saved one if there is one."""
        self._fit_to_screen()
        self._arrange_default()
        self._default_geometry = self.window.saveGeometry()
        self._default_state = self.window.saveState(STATE_VERSION)
        self._restore()

    def on_show(self) -> None:
        if self._settle_on_first_show:
            # minimum sizes are only final once shown: narrow the source dock to its real minimum
            # so the labs' tab titles fit a 1280×720 screen, and take that as the default layout
            self._settle_on_first_show = False
            QTimer.singleShot(0, self._settle_default)

    def show_whole_tab_titles(self) -> None:
        """Docks tabbed together show their whole titles ("Convolution lab", not "Convolution l…");
        when they do not fit, the tab bar scrolls instead of cutting them."""
        for bar in self.window.findChildren(QTabBar):
            bar.setElideMode(Qt.TextElideMode.ElideNone)
            bar.setUsesScrollButtons(True)

    def reset(self) -> None:
        window = self.window
        window.setWindowState(Qt.WindowState.WindowNoState)
        window.restoreState(self._default_state, STATE_VERSION)
        for dock in window.panels.values():
            if dock is not getattr(window, "scene_list", None):
                dock.show()
        self._fit_to_screen()
        window.move(window.screen().availableGeometry().topLeft())  # the whole frame on the screen
        self.show_whole_tab_titles()

    def save(self) -> None:
        self.settings.set("window_geometry", base64.b64encode(bytes(self.window.saveGeometry())).decode())
        self.settings.set("window_state", base64.b64encode(bytes(self.window.saveState(STATE_VERSION))).decode())

    def _fit_to_screen(self) -> None:
        """The default size, but never more than the screen has room for (a 1280×720 projector)."""
        available = self.window.screen().availableGeometry()
        # the title bar and frame come on top of the size we set (a maximised start would fit them
        # exactly, but Qt 6.11 crashes restoring a dock layout saved by a maximised window)
        self.window.resize(min(DEFAULT_SIZE[0], available.width() - FRAME_ALLOWANCE[0]),
                           min(DEFAULT_SIZE[1], available.height() - FRAME_ALLOWANCE[1]))

    def _arrange_default(self) -> None:
        """Source down the left side; the labs, tabbed, take the rest under the course map's lines."""
        window = self.window
        window.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        window.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self._fit_source_dock()
        window.resizeDocks([window.conv_lab], [window.height()], Qt.Orientation.Vertical)  # the rest: the labs
        window.conv_lab.raise_()
        self.show_whole_tab_titles()

    def _fit_source_dock(self) -> None:
        window = self.window
        width = max(window.source_dock.minimumSizeHint().width(), min(380, window.width() * 21 // 100))
        window.resizeDocks([window.source_dock], [width], Qt.Orientation.Horizontal)

    def _settle_default(self) -> None:
        self._fit_source_dock()
        self._fit_to_screen()
        self._default_state = self.window.saveState(STATE_VERSION)

    def _restore(self) -> None:
        window = self.window
        geometry = _decode(self.settings.get("window_geometry", ""))
        state = _decode(self.settings.get("window_state", ""))
        self._settle_on_first_show = state is None
        if geometry is not None and not window.restoreGeometry(geometry):
            log.warning("saved window geometry is unreadable; using the default")  # i18n: keep
            window.restoreGeometry(self._default_geometry)
        if state is not None and not window.restoreState(state, STATE_VERSION):
            log.warning("saved dock layout is from another version of the app or unreadable; using the default")  # i18n: keep
            window.restoreState(self._default_state, STATE_VERSION)
        self.show_whole_tab_titles()


def _decode(text: str) -> QByteArray | None:
    if not text:
        return None
    try:
        return QByteArray(base64.b64decode(text.encode(), validate=True))
    except (ValueError, TypeError):
        log.warning("ignoring a saved window layout that is not base64")  # i18n: keep
        return QByteArray()
