"""Derived data a writer refreshes: the whole graph's aggregates, computed once per revision.

The Overview's numbers and tables, the pickers' lists, the grounded labels, the longest
rebuttal chains, the threads' comment counts and the Graph page's "whole graph" choice each
read the whole graph (seconds at 100k comments). So the writers compute them once, after they
have written (the ingest pipeline's last step, a review edit: ``graph.summary_refresh``,
``argmap db refresh``), and keep them on one node next to the revision:
``(:Meta {id: 'summary', revision, <field>: JSON, ...})``, stamped with the revision they were
computed at. Readers (``graph.summary_reads``) use a field only while that stamp equals the
graph's current revision; any later write makes the whole summary stale, and they compute live
again, so no stale number is ever shown. Readers never write.

Only the whole store is summarised (a thread filter is computed live), and ranked tables keep
their first ``TOP`` rows: a reader asking for more computes live.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from argmap.graph import counts, overview, queries, semantics
from argmap.graph.chains import find_chains
from argmap.graph.revision import META_LABEL, current_revision
from argmap.graph.schema import id_seek
from argmap.graph.store import Store
from argmap.graph.subgraph import (
    Selection,
    ThreadInfo,
    WholeRanking,
    most_rebutted_claim,
    rank_whole_graph,
    thread_infos,
)
from pydantic import BaseModel, TypeAdapter

SUMMARY_ID = "summary"
# How the fields are computed: raised when a field's meaning changes (counts that leave spam
# out, a claim or a relation of a post marked spam out of the debate, in the counts (3) and in
# every table, picker and chain (4); pickers' ties broken by claim id, not by the store's
# internal ids (5); threads told with their language (6); unanswered objections by thread oldest
# first, as argmap threads lists them, not by thread id (7)), so a summary an older argmap stored
# is stale and readers compute live until the next refresh, instead of showing its old numbers.
SUMMARY_FORMAT = 7
TOP = 50  # rows kept of each ranked table (the dashboard shows 10)
CHOICES = 1000  # claims kept for the pickers (the dashboard lists 1000)
CHAINS = 50  # longest chains kept (the Chains page shows 10)
GRANULARITIES: tuple[overview.Granularity, ...] = ("hour", "day", "month", "year")
# The Graph page's "whole graph" before any other filter is touched (dashboard.filters): its
# cap order is kept for the first WHOLE_KEPT claims, the most that page ever draws.
WHOLE_GRAPH = Selection(connected_only=True, min_confidence=0.0)
WHOLE_KEPT = 500


class GroundedSets(BaseModel):
    """The grounded labelling, as the claims that are not IN (every other claim is IN)."""

    out: list[str] = []
    undec: list[str] = []


class LongestChains(BaseModel):
    """The whole graph's chain search: how many chains, the first ``CHAINS`` (longest first)."""

    total: int = 0
    chains: list[list[str]] = []
    truncated: bool = False


class Summary(BaseModel):
    """Everything a writer keeps for the whole store (each field one property of the node)."""

    thread_list: list[dict[str, Any]]
    counts: counts.Counts
    date_span: tuple[str | None, str | None]
    activity: dict[str, list[dict[str, Any]]]
    theses: list[queries.ThesisRow]
    contested: list[queries.ContestedRow]
    unanswered: list[queries.UnansweredRow]
    unanswered_count: int
    active_debaters: list[overview.Debater]
    interactions: list[queries.InteractionRow]
    extraction_info: list[overview.Extraction]
    people: list[str]
    claim_choices: list[overview.ClaimChoice]
    rebuttal_choices: list[overview.ClaimChoice]
    most_rebutted: str | None
    grounded: GroundedSets
    longest_chains: LongestChains
    thread_infos: list[ThreadInfo]
    whole_ranking: WholeRanking


FIELDS: tuple[str, ...] = tuple(Summary.model_fields)
_ADAPTERS: dict[str, TypeAdapter[Any]] = {
    name: TypeAdapter(info.annotation)
    for name, info in Summary.model_fields.items()
    if info.annotation
}


def _grounded(store: Store) -> GroundedSets:
    fw = semantics.framework(store)
    labels = semantics.grounded_labelling(fw.arguments, fw.attacks)
    return GroundedSets(
        out=sorted(c for c, lab in labels.items() if lab == "OUT"),
        undec=sorted(c for c, lab in labels.items() if lab == "UNDEC"),
    )


def _longest_chains(store: Store) -> LongestChains:
    found = find_chains(store, limit=None)
    return LongestChains(
        total=len(found.chains),
        chains=[c.claims for c in found.chains[:CHAINS]],
        truncated=found.truncated,
    )


class Superseded(Exception):
    """A refresh given up half-way: the graph changed under it, so its result would be stale."""


def _never() -> bool:
    return False


