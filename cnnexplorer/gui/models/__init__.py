"""The model explorer and the Inception view (course §3, §5, §7)."""
