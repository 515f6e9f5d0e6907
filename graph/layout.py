"""Layered layout shared by the picture and the interactive page: which row each claim sits in.

Rows count relation steps from the focus claim; for a whole graph, from the claims that answer
nothing shown (so rebutted claims sit above their rebuttals). Within a layer, claims are ordered
by the barycentre heuristic (a few sweeps down and up), which removes most edge crossings.
A layer too wide for one row wraps: either as a block (``ordered_layers`` then the picture's
``wrap_rows``), or nested (``nested_rows``: each row followed by the answers to its claims).
"""

from __future__ import annotations

import math
from collections import defaultdict, deque

from argmap.graph.subgraph import Subgraph


def _adjacency(sg: Subgraph) -> dict[str, set[str]]:
    adj: dict[str, set[str]] = defaultdict(set)
    for e in sg.edges:
        adj[e.source].add(e.target)
        adj[e.target].add(e.source)
    return adj


def layers(sg: Subgraph) -> dict[str, int]:
    """Claim id -> layer (0 at the top)."""
    if sg.focus is not None:
        return {n.id: n.hop or 0 for n in sg.nodes}
    ids = [n.id for n in sg.nodes]
    answers = {e.source for e in sg.edges}
    answered = {e.target for e in sg.edges}
    adj = _adjacency(sg)
    layer: dict[str, int] = {}

    def bfs(roots: list[str]) -> None:
        queue = deque(roots)
        for r in roots:
            layer[r] = 0
        while queue:
            cur = queue.popleft()
            for nxt in sorted(adj[cur]):
                if nxt not in layer:
                    layer[nxt] = layer[cur] + 1
                    queue.append(nxt)

    bfs([i for i in ids if i in answered and i not in answers])
    for i in ids:  # what is left: cycles (start at the most answered claim) and isolated claims
        if i not in layer:
            rest = [j for j in ids if j not in layer and j in adj]
            root = max(rest, key=lambda j: sum(e.target == j for e in sg.edges)) if adj[i] else i
            bfs([root])
    return layer


def ordered_layers(
    sg: Subgraph, layer: dict[str, int] | None = None, sweeps: int = 4
) -> list[list[str]]:
    """Claim ids per layer, top to bottom, ordered to reduce edge crossings."""
    layer = layer if layer is not None else layers(sg)
    rows: list[list[str]] = [[] for _ in range(max(layer.values(), default=-1) + 1)]
    for n in sg.nodes:  # nodes come sorted by hop, thread, post position: a sensible start
        rows[layer[n.id]].append(n.id)
    adj = _adjacency(sg)

    def sweep(row: list[str], ref: list[str]) -> list[str]:
        pos = {cid: i / max(len(ref) - 1, 1) for i, cid in enumerate(ref)}

        def key(item: tuple[int, str]) -> tuple[float, int]:
            i, cid = item
            near = [pos[o] for o in adj[cid] if o in pos]
            return (sum(near) / len(near) if near else i / max(len(row) - 1, 1), i)

        return [cid for _, cid in sorted(enumerate(row), key=key)]

    for _ in range(sweeps):
        for k in range(1, len(rows)):
            rows[k] = sweep(rows[k], rows[k - 1])
        for k in range(len(rows) - 2, -1, -1):
            rows[k] = sweep(rows[k], rows[k + 1])
    return [r for r in rows if r]


def chunks(items: list[str], per_row: int) -> list[list[str]]:
    """``items`` cut into consecutive rows of at most ``per_row``, as even as they can be."""
    if not items:
        return []
    size = math.ceil(len(items) / math.ceil(len(items) / per_row))
    return [items[i : i + size] for i in range(0, len(items), size)]


def nested_rows(sg: Subgraph, per_row: int) -> list[list[str]]:
    """Rows of at most ``per_row`` claims, each followed by the rows answering it.

    A wide layer wrapped as a block puts a reply rows away from what it answers; here each
    row of a layer is followed at once by the next layer's claims that hang from it (each
    claim under the first of its claims one layer up), then the layer's next row, and so on.
    """
    layer = layers(sg)
    ordered = ordered_layers(sg, layer)
    order = {cid: i for row in ordered for i, cid in enumerate(row)}
    adj = _adjacency(sg)
    kids: dict[str, list[str]] = defaultdict(list)
    roots: list[str] = []
    for layer_row in ordered:
        for cid in layer_row:
            ups = [p for p in adj[cid] if layer[p] == layer[cid] - 1]
            if ups:
                kids[min(ups, key=order.__getitem__)].append(cid)
            else:  # a root; also anything a cut left without a parent (cannot happen, but stay whole)
                roots.append(cid)
    rows: list[list[str]] = []
    stack = [iter(chunks(roots, per_row))]  # explicit stack: a chain may be deeper than recursion
    while stack:
        row = next(stack[-1], None)
        if row is None:
            stack.pop()
            continue
        rows.append(row)
        below = [c for p in row for c in kids[p]]
        if below:
            stack.append(iter(chunks(below, per_row)))
    return rows


def components(sg: Subgraph) -> list[Subgraph]:
    """Connected parts of ``sg``, biggest first; claims with no relation shown form one last part."""
    parent = {n.id: n.id for n in sg.nodes}

    def root(c: str) -> str:
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for e in sg.edges:
        parent[root(e.source)] = root(e.target)
    linked = {e.source for e in sg.edges} | {e.target for e in sg.edges}
    groups: dict[str | None, list] = defaultdict(list)  # None: the claims with no relation
    for n in sg.nodes:
        groups[root(n.id) if n.id in linked else None].append(n)
    parts = []
    for key in sorted(groups, key=lambda k: (k is None, -len(groups[k]))):
        ids = {n.id for n in groups[key]}
        edges = [e for e in sg.edges if e.source in ids]
        parts.append(sg.model_copy(update={"nodes": groups[key], "edges": edges}))
    return parts
