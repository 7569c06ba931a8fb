"""cnnexplorer: teach and explore convolutional neural networks live."""

__version__ = "0.1.0"
