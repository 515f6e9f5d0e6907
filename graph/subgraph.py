"""Select the part of the argument graph an export or the dashboard draws.

A :class:`Selection` says what to show: the whole graph, or one claim and everything within
``hops`` REBUTS/SUPPORTS steps of it (both directions), narrowed by thread, person, relation
type, date range and minimum confidence, and capped at ``max_nodes`` claims. The answer is a
plain :class:`Subgraph` (claims with their quote, author, post and thread; relations between
them; "showing N of M") that every exporter and the dashboard's Graph page consume.

Filters work on the graph first and the neighbourhood second: a claim that fails a filter is
neither shown nor walked through. The focus claim itself is always shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from argmap.graph.focus import most_rebutted_claim, most_rebutted_claims, resolve_focus
from argmap.graph.selection_filters import POST_FILTER, REL_FILTER, selection_params
from argmap.graph.store import Store
from argmap.graph.story import keep_claims, whole_order
from argmap.graph.subgraph_models import (
    GUESS_CONFIDENCE,
    MOST_REBUTTED,
    RELATION_TYPES,
    ClaimNode,
    PostInfo,
    RelationEdge,
    RelationType,
    Selection,
    SelectionError,
    Subgraph,
    ThreadInfo,
    WholeRanking,
)
from argmap.graph.thread_languages import known

# The shapes live in graph.subgraph_models; callers import them from here as before.
__all__ = [
    "GUESS_CONFIDENCE",
    "MOST_REBUTTED",
    "RELATION_TYPES",
    "ClaimNode",
    "PostInfo",
    "RelationEdge",
    "RelationType",
    "Selection",
    "SelectionError",
    "Subgraph",
    "ThreadInfo",
    "WholeRanking",
    "most_rebutted_claim",
    "most_rebutted_claims",
    "resolve_focus",
    "rank_whole_graph",
    "select_subgraph",
]


def _neighbourhood(
    store: Store, focus: str, sel: Selection, params: dict[str, Any]
) -> tuple[dict[str, int], dict[str, dict[str, Any]]]:
    """Breadth-first over filtered relations, one query per hop: claim id -> hop distance,
    and each reached claim's ``_ranking`` row (read on the way: a second pass over thousands
    of claims cost 65 ms at 100k comments)."""
    hops = {focus: 0}
    rank = {row["id"]: row for row in _ranking(store, [focus])}
    frontier = [focus]
    for step in range(1, sel.hops + 1):
        if not frontier:
            break
        # Seek, then WITH, then traverse: written as one pattern (or with ``a.id IN
        # $frontier``), FalkorDB plans a scan of every post or claim per frontier claim
        # (7 s for one hop from the most rebutted claim at 100k comments; 30 ms like this).
        rows = store.run_read(
            "UNWIND $frontier AS fid MATCH (a:Claim {id: fid}) "
            f"WITH a MATCH (a)-[r:REBUTS|SUPPORTS]-(c:Claim) WHERE {REL_FILTER} "
            f"WITH DISTINCT c MATCH (p:Post)-[:MAKES]->(c) WHERE {POST_FILTER} "
            "RETURN c.id AS id, p.position AS position, c.start AS start",
            {**params, "frontier": frontier},
        )
        frontier = sorted({r["id"] for r in rows if r["id"] not in hops})
        for cid in frontier:
            hops[cid] = step
        for r in rows:
            rank.setdefault(r["id"], r)
    return hops, rank


def _all_matching(store: Store, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Every claim the filters keep: id, and its post's position and place (for ranking)."""
    return store.run_read(
        f"MATCH (p:Post)-[:MAKES]->(c:Claim) WHERE {POST_FILTER} "
        "RETURN c.id AS id, p.position AS position, c.start AS start",
        params,
    )


def _ranking(store: Store, ids: list[str]) -> list[dict[str, Any]]:
    """``_all_matching``'s rows for the given claims (those that have a post)."""
    return store.run_read(
        "UNWIND $ids AS cid MATCH (c:Claim {id: cid}) WITH c "
        "MATCH (p:Post)-[:MAKES]->(c) "
        "RETURN c.id AS id, p.position AS position, c.start AS start",
        {"ids": ids},
    )


