"""Neurons, MLPs and backpropagation in plain numpy (course §1), and their toy data."""
