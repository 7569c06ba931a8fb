"""Data augmentation (course §6) on Keras preprocessing layers."""
