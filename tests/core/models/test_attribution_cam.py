"""Class activation maps against tf.GradientTape, the model-randomisation check, alignment, errors."""

import gc
import weakref

import numpy as np
import pytest

keras = pytest.importorskip("keras")
tf = pytest.importorskip("tensorflow")

from cnnexplorer.core.frames.images import load_image  # noqa: E402
from cnnexplorer.core.infra.resources import resource  # noqa: E402
from cnnexplorer.core.models import zoo  # noqa: E402
from cnnexplorer.core.models.attribution import (  # noqa: E402
    AttributionError,
    cam_runner,
    default_layer,
    explain,
    grad_cam,
)
from cnnexplorer.core.models import per_model  # noqa: E402
from cnnexplorer.core.models.preprocess import prepare  # noqa: E402
from tests.core.models.attribution_models import logits, tiny_classifier  # noqa: E402

RNG = np.random.default_rng(3)


def frame(height=20, width=20):
    return RNG.integers(0, 256, (height, width, 3), dtype=np.uint8)


def tape_cam(model, batch, layer, index, plus_plus=False):
    """Grad-CAM written out with a plain GradientTape, the way the papers define it."""
    tapped = model.get_layer(layer)._inbound_nodes[0].output_tensors[0]  # the outer graph's tensor
    tap = keras.Model(model.inputs, [tapped, model.get_layer("pool").output])
    dense = model.get_layer("predictions")
    with tf.GradientTape() as tape:
        activation, pooled = tap(batch)
        score = (tf.matmul(pooled, dense.kernel) + dense.bias)[0, index]
    grads = tape.gradient(score, activation)[0].numpy()
    activation = activation[0].numpy()
    if plus_plus:
        g2, g3 = grads**2, grads**3
        denominator = 2 * g2 + activation.sum(axis=(0, 1)) * g3
        alpha = np.where(np.abs(denominator) > 1e-12, g2 / np.where(denominator == 0, 1, denominator), 0)
        weights = (alpha * np.maximum(grads, 0)).sum(axis=(0, 1))
    else:
        weights = grads.mean(axis=(0, 1))
    return np.maximum((activation * weights).sum(axis=-1), 0)


@pytest.mark.parametrize("method", ["gradcam", "gradcam++"])
def test_cam_matches_gradient_tape(method):
    model = tiny_classifier()
    batch = RNG.normal(0, 1, (1, 16, 16, 3)).astype(np.float32)
    runner = cam_runner(model, "relu", method)
    for index in (0, 3):
        probabilities, activation, maps, chosen = runner(batch, [index])
        expected = tape_cam(model, batch, "relu", index, plus_plus=method == "gradcam++")
        np.testing.assert_allclose(maps[0], expected, rtol=1e-4, atol=1e-6)
        assert chosen == [index]
    np.testing.assert_allclose(probabilities, np.asarray(model(batch))[0], rtol=1e-5)
    assert activation.shape == (16, 16, 6)


def test_a_residual_connection_over_the_layer_takes_the_whole_tape():
    """The runner records only the head when every path to it crosses the layer; a skip connection
    around the layer needs the whole tape, and both give the papers' map."""
    from cnnexplorer.core.models.attribution.cam import _split_at
    from cnnexplorer.core.models.attribution.network import node_output

    keras.utils.set_random_seed(2)
    inputs = keras.Input((16, 16, 3), name="image")
    skipped = keras.layers.Conv2D(6, 3, padding="same", name="conv1")(inputs)
    x = keras.layers.ReLU(name="relu")(keras.layers.Conv2D(6, 3, padding="same", name="conv2")(skipped))
    x = keras.layers.Add(name="add")([skipped, x])
    x = keras.layers.GlobalAveragePooling2D(name="pool")(x)
    model = keras.Model(inputs, keras.layers.Dense(5, activation="softmax", name="predictions")(x))
    head = model.get_layer("pool").output
    assert _split_at(model, node_output(model.get_layer("relu")), head) is None
    assert _split_at(model, node_output(model.get_layer("add")), head) is not None
    batch = RNG.normal(0, 1, (1, 16, 16, 3)).astype(np.float32)
    for layer in ("relu", "add"):
        runner = cam_runner(model, layer, "gradcam")
        for _ in range(2):  # eager, then traced
            _, _, maps, _ = runner(batch, [2])
            np.testing.assert_allclose(maps[0], tape_cam(model, batch, layer, 2), rtol=1e-4, atol=1e-6)


