"""Benchmarks: ``python -m cnnexplorer.bench NAME``."""
