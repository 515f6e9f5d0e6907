"""Scheduling posts after the posts they depend on, with at most N jobs in flight.

A node is started once every node it depends on (its parent; on a flattened page every post it
may answer) has finished successfully; dependencies that are not among the nodes, such as the
article when it is already extracted, count as finished. Starting a node
either settles it at once (a cached answer, a refusal to spend more) or hands back a ``Later``
to run in the thread pool. Results are yielded as they settle; when a node fails, everything
that depends on it is settled as ``blocked`` without running, so replies never run without the
claims they would answer.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass
class Later(Generic[T]):
    """Work to run in the pool; its return value is the node's result."""

    run: Callable[[], T]


def run_tree(
    nodes: Sequence[str],
    deps_of: Mapping[str, Sequence[str]],
    start: Callable[[str], T | Later[T]],
    finish: Callable[[str, T], bool],
    blocked: Callable[[str], T],
    concurrency: int,
) -> Iterator[T]:
    """Yield one result per node, dependencies first, at most ``concurrency`` in flight.

    ``start(node)`` is called (in this thread) when the node's dependencies have finished;
    ``finish`` (also in this thread) records a result and says whether it succeeded, before any
    dependent starts; ``blocked(node)`` is the result of a node that depends on a failed one.
    """
    order = {node: i for i, node in enumerate(nodes)}
    children: dict[str, list[str]] = {node: [] for node in nodes}
    waiting: dict[str, int] = {}
    ready: list[tuple[int, str]] = []
    for node in nodes:
        deps = {d for d in deps_of.get(node, ()) if d in children and d != node}
        for dep in deps:
            children[dep].append(node)
        waiting[node] = len(deps)
        if not deps:
            ready.append((order[node], node))
    heapq.heapify(ready)
    settled: set[str] = set()

    def settle(node: str, result: T) -> Iterator[T]:
        settled.add(node)
        ok = finish(node, result)
        yield result
        if ok:
            for child in children[node]:
                waiting[child] -= 1
                if waiting[child] == 0 and child not in settled:
                    heapq.heappush(ready, (order[child], child))
            return
        stack = list(children[node])
        while stack:
            below = stack.pop()
            if below in settled:
                continue
            settled.add(below)
            yield blocked(below)
            stack.extend(children[below])

    pool = ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="argmap-extract")
    running: dict[Future, str] = {}
    try:
        while ready or running:
            while ready and len(running) < max(1, concurrency):
                _, node = heapq.heappop(ready)
                step = start(node)
                if isinstance(step, Later):
                    running[pool.submit(step.run)] = node
                else:
                    yield from settle(node, step)
            if running:
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in sorted(finished, key=lambda f: order[running[f]]):
                    node = running.pop(future)
                    yield from settle(node, future.result())
        # Nodes caught in a dependency cycle never became ready: they are blocked, not lost.
        for node in nodes:
            if node not in settled:
                yield blocked(node)
    finally:
        # On an early exit (interrupt, the consumer stopped) queued work is dropped;
        # requests already in flight finish in the background and their answers are cached.
        pool.shutdown(wait=not running, cancel_futures=True)
