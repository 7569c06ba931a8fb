"""Inception modules found in any Keras graph, and what their 1×1 bottlenecks save (course §7).

A module is a Concatenate whose inputs come from parallel branches that start at one block input.
A branch is everything between the block input and the concatenation, including sub-branches that
split again and meet in a concatenation of their own (InceptionV3's ``mixed9``: 1×1 → [1×3, 3×1]).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from cnnexplorer.core.i18n import tr
from cnnexplorer.core.models.graph import inbound_tensors, producers

CONV_TYPES = ("Conv2D", "SeparableConv2D", "DepthwiseConv2D")


@dataclass
class Branch:
    layers: list  # from just after the block input to the branch's last layer, in graph order
    output: str  # name of the branch's last layer (what the concatenation receives)

    @property
    def title(self) -> str:
        """What the branch does, e.g. "1×1 → 3×3", "pool → 1×1", in the current language."""
        return _title(self.layers)

    @property
    def names(self) -> list[str]:
        return [layer.name for layer in self.layers]


@dataclass
class InceptionBlock:
    concat: str
    block_input: str
    branches: list[Branch] = field(default_factory=list)


def _chain_back(layer, stop: set) -> list:
    """Layers from ``layer`` backwards (following first inputs) until one in ``stop`` or the input."""
    chain = []
    while layer is not None and layer.name not in stop:
        chain.append(layer)
        found = producers(layer)
        layer = found[0] if found and type(layer).__name__ != "InputLayer" else None
    return chain


def _branch_layers(model, head, block_input: str) -> list:
    """Every layer between ``block_input`` and ``head`` (all inputs followed), in model order."""
    seen, stack = {}, [head]
    while stack:
        layer = stack.pop()
        if layer.name == block_input or layer.name in seen:
            continue
        seen[layer.name] = layer
        stack.extend(producers(layer))
    order = {layer.name: i for i, layer in enumerate(model.layers)}
    return sorted(seen.values(), key=lambda layer: order.get(layer.name, -1))


def find_blocks(model, min_branches: int = 3) -> list[InceptionBlock]:
    """Every Concatenate with at least ``min_branches`` inputs whose branches share a block input."""
    blocks = []
    for layer in model.layers:
        if type(layer).__name__ != "Concatenate":
            continue
        heads = producers(layer)
        if len(heads) < min_branches:
            continue
        chains = [[x.name for x in _chain_back(head, set())] for head in heads]
        common = next((name for name in chains[0] if all(name in c for c in chains[1:])), None)
        if common is None:
            continue
        block = InceptionBlock(layer.name, common)
        for head in heads:
            layers = [] if head.name == common else _branch_layers(model, head, common)
            block.branches.append(Branch(layers, head.name))
        blocks.append(block)
    return blocks


# -- what a branch is ---------------------------------------------------------------------------------
def _is_conv(layer) -> bool:
    return type(layer).__name__ in CONV_TYPES


def _is_pool(layer) -> bool:
    return "Pooling" in type(layer).__name__


def _label(layer) -> str:
    if _is_pool(layer):
        return tr("pool")
    kh, kw = layer.kernel_size
    kind = type(layer).__name__
    if kind == "DepthwiseConv2D":
        return tr("depthwise {height}×{width}", height=kh, width=kw)
    if kind == "SeparableConv2D":
        return tr("separable {height}×{width}", height=kh, width=kw)
    return f"{kh}×{kw}"


def _steps_before(layers: list) -> dict[str, list[str]]:
    """For each conv or pooling layer of a branch, the nearest conv or pooling layers it reads from
    (looking through batch norms, activations and concatenations)."""
    inside = {layer.name: layer for layer in layers}
    result = {}
    for layer in layers:
        if not (_is_conv(layer) or _is_pool(layer)):
            continue
        found, stack = [], list(producers(layer))
        while stack:
            up = stack.pop()
            if up.name not in inside:
                continue
            if _is_conv(up) or _is_pool(up):
                found.append(up.name)
            else:
                stack.extend(producers(up))
        result[layer.name] = found
    return result


def _title(layers: list) -> str:
    """"1×1", "1×1 → 3×3", "pool → 1×1", "1×1 → [1×3, 3×1]": the branch's convs and pools in order."""
    before = _steps_before(layers)
    if not before:
        return tr("identity")
    labels = {layer.name: _label(layer) for layer in layers if layer.name in before}
    after: dict[str, list[str]] = {name: [] for name in before}
    for name, ups in before.items():
        for up in ups:
            after[up].append(name)

    def describe(name: str) -> str:
        children = after[name]
        if not children:
            return labels[name]
        if len(children) == 1:
            return f"{labels[name]} → {describe(children[0])}"
        return f"{labels[name]} → [{', '.join(describe(c) for c in children)}]"

    roots = [name for name, ups in before.items() if not ups]
    return ", ".join(describe(root) for root in roots)


