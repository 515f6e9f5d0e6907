"""A standalone interactive page of a subgraph: pyvis network, vis-network inlined, no CDN.

pyvis builds the nodes and edges; the page around them is argmap's own (pyvis's template pulls
Bootstrap from a CDN whatever ``cdn_resources`` says), with the vis-network script and style that
ship inside the pyvis wheel inlined, so the file works offline and nothing loads from the network.

Comment text is untrusted. Tooltips are HTML built here from escaped parts (vis-network would
show a plain string as text; the page turns these into elements so the formatting shows, and
other pyvis templates that ``innerHTML`` titles stay safe). Canvas labels are drawn with
``fillText`` and never parsed. The click-through panel fills itself with ``textContent``. All
data enters the page as JSON with ``<``, ``>`` and ``&`` escaped, so no text closes the script.
"""

from __future__ import annotations

import html
import json
import math
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pyvis
from pyvis.network import Network

from graph.export_style import (
    EDGE_COLOURS,
    LABEL_FILLS,
    LABEL_NAMES,
    LOW_CONFIDENCE,
    NEUTRAL_FILL,
    PARTICIPLES,
)
from graph.export_text import caption_parts, one_line, short_date
from graph.image_layout import layout_subgraph
from graph.layout import layers
from graph.store import Store
from graph.subgraph import Selection, Subgraph, select_subgraph, visual_defaults

DEFAULT_MAX_NODES = 300  # vis-network stays responsive well past this; people do not
VIS_DIR = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
LABEL_CHARS = 140
BOX_PX = 260  # widthConstraint 240 plus margins


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
        text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )


def _short(text: str | None, limit: int) -> str:
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _node_title(n) -> str:
    """Tooltip HTML: every piece of comment text escaped."""
    who = html.escape(n.author or "unknown")
    when = html.escape(short_date(n.posted_at))
    label = f" · {html.escape(n.label)}" if n.label else ""
    return (
        f"<b>{who}</b>{' · ' + when if when else ''}{label}<br>"
        f"{html.escape(_short(n.text, 400))}<br>"
        f"<i>“{html.escape(_short(n.quote, 300))}”</i><br><small>click for the source text</small>"
    )


def _edge_title(e) -> str:
    conf = f" (confidence {e.confidence:.2f})" if e.confidence is not None else ""
    why = f"<br>{html.escape(_short(e.rationale, 300))}" if e.rationale else ""
    return f"<b>{html.escape(e.type)}</b>{html.escape(conf)}{why}"


def _positions(sg: Subgraph) -> dict[str, dict[str, Any]]:
    """Around a focus, a level per hop (vis-network's hierarchical layout places them); for a
    whole graph, fixed positions from the picture's layout: each conversation on its own, packed,
    so hundreds of claims open instantly and nothing drifts under a physics simulation."""
    if sg.focus is not None:
        return {cid: {"level": lv} for cid, lv in layers(sg).items()}
    sizes = {n.id: (BOX_PX, 20 + 18 * math.ceil(len(_short(n.text, LABEL_CHARS)) / 30)) for n in sg.nodes}
    placed = layout_subgraph(sg, sizes, per_row=8, h_gap=40, v_gap=90)
    return {cid: {"x": placed.x[cid], "y": -placed.y[cid]} for cid in placed.x}  # vis: y grows down


def network_for(sg: Subgraph, height: str = "680px") -> Network:
    """The pyvis network of ``sg``: boxes coloured by grounded label, edges by relation."""
    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line")
    where = _positions(sg)
    for n in sg.nodes:
        focus = n.id == sg.focus
        net.add_node(
            n.id,
            label=_short(n.text, LABEL_CHARS),
            title=_node_title(n),
            shape="box",
            **where[n.id],
            color={
                "background": LABEL_FILLS.get(n.label or "", NEUTRAL_FILL),
                "border": "#111111" if focus else "#666666",
                "highlight": {"background": "#FFFFFF", "border": "#000000"},
            },
            borderWidth=3 if focus else 1,
            font={"face": "sans-serif", "size": 14, "bold": {"size": 14}},
            widthConstraint={"maximum": 240},
            margin=10,
        )
    for e in sg.edges:
        conf = e.confidence if e.confidence is not None else 1.0
        net.add_edge(
            e.source, e.target,
            title=_edge_title(e), color=EDGE_COLOURS[e.type], width=1 + 3 * conf,
            dashes=conf < LOW_CONFIDENCE, arrows="to",
        )
    return net


