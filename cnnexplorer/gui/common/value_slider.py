"""A slider for a real number with the number beside it: drag the one or type into the other."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import QDoubleSpinBox, QHBoxLayout, QSlider, QStyle, QStyleOptionSlider, QWidget


class ValueSlider(QWidget):
    """``value()``/``setValue()``/``valueChanged`` in real units, as a spin box has them; the slider
    moves in steps of ``10**-decimals``."""

    valueChanged = Signal(float)  # noqa: N815 (Qt's name)

    def __init__(self, value: float, low: float, high: float, decimals: int = 2, parent=None) -> None:
        super().__init__(parent)
        self._scale = 10**decimals
        self.number = QDoubleSpinBox(minimum=low, maximum=high, decimals=decimals, singleStep=1 / self._scale,
                                     value=value, keyboardTracking=False)
        self.slider = _JumpingSlider(Qt.Orientation.Horizontal, minimum=round(low * self._scale),
                                     maximum=round(high * self._scale), value=round(value * self._scale))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.number)
        self.slider.valueChanged.connect(lambda step: self.number.setValue(step / self._scale))
        self.number.valueChanged.connect(self._on_number)

    def value(self) -> float:
        return self.number.value()

    def setValue(self, value: float) -> None:  # noqa: N802 (Qt's name)
        self.number.setValue(value)

    def minimum(self) -> float:
        return self.number.minimum()

    def maximum(self) -> float:
        return self.number.maximum()

    def _on_number(self, value: float) -> None:
        with QSignalBlocker(self.slider):  # the slider follows; its own signal would echo back
            self.slider.setValue(round(value * self._scale))
        self.valueChanged.emit(value)


class _JumpingSlider(QSlider):
    """A click on the groove puts the handle under the pointer (then drags it), rather than a page
    step towards it: a lecturer points at the value they want."""

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.button() == Qt.MouseButton.LeftButton:
            option = QStyleOptionSlider()
            self.initStyleOption(option)
            handle = self.style().subControlRect(QStyle.ComplexControl.CC_Slider, option,
                                                 QStyle.SubControl.SC_SliderHandle, self)
            if not handle.contains(event.position().toPoint()):
                span = self.width() - handle.width()
                x = round(event.position().x() - handle.width() / 2)
                self.setValue(QStyle.sliderValueFromPosition(self.minimum(), self.maximum(), x, span))
        super().mousePressEvent(event)
