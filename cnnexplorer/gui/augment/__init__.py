"""The augmentation lab (course §6)."""