# -- costs ------------------------------------------------------------------------------------------------
def _conv_cost(layer, in_channels: int) -> tuple[int, int]:
    """(parameters, multiply-adds) of a conv layer reading ``in_channels`` channels."""
    kh, kw = layer.kernel_size
    h, w, c_out = (int(v) for v in layer.output.shape[1:])
    kind = type(layer).__name__
    bias = c_out if layer.use_bias else 0
    if kind == "DepthwiseConv2D":
        return kh * kw * in_channels + bias, h * w * kh * kw * in_channels
    if kind == "SeparableConv2D":
        return kh * kw * in_channels + in_channels * c_out + bias, h * w * (kh * kw * in_channels + in_channels * c_out)
    return kh * kw * in_channels * c_out + bias, h * w * kh * kw * in_channels * c_out


def cost_table(model, block: InceptionBlock) -> list[dict]:
    """Per branch: parameters and multiply-adds of its convs as built, and without the 1×1
    bottlenecks (every 1×1 conv feeding a larger conv removed, the larger conv reading the block
    input directly; the pool branch's 1×1 projection removed, the pooled channels concatenated as
    they are). Sub-branches count in full."""
    block_channels = int(model.get_layer(block.block_input).output.shape[-1])
    rows = []
    for branch in block.branches:
        before = _steps_before(branch.layers)
        convs = [layer for layer in branch.layers if _is_conv(layer)]
        by_name = {layer.name: layer for layer in branch.layers}
        pooled = any(_is_pool(layer) for layer in branch.layers)
        after: dict[str, list[str]] = {name: [] for name in before}
        for name, ups in before.items():
            for up in ups:
                after[up].append(name)
        removed = set()
        for conv in convs:
            if tuple(conv.kernel_size) != (1, 1):
                continue
            feeds_larger = any(_is_conv(by_name[n]) and tuple(by_name[n].kernel_size) != (1, 1) for n in after[conv.name])
            if feeds_larger or (pooled and len(convs) == 1):
                removed.add(conv.name)  # the bottleneck (or pool projection) is what the naive block lacks
        params = macs = naive_params = naive_macs = 0
        for conv in convs:
            in_channels = int(inbound_tensors(conv)[0].shape[-1])
            p, m = _conv_cost(conv, in_channels)
            params, macs = params + p, macs + m
            if conv.name in removed:
                continue
            if any(up in removed for up in before[conv.name]):
                in_channels = block_channels  # its bottleneck is gone: it reads the block input
            p, m = _conv_cost(conv, in_channels)
            naive_params, naive_macs = naive_params + p, naive_macs + m
        out_channels = int(branch.layers[-1].output.shape[-1]) if branch.layers else block_channels
        rows.append({
            "branch": branch.title,
            "layers": " → ".join(branch.names) or block.block_input,
            "output_channels": out_channels,
            "params": params, "macs": macs,
            "naive_params": naive_params, "naive_macs": naive_macs,
            "naive_output_channels": block_channels if pooled and len(convs) <= 1 else out_channels,
        })
    return rows


def totals(rows: list[dict]) -> dict[str, int]:
    keys = ("params", "macs", "naive_params", "naive_macs", "output_channels", "naive_output_channels")
    return {k: int(np.sum([r[k] for r in rows])) for k in keys}
