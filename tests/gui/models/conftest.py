import pytest


@pytest.fixture
def explorer(window, qtbot):
    """The model explorer on screen with the bundled MobileNetV2 answering the sample photo."""
    window.source.set_source("sample:chelsea")
    window.keras.start()
    dock = window.explorer
    dock.show()
    dock.raise_()
    qtbot.waitUntil(lambda: dock.last is not None and bool(dock.last.outputs), timeout=120000)
    return dock
