"""Channel visualisation on the bundled MobileNetV2: the picture drives its channel far above photos."""

import threading

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from cnnexplorer.core.frames.images import load_image  # noqa: E402
from cnnexplorer.core.infra.resources import resource  # noqa: E402
from cnnexplorer.core.models import zoo  # noqa: E402
from cnnexplorer.core.models.attribution import AttributionError, visualize_channel  # noqa: E402
from cnnexplorer.core.models.attribution.feature_vis import _pre_activation  # noqa: E402
from cnnexplorer.core.models.preprocess import prepare  # noqa: E402
from cnnexplorer.core.models.taps import probe  # noqa: E402

LAYER, CHANNEL = "block6_expand_relu6", 5


@pytest.fixture(scope="module")
def mobilenet():
    return zoo.load_model("mobilenet_v2")


@pytest.fixture(scope="module")
def responses(mobilenet):
    """frame → each channel's mean response (after ReLU6) over the map."""
    run = probe(mobilenet.model, LAYER)
    return lambda rgb: np.asarray(run(prepare(rgb, 224, "torch"))[1])[0].mean(axis=(0, 1))


@pytest.fixture(scope="module")
def photos(responses):
    """Per channel, the strongest mean response of four natural photos."""
    names = ("chelsea.png", "coffee.png", "astronaut.png", "horse.png")
    return np.max([responses(load_image(resource("images", name))) for name in names], axis=0)


@pytest.mark.parametrize("channel", [1, CHANNEL])
def test_visualisation_beats_natural_photos(mobilenet, responses, photos, channel):
    seen = []
    image = visualize_channel(mobilenet, LAYER, channel, steps=32, on_step=seen.append)
    assert image.shape == (224, 224, 3) and image.dtype == np.uint8
    assert len(seen) == 32 and seen[-1].shape == (224, 224, 3)
    assert responses(image)[channel] > 2 * photos[channel]


def test_relu6_layers_are_optimised_before_the_clip(mobilenet):
    layer = mobilenet.model.get_layer(LAYER)
    tensor, _ = _pre_activation(layer)
    assert tensor._keras_history.operation.name == "block6_expand_bn"


def test_cancel_keeps_the_current_image(mobilenet):
    cancel = threading.Event()
    cancel.set()
    seen = []
    image = visualize_channel(mobilenet, LAYER, CHANNEL, size=64, steps=50, on_step=seen.append, cancel=cancel)
    assert image.shape == (64, 64, 3) and seen == []


@pytest.mark.parametrize("kwargs, message", [
    ({"layer_path": "global_pool", "channel": 0}, "no spatial map"),
    ({"layer_path": LAYER, "channel": 9999}, "channel"),
    ({"layer_path": LAYER, "channel": 0, "size": 4}, "size"),
])
def test_bad_requests(mobilenet, kwargs, message):
    with pytest.raises(AttributionError, match=message):
        visualize_channel(mobilenet, **kwargs)
