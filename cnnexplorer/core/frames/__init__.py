"""Frames and where they come from: sources, patterns, image files, the latest-wins pump."""
