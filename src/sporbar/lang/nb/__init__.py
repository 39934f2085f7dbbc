"""Norwegian Bokmål language data."""
