import sys

from PySide6.QtCore import QObject, Signal


class Emitter(QObject):
    fired = Signal(object)


def test_signal_emit_keeps_reference_counts_balanced(qtbot):
    """PySide6 6.12.0 dropped a reference to True on every emit; on Python 3.11 a live app then
    aborts ("bool_dealloc") after a few thousand frames. Guard against a binding that loses or gains
    references when it emits. True is watched where its count moves (≤ 3.11; from 3.12 it is immortal,
    its count fixed, and a lost reference harmless); an ordinary payload and the receiving slot's
    owner are counted on every version."""
    emitter = Emitter()
    received = []
    emitter.fired.connect(received.append)
    payload = object()
    before = {"payload": sys.getrefcount(payload), "slot owner": sys.getrefcount(received)}
    true_before = sys.getrefcount(True)
    for _ in range(500):
        emitter.fired.emit(payload)
    assert len(received) == 500 and all(item is payload for item in received)
    true_change = sys.getrefcount(True) - true_before
    received.clear()
    after = {"payload": sys.getrefcount(payload), "slot owner": sys.getrefcount(received)}
    assert after == before, "emit changed reference counts"
    assert true_change > -50, f"emit dropped {-true_change} references to True over 500 emits"
