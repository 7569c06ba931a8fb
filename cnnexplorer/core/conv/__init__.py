"""Convolution and pooling (course §4): the operations, the lab's pipeline, kernels, filter banks."""
