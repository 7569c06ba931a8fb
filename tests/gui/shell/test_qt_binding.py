import sys

from PySide6.QtCore import QObject, Signal


class Emitter(QObject):
    fired = Signal(object)


def test_signal_emit_keeps_references_to_true(qtbot):
    """PySide6 6.12.0 dropped a reference to True on every emit; on Python 3.11 a live app then
    aborts ("bool_dealloc") after a few thousand frames. Guard against such a binding."""
    emitter = Emitter()
    received = []
    emitter.fired.connect(received.append)
    before = sys.getrefcount(True)
    for i in range(500):
        emitter.fired.emit(i)
    assert len(received) == 500
    assert sys.getrefcount(True) - before > -50
