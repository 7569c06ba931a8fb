"""Headless core: numpy, OpenCV and Keras only. Nothing here imports Qt."""
