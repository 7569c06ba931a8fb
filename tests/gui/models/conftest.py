import pytest


def _on_the_sample_photo(window, qtbot, dock, answered):
    """``dock`` on screen with the sample photo as source and Keras loading, until ``answered(dock)``."""
    window.source.set_source("sample:chelsea")
    window.keras.start()
    dock.show()
    dock.raise_()
    qtbot.waitUntil(lambda: answered(dock), timeout=120000)
    return dock


@pytest.fixture
def explorer(window, qtbot):
    """The model explorer on screen with the bundled MobileNetV2 answering the sample photo."""
    return _on_the_sample_photo(window, qtbot, window.explorer, lambda d: d.last is not None and bool(d.last.outputs))


@pytest.fixture
def attribution(window, qtbot):
    """The Attribution panel on screen with its first live class map of the sample photo."""
    return _on_the_sample_photo(window, qtbot, window.attribution, lambda d: d.last is not None)
