"""Cameras by name: the list replaces the number box; without Qt Multimedia the number box stays
and says why."""


def test_cameras_listed_by_name_choose_the_index(window):
    dock = window.source_dock
    dock.set_camera_names(["Integrated Webcam", "USB document camera"])
    assert dock.camera_name.isVisibleTo(dock) and not dock.camera_index.isVisibleTo(dock)
    assert [dock.camera_name.itemText(i) for i in range(2)] == ["0: Integrated Webcam", "1: USB document camera"]
    dock.camera_name.setCurrentIndex(1)
    dock.camera_name.activated.emit(1)
    assert dock.camera_index.value() == 1 and dock.camera_spec().startswith("camera:1@")
    dock.camera_index.setValue(0)
    assert dock.camera_name.currentIndex() == 0
    dock.set_camera_names([])  # unplugged
    assert not dock.camera_name.isVisibleTo(dock) and dock.camera_index.isVisibleTo(dock)


def test_without_names_the_number_box_says_why(window):
    dock = window.source_dock
    if not dock.cameras.available:  # Qt Multimedia cannot load here: say so
        assert "Qt Multimedia" in dock.camera_index.toolTip()
        assert dock.camera_index.isVisibleTo(dock) and not dock.camera_name.isVisibleTo(dock)
    else:
        assert dock.camera_name.count() == len(dock.cameras.names)