def _options(sg: Subgraph) -> dict[str, Any]:
    opts: dict[str, Any] = {
        "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False},
        "edges": {"smooth": {"type": "cubicBezier", "forceDirection": "vertical", "roundness": 0.4}},
    }
    opts["physics"] = {"enabled": False}
    if sg.focus is not None:
        opts["layout"] = {"hierarchical": {
            "enabled": True, "direction": "UD", "levelSeparation": 170, "nodeSpacing": 270,
            "sortMethod": "directed", "shakeTowards": "roots",
        }}
    else:  # positions come with the nodes (see _positions)
        opts["layout"] = {"improvedLayout": False}
    return opts


def _details(sg: Subgraph) -> dict[str, Any]:
    """What the click-through panel shows: each claim, and the full text of each post once."""
    return {
        "claims": {
            n.id: {
                "text": n.text, "quote": n.quote, "start": n.start, "end": n.end,
                "post": n.post_id, "author": n.author or "unknown", "date": short_date(n.posted_at),
                "kind": n.post_kind, "label": n.label, "thread": n.thread_title, "url": n.thread_url,
            }
            for n in sg.nodes
        },
        "posts": {p.id: p.text for p in sg.posts},
    }


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:">
<title>{title}</title>
<style>{vis_css}</style>
<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #222; }}
header {{ padding: 10px 16px 4px; }} header h1 {{ font-size: 1.2rem; margin: 0 0 4px; }}
.caption {{ font-size: .82rem; color: #444; margin: 0 0 6px; overflow-wrap: anywhere; }}
.legend {{ font-size: .82rem; display: flex; flex-wrap: wrap; gap: 14px; padding: 0 16px 6px; }}
.legend span {{ display: inline-flex; align-items: center; gap: 5px; }}
.sw {{ width: 22px; height: 4px; display: inline-block; }}
.box {{ width: 14px; height: 12px; border: 1px solid #666; display: inline-block; }}
.truncated {{ background: #fff3cd; padding: 4px 16px; font-size: .85rem; }}
main {{ display: flex; gap: 0; border-top: 1px solid #ddd; }}
#network {{ flex: 3; height: {height}; min-width: 0; }}
#details {{ flex: 1; min-width: 240px; max-width: 420px; height: {height}; overflow: auto;
  border-left: 1px solid #ddd; padding: 10px 14px; font-size: .88rem; box-sizing: border-box; }}
#details .meta {{ color: #555; font-size: .8rem; }}
#details .post {{ white-space: pre-wrap; background: #fafafa; border: 1px solid #eee; padding: 8px; }}
#details mark {{ background: #ffe08a; }}
</style></head>
<body>
<header><h1>{title}</h1><p class="caption">{source}<br>{selection}</p></header>
<div class="legend">{legend}</div>
{banner}
<main><div id="network"></div>
<aside id="details"><p class="meta">Click a claim to read it in its post.</p></aside></main>
<script>{vis_js}</script>
<script>
(function () {{
  var DATA = {data};
  var DETAILS = {details};
  function element(html) {{  // titles are HTML built from escaped text (see export_html.py)
    var div = document.createElement("div");
    div.innerHTML = html;
    return div;
  }}
  DATA.nodes.forEach(function (n) {{ if (n.title) n.title = element(n.title); }});
  DATA.edges.forEach(function (e) {{ if (e.title) e.title = element(e.title); }});
  var nodes = new vis.DataSet(DATA.nodes), edges = new vis.DataSet(DATA.edges);
  var network = new vis.Network(document.getElementById("network"),
                                {{nodes: nodes, edges: edges}}, DATA.options);
  network.once("stabilizationIterationsDone", function () {{
    network.setOptions({{physics: {{enabled: false}}}});
  }});
  function add(parent, tag, text, cls) {{
    var el = document.createElement(tag);
    if (text !== undefined && text !== null) el.textContent = text;
    if (cls) el.className = cls;
    parent.appendChild(el);
    return el;
  }}
  function show(id) {{
    var c = DETAILS.claims[id], panel = document.getElementById("details");
    if (!c) return;
    panel.textContent = "";
    add(panel, "h3", c.text);
    add(panel, "p", c.author + (c.date ? ", " + c.date : "") + (c.kind === "article" ? " (article)" : "")
        + (c.label ? " · grounded label " + c.label : ""), "meta");
    var text = DETAILS.posts[c.post] || "", start = c.start, end = c.end;
    if (start === null || end === null || text.slice(start, end) !== c.quote) {{
      start = text.indexOf(c.quote); end = start < 0 ? -1 : start + c.quote.length;
    }}
    var post = add(panel, "div", null, "post");
    if (start < 0) {{ add(post, "mark", c.quote); }}
    else {{
      var from = Math.max(0, start - 600), to = Math.min(text.length, end + 600);
      add(post, "span", (from > 0 ? "… " : "") + text.slice(from, start));
      add(post, "mark", text.slice(start, end));
      add(post, "span", text.slice(end, to) + (to < text.length ? " …" : ""));
    }}
    if (c.thread) add(panel, "p", "Thread: " + c.thread, "meta");
    if (c.url && /^https?:\\/\\//i.test(c.url)) {{
      var a = add(panel, "a", "Open the source page");
      a.href = c.url; a.target = "_blank"; a.rel = "noopener noreferrer";
    }}
  }}
  network.on("click", function (params) {{ if (params.nodes.length) show(params.nodes[0]); }});
  window.argmapNetwork = network;
  window.argmapShow = show;
}})();
</script>
</body></html>
"""


def _legend(sg: Subgraph) -> str:
    items = [
        f'<span><i class="sw" style="background:{EDGE_COLOURS[t]}"></i>{t} (arrow points at the {p} claim)</span>'
        for t, p in PARTICIPLES.items()
    ]
    items.append('<span><i class="sw" style="background:repeating-linear-gradient(90deg,#777 0 5px,'
                 f'transparent 5px 8px)"></i>confidence &lt; {LOW_CONFIDENCE}</span>')
    if sg.labelled:
        for lab, name in LABEL_NAMES.items():
            items.append(f'<span><i class="box" style="background:{LABEL_FILLS[lab]}"></i>{html.escape(name)}</span>')
    if sg.focus:
        items.append('<span><i class="box" style="border:3px solid #111"></i>focus claim</span>')
    return "".join(items)


def render_html(sg: Subgraph, height: str = "680px", exported: date | None = None) -> str:
    """The standalone page for ``sg`` (embed with ``st.components.v1.html(page, height=...)``)."""
    net = network_for(sg, height)
    nodes, edges, *_ = net.get_network_data()
    title, source, selection = caption_parts(sg, exported)
    vis_js, vis_css = _vis_assets()
    banner = (
        f'<p class="truncated">{html.escape(sg.showing)}: the node cap kept the claims nearest '
        "the focus (or the most connected). Narrow the selection to see the rest.</p>"
        if sg.truncated else ""
    )
    return PAGE.format(
        title=html.escape(title), source=html.escape(source), selection=html.escape(selection),
        legend=_legend(sg), banner=banner, height=html.escape(height),
        vis_css=vis_css, vis_js=vis_js,
        data=script_json({"nodes": nodes, "edges": edges, "options": _options(sg)}),
        details=script_json(_details(sg)),
    )


def export_html(store: Store, selection: Selection, path: Path) -> None:
    """Select ``selection`` (capped at ``DEFAULT_MAX_NODES`` unless it says) and write the page."""
    selection = visual_defaults(selection, DEFAULT_MAX_NODES)
    Path(path).write_text(render_html(select_subgraph(store, selection)), encoding="utf-8")
