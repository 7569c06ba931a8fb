"""How the frame reaches the model: preprocessing (detected, or a guess to confirm), fit, feed size,
gray conversion for one-channel models, and class names picked from a file."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cnnexplorer.core.i18n import N_, tr
from cnnexplorer.core.models import model_input, zoo
from cnnexplorer.core.models.preprocess import FITS, MODE_TITLES, MODES
from cnnexplorer.gui.models.model_session import ModelSession

FIT_TITLES = {"crop": N_("centre crop"), "letterbox": N_("letterbox")}  # FITS key → what the list shows
CHOSEN = N_("chosen by you")  # the preprocessing's reason once picked by hand; shown through tr()


class FeedPanel(QWidget):
    """Two-way adapter over a :class:`ZooModel`'s preprocessing, options and class names. The options
    change through ``session`` (see :meth:`ModelSession.change_feed`): worker threads read them."""

    changed = Signal()  # the next frame should be fed differently
    class_names_changed = Signal()

    def __init__(self, session: ModelSession, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("FeedPanel")
        self.session = session
        self.mode = QComboBox(toolTip=tr("The values the model was trained on"))
        for mode in MODES:
            self.mode.addItem(tr(MODE_TITLES[mode]), mode)
        self.fit = QComboBox(toolTip=tr("Keep the aspect: cut the centre, or fit it all with black bars"))
        for fit in FITS:
            self.fit.addItem(tr(FIT_TITLES.get(fit, fit)), fit)
        self.short_side = QSpinBox(prefix=tr("short side "), suffix=" px", minimum=32, maximum=1024, singleStep=32,
                                   toolTip=tr("A model that takes any size is fed at this size"))
        self.invert = QCheckBox(tr("invert + threshold"),
                                toolTip=tr("A marker digit on white paper → MNIST's white on black"))
        self.names_button = QPushButton(tr("Class names…"))
        self.reason = QLabel(objectName="FeedReason", wordWrap=True)
        # A column: the panel sits in the explorer's settings strip.
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (QLabel(tr("Preprocessing")), self.mode, self.fit, self.short_side, self.invert, self.names_button,
                       self.reason):
            layout.addWidget(widget)
        self.reason.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # wraps, never widens
        self.model: zoo.ZooModel | None = None
        self.mode.currentIndexChanged.connect(self._on_mode)
        self.fit.currentIndexChanged.connect(self._on_options)
        self.short_side.valueChanged.connect(self._on_options)
        self.invert.toggled.connect(self._on_options)
        self.names_button.clicked.connect(self._pick_class_names)
        self.set_model(None)

    def set_model(self, model: zoo.ZooModel | None) -> None:
        self.model = model
        self.setEnabled(model is not None and model.image_input)
        if model is None:
            self.reason.setText("")
            for widget in (self.short_side, self.invert, self.names_button):
                widget.hide()  # shown for the models that need them
            return
        h, w, c = model.input_shape
        blockers = [QSignalBlocker(w_) for w_ in (self.mode, self.fit, self.short_side, self.invert)]
        self.mode.setCurrentIndex(MODES.index(model.preprocessing))
        self.fit.setCurrentIndex(FITS.index(model.options.fit))
        self.short_side.setValue(model.options.short_side)
        self.invert.setChecked(model.options.invert)
        del blockers
        self.short_side.setVisible(not (h and w))
        self.invert.setVisible(c == 1)
        self.names_button.setVisible(model_input.output_classes(model.model) is not None if model.image_input else False)
        self._show_reason()

    def _show_reason(self) -> None:
        model = self.model
        self.reason.setStyleSheet("" if model.preprocessing_sure else "background: #fcf8e3;")  # a guess: check it
        reason = tr(model.preprocessing_reason or MODE_TITLES[model.preprocessing])
        note = model.class_names_note
        self.reason.setText(tr("Preprocessing: {reason} · {note}", reason=reason, note=note) if note
                            else tr("Preprocessing: {reason}", reason=reason))

    def _on_mode(self, *_) -> None:
        if self.model is not None:
            self.session.change_feed(mode=self.mode.currentData())
            self.model.preprocessing_reason, self.model.preprocessing_sure = CHOSEN, True
            self._show_reason()
            self.changed.emit()

    def _on_options(self, *_) -> None:
        if self.model is not None:
            on = self.invert.isChecked()
            self.session.change_feed(fit=FITS[self.fit.currentIndex()], short_side=self.short_side.value(), invert=on,
                                     threshold=on)
            self.changed.emit()

    def _pick_class_names(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Class names"), "", tr("Class names (*.txt *.json)"))
        if path:
            self.use_class_names(path)

    def use_class_names(self, path: str) -> bool:
        """Name the model's classes from ``path``; False (and the reason shown) when they do not fit."""
        model = self.model
        try:
            names = model_input.read_class_names(path)
        except model_input.ClassNamesError as exc:
            model.class_names_note = str(exc)
            self._show_reason()
            return False
        classes = model_input.output_classes(model.model)
        if len(names) != classes:
            model.class_names_note = tr("{names} names in the file for {outputs} outputs — not used",
                                        names=len(names), outputs=classes)
            self._show_reason()
            return False
        model.class_names = names
        model.class_names_note = tr("class names from {file}", file=path.rsplit("/", 1)[-1])
        self._show_reason()
        self.class_names_changed.emit()
        return True
