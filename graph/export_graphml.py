"""GraphML of a subgraph (Gephi, yEd, networkx, igraph): claims as nodes, relations as edges.

Attributes carry what a scholar needs to trace each claim: the paraphrase, the verbatim quote
and its offsets, the post, author, time and thread. ``label`` is a short display text (Gephi
shows it); the grounded label, when computed, is ``grounded``. Review marks: edges carry
``origin`` (human or machine), ``checked`` and ``reviewed_by``; nodes ``edited_by_human``. Text is made XML-1.0-safe.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import networkx as nx
from argmap.graph.export_text import caption_parts, xml_safe
from argmap.graph.store import Store
from argmap.graph.subgraph import Selection, Subgraph, select_subgraph

from argmap.core.ids import stable_id

LABEL_CHARS = 80
# The GraphML schema types node and edge ids as xs:NMTOKEN: letters, digits and ". - _ :" only
# (kept to ASCII here). Readers that validate (JGraphT, by default) refuse a file otherwise.
_TOKEN = re.compile(r"[A-Za-z0-9._:-]+")


def graphml_id(claim_id: str) -> str:
    """The node id GraphML gets for a claim: the claim id itself (argmap's own ids, ``c_`` and
    hex, always fit), else a stable token made from it (an imported file may name its claims
    "claim #1"); the ``claim_id`` attribute always holds the id as argmap knows it."""
    return claim_id if _TOKEN.fullmatch(claim_id) else stable_id("n", claim_id)


def _clean(attrs: dict[str, Any]) -> dict[str, Any]:
    """GraphML has no null: drop missing values; strings lose XML-forbidden characters."""
    return {k: xml_safe(v) if isinstance(v, str) else v for k, v in attrs.items() if v is not None}


def to_networkx(sg: Subgraph) -> nx.MultiDiGraph:
    """``sg`` as a networkx multigraph (a claim may both rebut and support another)."""
    title, source, selection = caption_parts(sg)
    g = nx.MultiDiGraph(
        name=xml_safe(title), source=xml_safe(source), selection=xml_safe(selection)
    )
    for n in sg.nodes:
        short = " ".join(n.text.split())
        g.add_node(
            graphml_id(n.id),
            **_clean(
                {
                    "claim_id": n.id,
                    "label": short if len(short) <= LABEL_CHARS else short[: LABEL_CHARS - 1] + "…",
                    "text": n.text,
                    "quote": n.quote,
                    "start": n.start,
                    "end": n.end,
                    "post_id": n.post_id,
                    "post_kind": n.post_kind,
                    "position": n.position,
                    "author": n.author,
                    "posted_at": n.posted_at,
                    "thread_id": n.thread_id,
                    "thread_title": n.thread_title,
                    "thread_url": n.thread_url,
                    "hop": n.hop,
                    "grounded": n.label,
                    "focus": n.id == sg.focus,
                    "edited_by_human": n.text_origin == "human",
                }
            ),
        )
    for e in sg.edges:
        source, target = graphml_id(e.source), graphml_id(e.target)
        g.add_edge(
            source,
            target,
            # networkx writes the key as the edge's GraphML ``id``: unique per file, and an
            # NMTOKEN like the node ids (the ">" of "a-rebuts->b" made the file invalid).
            key=f"{source}-{e.type}-{target}",
            **_clean(
                {
                    "type": e.type,
                    "confidence": e.confidence,
                    "rationale": e.rationale,
                    # Review marks: who made it (human / machine), and whether a person checked it.
                    "origin": e.origin or "machine",
                    "checked": e.status == "accepted",
                    "reviewed_by": e.reviewed_by,
                }
            ),
        )
    return g


def export_graphml(store: Store, selection: Selection, path: Path) -> None:
    """Write ``selection`` as GraphML (UTF-8) to ``path``."""
    nx.write_graphml(to_networkx(select_subgraph(store, selection)), str(path), encoding="utf-8")
