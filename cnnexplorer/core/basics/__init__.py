"""Image basics (course §2): pixels, channels, bit depth, resolution."""
