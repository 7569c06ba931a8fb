"""A training tab of its own, shown at a given size (no main window needed)."""

from cnnexplorer.gui.training.tab import TrainingTab


def fresh_tab(qtbot, width: int = 900, height: int = 700) -> TrainingTab:
    tab = TrainingTab()
    qtbot.addWidget(tab)
    tab.resize(width, height)
    tab.show()
    return tab