def _edges(
    store: Store, ids: list[str], params: dict[str, Any], whole: bool, lean: bool = False
) -> list[RelationEdge]:
    """Filtered relations between the claims ``ids``, sorted; ``lean``: only their ends, type
    and confidence (enough to choose the claims to keep; the rationales of the thousands of
    relations around a well-rebutted claim took a third of the read).

    Both ends are checked here against a set: ``b.id IN $ids`` in Cypher is a list scan per
    edge (a minute for the whole 100k graph). A whole graph reads every relation once; a
    neighbourhood seeks its claims by id.
    """
    match = (
        "MATCH (a:Claim)-[r:REBUTS|SUPPORTS]->(b:Claim) "
        if whole
        else "UNWIND $ids AS aid MATCH (a:Claim {id: aid}) WITH a "
        "MATCH (a)-[r:REBUTS|SUPPORTS]->(b:Claim) "
    )
    rows = store.run_read(
        match + f"WHERE {REL_FILTER} "
        "RETURN a.id AS source, b.id AS target, toLower(type(r)) AS type, "
        "r.confidence AS confidence"
        + (
            ""
            if lean
            else ", r.rationale AS rationale, r.origin AS origin, "
            "r.status AS status, r.reviewed_by AS reviewed_by"
        ),
        {**params, "ids": [] if whole else ids},
    )
    keep = set(ids)
    # Lean rows only choose the claims (the edges shown are read again in full): built without
    # validation, as 116k validated models cost half a second for the whole 100k graph.
    make = RelationEdge.model_construct if lean else RelationEdge
    edges = [make(**r) for r in rows if r["source"] in keep and r["target"] in keep]
    edges.sort(key=lambda e: (e.source, e.target, e.type))
    return edges


def _pairs(store: Store, ids: list[str], params: dict[str, Any]) -> list[tuple[str, str]]:
    """(source, target) of the whole graph's filtered relations between the claims ``ids``:
    all a cap order needs (the lean ``_edges`` rows took twice as long at 100k comments, half
    of it building 116k models)."""
    rows = store.run_read(
        f"MATCH (a:Claim)-[r:REBUTS|SUPPORTS]->(b:Claim) WHERE {REL_FILTER} "
        "RETURN a.id AS source, b.id AS target",
        params,
    )
    keep = set(ids)
    return [(r["source"], r["target"]) for r in rows if r["source"] in keep and r["target"] in keep]


def _claims(store: Store, ids: list[str]) -> list[dict[str, Any]]:
    return store.run_read(
        "UNWIND $ids AS cid MATCH (c:Claim {id: cid}) WITH c "
        "MATCH (p:Post)-[:MAKES]->(c) OPTIONAL MATCH (t:Thread)-[:CONTAINS]->(p) "
        "RETURN c.id AS id, c.text AS text, c.quote AS quote, c.start AS start, c.end AS end, "
        "p.id AS post_id, p.kind AS post_kind, p.position AS position, p.author AS author, "
        "p.posted_at AS posted_at, p.thread_id AS thread_id, t.title AS thread_title, "
        "t.url AS thread_url, c.text_origin AS text_origin, c.reviewed_by AS reviewed_by",
        {"ids": ids},
    )


def _posts(store: Store, post_ids: list[str]) -> list[PostInfo]:
    rows = store.run_read(
        "MATCH (p:Post) WHERE p.id IN $ids "
        "OPTIONAL MATCH (p)-[:REPLIES_TO]->(q:Post) "
        "RETURN p.id AS id, p.thread_id AS thread_id, p.kind AS kind, p.author AS author, "
        "p.posted_at AS posted_at, p.position AS position, q.id AS parent_id, "
        "p.is_spam AS is_spam, p.text AS text ORDER BY p.thread_id, p.position",
        {"ids": post_ids},
    )
    return [PostInfo(**{**r, "is_spam": bool(r["is_spam"]), "text": r["text"] or ""}) for r in rows]


