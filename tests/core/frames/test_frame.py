import threading

import numpy as np
import pytest

from cnnexplorer.core.frames.frame import Frame, LatestSlot


def test_latest_slot_keeps_newest():
    slot = LatestSlot()
    assert slot.empty()
    assert slot.put("a") is True
    assert slot.put("b") is False and not slot.empty()  # reader already notified; "a" is dropped
    assert slot.take() == "b" and slot.take() is None and slot.empty()


def test_latest_slot_announces_each_item_a_reader_will_find():
    """Writers race a reader: every put that says "wake the reader" is matched by exactly one take
    that finds something, and no writer's items come out of order.
    """
    slot = LatestSlot()
    wakeups = []

    def write(k):
        for i in range(500):
            wakeups.append(slot.put((k, i)))

    writers = [threading.Thread(target=write, args=(k,)) for k in range(4)]
    for writer in writers:
        writer.start()
    taken = []
    while any(w.is_alive() for w in writers) or not slot.empty():
        if (item := slot.take()) is not None:
            taken.append(item)
    for writer in writers:
        writer.join(10)
    assert sum(wakeups) == len(taken) >= 1
    for k in range(4):
        mine = [i for w, i in taken if w == k]
        assert mine == sorted(set(mine))


def test_frame_is_immutable():
    frame = Frame(np.zeros((2, 2, 3), np.uint8), 0, 1.0, 0.5, "pattern:text")
    with pytest.raises(AttributeError):
        frame.index = 1
