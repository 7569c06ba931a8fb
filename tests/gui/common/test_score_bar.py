"""The top-5's score bar: filled in proportion to its value, a repaint asked for (not done at once)
when the value changes, as tall as its font, and its text told to screen readers."""

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFont, QPalette

from cnnexplorer.gui.common.score_bar import ScoreBar


def _filled_columns(bar: ScoreBar) -> int:
    image = bar.grab().toImage()
    highlight = bar.palette().color(QPalette.ColorRole.Highlight)
    y = 2  # above the text
    return sum(image.pixelColor(x, y) == highlight for x in range(image.width()))


class PaintCount(QObject):
    def __init__(self, widget) -> None:
        super().__init__()
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        self.count += event.type() == QEvent.Type.Paint
        return False


def test_the_filled_part_follows_the_value_and_the_value_is_kept_in_range(qtbot):
    bar = ScoreBar(maximum=1000)
    qtbot.addWidget(bar)
    bar.resize(202, 24)  # 200 px inside the frame
    bar.show()
    for value, columns in ((0, 0), (250, 50), (716, 143), (1000, 200)):
        bar.setValue(value)
        assert abs(_filled_columns(bar) - columns) <= 1, value
    bar.setValue(1500)
    assert bar.value() == 1000
    bar.setValue(-3)
    assert bar.value() == 0


def test_a_new_value_is_painted_by_the_event_loop_once_not_at_once(qtbot):
    bar = ScoreBar()
    qtbot.addWidget(bar)
    bar.resize(200, 24)
    bar.show()
    qtbot.waitExposed(bar)
    paints = PaintCount(bar)
    bar.setValue(300)
    bar.setFormat("30.0%")
    assert paints.count == 0  # QProgressBar would have painted here, in setValue
    qtbot.waitUntil(lambda: paints.count == 1, timeout=2000)
    bar.setValue(300)
    bar.setFormat("30.0%")  # nothing changed: nothing to paint
    qtbot.wait(50)
    assert paints.count == 1 and bar.format() == "30.0%" and bar.accessibleDescription() == "30.0%"


def test_a_bigger_font_makes_a_taller_bar_that_fits_its_text(qtbot):
    bar = ScoreBar()
    qtbot.addWidget(bar)
    small = bar.sizeHint()
    font = QFont(bar.font())
    font.setPointSizeF(font.pointSizeF() * 2)  # as presenter view scales it
    bar.setFont(font)
    big = bar.sizeHint()
    assert big.height() > small.height() and big.height() >= bar.fontMetrics().height()
    assert bar.minimumSizeHint().width() > bar.fontMetrics().horizontalAdvance("100.0%")
