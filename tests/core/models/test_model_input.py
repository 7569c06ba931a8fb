"""Every image model a student brings: gray, non-square and any-size inputs, preprocessing detection
and class names from files — checked against Keras' own computation after the documented conversion."""

import json

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from cnnexplorer.core.frames.frame import Frame  # noqa: E402
from cnnexplorer.core.frames.images import load_image  # noqa: E402
from cnnexplorer.core.infra.resources import resource  # noqa: E402
from cnnexplorer.core.models import model_input, zoo  # noqa: E402
from cnnexplorer.core.models.forward import FeedError, ForwardPass, ForwardRequest  # noqa: E402
from cnnexplorer.core.models.preprocess import FeedOptions, feed_size, fit_frame, to_gray  # noqa: E402


@pytest.fixture(scope="module")
def frame_rgb():
    """A 4:3 frame, like a webcam's."""
    return np.ascontiguousarray(load_image(resource("images", "astronaut.png"))[:384, :])


def _make_frame(rgb):
    return Frame(rgb, 1, 0.0, 0.0, "test")


def _forward(model, paths, rgb):
    return ForwardPass()(ForwardRequest(_make_frame(rgb), model, tuple(paths)))


def _oracle(model, layer, batch):
    return np.asarray(keras.Model(model.inputs, model.get_layer(layer).output).predict_on_batch(batch))[0]


def _mnist_like(path):
    model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(6, 3, activation="relu", name="conv"),
                              keras.layers.MaxPooling2D(name="pool"), keras.layers.Flatten(),
                              keras.layers.Dense(10, activation="softmax", name="digits")])
    model.save(path)
    return path


def test_gray_model_gets_keras_luma_and_matches_keras(tmp_path, frame_rgb):
    opened = zoo.open_file(_mnist_like(tmp_path / "mnist.keras"))
    assert opened.image_input and opened.input_shape == (28, 28, 1) and "28×28×1 (gray)" in opened.input_text()
    assert opened.preprocessing == "unit" and not opened.preprocessing_sure
    fitted = fit_frame(frame_rgb, (28, 28))
    expected_batch = np.asarray(keras.ops.image.rgb_to_grayscale(fitted.astype(np.float32)[None])) / 255.0
    np.testing.assert_allclose(opened.prepare(frame_rgb), expected_batch, rtol=1e-5, atol=1e-5)
    inference = _forward(opened, ["conv"], frame_rgb)
    np.testing.assert_allclose(inference.outputs[0], _oracle(opened.model, "conv", expected_batch), rtol=1e-4, atol=1e-5)
    probabilities = np.asarray(opened.model.predict_on_batch(expected_batch))[0]
    assert [name for name, _ in inference.top] == [f"class {i}" for i in np.argsort(probabilities)[::-1][:5]]
    np.testing.assert_allclose([p for _, p in inference.top], np.sort(probabilities)[::-1][:5], rtol=1e-4)


def test_marker_on_paper_becomes_white_on_black():
    paper = np.full((60, 80, 3), 235, np.uint8)
    paper[20:40, 38:42] = 30  # a dark stroke
    gray = to_gray(paper, invert=True, threshold=True)
    assert gray.shape == (60, 80, 1) and set(np.unique(gray)) == {0.0, 255.0}
    assert gray[30, 40, 0] == 255.0 and gray[5, 5, 0] == 0.0


def test_non_square_model_keeps_the_aspect_and_matches_keras(tmp_path, frame_rgb):
    inputs = keras.Input((96, 128, 3))
    x = keras.layers.Conv2D(4, 3, strides=2, name="conv")(inputs)
    outputs = keras.layers.Dense(3, activation="softmax", name="head")(keras.layers.GlobalAveragePooling2D()(x))
    path = tmp_path / "crops.keras"
    keras.Model(inputs, outputs).save(path)
    opened = zoo.open_file(path)
    batch = opened.prepare(frame_rgb)
    assert batch.shape == (1, 96, 128, 3)
    # Keras' own crop-to-aspect resize sees the same picture (different interpolation: small error).
    keras_fit = np.asarray(keras.ops.image.resize(frame_rgb[None].astype(np.float32), (96, 128),
                                                  crop_to_aspect_ratio=True))[0]
    assert np.abs(batch[0] * 255.0 - keras_fit).mean() < 4.0
    inference = _forward(opened, ["conv"], frame_rgb)
    np.testing.assert_allclose(inference.outputs[0], _oracle(opened.model, "conv", batch), rtol=1e-4, atol=1e-5)
    letterboxed = fit_frame(frame_rgb, (96, 160), "letterbox")
    assert letterboxed.shape == (96, 160, 3) and letterboxed[:, :8].max() == 0 and letterboxed[:, 60:100].max() > 0


