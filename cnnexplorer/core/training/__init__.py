"""Training (course §1, §3, §5, §6): datasets, model builders, the fit and its saved run."""
