"""Neurons, MLPs and backprop (course §1)."""
