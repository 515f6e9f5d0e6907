"""Whole-graph reads that answer from the writer's summary (``graph.summary``) when it is fresh.

Each function has the signature and the result of the live function it stands for
(``graph.overview``, ``graph.counts``, ``graph.queries``, ``graph.subgraph``): it reads the stored field when the
whole store is asked for, the summary was computed at the current revision and holds enough
rows, and otherwise computes live exactly as before. Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, TypeVar

from argmap.graph import overview, queries, semantics
from argmap.graph.chains import find_chains
from argmap.graph.counts import Counts
from argmap.graph.counts import counts as live_counts
from argmap.graph.scope import thread_scope
from argmap.graph.store import Store
from argmap.graph.subgraph import ThreadInfo, WholeRanking, most_rebutted_claim
from argmap.graph.summary import CHAINS, CHOICES, TOP, GroundedSets, LongestChains, stored_field
from pydantic import BaseModel

T = TypeVar("T")


def _whole(store: Store, thread_ids: list[str] | None, field: str) -> Any | None:
    return stored_field(store, field) if thread_scope(thread_ids) is None else None


def _first(rows: list[T] | None, limit: int | None, kept: int) -> list[T] | None:
    """``rows[:limit]`` when the stored rows cover it (fewer than ``kept`` means all of them)."""
    if rows is None:
        return None
    if len(rows) < kept or (limit is not None and limit <= kept):
        return rows[:limit] if limit is not None else rows
    return None


def thread_list(store: Store) -> list[dict[str, Any]]:
    """``overview.thread_list``."""
    got = stored_field(store, "thread_list")
    return got if got is not None else overview.thread_list(store)


def counts(store: Store, thread_ids: list[str] | None = None) -> Counts:
    """``graph.counts.counts``."""
    got = _whole(store, thread_ids, "counts")
    return got if got is not None else live_counts(store, thread_ids)


def date_span(store: Store, thread_ids: list[str] | None = None) -> tuple[str | None, str | None]:
    """``overview.date_span``."""
    got = _whole(store, thread_ids, "date_span")
    if got is None:
        return overview.date_span(store, thread_ids)
    first, last = got
    return first, last


def activity(
    store: Store, thread_ids: list[str] | None = None, granularity: overview.Granularity = "day"
) -> list[dict[str, Any]]:
    """``overview.activity``."""
    got = _whole(store, thread_ids, "activity")
    if got is not None and granularity in got:
        return list(got[granularity])
    return overview.activity(store, thread_ids, granularity)


def active_debaters(
    store: Store, thread_ids: list[str] | None = None, limit: int = 10
) -> list[overview.Debater]:
    """``overview.active_debaters``."""
    got = _first(_whole(store, thread_ids, "active_debaters"), limit, TOP)
    return got if got is not None else overview.active_debaters(store, thread_ids, limit)


def extraction_info(store: Store, thread_ids: list[str] | None = None) -> list[overview.Extraction]:
    """``overview.extraction_info``."""
    got = _whole(store, thread_ids, "extraction_info")
    return got if got is not None else overview.extraction_info(store, thread_ids)


def people(store: Store, thread_ids: list[str] | None = None) -> list[str]:
    """``overview.people``."""
    got = _whole(store, thread_ids, "people")
    return got if got is not None else overview.people(store, thread_ids)


def claim_choices(
    store: Store,
    thread_ids: list[str] | None = None,
    limit: int = 1000,
    only_rebutted: bool = False,
) -> list[overview.ClaimChoice]:
    """``overview.claim_choices``."""
    got = (
        None
        if only_rebutted
        else _first(_whole(store, thread_ids, "claim_choices"), limit, CHOICES)
    )
    return (
        got if got is not None else overview.claim_choices(store, thread_ids, limit, only_rebutted)
    )


def rebuttal_choices(
    store: Store, thread_ids: list[str] | None = None, limit: int = 1000
) -> list[overview.ClaimChoice]:
    """``overview.rebuttal_choices``."""
    got = _first(_whole(store, thread_ids, "rebuttal_choices"), limit, CHOICES)
    return got if got is not None else overview.rebuttal_choices(store, thread_ids, limit)


def theses(store: Store, thread_ids: list[str] | None = None) -> list[queries.ThesisRow]:
    """``queries.theses``."""
    got = _whole(store, thread_ids, "theses")
    return got if got is not None else queries.theses(store, thread_ids)


def contested(
    store: Store, limit: int | None = 20, thread_ids: list[str] | None = None
) -> list[queries.ContestedRow]:
    """``queries.contested``."""
    got = _first(_whole(store, thread_ids, "contested"), limit, TOP)
    return got if got is not None else queries.contested(store, limit, thread_ids)


def unanswered(
    store: Store, limit: int | None = None, thread_ids: list[str] | None = None
) -> list[queries.UnansweredRow]:
    """``queries.unanswered``."""
    got = _first(_whole(store, thread_ids, "unanswered"), limit, TOP)
    return got if got is not None else queries.unanswered(store, limit, thread_ids)


def unanswered_count(store: Store, thread_ids: list[str] | None = None) -> int:
    """``queries.unanswered_count``."""
    got = _whole(store, thread_ids, "unanswered_count")
    return int(got) if got is not None else queries.unanswered_count(store, thread_ids)


def interactions(
    store: Store,
    include_self: bool = False,
    thread_ids: list[str] | None = None,
    limit: int | None = None,
) -> list[queries.InteractionRow]:
    """``queries.interactions``."""
    got = None if include_self else _first(_whole(store, thread_ids, "interactions"), limit, TOP)
    return got if got is not None else queries.interactions(store, include_self, thread_ids, limit)


def most_rebutted(
    store: Store, thread_ids: list[str] | None = None, min_confidence: float = 0.0
) -> str | None:
    """``subgraph.most_rebutted_claim``."""
    if min_confidence == 0.0 and thread_scope(thread_ids) is None:
        # The field is None both when it is stale and when nothing is rebutted: ask which.
        from argmap.graph.summary import is_fresh

        if is_fresh(store):
            return stored_field(store, "most_rebutted")
    return most_rebutted_claim(store, thread_ids, min_confidence)


def thread_infos(store: Store) -> dict[str, ThreadInfo]:
    """Every thread as a subgraph describes it, by id, from a fresh summary; empty when it is
    stale (``select_subgraph`` then reads the threads it shows)."""
    got: list[ThreadInfo] | None = stored_field(store, "thread_infos")
    # One stored before spam was counted apart (``spam`` unset) counted it in: read live.
    return {t.id: t for t in got or [] if t.spam is not None}


def whole_ranking(store: Store) -> WholeRanking | None:
    """The Graph page's default whole-graph cap order (``subgraph.rank_whole_graph``) from a
    fresh summary, else None; ``select_subgraph`` uses it only for a selection it answers
    (``WholeRanking.kept``) and selects live otherwise."""
    got: WholeRanking | None = stored_field(store, "whole_ranking")
    return got


class GroundedLabels(Mapping[str, str]):
    """Grounded labels of the claims of one graph: the stored OUT and UNDEC claims, and IN for
    every other claim (look up claims of that graph only). Iterates over the non-IN claims."""

    def __init__(self, sets: GroundedSets) -> None:
        self._labels = {c: "OUT" for c in sets.out} | {c: "UNDEC" for c in sets.undec}

    def __getitem__(self, claim_id: str) -> str:
        return self._labels.get(claim_id, "IN")

    def __iter__(self) -> Iterator[str]:
        return iter(self._labels)

    def __len__(self) -> int:
        return len(self._labels)


def grounded_labels(store: Store) -> Mapping[str, str]:
    """The grounded label of every claim (``semantics.grounded_labelling`` over the store)."""
    got: GroundedSets | None = stored_field(store, "grounded")
    if got is not None:
        return GroundedLabels(got)
    fw = semantics.framework(store)
    return semantics.grounded_labelling(fw.arguments, fw.attacks)


class ChainDigest(BaseModel):
    """A chain search as a page shows it: the first chains, oldest claim first."""

    total: int
    longest: int
    shown: list[list[str]]
    truncated: bool


def _digest(sequences: Sequence[list[str]], total: int, shown: int, truncated: bool) -> ChainDigest:
    return ChainDigest(
        total=total,
        longest=max((len(s) - 1 for s in sequences), default=0),
        shown=list(sequences[:shown]),
        truncated=truncated,
    )


def chain_digest(
    store: Store,
    from_claim: str | None = None,
    to_claim: str | None = None,
    thread_ids: list[str] | None = None,
    shown: int = 10,
) -> ChainDigest:
    """Rebuttal chains (``graph.chains``), each read oldest claim first: how many, the longest
    length, the first ``shown``."""
    if from_claim is None and to_claim is None and thread_scope(thread_ids) is None:
        got: LongestChains | None = stored_field(store, "longest_chains")
        if got is not None and shown <= CHAINS:
            # Longest first: the first stored chain is the longest of them all.
            sequences = [list(reversed(c)) for c in got.chains]
            return _digest(sequences, got.total, shown, got.truncated)
    # The same chains `argmap query chains --thread` lists (graph.chains scopes them).
    search = find_chains(
        store, from_claim=from_claim, to_claim=to_claim, limit=None, thread_ids=thread_ids
    )
    # graph.chains lists claim ids, each rebutting the next; a reader wants the oldest first.
    sequences = [list(reversed(c.claims)) for c in search.chains]
    return _digest(sequences, len(sequences), shown, search.truncated)
