"""Walk a Keras functional graph: which layers feed which, with what tensor shapes (course §3).

Keras keeps a layer's calls in ``layer._inbound_nodes``; the first call is the graph the model was
built with. This module is the one place that reads it.
"""

from __future__ import annotations


def inbound_tensors(layer) -> list:
    """The tensors fed to ``layer`` in its first call (none for an input or an unused layer)."""
    nodes = getattr(layer, "_inbound_nodes", None)
    return list(nodes[0].input_tensors) if nodes else []


def producers(layer) -> list:
    """The layers whose outputs ``layer`` reads in its first call, in input order."""
    return [tensor._keras_history.operation for tensor in inbound_tensors(layer)]


def shape_text(tensor) -> str:
    """A tensor's shape without the batch axis, e.g. ``112×112×32`` (``?`` where unknown)."""
    return "×".join("?" if d is None else str(d) for d in tuple(tensor.shape)[1:])


def edges(model) -> list[tuple[str, str, str]]:
    """Every edge of the model's graph as (producer layer, consumer layer, shape)."""
    return [(tensor._keras_history.operation.name, layer.name, shape_text(tensor))
            for layer in model.layers for tensor in inbound_tensors(layer)]


def graph_layout(model) -> tuple[dict[str, tuple[int, int]], list[tuple[str, str, str]]]:
    """Node positions (row = longest path from an input, column in that row) and the edges.

    A producer missing from ``model.layers`` (a Sequential model's input layer) becomes a node too."""
    all_edges = edges(model)
    names = [layer.name for layer in model.layers]
    names = [s for s, _, _ in all_edges if s not in names] + names
    names = list(dict.fromkeys(names))
    parents: dict[str, list[str]] = {}
    for source, target, _ in all_edges:
        parents.setdefault(target, []).append(source)
    depth: dict[str, int] = {}
    for name in names:  # model.layers is in topological order
        depth[name] = 1 + max((depth.get(p, 0) for p in parents.get(name, ())), default=-1)
    columns: dict[int, int] = {}
    positions = {}
    for name in names:
        row = depth[name]
        positions[name] = (row, columns.get(row, 0))
        columns[row] = columns.get(row, 0) + 1
    return positions, all_edges


def first_conv(model):
    """The first Conv2D of ``model``, looking inside nested models too (``None`` if it has none)."""
    for layer in model.layers:
        if type(layer).__name__ == "Conv2D":
            return layer
        if hasattr(layer, "layers"):
            found = first_conv(layer)
            if found is not None:
                return found
    return None
