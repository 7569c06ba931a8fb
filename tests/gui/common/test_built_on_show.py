"""A dock made on first show: nothing built while it waits behind another tab; built once, when it
comes to the front or is asked for."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow

from cnnexplorer.gui.common.built_on_show import DockBuiltOnShow, dock_content


def test_a_dock_behind_a_tab_is_made_when_it_comes_to_the_front_and_only_once(qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    front = QDockWidget("front", objectName="Front")
    front.setWidget(QLabel("in front"))
    made = []
    later = DockBuiltOnShow("later", "Later", lambda: made.append(QLabel("made")) or made[-1])
    built = []
    later.built.connect(built.append)
    for dock in (front, later):
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    window.tabifyDockWidget(front, later)
    front.raise_()
    window.show()
    qtbot.waitExposed(window)
    assert later.made is None and made == []  # shown with the window, yet behind the front tab
    later.raise_()
    qtbot.waitUntil(lambda: later.made is not None)
    assert later.widget() is made[0] and built == made
    front.raise_()
    later.raise_()
    assert later.content() is made[0] and len(made) == 1 and len(built) == 1


def test_asking_for_the_content_makes_it_without_a_show(qtbot):
    dock = DockBuiltOnShow("hidden", "Hidden", lambda: QLabel("made"))
    plain = QDockWidget("plain", objectName="Plain")
    plain.setWidget(QLabel("as set"))
    for widget in (dock, plain):
        qtbot.addWidget(widget)
    content = dock_content(dock)
    assert dock.made is content and dock.widget() is content and content.text() == "made"
    assert dock_content(plain) is plain.widget()
