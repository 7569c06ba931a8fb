"""The wheel scrolls the panel; it never changes a setting the user did not pick. A combo box, spin box
or slider without keyboard focus hands the wheel to the column that scrolls around it, and a wheel
does not give it focus either."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSlider, QAbstractSpinBox, QComboBox, QWidget

GUARDED = (QComboBox, QAbstractSpinBox, QAbstractSlider)


class WheelGuard(QObject):
    """Install on a widget tree with :meth:`guard` (again after new controls appear: it is idempotent).

    A filter on each control, not on the application: an app-wide Python filter would be called for
    every event of every live picture."""

    def guard(self, root: QWidget) -> None:
        for control in root.findChildren(QWidget):
            if isinstance(control, GUARDED) and not _is_scroll_bar(control):
                if control.focusPolicy() == Qt.FocusPolicy.WheelFocus:
                    control.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
                control.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Wheel and isinstance(watched, QWidget) and not watched.hasFocus():
            column = _scrolling_ancestor(watched)
            if column is not None:
                QCoreApplication.sendEvent(column.verticalScrollBar(), event)  # the column scrolls instead
            return True
        return False


def _scrolling_ancestor(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    return parent


def _is_scroll_bar(control: QWidget) -> bool:
    return control.inherits("QScrollBar")  # scroll bars are what the wheel is for
