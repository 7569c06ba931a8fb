"""Keras models (course §3, §5, §7): the zoo, user files, layer taps, preprocessing, Inception blocks."""
