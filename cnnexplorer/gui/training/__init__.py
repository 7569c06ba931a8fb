"""The training tab (course §1, §3, §5, §6): settings, the fit's worker thread, curves and results."""
