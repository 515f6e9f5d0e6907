"""One person however their name is spelt: "Bob", "bob " and "BOB" are one Person node
(``core.ids.person_id``), as ``queries.interactions``, the participant count and the person
filter have them. Aggregates count per spelling of ``p.author`` (cheap: walking ``WROTE`` as
well cost a third more on a 30k-comment graph) and fold the counts by person here."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from argmap.graph.scope import POST_IN_SCOPE, POST_NOT_SPAM, where
from argmap.graph.store import Store

from argmap.core.ids import person_id


def person_names(store: Store, spellings: Iterable[str]) -> dict[str, str]:
    """Each spelling of an author's name -> the name their Person node shows."""
    ids = {name: person_id(name) for name in spellings}
    rows = store.run_read(
        "MATCH (u:Person) WHERE u.id IN $ids RETURN u.id AS id, u.name AS name",
        {"ids": sorted(set(ids.values()))},
    )
    shown = {r["id"]: r["name"] for r in rows}
    return {name: shown.get(pid, name) for name, pid in ids.items()}


def per_author(
    store: Store, pattern: str, params: dict[str, Any], counted: str, also: str = ""
) -> Counter[str]:
    """``count(counted)`` over ``pattern`` (binding the post ``p``) per spelling of its author,
    for the posts in scope (``params``: ``scope.thread_params``) that are not spam, where the
    condition ``also`` (if any) holds."""
    rows = store.run_read(
        f"MATCH {pattern} {where(POST_IN_SCOPE, POST_NOT_SPAM, also)}"
        f"RETURN p.author AS name, count({counted}) AS n",
        params,
    )
    return Counter({r["name"]: int(r["n"]) for r in rows if r["name"] is not None})


def fold(counts: Counter[str], names: dict[str, str]) -> Counter[str]:
    """Counts per spelling -> counts per person (``names`` from ``person_names``)."""
    folded: Counter[str] = Counter()
    for spelling, n in counts.items():
        folded[names.get(spelling, spelling)] += n
    return folded