def thread_infos(store: Store, thread_ids: list[str]) -> list[ThreadInfo]:
    """The threads ``thread_ids`` as a subgraph describes them (title, article author, comment
    count and span; counting a thread's comments reads all of its posts). Comments are counted
    and dated as the Overview counts them: spam apart (a late spam run would stretch the span)."""
    # count(), min() and max() skip the nulls the CASEs give for spam (and for no comment).
    rows = store.run_read(
        "MATCH (t:Thread) WHERE t.id IN $ids "
        "OPTIONAL MATCH (t)-[:CONTAINS]->(a:Post {kind: 'article'}) "
        "OPTIONAL MATCH (t)-[:CONTAINS]->(c:Post) WHERE coalesce(c.kind, '') <> 'article' "
        "WITH t, a, c, coalesce(c.is_spam, false) AS spam "
        "RETURN t.id AS id, t.title AS title, a.author AS author, t.url AS url, "
        "t.source_format AS source_format, t.published_at AS published_at, "
        "count(CASE WHEN c IS NOT NULL AND NOT spam THEN c.id END) AS comments, "
        "count(CASE WHEN spam THEN c.id END) AS spam, "
        "min(CASE WHEN NOT spam THEN c.posted_at END) AS first_comment_at, "
        "max(CASE WHEN NOT spam THEN c.posted_at END) AS last_comment_at, "
        "t.language AS language ORDER BY t.id",
        {"ids": thread_ids},
    )
    return [ThreadInfo(**{**r, "language": known(r["language"])}) for r in rows]


def _known_threads(
    store: Store, thread_ids: list[str], known: Mapping[str, ThreadInfo]
) -> list[ThreadInfo]:
    missing = [t for t in thread_ids if t not in known]
    read = {t.id: t for t in thread_infos(store, missing)} if missing else {}
    return [
        known[t] if t in known else read[t] for t in sorted(thread_ids) if t in known or t in read
    ]


def _attach_labels(
    store: Store, nodes: list[ClaimNode], known: Mapping[str, str] | None = None
) -> bool:
    """Grounded labels (``graph.semantics``), computed over the whole graph, not the selection:
    a claim is OUT because of a rebuttal whether or not that rebuttal is shown. ``known``: the
    labels already computed for this graph (the dashboard keeps them per revision)."""
    labels = known
    if labels is None:
        from argmap.graph.semantics import framework, grounded_labelling

        fw = framework(store)
        labels = grounded_labelling(fw.arguments, fw.attacks)
    for n in nodes:
        n.label = labels.get(n.id)
    return True


_Choice = tuple[dict[str, int], list[str], int, list[RelationEdge], bool]


def _stored_choice(kept: list[str], total: int) -> _Choice:
    """``_choose``'s answer for a whole graph whose cap order the caller had."""
    return {}, kept, total, [], True


def rank_whole_graph(store: Store, selection: Selection, keep: int | None = None) -> WholeRanking:
    """The whole graph's claims that ``selection``'s filters keep, in the order its cap keeps
    them (``story.whole_order``; the first ``keep`` of them): what a capped whole-graph
    selection chooses from. Reads every matching claim and relation lean (seconds at 100k
    comments: the writer's summary keeps it for the Graph page's default filters)."""
    sel = selection.model_copy(update={"claim": None, "max_nodes": None})
    params = selection_params(store, sel)
    rank = {row["id"]: row for row in _all_matching(store, params)}
    ids = list(rank)
    pairs = _pairs(store, ids, params)
    if sel.connected_only:
        linked = {s for s, _ in pairs} | {t for _, t in pairs}
        ids = [i for i in ids if i in linked]
    return WholeRanking(selection=sel, total=len(ids), order=whole_order(ids, pairs, rank)[:keep])


def _choose(store: Store, sel: Selection, params: dict[str, Any], focus: str | None) -> _Choice:
    """The claims a selection shows, read live: (hops, ids, claims before the cap, relations,
    whether those relations are lean and must be read again in full)."""
    if focus is None and sel.max_nodes is not None:
        # Capped: relations read lean until the cap has chosen the claims (for the whole 100k
        # graph, the rationales of 116k relations were 2.6 of a 4.3 s read).
        ranking = rank_whole_graph(store, sel, keep=sel.max_nodes)
        return {}, ranking.order, ranking.total, [], True
    if focus is not None:
        hops, rank = _neighbourhood(store, focus, sel, params)
        ids = list(hops)
    else:
        hops = {}
        rank = {row["id"]: row for row in _all_matching(store, params)}
        ids = list(rank)
    lean = focus is not None
    edges = _edges(store, ids, params, whole=focus is None, lean=lean)
    if focus is None and sel.connected_only:
        linked = {e.source for e in edges} | {e.target for e in edges}
        ids = [i for i in ids if i in linked]
    ids = [i for i in ids if i in rank]
    total = len(ids)
    if sel.max_nodes is not None and total > sel.max_nodes:
        keep = keep_claims(ids, edges, hops, rank, sel.max_nodes)
        ids = [i for i in ids if i in keep]
        edges = [e for e in edges if e.source in keep and e.target in keep]
    return hops, ids, total, edges, lean


