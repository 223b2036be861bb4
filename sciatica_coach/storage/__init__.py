"""Storage: the one place that reads and writes the user's data file (TinyDB behind an atomic storage)."""
