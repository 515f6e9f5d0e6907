"""A synthetic thread written into a store through ``graph.writes``, as the pipeline writes."""

from __future__ import annotations

from argmap.core.models import Claim, Relation
from bench.synthetic_models import EXTRACTOR, to_models
from bench.synthetic_structure import SynthThread


def write_to_store(store, synth: SynthThread, chunk: int = 2000) -> None:
    """Write the thread and its extraction through ``graph.writes`` (idempotent, chunked)."""
    from argmap.graph.writes import write_extractions, write_thread

    thread, claims, relations = to_models(synth)
    write_thread(store, thread)
    # Extractions go in chronological chunks, each relation with the later of its two posts,
    # so both ends of every relation exist when it is written.
    chron = {p.id: i for i, p in zip(synth.document_order(), thread.posts, strict=True)}
    claim_post = {c.id: c.post_id for c in claims}
    by_chunk: dict[int, tuple[list[str], list[Claim], list[Relation]]] = {}
    for p in thread.posts:
        by_chunk.setdefault(chron[p.id] // chunk, ([], [], []))[0].append(p.id)
    for c in claims:
        by_chunk[chron[c.post_id] // chunk][1].append(c)
    for r in relations:
        k = max(chron[claim_post[r.source]], chron[claim_post[r.target]]) // chunk
        by_chunk[k][2].append(r)
    for k in sorted(by_chunk):
        post_ids, cs, rs = by_chunk[k]
        write_extractions(store, post_ids, cs, rs, EXTRACTOR)
