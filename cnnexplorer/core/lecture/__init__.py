"""Lecture scripts: scenes (a panel and its state) stepped through in class, kept as JSON."""
