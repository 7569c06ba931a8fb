"""Webcam captures made the way a user makes them: a checkerboard frame, a class name, the button."""


def capture(window, qtbot, per_class: int, classes=("left", "right")):
    """The training setup switched to webcam captures, ``per_class`` pictures of each class taken."""
    window.source.set_source("pattern:checkerboard")
    qtbot.waitUntil(lambda: window.source.current is not None, timeout=5000)
    setup = window.training.setup
    setup.dataset_kind.setCurrentIndex(setup.dataset_kind.findData("capture"))
    for name in classes:
        setup.capture_class.setText(name)
        for _ in range(per_class):
            setup.capture_button.click()
    return setup
