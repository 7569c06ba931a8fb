"""Image basics (course §2): the frame as numbers, channels, bit depth and resolution."""
