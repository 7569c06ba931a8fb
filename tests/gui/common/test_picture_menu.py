"""The picture's right-click menu is made once and follows a language switch."""

from PySide6.QtGui import QAction, QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMenu

from cnnexplorer.core.i18n import tr
from cnnexplorer.gui.common.language import switch_language
from cnnexplorer.gui.common.picture_view import PictureView


def _shown_view(qtbot) -> PictureView:
    view = PictureView()
    qtbot.addWidget(view)
    view.resize(200, 150)
    view.show()
    return view


def _right_click(view) -> QMenu:
    centre = view.rect().center()
    QApplication.sendEvent(view.viewport(), QContextMenuEvent(QContextMenuEvent.Reason.Mouse, centre,
                                                              view.mapToGlobal(centre)))
    menu = view.context_menu
    assert menu is not None and menu.isVisible()
    menu.close()
    return menu


def test_right_clicks_reuse_one_menu(qtbot):
    view = _shown_view(qtbot)
    first = _right_click(view)
    owned = len(view.findChildren(QMenu)), len(view.findChildren(QAction))
    again = [_right_click(view) for _ in range(5)]
    assert (len(view.findChildren(QMenu)), len(view.findChildren(QAction))) == owned  # nothing piles up
    assert all(menu is first for menu in again)


def test_the_menu_speaks_the_language_switched_to(qtbot):
    view = _shown_view(qtbot)
    menu = _right_click(view)
    switch_language(view, "ko")
    assert [a.text() for a in _right_click(view).actions()] == [tr("Save image…"), tr("Copy")]
    assert tr("Copy") != "Copy" and view.context_menu is menu
