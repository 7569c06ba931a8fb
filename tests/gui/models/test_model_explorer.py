"""The model explorer and the Inception view on real Keras models (TensorFlow on the CPU)."""

import weakref

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox

from cnnexplorer.gui.models.model_session import ModelSession

keras = pytest.importorskip("keras")


def test_live_top5_and_activations(explorer, qtbot):
    assert {"Egyptian cat", "tiger cat", "tabby"} & set(explorer.predictions.texts()[:3])
    assert "bundled" in explorer.banner.text()
    qtbot.waitUntil(explorer.worker.idle, timeout=30000)  # a still photo: one frame, then nothing to do
    explorer.tree.select("block3_expand_relu6")
    qtbot.waitUntil(lambda: explorer.grid.maps is not None and explorer.grid.maps.shape == (56, 56, 144),
                    timeout=30000)
    assert "144 channels" in explorer.grid.info.text()
    model = explorer.session.model.model
    from cnnexplorer.core.models.taps import activations
    expected = activations(model, "block3_expand_relu6", explorer.controller.current.rgb, preprocessing="torch")
    np.testing.assert_allclose(explorer.last.outputs[0], expected, rtol=1e-4, atol=1e-4)
    # the 144-tile mosaic was made by the forward pass's thread, and it is what is shown
    assert explorer.last.mosaic is not None
    np.testing.assert_array_equal(explorer.grid.mosaic.image, explorer.last.mosaic.image)
    explorer.tree.search.setText("block16")
    assert explorer.tree.items["block16_project"].isHidden() is False
    assert explorer.tree.items["block3_expand"].isHidden() is True


def test_first_layer_filter_goes_to_the_lab(explorer, window):
    filters = explorer.filters
    assert filters.kernels.shape == (3, 3, 3, 32)
    filters.filter_index.setValue(5)
    filters.send_button.click()
    np.testing.assert_allclose(window.conv_lab.editor.kernel(), filters.kernels[..., 5].sum(axis=2), rtol=1e-6)


def test_bad_and_unsafe_files(explorer, qtbot, tmp_path):
    corrupt = tmp_path / "broken.h5"
    corrupt.write_bytes(b"\x89HDF\r\n\x1a\n" + b"\x00" * 64)
    explorer.load_file(str(corrupt))
    qtbot.waitUntil(lambda: "broken.h5" in explorer.banner.text() and explorer.loader is None, timeout=30000)
    assert explorer.session.model.name == "mobilenet_v2"  # the previous model stays
    path = tmp_path / "lambda.keras"
    inputs = keras.Input((32, 32, 3))
    outputs = keras.layers.Conv2D(4, 3)(keras.layers.Lambda(lambda t: t * 2.0)(inputs))
    keras.Model(inputs, outputs).save(path)
    explorer.load_file(str(path))
    qtbot.waitUntil(lambda: explorer.unsafe_box is not None and explorer.unsafe_box.isVisible(), timeout=30000)
    assert "Lambda" in explorer.unsafe_box.text()
    explorer.unsafe_box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: explorer.session.model.name == "lambda.keras", timeout=30000)
    assert "your file" in explorer.banner.text()


def test_while_a_model_loads_the_one_shown_answers_no_new_frame(explorer, window, qtbot, tmp_path):
    """The load has the CPU: a frame that comes meanwhile goes to the new model once it is in, or
    back to the model shown when the load fails."""
    shown = explorer.session.model
    answers = []  # (the model that answered, whether a load was under way, the frame's source)
    explorer.worker.result.connect(lambda inference: answers.append(
        (inference.model, explorer.session.loading, window.source.current.source)))

    def answered(source: str) -> bool:
        return window.source.current.source == source and bool(answers) and answers[-1][2] == source

    corrupt = tmp_path / "broken.h5"
    corrupt.write_bytes(b"\x89HDF\r\n\x1a\n" + b"\x00" * 64)
    explorer.load_file(str(corrupt))
    window.source.set_source("pattern:circles")
    qtbot.waitUntil(lambda: explorer.loader is None and answered("pattern:circles") and explorer.worker.idle(),
                    timeout=30000)
    QCoreApplication.processEvents()  # idle comes after the last answer is sent, not after it lands: it lands now
    assert all(model is shown and not loading for model, loading, _ in answers)
    answers.clear()
    explorer.load_zoo("mini_inception")
    window.source.set_source("sample:chelsea")
    qtbot.waitUntil(lambda: answered("sample:chelsea") and answers[-1][0].name == "mini_inception", timeout=60000)
    assert not [model for model, loading, _ in answers if model is shown and loading]