def test_top_classes_are_ranked_by_logit_and_trace_once():
    model = tiny_classifier()
    runner = cam_runner(model, "relu", "gradcam", count=3)
    for _ in range(4):
        batch = RNG.normal(0, 1, (1, 16, 16, 3)).astype(np.float32)
        _, _, maps, chosen = runner(batch, [-1, -2, -3])
        assert chosen == list(np.argsort(logits(model, batch)[0])[::-1][:3])
        np.testing.assert_allclose(maps[1], tape_cam(model, batch, "relu", chosen[1]), rtol=1e-4, atol=1e-6)
    assert runner.traces == 1
    assert cam_runner(model, "relu", "gradcam", count=3) is runner


def test_eigen_cam_is_the_first_principal_component():
    model = tiny_classifier()
    batch = RNG.normal(0, 1, (1, 16, 16, 3)).astype(np.float32)
    _, activation, maps, _ = cam_runner(model, "relu", "eigencam")(batch, [0])
    flat = activation.reshape(-1, activation.shape[-1])
    centred = flat - flat.mean(axis=0)
    projection = centred @ np.linalg.svd(centred, full_matrices=False)[2][0]
    mean_map = flat.mean(axis=1)
    if np.sum(projection * (mean_map - mean_map.mean())) < 0:
        projection = -projection
    np.testing.assert_allclose(maps[0], np.maximum(projection, 0).reshape(16, 16), rtol=1e-3, atol=1e-4)


def test_maps_are_aligned_with_a_non_square_frame():
    model = tiny_classifier()
    rgb = frame(30, 75)  # "unit" preprocessing: height → 16, width → 40, centre 16 columns kept
    cam = grad_cam(model, rgb, layer="relu")
    assert cam.shape == (30, 75) and cam.dtype == np.float32
    assert 0 <= cam.min() and cam.max() == pytest.approx(1.0)
    # The crop spans frame columns 12·75/40 = 22.5 … 28·75/40 = 52.5: nothing outside it.
    assert not cam[:, :22].any() and not cam[:, 53:].any()
    raw = cam_runner(model, "relu")(prepare(rgb, 16, "unit"), [-1])[2][0]
    # Each cell's centre, (i + ½, 12 + j + ½) input pixels, lies at 1.875× that in the frame.
    rows = (1.875 * (np.arange(16) + 0.5)).astype(int)
    cols = (1.875 * (12 + np.arange(16) + 0.5)).astype(int)
    sampled = cam[np.ix_(rows, cols)]
    assert np.corrcoef(sampled.ravel(), raw.ravel())[0, 1] > 0.95


def test_default_layer_is_the_last_big_spatial_map():
    mobilenet = zoo.load_model("mobilenet_v2")
    assert default_layer(mobilenet.model) == "head_conv_relu6"
    assert default_layer(tiny_classifier()) == "relu"


@pytest.fixture(scope="module")
def cat():
    return load_image(resource("images", "chelsea.png"))


def test_randomised_model_gives_a_different_map(cat):
    """Adebayo et al. 2018: a map that survives randomising the weights explains nothing."""
    trained = grad_cam(zoo.load_model("mobilenet_v2"), cat)
    randomised = grad_cam(zoo.load_model("mobilenet_v2", weights="random"), cat)
    inside = trained > 0
    correlation = np.corrcoef(trained[inside], randomised[inside])[0, 1]
    assert correlation < 0.5, correlation
    result = explain(zoo.load_model("mobilenet_v2"), cat, top=3)
    assert {zoo.imagenet_classes()[c] for c in result.classes} & {"Egyptian cat", "tiger cat", "tabby"}
    assert len(result.maps) == 3 and result.layer == "head_conv_relu6"


def test_runner_cache_lets_go_of_a_dropped_model():
    model = tiny_classifier()
    cam_runner(model, "relu")
    assert model in per_model._cache
    alive = weakref.ref(model)
    del model
    gc.collect()
    assert alive() is None  # neither the cache nor its compiled functions keep the model


