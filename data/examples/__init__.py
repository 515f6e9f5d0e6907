"""Package data: the bundled sample thread (read with importlib.resources)."""
