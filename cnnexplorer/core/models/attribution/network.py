"""What the attribution tools need to know about a model: its zoo description, the class score
(the logit before a final softmax), and which layer has the spatial map to explain."""

from __future__ import annotations

import numpy as np

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.models import zoo
from cnnexplorer.core.models.attribution.alignment import CropGeometry, check_frame
from cnnexplorer.core.models.attribution.errors import AttributionError
from cnnexplorer.core.models.attribution.field_walk import field_sizes
from cnnexplorer.core.models.graph import inbound_tensors
from cnnexplorer.core.models.preprocess import prepare

MIN_CAM_SIDE = 7  # the automatic layer: the last one whose map is at least this big


def describe(model) -> zoo.ZooModel:
    """A zoo handle as it is, a bare Keras model described like one; refuses non-image models."""
    handle = model if isinstance(model, zoo.ZooModel) else None
    if handle is None:
        if not hasattr(model, "inputs") or not hasattr(model, "layers"):
            raise AttributionError(tr("expected a zoo model or a Keras model, got {kind}", kind=type(model).__name__))
        handle = zoo.wrap(model)
    if not handle.image_input:
        raise AttributionError(handle.reason)
    inputs = handle.model.inputs
    if len(inputs) != 1 or len(inputs[0].shape) != 4 or inputs[0].shape[-1] != 3:
        raise AttributionError(tr("attribution needs a model with one (H, W, 3) image input"))
    height, width, _ = handle.input_shape
    if height is None or height != width or handle.options.fit != "crop":
        raise AttributionError(tr("maps are drawn back onto the frame for square inputs fed by centre crop; this "
                                  "model takes {height}×{width} ({fit})", height=height or "?",
                                  width=width or "?", fit=handle.options.fit))
    return handle


def input_batch(handle: zoo.ZooModel, rgb) -> tuple[np.ndarray, CropGeometry]:
    """The frame as the model's batch of one, and where that input lies in the frame."""
    frame = check_frame(rgb)
    batch = prepare(frame, handle.input_size, handle.preprocessing)
    return batch, CropGeometry.of(frame.shape[0], frame.shape[1], handle.input_size, handle.preprocessing)


def spatial_layers(model) -> list[str]:
    """Top-level layers (nested models included, as one layer) with an (H, W, C) output, in graph order."""
    names = []
    for layer in model.layers:
        shape = _output_shape(layer)
        if len(shape) == 4 and type(layer).__name__ != "InputLayer":
            names.append(layer.name)
    return names


def default_layer(model) -> str:
    """The last layer whose map is at least 7×7 (the last spatial one if none is that big); layers
    that see single pixels (rescaling, normalisation) hold no spatial evidence and are skipped."""
    sizes = field_sizes(model)
    candidates = [n for n in spatial_layers(model) if sizes.get(n, (2, 2)) != (1, 1)]
    if not candidates:
        raise AttributionError(tr("{model} has no layer with a spatial map to explain", model=model.name))

    def side(name: str) -> int:  # an unknown size (a model for any input size) counts as big enough
        return min(MIN_CAM_SIDE if d is None else d for d in _output_shape(model.get_layer(name))[1:3])

    big = [name for name in candidates if side(name) >= MIN_CAM_SIDE]
    return (big or candidates)[-1]


def spatial_layer(model, path: str):
    """The top-level layer ``path``, checked to have a spatial (H, W, C) output."""
    if "/" in path:
        raise AttributionError(tr("{layer!r} is inside a nested model; explain the nested model itself "
                                  "({model!r}) or one of its outer layers", layer=path, model=path.split("/")[0]))
    try:
        layer = model.get_layer(path)
    except ValueError:
        raise AttributionError(tr("no layer {layer!r} in {model}", layer=path, model=model.name)) from None
    shape = _output_shape(layer)
    if len(shape) != 4:
        raise AttributionError(tr("layer {layer!r} has no spatial map (its output is {shape}); pick a convolution, "
                                  "pooling or activation layer before the classifier", layer=path, shape=shape[1:]))
    return layer


def class_score_tensors(model):
    """(the tensor to tap, a function of it giving the class scores, a function giving probabilities).

    A final Dense with softmax is split: scores are its logits (a softmax gradient vanishes for a
    confident class and mixes in every other class)."""
    import keras

    last = model.layers[-1]
    activation = getattr(last, "activation", None)
    if type(last).__name__ == "Dense" and getattr(activation, "__name__", "") == "softmax":
        def logits(x):
            out = keras.ops.matmul(x, last.kernel)
            return out + last.bias if last.use_bias else out

        return _inbound(last), logits, keras.ops.softmax
    if type(last).__name__ in ("Activation", "Softmax") and "softmax" in str(getattr(last, "activation", "softmax")):
        return _inbound(last), (lambda x: x), keras.ops.softmax
    output = model.outputs[0]
    if len(output.shape) != 2:
        raise AttributionError(tr("the model's output has shape {shape}; class maps need one score per class",
                                  shape=tuple(output.shape)[1:]))
    return output, (lambda x: x), (lambda x: x)


def check_class(index, count: int) -> int | None:
    """``None`` (top-1) or an int in range; :class:`AttributionError` otherwise."""
    if index is None:
        return None
    if isinstance(index, bool) or not isinstance(index, (int, np.integer)):
        raise AttributionError(tr("the class index must be an integer, got {index!r}", index=index))
    if not 0 <= int(index) < count:
        raise AttributionError(tr("class index {index} is out of range: the model has {count} classes", index=index,
                                  count=count))
    return int(index)


def class_count(model) -> int:
    return int(model.outputs[0].shape[-1])


def _inbound(layer):
    (tensor,) = inbound_tensors(layer)
    return tensor


def node_output(layer):
    """What ``layer`` produced in the graph it was called in: for a nested model this is the
    outer graph's tensor (its ``.output`` belongs to its own inner graph)."""
    nodes = getattr(layer, "_inbound_nodes", None)
    if nodes and nodes[0].output_tensors:
        return nodes[0].output_tensors[0]
    output = layer.output
    return output[0] if isinstance(output, (list, tuple)) else output


def _output_shape(layer) -> tuple:
    try:
        return tuple(node_output(layer).shape)
    except (AttributeError, ValueError):
        return ()
