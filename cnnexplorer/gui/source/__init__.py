"""The frame source: its Qt model (controller) and the dock that picks and shows it."""