@pytest.mark.parametrize("bad, message", [
    (lambda m: grad_cam(m, frame(), layer="pool"), "no spatial map"),
    (lambda m: grad_cam(m, frame(), layer="nope"), "no layer"),
    (lambda m: grad_cam(m, frame(), layer="outer/inner"), "nested"),
    (lambda m: grad_cam(m, frame(), class_index=5), "out of range"),
    (lambda m: grad_cam(m, frame(), class_index=-1), "out of range"),
    (lambda m: grad_cam(m, frame(), class_index="tabby"), "integer"),
    (lambda m: grad_cam(m, frame().astype(np.float32)), "uint8"),
    (lambda m: grad_cam(m, frame()[:, :, 0]), "uint8"),
    (lambda m: grad_cam(m, None), "nothing"),
    (lambda m: grad_cam(m, frame(), method="lime"), "method"),
    (lambda m: grad_cam("model", frame()), "Keras model"),
])
def test_bad_input_is_refused_clearly(bad, message):
    with pytest.raises(AttributionError, match=message):
        bad(tiny_classifier())


def test_no_gradient_path_is_refused():
    inputs = keras.Input((16, 16, 3))
    x = keras.layers.Conv2D(4, 3, name="conv")(inputs)
    x = keras.ops.stop_gradient(x)
    x = keras.layers.GlobalAveragePooling2D()(x)
    model = keras.Model(inputs, keras.layers.Dense(3)(x))
    with pytest.raises(AttributionError, match="no gradient"):
        grad_cam(model, frame(), layer="conv")


def test_output_that_ignores_the_input_is_refused():
    inputs = keras.Input((16, 16, 3))
    x = keras.layers.Conv2D(4, 3, kernel_initializer="zeros", bias_initializer="ones", name="conv")(inputs)
    x = keras.layers.GlobalAveragePooling2D()(x)
    model = keras.Model(inputs, keras.layers.Dense(3)(x))
    with pytest.raises(AttributionError, match="does not depend on its input"):
        grad_cam(model, frame(), layer="conv")


def test_the_input_check_runs_once_per_model_and_a_refusal_every_time():
    """A runner for another method, layer or class count skips the model's check (~0.4 s on
    MobileNetV2); a refused model is refused again, with the same message."""
    from cnnexplorer.core.models.attribution.runners import check_depends_on_input

    inputs = keras.Input((16, 16, 3))
    x = keras.layers.Conv2D(4, 3, name="conv")(inputs)
    model = keras.Model(inputs, keras.layers.Dense(3)(keras.layers.GlobalAveragePooling2D()(x)))
    passes = []
    for _ in range(2):
        check_depends_on_input(model, lambda batch: passes.append(len(batch)) or model(batch))
    assert passes == [2]
    constant = keras.Model(inputs, keras.layers.Dense(3, kernel_initializer="zeros")(
        keras.layers.GlobalAveragePooling2D()(x)))
    for _ in range(2):
        with pytest.raises(AttributionError, match="does not depend on its input"):
            check_depends_on_input(constant, constant)


def test_transfer_model_explains_its_nested_base():
    """A frozen base nested under preprocessing layers (as the training tab's transfer model): the
    automatic layer is the base itself — a rescaling layer sees single pixels — and its CAM is the
    one a GradientTape gives on the outer graph's tensor."""
    keras.utils.set_random_seed(4)
    base_in = keras.Input((16, 16, 3))
    y = keras.layers.Conv2D(4, 3, padding="same", activation="relu")(base_in)
    y = keras.layers.Conv2D(5, 3, strides=2, padding="same", activation="relu")(y)
    base = keras.Model(base_in, y, name="base")
    base.trainable = False
    inputs = keras.Input((16, 16, 3))
    x = keras.layers.Rescaling(1 / 255.0, name="scale")(inputs)
    x = base(x, training=False)
    x = keras.layers.GlobalAveragePooling2D(name="pool")(x)
    model = keras.Model(inputs, keras.layers.Dense(3, activation="softmax", name="predictions")(x))
    assert default_layer(model) == "base"
    batch = RNG.normal(0, 1, (1, 16, 16, 3)).astype(np.float32)
    _, activation, maps, _ = cam_runner(model, "base")(batch, [1])
    assert activation.shape == (8, 8, 5)
    np.testing.assert_allclose(maps[0], tape_cam(model, batch, "base", 1), rtol=1e-4, atol=1e-6)
