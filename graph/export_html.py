"""A standalone interactive page of a subgraph: pyvis network, vis-network inlined, no CDN.

pyvis builds the nodes and edges; the page around them is argmap's own (pyvis's template pulls
Bootstrap from a CDN whatever ``cdn_resources`` says), with the vis-network script and style that
ship inside the pyvis wheel inlined, so the file works offline and nothing loads from the network.

Claims sit at fixed positions (``graph.html_layout``: the picture's layout, left to right, the
focus claim first, its answers in the next column, edges routed through the gaps). The page
fills its window, opens on the focus claim at a readable zoom, and lets the mouse wheel scroll
through the map. It shows the picture's selection, story first, with room for more claims.

Comment text is untrusted. Tooltips are HTML built from escaped parts in ``graph.html_network``
(vis-network would show a plain string as text; the page turns these into elements so the
formatting shows, and other pyvis templates that ``innerHTML`` titles stay safe). Canvas labels are drawn with
``fillText`` and never parsed. The click-through panel fills itself with ``textContent``. All
data enters the page as JSON with ``<``, ``>`` and ``&`` escaped, so no text closes the script.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pyvis
from argmap.graph.export_text import caption_parts, short_date
from argmap.graph.html_layout import BOX_W, page_layout
from argmap.graph.html_network import box_labels, network_for, vis_options
from argmap.graph.html_script import page_script
from argmap.graph.html_style import FOLD_QUERY, page_style
from argmap.graph.html_text import (
    legend_block,
    map_as_text,
    shared_language,
    text_lang,
    thread_language_of,
)
from argmap.graph.picture_selection import visual_subgraph
from argmap.graph.store import Store
from argmap.graph.subgraph import Selection, Subgraph

DEFAULT_MAX_NODES = 60  # the picture's story and what it left out; --max-nodes for more
VIS_DIR = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
# The first view's zoom: at least MIN_SCALE (14 px text drawn at 12 px), at most 1:1.
MIN_SCALE = 0.85
MAX_SCALE = 1.0
VIEW_PAD = 30  # px of margin around the content in the first view


@cache
def _vis_assets() -> tuple[str, str]:
    """The vis-network script and style shipped in the pyvis wheel."""
    js = (VIS_DIR / "vis-network.min.js").read_text(encoding="utf-8")
    css = (VIS_DIR / "vis-network.css").read_text(encoding="utf-8")
    return js, css


def script_json(value: Any) -> str:
    """JSON safe to place inside ``<script>``: no ``</script>``, no ``<!--``, no entity."""
    text = json.dumps(value, ensure_ascii=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _details(sg: Subgraph) -> dict[str, Any]:
    """What the click-through panel shows: each claim, and the full text of each post once."""
    languages = thread_language_of(sg)
    return {
        "claims": {
            n.id: {
                "text": n.text,
                "quote": n.quote,
                "start": n.start,
                "end": n.end,
                "post": n.post_id,
                "author": n.author or "unknown",
                "date": short_date(n.posted_at),
                "kind": n.post_kind,
                "label": n.label,
                "thread": n.thread_title,
                "url": n.thread_url,
                "lang": languages.get(n.thread_id or "") or "",  # "": unknown
            }
            for n in sg.nodes
        },
        "posts": {p.id: p.text for p in sg.posts},
    }


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src {script_src}; style-src 'unsafe-inline'; img-src data:; font-src data:">
<title>{title}</title>
<style>{vis_css}</style>
<style>{page_style}</style></head>
<body>
<header><h1{title_lang}>{title}</h1><p class="caption">{source}<br>{selection}</p>
{legend}
{banner}
<p class="hint">Click a claim to read it in its post. Scroll or drag to move through the graph;
Ctrl+scroll or pinch to zoom.</p></header>
{astext}
<main><div id="network"></div>
<aside id="details" aria-label="The claim in its post"><button class="close" type="button" aria-label="Close">×</button>
<div id="claim"><p class="meta">Click a claim to read it in its post.</p>
<p class="meta">Scroll or drag to move through the graph; Ctrl+scroll or pinch to zoom.</p></div></aside></main>
<script>{vis_js}</script>
<script>
{script}
</script>
</body></html>
"""


def render_html(
    sg: Subgraph, height: str = "360px", exported: date | None = None, text_list: bool = True
) -> str:
    """The standalone page for ``sg``: the map fills the window, and is at least ``height``
    tall (embed with ``st.iframe(page, height=...)``). Without ``text_list`` the page leaves
    out *The map as text* (the dashboard shows it outside the frame)."""
    layout = page_layout(sg, box_labels(sg))
    net = network_for(sg, height, layout)
    nodes, edges, *_ = net.get_network_data()
    title, source, selection = caption_parts(sg, exported)
    vis_js, vis_css = _vis_assets()
    kept = (
        "the focus claim's strongest answers first, then theirs"
        if sg.focus
        else "whole conversations, biggest first, each grown from its most connected claim, "
        "and no claim without a relation shown"
    )
    banner = (
        f'<p class="truncated">{html.escape(sg.showing)}: the node cap kept {kept}. '
        "Narrow the selection to see the rest.</p>"
        if sg.truncated
        else ""
    )
    data = {
        "nodes": nodes,
        "edges": edges,
        "options": vis_options(),
        "layout": layout,
        "focus": sg.focus,
        # What the first view opens on: the focus, else the story's first claim.
        "anchor": sg.focus or (sg.nodes[0].id if sg.nodes else None),
        "view": {"minScale": MIN_SCALE, "maxScale": MAX_SCALE, "pad": VIEW_PAD, "box": BOX_W},
    }
    page = PAGE.format(
        script_src="{script_src}",  # filled in below, once the scripts' text is known
        title=html.escape(title),
        title_lang=text_lang(shared_language(sg)) if sg.threads else "",
        source=html.escape(source),
        selection=html.escape(selection),
        legend=legend_block(sg),
        astext=f'<section aria-label="The map as text">{map_as_text(sg)}</section>'
        if text_list
        else "",
        banner=banner,
        page_style=page_style(html.escape(height)),
        vis_css=vis_css,
        vis_js=vis_js,
        script=page_script(
            fold_query=script_json(FOLD_QUERY),
            data=script_json(data),
            details=script_json(_details(sg)),
            claims=len(sg.nodes),
            relations=len(sg.edges),
        ),
    )
    return page.replace("{script_src}", script_hashes(page), 1)


def script_hashes(page: str) -> str:
    """The CSP source list allowing exactly the page's own scripts, by their SHA-256.

    Not 'unsafe-inline': that would also run any markup that slipped into the page unescaped
    (``<img onerror>``, a ``javascript:`` link), and in the dashboard the map's frame shares the
    app's origin. With hashes only the two scripts written here run.
    """
    bodies = re.findall(r"<script>(.*?)</script>", page, flags=re.DOTALL)
    digests = (base64.b64encode(hashlib.sha256(b.encode()).digest()).decode() for b in bodies)
    return " ".join(f"'sha256-{d}'" for d in digests)


def page_subgraph(store: Store, selection: Selection) -> Subgraph:
    """What the page of ``selection`` shows: the picture's defaults and story-first order,
    capped at ``DEFAULT_MAX_NODES`` claims; labels judged on the claims shown."""
    from argmap.graph.export_image import shown_labels

    return shown_labels(visual_subgraph(store, selection, DEFAULT_MAX_NODES))


def export_html(store: Store, selection: Selection, path: Path) -> None:
    """Select ``selection`` as ``page_subgraph`` says and write the page."""
    Path(path).write_text(render_html(page_subgraph(store, selection)), encoding="utf-8")
