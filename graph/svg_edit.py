"""Make matplotlib's SVG friendly to Illustrator and Inkscape users.

matplotlib writes each artist as its own ``<g>``: a claim's box, text and author line are three
unrelated groups, and text names only the fonts found here. This regroups each claim into one
``<g id="claim-ID" class="claim">`` (with a ``<title>`` holding the claim), classes the edges
by relation (and what a person checked as ``reviewed``), gives every ``<text>`` the fonts it was drawn in, then generic fallbacks, and its own
bidi paragraph direction, and sets
the width asked for (the viewBox keeps the drawing's proportions).
"""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

from argmap.graph.export_style import claim_reviewed, edge_reviewed
from argmap.graph.export_text import one_line
from argmap.graph.picture_fonts import svg_font_family
from argmap.graph.subgraph import Subgraph

SVG = "http://www.w3.org/2000/svg"
NAMESPACES = {
    "": SVG,
    "xlink": "http://www.w3.org/1999/xlink",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "cc": "http://creativecommons.org/ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
}
PART = re.compile(r"^claim-(?P<id>.+)-(?P<part>box|text|meta)$")
EDGE = re.compile(r"^edge-(?P<i>\d+)-(?P<type>\w+)$")
FONT = re.compile(r"font-family:[^;]*")
TRANSLATE = re.compile(r"translate\((?P<x>[-\d.e]+)[ ,]+(?P<y>[-\d.e]+)\)")


def editable_svg(data: bytes, sg: Subgraph, width: int) -> bytes:
    """``data`` (matplotlib's SVG of ``sg``) regrouped and restyled as the module says."""
    for prefix, uri in NAMESPACES.items():
        ET.register_namespace(prefix, uri)
    root = ET.fromstring(data)
    parents = {child: parent for parent in root.iter() for child in parent}
    texts = {n.id: one_line(n.text) for n in sg.nodes}
    reviewed = {n.id for n in sg.nodes if claim_reviewed(n)}
    groups: dict[str, ET.Element] = {}
    for el in list(root.iter()):
        found = PART.match(el.get("id") or "")
        if found:
            cid = found["id"]
            parent = parents[el]
            if cid not in groups:
                kind = "claim reviewed" if cid in reviewed else "claim"
                group = ET.Element(f"{{{SVG}}}g", {"id": f"claim-{cid}", "class": kind})
                title = ET.SubElement(group, f"{{{SVG}}}title")
                title.text = texts.get(cid, cid)
                parent.insert(list(parent).index(el), group)
                groups[cid] = group
            parent.remove(el)
            el.set("id", f"claim-{cid}-{found['part']}")
            el.set("class", found["part"])
            groups[cid].append(el)
            continue
        edge = EDGE.match(el.get("id") or "")
        if edge:
            i = int(edge["i"])
            mark = " reviewed" if i < len(sg.edges) and edge_reviewed(sg.edges[i]) else ""
            el.set("class", f"edge {edge['type']}{mark}")
    for group in groups.values():
        _anchor_right_to_left(group)
    for el in root.iter(f"{{{SVG}}}text"):
        family = f"font-family: {svg_font_family(''.join(el.itertext()))}"
        style = el.get("style") or ""
        style = FONT.sub(family, style) if "font-family" in style else f"{style}; {family}"
        # Each line takes its direction from its own first letter, as matplotlib drew it: a
        # Hebrew or Arabic line ends in its full stop on the left, not the right (the browser's
        # default is left to right); the line still starts where matplotlib placed it.
        el.set("style", f"{style}; unicode-bidi: plaintext")
    w, h = (float(v.rstrip("pt")) for v in (root.get("width", "0"), root.get("height", "0")))
    if w > 0:
        root.set("width", f"{width}px")
        root.set("height", f"{round(width * h / w)}px")
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def _anchor_right_to_left(group: ET.Element) -> None:
    """A right-aligned claim's lines anchored at their end, where its author line is: matplotlib
    places each line of a multi-line text by its start, measured in its fonts, so in an editor
    drawing another font the lines' right edges would no longer meet."""
    meta = group.find(f".//*[@class='meta']//{{{SVG}}}text")
    if meta is None or "text-anchor: end" not in (meta.get("style") or ""):
        return
    x = meta.get("x")
    for el in group.iterfind(f".//*[@class='text']//{{{SVG}}}text"):
        moved = TRANSLATE.fullmatch(el.get("transform") or "")
        if x is None or not moved:
            continue
        del el.attrib["transform"]
        el.set("x", x)
        el.set("y", moved["y"])
        el.set("style", f"{el.get('style') or ''}; text-anchor: end")
