"""What makes a panel a stage: its lesson pictures are marked, so a check can measure how much of
the panel they cover, and settings a lecturer makes before talking sit in a strip beside them."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

LESSON_PICTURE = "lesson_picture"  # a dynamic property: this widget is what the room looks at
ON_STAGE = "on_stage"  # a dynamic property: presenter view shows this panel on the whole screen


def lesson_picture(widget: QWidget) -> QWidget:
    """Mark ``widget`` as one of its panel's main pictures (the frame, a feature map, a plot)."""
    widget.setProperty(LESSON_PICTURE, True)
    return widget


def is_lesson_picture(widget: QWidget) -> bool:
    return bool(widget.property(LESSON_PICTURE))


def set_on_stage(panel: QWidget, on: bool) -> None:
    panel.setProperty(ON_STAGE, on)


def shown(panel: QWidget) -> bool:
    """On screen and not tabbed behind another panel (such a panel still answers ``isVisible()``).

    On stage a panel's own region can be empty while it fills the screen (its content covers all of
    it), so presenter view says so itself."""
    return panel.isVisible() and (bool(panel.property(ON_STAGE)) or not panel.visibleRegion().isEmpty())
