"""Lecture mode: scenes stepped in class, snapshots and recordings."""
