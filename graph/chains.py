"""Rebuttal chains: simple paths along ``REBUTS`` (each claim rebuts the next), longest first.

Variable-length Cypher patterns enumerate every path and explode on dense or cyclic graphs, and
the two stores would not agree on their order. So chains are found here instead: the rebuttal
edges reachable from the start are fetched level by level (one indexed query per level), and a
depth-first search in Python enumerates the chains, never repeating a claim, within a budget of
steps. The same edges give the same chains on both stores.

A chain is *maximal*: it ends at a claim that rebuts nothing, or whose every target is already on
the chain (a cycle closes); and, when no start is given, it begins at a claim that nothing off the
chain rebuts. ``length`` counts rebuttals, so a chain has ``length + 1`` claims.

Only rebuttals the Graph page draws are followed: none of a post marked spam (``graph.scope``).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Literal

from argmap.graph.catalog import check_thread_ids
from argmap.graph.scope import claims_not_spam, not_spam, spam_claims, where
from argmap.graph.store import Store
from pydantic import BaseModel

from argmap.core.errors import ArgmapError

MAX_STEPS = 300_000  # DFS steps (each extends a path by one claim): about a second
MAX_CLAIMS = 100_000  # claims fetched when following chains from one claim
TIME_BUDGET_S = 5.0

Adjacency = dict[str, list[str]]


class Chain(BaseModel):
    """``claims[i]`` rebuts ``claims[i + 1]``; ``length`` is the number of rebuttals."""

    length: int
    claims: list[str]


class ChainSearch(BaseModel):
    """The chains found, and whether the search stopped at its budget before seeing them all."""

    chains: list[Chain]
    truncated: bool = False


def _adjacency(edges: Iterable[tuple[str, str]]) -> Adjacency:
    adj: Adjacency = {}
    for a, b in set(edges):
        adj.setdefault(a, []).append(b)
    for targets in adj.values():
        targets.sort()  # a fixed visiting order: the same chains, in the same order, everywhere
    return adj


_SEP = "\x1f"  # ASCII unit separator: never part of an argmap id


def all_rebuttals(store: Store, thread_ids: list[str] | None = None) -> list[tuple[str, str]]:
    """Every (rebutter, rebutted) pair of claims in the store, but those of spam posts; with
    ``thread_ids``, the pairs whose two claims are in those threads."""
    spam = spam_claims(store)
    match = "MATCH (a:Claim)-[:REBUTS]->(b:Claim) "
    params: dict[str, object] = {"spam": spam}
    if thread_ids is not None:
        # Clauses of their own: Neo4j never uses a relationship twice within one pattern, so a
        # claim rebutting itself would drop out of a single one.
        match += "MATCH (p:Post)-[:MAKES]->(a) MATCH (q:Post)-[:MAKES]->(b) "
        params["tids"] = thread_ids
    match += where(
        *(["p.thread_id IN $tids", "q.thread_id IN $tids"] if thread_ids is not None else []),
        claims_not_spam(spam, "a", "b"),
    )
    # One row holding a list of joined pairs: a third of the time of one row per edge (most
    # of the cost of a big result is per row, in the client).
    rows = store.run_read(
        match + "RETURN collect(a.id + $sep + b.id) AS pairs", {**params, "sep": _SEP}
    )
    joined = rows[0]["pairs"] if rows else []
    pairs = [tuple(p.split(_SEP)) for p in joined]
    if any(len(p) != 2 for p in pairs):  # an id with the separator in it: ask row by row
        rows = store.run_read(match + "RETURN a.id AS source, b.id AS target", params)
        return [(r["source"], r["target"]) for r in rows]
    return pairs


def reachable_rebuttals(
    store: Store,
    claim_id: str,
    direction: Literal["down", "up"] = "down",
    max_claims: int = MAX_CLAIMS,
) -> tuple[list[tuple[str, str]], bool]:
    """Rebuttal edges reachable from ``claim_id``: what it rebuts, transitively ("down"), or
    what rebuts it, transitively ("up"). One query per level; stops after ``max_claims``.
    A claim of a spam post is never reached (the caller checks ``claim_id``'s own post)."""
    # The post of each claim reached: one step per edge, cheaper than reading the list of
    # spam claims (a scan of every post) for a search that touches a few claims.
    query = (
        "UNWIND $ids AS id MATCH (a:Claim {id: id})-[:REBUTS]->(b:Claim) "
        "WITH a, b MATCH (p:Post)-[:MAKES]->(b) "
        if direction == "down"
        else "UNWIND $ids AS id MATCH (a:Claim)-[:REBUTS]->(b:Claim {id: id}) "
        "WITH a, b MATCH (p:Post)-[:MAKES]->(a) "
    ) + f"WHERE {not_spam('p')} RETURN a.id AS source, b.id AS target"
    seen = {claim_id}
    frontier = [claim_id]
    edges: list[tuple[str, str]] = []
    while frontier:
        if len(seen) > max_claims:
            return edges, True
        rows = store.run_read(query, {"ids": frontier})
        frontier = []
        for r in rows:
            edges.append((r["source"], r["target"]))
            nxt = r["target"] if direction == "down" else r["source"]
            if nxt not in seen:
                seen.add(nxt)
                frontier.append(nxt)
    return edges, False


class _Budget:
    def __init__(self, steps: int, seconds: float) -> None:
        self.steps = steps
        self.deadline = time.monotonic() + seconds
        self.exhausted = False

    def spend(self) -> bool:
        self.steps -= 1
        # Checking the clock every step would cost more than the step itself.
        if self.steps <= 0 or (self.steps % 4096 == 0 and time.monotonic() > self.deadline):
            self.exhausted = True
        return not self.exhausted


def _maximal_paths(adj: Adjacency, start: str, budget: _Budget) -> Iterable[list[str]]:
    """Every simple path from ``start`` that cannot be extended without repeating a claim."""
    path = [start]
    on_path = {start}
    stack = [iter(adj.get(start, ()))]
    extended = [False]
    while stack:
        nxt = next(stack[-1], None)
        if nxt is None:
            if not extended[-1]:
                yield list(path)
            stack.pop()
            extended.pop()
            on_path.discard(path.pop())
            continue
        if nxt in on_path:
            continue
        if not budget.spend():
            return
        extended[-1] = True
        path.append(nxt)
        on_path.add(nxt)
        stack.append(iter(adj.get(nxt, ())))
        extended.append(False)


def _components(adj: Adjacency) -> dict[str, int]:
    """Strongly connected components (Tarjan's algorithm, iterative): claim -> component."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    comp: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    nodes = sorted(set(adj) | {b for targets in adj.values() for b in targets})
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(adj.get(root, ())))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, it = work[-1]
            nxt = next(it, None)
            if nxt is not None:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(adj.get(nxt, ()))))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    comp[member] = index[node]
                    if member == node:
                        break
    return comp


def enumerate_chains(
    edges: Iterable[tuple[str, str]],
    start: str | None = None,
    end: str | None = None,
    min_length: int = 1,
    limit: int | None = None,
    max_steps: int = MAX_STEPS,
    seconds: float = TIME_BUDGET_S,
) -> ChainSearch:
    """Maximal rebuttal chains over ``edges``, longest first (ties: by their claim ids).

    ``start``: chains beginning at this claim, down to what it finally attacks. ``end``: chains
    ending at this claim, from the claims that open them. Neither: every chain in the graph
    that cannot be extended at either end.
    """
    if start is not None and end is not None:
        raise ArgmapError("give a chain's first claim or its last claim, not both")
    edges = list(edges)
    budget = _Budget(max_steps, seconds)
    found: list[list[str]] = []
    if end is not None:
        # Walk the reversed graph up from ``end``, then read each path backwards.
        up = _adjacency((b, a) for a, b in edges)
        found = [p[::-1] for p in _maximal_paths(up, end, budget)]
    elif start is not None:
        found = list(_maximal_paths(_adjacency(edges), start, budget))
    else:
        adj = _adjacency(edges)
        rebutters = _adjacency((b, a) for a, b in edges)
        component = _components(adj)
        for s in sorted(adj):
            # A chain can open at a rebutted claim only if all its rebutters lie on the chain,
            # so on a cycle through it: skip claims whose rebutters sit elsewhere.
            if any(component[r] != component[s] for r in rebutters.get(s, ())):
                continue
            for p in _maximal_paths(adj, s, budget):
                # Skip suffixes: a chain whose first claim is rebutted by a claim off the
                # chain is the tail of a longer one, found from that claim.
                on = set(p)
                if all(r in on for r in rebutters.get(s, ())):
                    found.append(p)
            if budget.exhausted:
                break
    chains = [p for p in found if len(p) - 1 >= max(min_length, 1)]
    chains.sort(key=lambda p: (-len(p), p))
    if limit is not None:
        chains = chains[:limit]
    return ChainSearch(
        chains=[Chain(length=len(p) - 1, claims=p) for p in chains],
        truncated=budget.exhausted,
    )


def find_chains(
    store: Store,
    from_claim: str | None = None,
    to_claim: str | None = None,
    min_length: int = 1,
    limit: int | None = 20,
    max_steps: int = MAX_STEPS,
    seconds: float = TIME_BUDGET_S,
    thread_ids: list[str] | None = None,
) -> ChainSearch:
    """Rebuttal chains in ``store``: from a claim, to a claim, or the whole graph's; with
    ``thread_ids``, only the chains whose every claim is in those threads (the dashboard's
    thread picker and ``argmap query chains --thread`` alike). A thread id the store lacks
    raises ``UnknownThread``: no chain there would read as "nobody answered anybody"."""
    scope = check_thread_ids(store, thread_ids)
    if scope is not None and from_claim is None and to_claim is None:
        # The threads' own rebuttals only (no relation crosses threads): the step budget goes
        # on them, not on other threads' chains, which once used it up first and left these
        # out (and a limit cannot cut in-scope chains that rank below other threads').
        return enumerate_chains(
            all_rebuttals(store, scope),
            min_length=min_length,
            limit=limit,
            max_steps=max_steps,
            seconds=seconds,
        )
    if scope is not None:
        # Every chain of the claim first, then the ones in scope: a limit cut before the scope
        # would lose in-scope chains that ranked below out-of-scope ones.
        every = find_chains(store, from_claim, to_claim, min_length, None, max_steps, seconds)
        kept = chains_in_threads(store, every.chains, scope)
        return ChainSearch(
            chains=kept if limit is None else kept[:limit], truncated=every.truncated
        )
    if from_claim is not None and to_claim is not None:
        raise ArgmapError("give --from or --to, not both")
    anchor = from_claim if from_claim is not None else to_claim
    truncated = False
    if anchor is None:
        edges = all_rebuttals(store)
    else:
        found = store.run_read(
            "MATCH (c:Claim {id: $id}) OPTIONAL MATCH (p:Post)-[:MAKES]->(c) "
            "RETURN c.id AS id, p.is_spam AS spam",
            {"id": anchor},
        )
        if not found:
            raise ArgmapError(
                f"no claim with id {anchor!r}; list claims with: argmap query search TEXT"
            )
        if found[0]["spam"] is True:  # out of the debate: no rebuttal of it counts
            return ChainSearch(chains=[])
        direction: Literal["down", "up"] = "down" if from_claim is not None else "up"
        edges, truncated = reachable_rebuttals(store, anchor, direction)
    result = enumerate_chains(
        edges,
        start=from_claim,
        end=to_claim,
        min_length=min_length,
        limit=limit,
        max_steps=max_steps,
        seconds=seconds,
    )
    result.truncated = result.truncated or truncated
    return result


def chains_in_threads(store: Store, chains: list[Chain], thread_ids: list[str]) -> list[Chain]:
    """The ``chains`` whose every claim belongs to one of ``thread_ids`` (a claim no longer in
    the graph does not count against its chain)."""
    ids = sorted({c for ch in chains for c in ch.claims})
    rows = store.run_read(
        "MATCH (p:Post)-[:MAKES]->(c:Claim) WHERE c.id IN $ids "
        "RETURN c.id AS id, p.thread_id AS thread_id",
        {"ids": ids},
    )
    thread_of = {r["id"]: r["thread_id"] for r in rows}
    scope = set(thread_ids)
    return [ch for ch in chains if all(thread_of[c] in scope for c in ch.claims if c in thread_of)]
