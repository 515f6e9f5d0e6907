"""Package data: the LLM prompts, one versioned Markdown file each (read with importlib.resources)."""
