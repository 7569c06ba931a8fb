"""What makes a panel a stage: its lesson pictures are marked, so a check can measure how much of
the panel they cover, and settings a lecturer makes before talking sit in a strip beside them."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

LESSON_PICTURE = "lesson_picture"  # a dynamic property: this widget is what the room looks at


def lesson_picture(widget: QWidget) -> QWidget:
    """Mark ``widget`` as one of its panel's main pictures (the frame, a feature map, a plot)."""
    widget.setProperty(LESSON_PICTURE, True)
    return widget


def is_lesson_picture(widget: QWidget) -> bool:
    return bool(widget.property(LESSON_PICTURE))