def compute_summary(store: Store, stop: Callable[[], bool] = _never) -> Summary:
    """Compute every field live (what a reader would compute without the summary).

    ``stop`` is asked before each field (each one or a few whole-graph reads); when it says
    so, ``Superseded`` is raised instead of computing the rest.
    """
    steps: dict[str, Callable[[], Any]] = {
        "thread_list": lambda: overview.thread_list(store),
        "counts": lambda: counts.counts(store),
        "date_span": lambda: overview.date_span(store),
        "activity": lambda: {g: overview.activity(store, None, g) for g in GRANULARITIES},
        "theses": lambda: queries.theses(store),
        "contested": lambda: queries.contested(store, limit=TOP),
        "unanswered": lambda: queries.unanswered(store, limit=TOP),
        "unanswered_count": lambda: queries.unanswered_count(store),
        "active_debaters": lambda: overview.active_debaters(store, limit=TOP),
        "interactions": lambda: queries.interactions(store, limit=TOP),
        "extraction_info": lambda: overview.extraction_info(store),
        "people": lambda: overview.people(store),
        "claim_choices": lambda: overview.claim_choices(store, limit=CHOICES),
        "rebuttal_choices": lambda: overview.rebuttal_choices(store, limit=CHOICES),
        "most_rebutted": lambda: most_rebutted_claim(store),
        "grounded": lambda: _grounded(store),
        "longest_chains": lambda: _longest_chains(store),
        "thread_infos": lambda: thread_infos(store, [t["id"] for t in values["thread_list"]]),
        "whole_ranking": lambda: rank_whole_graph(store, WHOLE_GRAPH, keep=WHOLE_KEPT),
    }
    values: dict[str, Any] = {}
    for name, step in steps.items():
        if stop():
            raise Superseded(f"the graph changed while its summary was computed ({name} next)")
        values[name] = step()
    return Summary(**values)


class Refreshed(BaseModel):
    """What ``refresh_summary`` did: the revision it stamped, and how long it took.

    ``written`` is False when the graph already held a summary stamped with a later revision
    (another process refreshed after this one read the revision): that one is kept.
    """

    revision: int
    seconds: float
    written: bool = True


def refresh_summary(
    store: Store,
    compute: Callable[[Store, Callable[[], bool]], Summary] = compute_summary,
    give_up_when_changed: bool = False,
) -> Refreshed:
    """Compute the summary and keep it in the graph, stamped with the revision it was read at.

    The revision is read before computing: a write landing meanwhile raises it, so the stamp
    no longer matches and readers compute live until the next refresh (never a stale number).
    With ``give_up_when_changed`` such a write makes the refresh stop at its next field and
    raise ``Superseded`` (a background refresh: its result would be stale, and the next one is
    coming). A summary stamped with a later revision is never overwritten by an older one. Does
    not raise the revision itself: the summary is derived, not data. ``compute`` is
    ``compute_summary`` (a test wraps it to hold a refresh half-way).
    """
    started = time.perf_counter()
    revision = current_revision(store)

    def changed() -> bool:
        return give_up_when_changed and current_revision(store) != revision

    summary = compute(store, changed)
    props = {f: json.dumps(v, ensure_ascii=False) for f, v in summary.model_dump().items()}
    rows = store.run(
        f"MERGE (s:{META_LABEL} {{id: $id}}) WITH s WHERE coalesce(s.revision, 0) <= $revision "
        "SET s += $props, s.revision = $revision, s.format = $format "
        "RETURN s.revision AS stamped",
        {"id": SUMMARY_ID, "props": props, "revision": revision, "format": SUMMARY_FORMAT},
    )
    return Refreshed(
        revision=revision, seconds=round(time.perf_counter() - started, 3), written=bool(rows)
    )


def _summary_and_revision(store: Store) -> str:
    """The summary node ``s`` and the revision node ``r`` (optional), each found by an id seek."""
    return (
        f"MATCH (s:{META_LABEL} {{id: $id}}){id_seek(store, 's', META_LABEL)} "
        f"OPTIONAL MATCH (r:{META_LABEL} {{id: $rid}}){id_seek(store, 'r', META_LABEL)}"
    )


def stored_field(store: Store, field: str) -> Any | None:
    """One field of the summary if it is fresh (stamped with the current revision), else None.

    One read: the field and both revisions together, so a write between two reads cannot
    pair a fresh stamp with an old value.
    """
    if field not in _ADAPTERS:  # field names are interpolated below: only known ones
        raise ValueError(f"no summary field {field!r}")
    rows = store.run_read(
        f"{_summary_and_revision(store)} RETURN s.revision AS stamped, "
        f"coalesce(r.value, 0) AS now, s.format AS format, s.{field} AS value",
        {"id": SUMMARY_ID, "rid": "revision"},
    )
    if not rows or rows[0]["value"] is None or rows[0]["stamped"] != rows[0]["now"]:
        return None
    if rows[0]["format"] != SUMMARY_FORMAT:  # stored by an argmap that computed it otherwise
        return None
    return _ADAPTERS[field].validate_json(rows[0]["value"])


def summary_stamp(store: Store) -> int | None:
    """The revision the stored summary was computed at (None: the graph holds no summary, or
    one an older argmap computed otherwise)."""
    rows = store.run_read(
        f"MATCH (s:{META_LABEL} {{id: $id}}){id_seek(store, 's', META_LABEL)} "
        "WHERE s.format = $format RETURN s.revision AS stamped",
        {"id": SUMMARY_ID, "format": SUMMARY_FORMAT},
    )
    return int(rows[0]["stamped"]) if rows and rows[0]["stamped"] is not None else None


def is_fresh(store: Store) -> bool:
    """Whether the graph holds a summary computed at its current revision."""
    rows = store.run_read(
        f"{_summary_and_revision(store)} "
        "RETURN s.revision = coalesce(r.value, 0) AND s.format = $format AS fresh",
        {"id": SUMMARY_ID, "rid": "revision", "format": SUMMARY_FORMAT},
    )
    return bool(rows and rows[0]["fresh"])
