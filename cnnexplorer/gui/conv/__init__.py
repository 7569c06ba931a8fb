"""The convolution lab and the filter bank (course §4)."""
