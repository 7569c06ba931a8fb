"""The Keras import runs as a task of its loader: owned, so closing the window finds and waits for it."""

from PySide6.QtCore import QObject, QThread

from cnnexplorer.gui.common.keras_loader import KerasLoader


def test_keras_imports_once_on_a_task_thread_owned_by_the_loader(qtbot):
    owner = QObject()
    loader = KerasLoader(owner)
    ready = []
    loader.ready.connect(lambda info: ready.append((info, loader.state)))
    assert owner.findChildren(QThread) == []  # nothing started yet
    loader.start()
    assert loader.state == "loading"
    assert [t.objectName() for t in owner.findChildren(QThread)] == ["KerasLoader"]
    qtbot.waitUntil(lambda: bool(ready), timeout=120000)
    assert ready == [(loader.info, "ready")] and loader.info.keras  # the state is set before the signal
    qtbot.waitUntil(lambda: not any(t.isRunning() for t in owner.findChildren(QThread)), timeout=5000)
    loader.start()  # once only
    qtbot.waitUntil(lambda: loader.state == "ready", timeout=5000)
    assert len(ready) == 1