def test_any_size_model_is_fed_at_the_short_side_rounded_to_its_stride(tmp_path, frame_rgb):
    inputs = keras.Input((None, None, 3))
    x = keras.layers.Conv2D(4, 3, strides=2, padding="same", name="conv1")(inputs)
    x = keras.layers.Conv2D(5, 3, strides=2, padding="same", name="conv2")(x)
    model = keras.Model(inputs, keras.layers.GlobalAveragePooling2D(name="pool")(x))
    path = tmp_path / "fcn.keras"
    model.save(path)
    opened = zoo.open_file(path)
    assert opened.stride == 4 and "?×?×3" in opened.input_text()
    assert feed_size((480, 640), (None, None), 4, 224) == (224, 300)
    batch = opened.prepare(frame_rgb)  # 384×512 → 224×(298.7 → 300)
    assert batch.shape == (1, 224, 300, 3)
    inference = _forward(opened, ["conv2"], frame_rgb)
    np.testing.assert_allclose(inference.outputs[0], _oracle(opened.model, "conv2", batch), rtol=1e-4, atol=1e-5)
    assert inference.outputs[0].shape == (56, 75, 5)
    opened.options = FeedOptions(short_side=96)
    assert opened.prepare(frame_rgb).shape == (1, 96, 128, 3)


def test_a_frame_the_model_refuses_is_explained_once(tmp_path, frame_rgb):
    inputs = keras.Input((None, None, 3))
    x = keras.layers.Conv2D(2, 1, name="conv")(inputs)
    model = keras.Model(inputs, keras.layers.Reshape((64 * 64 * 2,), name="flat")(x))
    wrapped = zoo.wrap(model)
    forward = ForwardPass()
    request = ForwardRequest(_make_frame(frame_rgb), wrapped, ("conv",))
    with pytest.raises(FeedError) as first:
        forward(request)
    text = str(first.value)
    assert "expects ?×?×3" in text and "224×299×3" in text and "What to change" in text and "total size" in text and "\x1b" not in text
    with pytest.raises(FeedError) as second:
        forward(request)
    assert second.value is first.value  # not run again


def test_preprocessing_detection(tmp_path):
    inputs = keras.Input((32, 32, 3))
    rescaled = keras.layers.Rescaling(1 / 255, name="scale")(inputs)
    own = keras.Model(inputs, keras.layers.Conv2D(2, 3)(rescaled))
    mode, reason, sure = model_input.detect_preprocessing(own)
    assert mode == "raw" and "Rescaling" in reason and sure
    plain_in = keras.Input((32, 32, 3))
    plain = keras.Model(plain_in, keras.layers.Conv2D(2, 3)(plain_in))
    mode, reason, sure = model_input.detect_preprocessing(plain)
    assert mode == "unit" and not sure and "guessed" in reason
    run = tmp_path / "run"
    run.mkdir()
    plain.save(run / "best.keras")
    (run / "preprocessing.json").write_text(json.dumps({"mode": "tf"}))
    (run / "class_names.json").write_text(json.dumps(["a", "b"]))
    mode, reason, sure = model_input.detect_preprocessing(plain, run / "best.keras")
    assert mode == "tf" and sure and "preprocessing.json" in reason


def test_a_renamed_copy_of_the_bundled_model_keeps_its_preprocessing(tmp_path):
    bundled = zoo.load_model("mobilenet_v2").model
    bundled.name = "my_homework"
    path = tmp_path / "copy.keras"
    bundled.save(path)
    opened = zoo.open_file(path)
    assert opened.preprocessing == "torch" and opened.preprocessing_sure and "bundled" in opened.preprocessing_reason
    assert opened.class_names == zoo.imagenet_classes()
    cat = zoo.predict_top(opened, load_image(resource("images", "chelsea.png")), 3)
    assert {"Egyptian cat", "tiger cat", "tabby"} & {name for name, _ in cat}


def test_class_names_beside_the_model(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    inputs = keras.Input((16, 16, 3))
    model = keras.Model(inputs, keras.layers.Dense(3)(keras.layers.Flatten()(inputs)))
    model.save(run / "best.keras")
    assert zoo.open_file(run / "best.keras").class_names is None
    (run / "class_names.json").write_text(json.dumps(["cat", "dog"]))
    opened = zoo.open_file(run / "best.keras")
    assert opened.class_names is None and "2 names for 3 outputs" in opened.class_names_note
    (run / "best.txt").write_text("red\ngreen\nblue\n")
    opened = zoo.open_file(run / "best.keras")
    assert opened.class_names == ["red", "green", "blue"] and "best.txt" in opened.class_names_note
    (run / "bad.json").write_text('{"not": "a list"}')
    with pytest.raises(model_input.ClassNamesError, match="list of strings"):
        model_input.read_class_names(run / "bad.json")