def _related(store: Store, ids: list[str], params: dict[str, Any]) -> set[str]:
    """Those of the claims ``ids`` with a relation the filters keep (to a claim they keep)."""
    rows = store.run_read(
        "UNWIND $ids AS cid MATCH (a:Claim {id: cid}) WITH a "
        f"MATCH (a)-[r:REBUTS|SUPPORTS]-(c:Claim) WHERE {REL_FILTER} "
        f"WITH DISTINCT a, c MATCH (p:Post)-[:MAKES]->(c) WHERE {POST_FILTER} "
        "RETURN DISTINCT a.id AS id",
        {**params, "ids": ids},
    )
    return {r["id"] for r in rows}


def _whole_relations(
    store: Store, sel: Selection, params: dict[str, Any], ids: list[str], edges: list[RelationEdge]
) -> list[str]:
    """The claims a capped whole graph shows, keeping whole relations: a claim is shown only
    with a relation that is shown too. A cap that ends right after the most connected claim of
    the next conversation (``story.whole_order``) would draw that claim alone, green and
    unanswered, though it answers and is answered; it is left out (one claim under the cap,
    and "showing N of M" says so). A claim with no relation at all (``connected_only`` off)
    stays: alone is what it is. A cap too small for any relation (1) keeps what it has."""
    linked = {e.source for e in edges} | {e.target for e in edges}
    alone = [i for i in ids if i not in linked]
    if not alone or len(alone) == len(ids):
        return ids
    # Every claim of a connected-only graph has a relation; else ask which ones do.
    cut = set(alone) if sel.connected_only else _related(store, alone, params)
    return [i for i in ids if i not in cut]


def select_subgraph(
    store: Store,
    selection: Selection | None = None,
    labels: bool = True,
    grounded: Mapping[str, str] | None = None,
    threads: Mapping[str, ThreadInfo] | None = None,
    ranking: WholeRanking | None = None,
) -> Subgraph:
    """Run ``selection`` against ``store``; ``labels`` adds grounded labels (from ``grounded``,
    claim id -> label, when the caller already has them for this graph). ``threads``: the
    graph's ``thread_infos`` by id when the caller has them (``graph.summary_reads``); the
    threads not in it are read. ``ranking``: the whole graph's cap order for this graph
    (``rank_whole_graph``, kept by the writer's summary): a whole-graph selection it answers
    (``WholeRanking.kept``) reads only the claims it keeps."""
    sel = selection or Selection()
    params = selection_params(store, sel)
    focus = resolve_focus(store, sel)
    stored = ranking.kept(sel) if ranking is not None and focus is None else None
    if stored is not None and ranking is not None:  # its relations are read below, in full
        hops, ids, total, edges, lean = _stored_choice(stored, ranking.total)
    else:
        hops, ids, total, edges, lean = _choose(store, sel, params, focus)
    # The full rows (text, quote, thread) only for the claims shown.
    meta = {row["id"]: row for row in _claims(store, ids)}
    ids = [i for i in ids if i in meta]
    if lean:  # the relations shown, in full
        edges = _edges(store, ids, params, whole=False)
    if focus is None and len(ids) < total:  # the cap cut the whole graph
        ids = _whole_relations(store, sel, params, ids, edges)

    rows = sorted(
        (meta[i] for i in ids),
        key=lambda m: (
            hops.get(m["id"], 0),
            m.get("thread_id") or "",
            m.get("position") or 0,
            m.get("start") or 0,
            m["id"],
        ),
    )
    nodes = [ClaimNode(**{**m, "hop": hops.get(m["id"]) if focus else None}) for m in rows]
    labelled = _attach_labels(store, nodes, grounded) if labels and nodes else False
    post_ids = sorted({n.post_id for n in nodes})
    thread_ids = sorted({n.thread_id for n in nodes if n.thread_id})
    if not thread_ids and sel.thread_ids:
        thread_ids = list(sel.thread_ids)
    return Subgraph(
        selection=sel,
        focus=focus,
        nodes=nodes,
        edges=edges,
        posts=_posts(store, post_ids) if post_ids else [],
        threads=_known_threads(store, thread_ids, threads or {}),
        total_nodes=total,
        labelled=labelled,
    )
