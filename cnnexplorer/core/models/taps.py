"""What every layer of a Keras model sees: its tree, and one layer's output on one frame.

Layers inside nested models (a frozen base inside a transfer model) are addressed by path,
``"outer_layer/inner_layer"``; branches of Inception and ResNet blocks are ordinary layers.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.models.graph import inbound_tensors

CLASSIFIER_START = ("Flatten", "GlobalAveragePooling2D", "GlobalMaxPooling2D")


@dataclass
class LayerNode:
    name: str
    path: str  # "name" or "outer/inner" for nested layers
    class_name: str
    output_shape: tuple
    trainable_params: int
    frozen_params: int
    role: str = "base"  # "input" | "base" | "classifier" (course §5: conv base vs classifier)
    children: list[LayerNode] = field(default_factory=list)


def _params(layer) -> tuple[int, int]:
    trainable = sum(int(np.prod(w.shape)) for w in layer.trainable_weights)
    frozen = sum(int(np.prod(w.shape)) for w in layer.non_trainable_weights)
    return trainable, frozen


def _shape(layer) -> tuple:
    try:
        output = layer.output
    except (AttributeError, ValueError):
        return ()
    shape = output.shape if not isinstance(output, (list, tuple)) else output[0].shape
    return tuple(shape)


def layer_tree(model, prefix: str = "") -> list[LayerNode]:
    """One node per layer in graph order; nested models get their layers as children.

    Layers from the first flatten or global pooling on are marked as the classifier.
    """
    nodes: list[LayerNode] = []
    in_classifier = False
    for layer in model.layers:
        class_name = type(layer).__name__
        if class_name in CLASSIFIER_START:
            in_classifier = True
        trainable, frozen = _params(layer)
        path = f"{prefix}{layer.name}"
        role = "input" if class_name == "InputLayer" else ("classifier" if in_classifier else "base")
        node = LayerNode(layer.name, path, class_name, _shape(layer), trainable, frozen, role)
        if hasattr(layer, "layers") and layer.layers:
            node.children = layer_tree(layer, prefix=f"{path}/")
        nodes.append(node)
    return nodes


def find_layer(model, path: str):
    """The layer at ``path`` and the chain of nested models leading to it."""
    chain = [model]
    layer = model
    for part in path.split("/"):
        try:
            layer = layer.get_layer(part)
        except ValueError:
            raise KeyError(tr("no layer {layer!r} in {model}", layer=path, model=model.name)) from None
        chain.append(layer)
    return layer, chain[:-1]


def probe(model, path: str):
    """A callable batch → (model outputs, the layer's output); see :func:`probe_many`."""
    run = probe_many(model, [path])

    def one(batch):
        predictions, (tapped,) = run(batch)
        return predictions, tapped

    return one


def probe_many(model, paths: list[str]) -> ProbeRunner:
    """A callable ``(batch, eager=False)`` → (model outputs, [each path's output]).

    Top-level layers come out of the same single forward pass as the predictions; layers inside a
    nested model cost one more run of the stages leading to that model, shared by all of them.
    ``eager=True`` calls the layers one by one instead of tracing a graph first: a third of the
    time of a first traced call, a sixth of the speed after it, so the first answer comes sooner.
    See :class:`_Pass` for the traced calls.
    """
    return ProbeRunner(model, paths)


class ProbeRunner:
    """What :func:`probe_many` returns; :meth:`traced` says whether a batch shape has its graph
    already. Two forward passes may share one (it is kept with the model): a shape is traced once."""

    def __init__(self, model, paths: list[str]) -> None:
        import keras

        self._paths = list(paths)
        self._top = [p for p in paths if "/" not in p]
        one_pass = keras.Model(_input_of(model), [model.outputs[0], *(_first_output(model.get_layer(p))
                                                                       for p in self._top)])
        by_chain: dict[tuple[int, ...], tuple[list, list[str], list]] = {}
        for path in (p for p in paths if "/" in p):
            layer, chain = find_layer(model, path)
            _, names, layers = by_chain.setdefault(tuple(id(m) for m in chain), (chain, [], []))
            names.append(path)
            layers.append(layer)
        self._first = _Pass(one_pass)
        self._nested = [(names, _nested_stages(chain, layers)) for chain, names, layers in by_chain.values()]

    def __call__(self, batch, eager: bool = False):
        out = self._first(batch, eager)
        tapped = dict(zip(self._top, out[1:]))
        for names, stages in self._nested:
            tapped.update(zip(names, stages(batch, eager)))
        return out[0], [tapped[p] for p in self._paths]

    def traced(self, shape: tuple) -> bool:
        """A graph for batches of ``shape`` is ready (on TensorFlow; nested layers' stages are traced
        with it, on the same calls)."""
        return self._first.graphs is not None and tuple(shape) in self._first.graphs


class _Pass:
    """``model`` on a batch: layer by layer when ``eager``, else through a graph traced once per
    batch shape. With TensorFlow that graph's concrete function is called directly, which skips
    ``predict_on_batch``'s per-call dispatch (~8 % of a MobileNetV2 frame on a CPU); other
    backends, and inputs that are not one float tensor, go through ``predict_on_batch``."""

    def __init__(self, model) -> None:
        import keras

        self.model = model
        self.graphs: dict[tuple, object] | None = {} if keras.config.backend() == "tensorflow" else None
        self._tracing = threading.Lock()  # two passes sharing this one trace a shape once, the second waits

    def __call__(self, batch, eager: bool = False) -> list[np.ndarray]:
        if eager:
            from keras import ops

            outputs, convert = self.model(batch, training=False), ops.convert_to_numpy
        elif self.graphs is not None and isinstance(batch, np.ndarray) and batch.dtype == np.float32:
            outputs, convert = self._graph(batch.shape)(batch), np.asarray
        else:
            outputs, convert = self.model.predict_on_batch(batch), np.asarray
        return [convert(t) for t in (outputs if isinstance(outputs, (list, tuple)) else [outputs])]

    def _graph(self, shape: tuple):
        graph = self.graphs.get(shape)
        if graph is None:
            with self._tracing:
                graph = self.graphs.get(shape)
                if graph is None:
                    graph = self.graphs[shape] = self._trace(shape)
        return graph

    def _trace(self, shape: tuple):
        import tensorflow as tf

        model = self.model  # XLA where predict_on_batch would use it (a GPU)
        traced = tf.function(lambda batch: model(batch, training=False), autograph=False,
                             jit_compile=bool(model.jit_compile))
        return traced.get_concrete_function(tf.TensorSpec(shape, tf.float32))


def _input_of(model):
    """The model's input in the structure it was built with (one tensor, not a list of one: Keras
    warns per model otherwise); works for a Sequential model that was never called too."""
    return model.inputs[0] if len(model.inputs) == 1 else model.inputs


def _nested_stages(chain: list, layers: list):
    """batch → [each layer's output] for layers inside the innermost model of ``chain``: the outer
    model up to the nested model's input, then the nested model up to the layers (again for deeper
    nesting)."""
    import keras

    stages = [keras.Model(_input_of(outer), _inbound_tensor(inner)) for outer, inner in zip(chain, chain[1:])]
    last = keras.Model(_input_of(chain[-1]), [_first_output(layer) for layer in layers])

    passes, last_pass = [_Pass(stage) for stage in stages], _Pass(last)

    def run(batch, eager: bool = False):
        for stage in passes:
            outputs = stage(batch, eager)
            batch = outputs[0] if len(outputs) == 1 else outputs
        return last_pass(batch, eager)

    return run


def activations(model, layer_path: str, rgb: np.ndarray, *, input_size: int | None = None,
                preprocessing: str = "unit", options=None) -> np.ndarray:
    """``layer_path``'s output for one uint8 RGB frame: (H, W, C) float32, or (C,) for vectors.
    The frame is fitted to the model's own input (``input_size`` forces a square RGB one), gray for
    one-channel models (see :mod:`.preprocess`)."""
    from cnnexplorer.core.models.model_input import input_shape, total_stride
    from cnnexplorer.core.models.preprocess import FeedOptions, prepare_input

    shape = (input_size, input_size, 3) if input_size else input_shape(model)
    stride = 1 if shape[0] and shape[1] else total_stride(model)
    batch = prepare_input(rgb, shape, preprocessing, options or FeedOptions(), stride)
    return squeeze(probe(model, layer_path)(batch)[1])


def squeeze(batch_output: np.ndarray) -> np.ndarray:
    out = np.asarray(batch_output, np.float32)[0]
    return np.ascontiguousarray(out)


def _first_output(layer):
    output = layer.output
    return output[0] if isinstance(output, (list, tuple)) else output


def _inbound_tensor(nested):
    """The tensor the outer graph feeds into a nested model (its first call)."""
    tensors = inbound_tensors(nested)
    return tensors[0] if len(tensors) == 1 else tensors
