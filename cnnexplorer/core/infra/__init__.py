"""Plumbing: resource and data paths, settings, logs, timings."""
