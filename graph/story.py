"""Story-first order of the claims around a focus claim: which ones a capped picture keeps.

A picture of a much-debated claim cannot show everything, so it tells one story: the focus
claim, then its strongest answers (the rebuttals and supports of it, most confident first,
then those that drew most answers themselves, then the earliest), then the strongest answers to
each of those, a few per claim so one busy branch does not crowd out the rest. Whatever else
the neighbourhood holds (what the focus itself answers, claims further out, weaker answers)
follows in the old order: nearest first, then most connected, then earliest.

``keep_claims`` is the cap every selection applies: story first around a focus, whole
conversations first for a whole graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

FIRST_ANSWERS = 5  # answers to the focus claim in the first pass
LATER_ANSWERS = 2  # answers to each of those


class Edge(Protocol):
    @property
    def source(self) -> str: ...
    @property
    def target(self) -> str: ...
    @property
    def confidence(self) -> float | None: ...


def story_order(
    focus: str,
    ids: Sequence[str],
    edges: Sequence[Edge],
    hops: dict[str, int],
    meta: dict[str, dict[str, Any]],
    first: int = FIRST_ANSWERS,
    later: int = LATER_ANSWERS,
) -> list[str]:
    """``ids`` (which include ``focus``) in the order a capped picture should keep them."""
    present = set(ids)
    answers: dict[str, list[tuple[str, float]]] = defaultdict(list)
    degree: dict[str, int] = defaultdict(int)
    for e in edges:
        if e.source in present and e.target in present:
            conf = e.confidence if e.confidence is not None else 1.0
            answers[e.target].append((e.source, conf))
            degree[e.source] += 1
            degree[e.target] += 1

    def when(cid: str) -> tuple:
        m = meta.get(cid, {})
        return (m.get("position") or 0, m.get("start") or 0, cid)

    def strongest(cid: str) -> list[str]:
        best: dict[str, float] = {}
        for src, conf in answers[cid]:
            best[src] = max(conf, best.get(src, 0.0))
        return sorted(best, key=lambda s: (-best[s], -len(answers[s]), when(s)))

    order = [focus]
    seen = {focus}
    level = [focus]
    limit = first
    while level:  # breadth first down the answers, a few per claim
        nxt = []
        for cid in level:
            taken = 0
            for src in strongest(cid):
                if src not in seen and taken < limit:
                    seen.add(src)
                    order.append(src)
                    nxt.append(src)
                    taken += 1
        level, limit = nxt, later
    rest = sorted(
        (cid for cid in ids if cid not in seen),
        key=lambda c: (hops.get(c, 0), -degree[c], *when(c)),
    )
    neighbours: dict[str, set[str]] = defaultdict(set)
    for e in edges:
        neighbours[e.source].add(e.target)
        neighbours[e.target].add(e.source)
    while rest:  # the rest, each next to one already kept, so a cut picture stays connected
        pick = next((c for c in rest if neighbours[c] & seen), rest[0])
        rest.remove(pick)
        seen.add(pick)
        order.append(pick)
    return order


def whole_order(
    ids: Sequence[str], pairs: Iterable[tuple[str, str]], meta: dict[str, dict]
) -> list[str]:
    """A whole graph's claims ``ids`` in the order its cap keeps them, given its relations as
    (source, target) ``pairs``: whole conversations first (connected parts, biggest first, each
    entered at its most connected claim and walked breadth-first, so a part cut short stays
    connected), claims with no relation last; never a claim whose only partner was cut away
    while room was left. Any cap keeps a prefix of it, which is what lets the writer's summary
    keep the first few hundred (``graph.summary``)."""
    pairs = list(pairs)
    degree: dict[str, int] = defaultdict(int)
    for source, target in pairs:
        degree[source] += 1
        degree[target] += 1

    def rank(cid: str) -> tuple:
        m = meta[cid]
        return (-degree[cid], m.get("position") or 0, m.get("start") or 0, cid)

    ranked = sorted(ids, key=rank)
    # Claims by their place in that order: neighbours sort as numbers, not fresh tuples (the
    # whole 100k-comment graph is 127k claims; this walk took 1.3 s with ids and tuples).
    place = {cid: i for i, cid in enumerate(ranked)}
    adj: list[list[int]] = [[] for _ in ranked]
    for source, target in pairs:
        i, j = place.get(source), place.get(target)
        if i is not None and j is not None:
            adj[i].append(j)
            adj[j].append(i)
    seen = bytearray(len(ranked))
    parts: list[list[int]] = []
    for start in range(len(ranked)):  # most connected first: each part entered at its hub
        if seen[start]:
            continue
        part, queue = [start], [start]
        seen[start] = 1
        while queue:
            nxt = []
            for i in queue:
                for j in sorted(adj[i]):
                    if not seen[j]:
                        seen[j] = 1
                        part.append(j)
                        nxt.append(j)
            queue = nxt
        parts.append(part)
    parts.sort(key=lambda p: (len(p) == 1, -len(p), p[0]))
    return [ranked[i] for part in parts for i in part]


def keep_claims(
    ids: list[str], edges: Sequence[Edge], hops: dict[str, int], meta: dict[str, dict], cap: int
) -> set[str]:
    """The ``cap`` claims to keep: story first around a focus (``story_order``), whole
    conversations first for a whole graph (``whole_order``)."""
    if hops:
        focus = min(hops, key=hops.__getitem__)
        return set(story_order(focus, ids, edges, hops, meta)[:cap])
    return set(whole_order(ids, ((e.source, e.target) for e in edges), meta)[:cap])
