"""What one embedded FalkorDB server may use: memory and time per query, memory in all.

FalkorDB checks the memory cap as a query allocates; a range() that asks for gigabytes in one
piece is refused before it is sent (graph.cypher_guard). Past ``maxmemory`` (half the machine's
memory) the server refuses writes instead of growing until the kernel kills it.
"""

from __future__ import annotations

import os

# One query's memory and time.
QUERY_MEM_CAPACITY = 512 * 1024 * 1024
MAX_TIMEOUT_MS = 300_000


def machine_memory() -> int:
    """Physical memory in bytes (0 when the platform does not say)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 0


def server_limits() -> list[str]:
    """FalkorDB module arguments: per-query memory and time caps, effects in the log."""
    return [
        "QUERY_MEM_CAPACITY",
        str(QUERY_MEM_CAPACITY),
        "TIMEOUT_MAX",
        str(MAX_TIMEOUT_MS),
        "TIMEOUT_DEFAULT",
        str(MAX_TIMEOUT_MS),
        # Log what each write changed, not the query: replaying effects is fast.
        "EFFECTS_THRESHOLD",
        "0",
    ]


def maxmemory_args() -> list[str]:
    """``redis-server`` arguments capping the server at half the machine's memory (none where
    the platform does not say how much there is)."""
    total = machine_memory()
    if not total:
        return []
    # noeviction: past the limit writes fail with an error; reads and existing data are kept.
    return ["--maxmemory", str(total // 2), "--maxmemory-policy", "noeviction"]
