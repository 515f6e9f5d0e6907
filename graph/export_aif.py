"""AIF JSON of a subgraph, as OVA and AIFdb write it: ``nodes``, ``edges``, ``locutions``, ``participants``.

The Argument Interchange Format with its dialogue extension (IAT):

- each claim is an I-node (its paraphrase); its verbatim quote is an L-node ("Author: quote")
  anchored to it by a YA node "Asserting"; a locution ties the L-node to its author, a participant;
- ``rebuts`` becomes a CA node "Default Conflict" (rebutting I-node -> CA -> rebutted I-node),
  ``supports`` an RA node "Default Inference" (supporting I-node -> RA -> supported I-node);
- the reply itself is a TA node "Default Transition" between the two L-nodes, anchoring the CA
  or RA through a YA node "Disagreeing" or "Arguing".

Tools that read only the argument layer (arguebuf, for one) keep I, CA and RA and skip the rest.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from argmap.graph.export_text import caption_parts, one_line
from argmap.graph.store import Store
from argmap.graph.subgraph import Selection, Subgraph, select_subgraph

from argmap.core.ids import person_id, stable_id

SCHEMES = {
    "rebuts": ("CA", "Default Conflict", "Disagreeing"),
    "supports": ("RA", "Default Inference", "Arguing"),
}


def aif_timestamp(value: str | None) -> str:
    """AIF's ``YYYY-MM-DD HH:mm:ss``, in UTC as argmap stores times (AIF has no place for the
    offset); ``""`` if unknown."""
    if not value:
        return ""
    try:
        return datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return ""


def to_aif(sg: Subgraph) -> dict[str, Any]:
    """``sg`` as one AIF JSON object."""
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    locutions: list[dict[str, Any]] = []
    participants: dict[str, dict[str, Any]] = {}

    def node(node_id: str, text: str, kind: str, ts: str) -> str:
        nodes.append({"nodeID": node_id, "text": text, "type": kind, "timestamp": ts})
        return node_id

    def edge(a: str, b: str) -> None:
        edges.append({"edgeID": stable_id("e", a, b), "fromID": a, "toID": b, "formEdgeID": None})

    by_id = {n.id: n for n in sg.nodes}
    times = {n.id: aif_timestamp(n.posted_at) for n in sg.nodes}
    for n in sg.nodes:
        author = one_line(n.author) or "unknown"
        pid = person_id(author)
        first, _, rest = author.partition(" ")
        participants.setdefault(pid, {"participantID": pid, "firstname": first, "surname": rest})
        ts = times[n.id]
        i_node = node(n.id, n.text, "I", ts)
        l_node = node(f"L_{n.id}", f"{author}: {n.quote}", "L", ts)
        ya = node(f"YA_{n.id}", "Asserting", "YA", ts)
        edge(l_node, ya)
        edge(ya, i_node)
        locutions.append(
            {
                "nodeID": l_node,
                "personID": pid,
                "timestamp": ts,
                "start": None,
                "end": None,
                "source": n.thread_url or n.post_id,
            }
        )
    reviewed: list[dict[str, Any]] = [
        {"nodeID": n.id, "origin": "human", "what": "text edited"}
        for n in sg.nodes
        if n.text_origin == "human"
    ]
    for e in sg.edges:
        kind, scheme, illocution = SCHEMES[e.type]
        ts = times.get(e.source, "")
        s_node = node(stable_id(kind, e.source, e.target), scheme, kind, ts)
        if e.origin == "human" or e.status:
            reviewed.append(
                {
                    "nodeID": s_node,
                    "origin": e.origin or "machine",
                    "status": e.status,
                    "reviewed_by": e.reviewed_by,
                }
            )
        edge(e.source, s_node)
        edge(s_node, e.target)
        if e.source in by_id and e.target in by_id:
            ta = node(stable_id("TA", e.source, e.target, e.type), "Default Transition", "TA", ts)
            edge(f"L_{e.target}", ta)
            edge(ta, f"L_{e.source}")
            ya = node(stable_id("YA", e.source, e.target, e.type), illocution, "YA", ts)
            edge(ta, ya)
            edge(ya, s_node)
    title, source, selection = caption_parts(sg)
    return {
        "nodes": nodes,
        "edges": edges,
        "locutions": locutions,
        "participants": list(participants.values()),
        # AIF has no field for provenance: human-made / human-checked nodes are listed here.
        "argmap": {"title": title, "source": source, "selection": selection, "reviewed": reviewed},
    }


def export_aif(store: Store, selection: Selection, path: Path) -> None:
    """Write ``selection`` as AIF JSON (UTF-8) to ``path``."""
    aif = to_aif(select_subgraph(store, selection))
    Path(path).write_text(json.dumps(aif, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
