"""A flat bar with its value written on it: the live top-5's probability bars.

``QProgressBar`` repaints itself at once, synchronously, on every ``setValue`` (~0.7 ms with the
Fusion style's gradients and rounded frame), and the top-5 changes five bars a frame while the
network runs on the other core: this bar only asks for a repaint, and paints a frame, a filled
part and a text. Its text takes the widget's font (presenter view scales it) and the palette's
colours (high contrast swaps them)."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget


class ScoreBar(QWidget):
    """``value`` out of ``maximum``, filled from the left, with ``format`` written in the middle."""

    def __init__(self, maximum: int = 1000, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("ScoreBar")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._maximum = max(1, maximum)
        self._value = 0
        self._format = ""

    def value(self) -> int:
        return self._value

    def setValue(self, value: int) -> None:  # noqa: N802 - QProgressBar's name
        value = min(max(int(value), 0), self._maximum)
        if value != self._value:
            self._value = value
            self.update()

    def format(self) -> str:
        return self._format

    def setFormat(self, text: str) -> None:  # noqa: N802 - QProgressBar's name
        if text != self._format:
            self._format = text
            self.setAccessibleDescription(text)  # what a screen reader says of it, as of a progress bar
            self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - QProgressBar's (Fusion): the layouts stay as they were
        metrics = self.fontMetrics()
        return QSize(63 + 4 * metrics.horizontalAdvance("0"), metrics.height() + 8)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - as QProgressBar's: never narrower than its hint
        return self.sizeHint()

    def paintEvent(self, event) -> None:  # noqa: N802
        palette = self.palette()
        frame = self.rect().adjusted(0, 0, -1, -1)
        filled = QRect(frame.left() + 1, frame.top() + 1, round((frame.width() - 1) * self._value / self._maximum),
                       frame.height() - 1)
        painter = QPainter(self)
        painter.fillRect(frame, palette.color(QPalette.ColorRole.Base))
        painter.fillRect(filled, palette.color(QPalette.ColorRole.Highlight))
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.drawRect(frame)
        # The text in the text colour over the empty part, in the highlighted text colour over the
        # filled part: readable wherever the fill ends.
        for colour, clip in ((QPalette.ColorRole.Text, self.rect()), (QPalette.ColorRole.HighlightedText, filled)):
            painter.setClipRect(clip)
            painter.setPen(palette.color(colour))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self._format)
        painter.end()