@pytest.mark.own_models  # the session's shared MobileNetV2 would never be freed
def test_a_replaced_model_and_its_weights_are_freed(explorer, qtbot):
    old = weakref.ref(explorer.session.model.model)
    explorer.load_zoo("mini_inception")
    qtbot.waitUntil(lambda: explorer.session.model.name == "mini_inception", timeout=60000)
    qtbot.waitUntil(lambda: old() is None, timeout=15000)


def test_inception_view_shows_branches_and_costs(explorer, window, qtbot):
    explorer.load_zoo("mini_inception")
    qtbot.waitUntil(lambda: explorer.session.model.name == "mini_inception", timeout=60000)
    dock = window.inception
    dock.show()
    dock.raise_()
    assert dock.block_combo.count() == 2
    qtbot.waitUntil(lambda: dock.last is not None and len(dock.last.outputs) == 5, timeout=60000)
    channels = [o.shape[-1] for o in dock.last.outputs]
    assert channels == [16, 24, 8, 8, 56]
    assert dock.table.item(4, 0).text() == "block total"
    assert dock.table.item(4, 2).text() == "5,740" and dock.table.item(4, 4).text() == "13,872"
    assert "random" in explorer.banner.text().lower()
    assert "no ImageNet weights" in explorer.banner.text() and "Download" not in explorer.banner.text()


def test_compare_two_layers_on_the_same_frame(explorer, qtbot):
    qtbot.waitUntil(explorer.worker.idle, timeout=30000)
    assert explorer.grid_b.isHidden()
    explorer.tree.select("block3_expand_relu6")
    explorer.compare_combo.setCurrentIndex(explorer.compare_combo.findData("block1_depthwise_relu6"))
    explorer.compare_combo.activated.emit(explorer.compare_combo.currentIndex())
    qtbot.waitUntil(lambda: explorer.grid_b.maps is not None and explorer.grid.maps is not None
                    and explorer.grid.maps.shape == (56, 56, 144), timeout=30000)
    assert not explorer.grid_b.isHidden()
    assert explorer.last.paths == ("block3_expand_relu6", "block1_depthwise_relu6")  # one forward pass, both taps
    from cnnexplorer.core.models.taps import activations
    model, rgb = explorer.session.model.model, explorer.controller.current.rgb
    expected_b = activations(model, "block1_depthwise_relu6", rgb, preprocessing="torch")
    np.testing.assert_allclose(explorer.grid_b.maps, expected_b, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(explorer.grid.maps, explorer.last.outputs[0], rtol=1e-6)
    state = explorer.scene_state()
    assert state["compare"] == "block1_depthwise_relu6"
    explorer.compare_with("")
    assert explorer.grid_b.isHidden() and explorer.tapped_paths() == ("block3_expand_relu6",)
    assert explorer.apply_scene(state) == []
    qtbot.waitUntil(lambda: explorer.grid_b.maps is not None, timeout=30000)
    assert explorer.compare_path == "block1_depthwise_relu6" and explorer.scene_state() == state


def test_a_scene_naming_another_model_shows_its_layers_once_it_is_in(explorer, qtbot):
    from cnnexplorer.core.models import zoo
    from cnnexplorer.core.models.taps import layer_tree

    paths = [node.path for node in layer_tree(zoo.load_model("mini_inception").model)]
    layer, compare = paths[2], paths[-2]
    state = {"model": "mini_inception", "layer": layer, "compare": compare, "inputs": {}}
    assert explorer.apply_scene(state) == []
    qtbot.waitUntil(lambda: explorer.session.model.name == "mini_inception" and explorer.compare_path == compare,
                    timeout=60000)
    assert explorer.layer_path == layer  # not the default first conv layer chosen when the model came in
    qtbot.waitUntil(lambda: explorer.grid_b.maps is not None and explorer.last.paths == (layer, compare),
                    timeout=30000)


def test_the_session_names_the_replaced_model_only(qtbot):
    session, replaced = ModelSession(), []
    session.model_replaced.connect(replaced.append)
    first, second = object(), object()
    session.set_model(first)
    session.set_model(first)  # the same one again: nothing replaced
    assert replaced == []
    session.set_model(second)
    session.set_model(None)
    assert replaced == [first, second]
