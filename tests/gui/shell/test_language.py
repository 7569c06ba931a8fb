"""Choosing and switching the language in the real window; Hangul paths."""

import cv2
import numpy as np

from cnnexplorer.core import i18n
from cnnexplorer.core.infra.settings import Settings
from cnnexplorer.gui.lecture.scene_dock import course_script_path
from cnnexplorer.gui.shell.language_audit import has_hangul, leftover_korean, menu_texts, untranslated, visible_texts
from cnnexplorer.gui.shell.main_window import MainWindow


def texts(window) -> list[str]:
    return [t for _, t in visible_texts(window)] + menu_texts(window)


def test_switching_changes_every_text_both_ways_and_keeps_the_scene(window, qtbot):
    window.bring_forward("conv")
    window.conv_lab.editor.preset_combo.setCurrentIndex(window.conv_lab.editor.preset_combo.findData("sobel x"))
    kernel = window.conv_lab.editor.kernel().copy()
    english = sorted(texts(window))
    window.set_language("ko")
    assert i18n.language() == "ko" and window.settings.get(i18n.SETTING) == "ko"
    shown = texts(window)
    assert len(untranslated(shown)) <= 0.02 * len(shown), untranslated(shown)
    assert window.menuBar().actions()[0].text() == "파일(&F)"
    window.set_language("en")
    assert leftover_korean(texts(window)) == []
    assert sorted(texts(window)) == english  # each text back as it was, not another English message
    assert np.array_equal(window.conv_lab.editor.kernel(), kernel)
    assert window.conv_lab.editor.preset_combo.currentData() == "sobel x"
    assert window.menu_actions.languages["en"].isChecked()


def test_a_new_window_speaks_the_environments_language_and_the_course_in_korean(qtbot, monkeypatch):
    monkeypatch.setenv(i18n.ENV, "ko")
    window = MainWindow(Settings())
    qtbot.addWidget(window)
    try:
        assert i18n.language() == "ko"
        assert all(has_hangul(t) for t in (d.windowTitle() for d in window.panels.values()) if t != "Inception")
        window.scene_list.open_file(course_script_path())
        titles = [window.scene_list.list.item(i).text() for i in range(window.scene_list.list.count())]
        assert len(titles) == 20 and untranslated(titles) == []  # "§6 RandAugment" is a name
    finally:
        window.close()


def test_an_image_under_a_hangul_path_opens_and_its_name_shows(window, qtbot, tmp_path):
    folder = tmp_path / "강의 자료"
    folder.mkdir()
    path = folder / "고양이.png"
    ok, png = cv2.imencode(".png", np.full((40, 60, 3), 200, np.uint8))
    path.write_bytes(png.tobytes())
    window.open_path(str(path))
    qtbot.waitUntil(lambda: "고양이.png" in window.source_dock.status.text(), timeout=10000)
    assert window.settings.recent_files()[0] == str(path)


def test_a_users_own_names_stay_as_typed_across_a_switch(window):
    editor = window.conv_lab.editor
    editor.save_as("sharpen")  # a user's kernel that shares its name with a preset (a message of ours)
    window.set_language("ko")
    assert [editor.saved_combo.itemText(i) for i in range(editor.saved_combo.count())] == ["sharpen"]
    window.set_language("en")


def test_qts_own_buttons_speak_korean_too(window):
    from PySide6.QtCore import QCoreApplication

    window.set_language("ko")
    cancel = QCoreApplication.translate("QPlatformTheme", "Cancel")
    window.set_language("en")
    assert has_hangul(cancel)
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
