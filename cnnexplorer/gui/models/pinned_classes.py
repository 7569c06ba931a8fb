"""The Surgery tab's pinned classes: classes to watch while editing, each one's probability on the newest
frame (and logit, where the model has them) and its change since the first edit."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.models.zoo import shown_class_name
from cnnexplorer.gui.common.translated import follow_language


class PinnedClasses(QWidget):
    """``changed`` when a class is pinned (the forward pass should bring the logits). Its owner names
    the model's classes (:meth:`set_classes`), shows each frame's scores (:meth:`show_scores`) and
    says what they are compared with (:attr:`since`)."""

    changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.pin_combo = QComboBox(toolTip=tr("A class to watch while you edit"))
        self.pin_button = QPushButton(tr("Pin"))
        self.pinned_label = QLabel(objectName="PinnedClasses", wordWrap=True)
        row = QHBoxLayout()
        row.addWidget(self.pin_combo)
        row.addWidget(self.pin_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.pinned_label)
        self.class_names: list[str] | None = None
        self.pinned: list[int] = []
        self.scores: np.ndarray | None = None
        self.logits: np.ndarray | None = None
        self.since: tuple | None = None  # (scores, logits) before the first edit; None while nothing is edited
        self.pin_button.clicked.connect(self._pin)
        follow_language(self, self._name_classes)

    def set_classes(self, class_names: list[str] | None) -> None:
        """Another model: its classes by ``class_names`` (else by number), none pinned or chosen."""
        self.class_names, self.pinned = class_names, []
        self.scores = self.logits = self.since = None
        with QSignalBlocker(self.pin_combo):
            self.pin_combo.clear()
        self._name_classes()

    def _name_classes(self, *_) -> None:
        """The classes to pin by the model's names, ImageNet's in the user's language, else by number
        once the scores say how many (again after a language switch, the class chosen kept)."""
        if self.class_names:
            names = [shown_class_name(name) for name in self.class_names]
        else:
            names = [tr("class {index}", index=i) for i in range(len(self.scores))] if self.scores is not None else []
        chosen = max(0, self.pin_combo.currentIndex())
        with QSignalBlocker(self.pin_combo):
            self.pin_combo.clear()
            self.pin_combo.addItems(names)
            self.pin_combo.setCurrentIndex(min(chosen, len(names) - 1))
        self._show_pinned()

    def _pin(self) -> None:
        index = self.pin_combo.currentIndex()
        if index >= 0 and index not in self.pinned:
            self.pinned.append(index)
            self._show_pinned()
            self.changed.emit()

    def show_scores(self, scores: np.ndarray | None, logits: np.ndarray | None = None) -> None:
        """Every class's score (and logit, where the model has them) on the newest frame."""
        self.scores, self.logits = scores, logits
        if scores is not None and self.pin_combo.count() == 0:
            self._name_classes()  # the classes by number, now that there are scores (and the pinned ones)
        else:
            self._show_pinned()

    def _show_pinned(self) -> None:
        if self.scores is None or not self.pinned:
            self.pinned_label.setText("")
            return
        rows = []
        before_scores, before_logits = self.since if self.since is not None else (None, None)
        for i in self.pinned:
            p = float(self.scores[i])
            text = f"{self.pin_combo.itemText(i)}: {p:.1%}"
            if self.logits is not None:
                text += tr(" · logit {logit}", logit=f"{float(self.logits[i]):.3g}")
                if before_logits is not None:
                    text += tr(" (Δ logit {change} since the first edit)",
                               change=f"{float(self.logits[i] - before_logits[i]):+.3g}")
            if before_scores is not None and (self.logits is None or before_logits is None):
                change = np.log(max(p, 1e-12)) - np.log(max(float(before_scores[i]), 1e-12))
                text += tr(" (Δ log p {change} since the first edit)", change=f"{change:+.2f}")
            rows.append(text)
        self.pinned_label.setText("\n".join(rows))
