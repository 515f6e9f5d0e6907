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
(function () {{
  // A phone's frame opens with the legend folded into its summary line, the map below it;
  // a wider one (or a turned phone) shows it open, its summary line hidden.
  var fold = window.matchMedia({fold_query}), key = document.querySelector("details.legend");
  function unfold() {{ if (key) key.open = !fold.matches; }}
  unfold();
  fold.addEventListener("change", unfold);
  var DATA = {data};
  var DETAILS = {details};
  function element(html) {{  // titles are HTML built from escaped text (see export_html.py)
    var div = document.createElement("div");
    div.innerHTML = html;
    return div;
  }}
  DATA.nodes.forEach(function (n) {{ if (n.title) n.title = element(n.title); }});
  DATA.edges.forEach(function (e) {{ if (e.title) e.title = element(e.title); }});
  var VIEW = DATA.view, container = document.getElementById("network");
  // A claim the dashboard opens from outside the frame (its map as text, its picker).
  var OPEN = document.body.dataset.open || null;
  if (OPEN && !Object.prototype.hasOwnProperty.call(DETAILS.claims, OPEN)) OPEN = null;
  var WAYPOINT = {{shape: "dot", size: 0.5, borderWidth: 0, chosen: false, fixed: true,
                  color: {{background: "rgba(0,0,0,0)", border: "rgba(0,0,0,0)"}}}};
  // Claims at the layout's positions; each edge split at its waypoints (invisible nodes) so it
  // runs through the gaps between rows. The arrow sits on the last piece. A trunk's pieces are
  // shared by several edges: only the pieces next to the lower claim carry the tooltip.
  function build(lay) {{
    var nodes = DATA.nodes.map(function (n) {{
      return Object.assign({{}}, n, {{x: lay.pos[n.id][0], y: lay.pos[n.id][1]}});
    }});
    var edges = [];
    DATA.edges.forEach(function (e, i) {{
      var via = lay.via[String(i)] || [], ids = [e.from];
      via.forEach(function (p, k) {{
        var id = "w:" + e.id + ":" + k;
        nodes.push(Object.assign({{id: id, x: p[0], y: p[1]}}, WAYPOINT));
        ids.push(id);
      }});
      ids.push(e.to);
      var n = ids.length - 1, ys = lay.pos[e.from][1], yt = lay.pos[e.to][1], trunk = via.length > 2;
      for (var k = 0; k < n; k++) {{
        var piece = Object.assign({{}}, e, {{id: k ? e.id + ":" + k : e.id, from: ids[k], to: ids[k + 1],
                                            arrows: k === n - 1 ? e.arrows : ""}});
        var mine = !trunk || ys === yt || (ys > yt ? k < 2 : k >= n - 2);
        if (!mine) delete piece.title;
        edges.push(piece);
      }}
    }});
    return {{nodes: new vis.DataSet(nodes), edges: new vis.DataSet(edges)}};
  }}
  // The first view: the whole map if it fits at a readable zoom, else the anchor claim (the
  // focus, or the first conversation's first claim) at the left edge, vertically centred, with
  // its answers to its right; never so far that an edge of the map comes into the middle.
  function home() {{
    var w = container.clientWidth, h = container.clientHeight, pad = VIEW.pad;
    var scale = Math.max(VIEW.minScale, Math.min(VIEW.maxScale,
      w / (current.width + 2 * pad), h / (current.height + 2 * pad)));
    var x = current.width / 2, y = current.height / 2, a = current.pos[OPEN || DATA.anchor];
    if ((current.width + 2 * pad) * scale > w) x = (a ? a[0] - VIEW.box / 2 : 0) - pad + w / 2 / scale;
    if ((current.height + 2 * pad) * scale > h) y = a ? a[1] : h / 2 / scale - pad;
    network.moveTo({{position: {{x: clamp(x, current.width, w, scale), y: clamp(y, current.height, h, scale)}},
                    scale: scale, animation: false}});
  }}
  function clamp(at, size, room, s) {{  // keep the view centre where some content shows
    var lo = Math.min(room / 2 / s - VIEW.pad, size / 2), hi = Math.max(size - room / 2 / s + VIEW.pad, size / 2);
    return Math.min(hi, Math.max(lo, at));
  }}
  var current = DATA.layout;
  var network = new vis.Network(container, build(current), DATA.options);
  // The canvas says nothing to a screen reader: name it, and say where its words are.
  var frame = container.querySelector(".vis-network");
  frame.setAttribute("role", "img");
  frame.setAttribute("aria-label", "The argument map: {claims} claims, {relations} relations. "
    + "Arrow keys move it, + and - zoom; the list above it holds the same as text.");
  home();
  // The wheel scrolls through the rows like a page (vis-network would zoom); Ctrl+wheel and
  // pinch still zoom. At the end of the graph the wheel scrolls the page around it instead.
  container.addEventListener("wheel", function (ev) {{
    if (ev.ctrlKey || ev.metaKey) return;
    var s = network.getScale(), at = network.getViewPosition();
    var unit = ev.deltaMode === 1 ? 16 : ev.deltaMode === 2 ? container.clientHeight : 1;
    var x = clamp(at.x + ev.deltaX * unit / s, current.width, container.clientWidth, s);
    var y = clamp(at.y + ev.deltaY * unit / s, current.height, container.clientHeight, s);
    ev.stopPropagation();  // never vis-network's zoom
    if (Math.abs(x - at.x) < 0.5 && Math.abs(y - at.y) < 0.5) return;  // the page scrolls instead
    ev.preventDefault();
    moved = true;
    network.moveTo({{position: {{x: x, y: y}}, scale: s, animation: false}});
  }}, {{capture: true, passive: false}});
  // When the frame changes size (the window, the dashboard's iframe, the list above opening),
  // vis-network keeps the view's centre and scales the zoom with the frame: the map's left edge,
  // and the focus claim with it, slid out of the frame. Its "resize" comes just before that
  // step, so ours runs right after it (a microtask, before the next frame is drawn): the first
  // view again, or, once the reader has moved the map, their zoom and the corner they were at.
  var moved = false, seen = null;
  network.on("dragStart", function () {{ moved = true; }});
  network.on("zoom", function () {{ moved = true; }});
  container.addEventListener("keydown", function (ev) {{  // the keys vis-network moves it by
    if (/^(Arrow|Page)|^[-+=[\\]]$/.test(ev.key)) moved = true;
  }});
  network.on("afterDrawing", function () {{
    seen = {{scale: network.getScale(), corner: network.DOMtoCanvas({{x: 0, y: 0}})}};
  }});
  network.on("resize", function () {{
    var was = seen;
    Promise.resolve().then(function () {{
      if (!moved || !was) return home();
      var s = was.scale, w = container.clientWidth, h = container.clientHeight;
      network.moveTo({{position: {{x: was.corner.x + w / 2 / s, y: was.corner.y + h / 2 / s}},
                      scale: s, animation: false}});
    }});
  }});
  function add(parent, tag, text, cls) {{
    var el = document.createElement(tag);
    if (text !== undefined && text !== null) el.textContent = text;
    if (cls) el.className = cls;
    parent.appendChild(el);
    return el;
  }}
  function show(id) {{
    var c = DETAILS.claims[id], panel = document.getElementById("claim");
    if (!c) return;
    panel.textContent = "";
    panel.parentNode.classList.add("open");
    // Each block of comment text takes its own words' direction and its thread's language.
    var heading = add(panel, "h2", c.text);
    heading.tabIndex = -1; heading.dir = "auto"; heading.lang = c.lang;
    var meta = add(panel, "p", null, "meta");
    add(meta, "bdi", c.author);
    meta.appendChild(document.createTextNode((c.date ? ", " + c.date : "")
        + (c.kind === "article" ? " (article)" : "") + (c.label ? " · grounded label " + c.label : "")));
    var text = DETAILS.posts[c.post] || "", start = c.start, end = c.end;
    if (start === null || end === null || text.slice(start, end) !== c.quote) {{
      start = text.indexOf(c.quote); end = start < 0 ? -1 : start + c.quote.length;
    }}
    var post = add(panel, "div", null, "post");
    post.dir = "auto"; post.lang = c.lang;
    if (start < 0) {{ add(post, "mark", c.quote); }}
    else {{
      var from = Math.max(0, start - 600), to = Math.min(text.length, end + 600);
      add(post, "span", (from > 0 ? "… " : "") + text.slice(from, start));
      add(post, "mark", text.slice(start, end));
      add(post, "span", text.slice(end, to) + (to < text.length ? " …" : ""));
    }}
    if (c.thread) add(add(panel, "p", "Thread: ", "meta"), "bdi", c.thread).lang = c.lang;
    if (c.url && /^https?:\\/\\//i.test(c.url)) {{
      var a = add(panel, "a", "Open the source page");
      a.href = c.url; a.target = "_blank"; a.rel = "noopener noreferrer";
    }}
  }}
  var details = document.getElementById("details");
  details.querySelector(".close").addEventListener("click", close);
  // Keyboard and screen reader: the list under the map opens a claim as a click does, and
  // moves the focus to it; Escape closes the panel where it covers the map.
  var opener = null;
  function close() {{
    details.classList.remove("open");
    if (opener) opener.focus();
    opener = null;
  }}
  var list = document.querySelector(".astext");  // none in the dashboard's frame
  if (list) list.addEventListener("click", function (ev) {{
    var a = ev.target.closest("a[data-claim]");
    if (!a) return;
    ev.preventDefault();
    show(a.getAttribute("data-claim"));
    opener = a;
    document.querySelector("#claim h2").focus();
  }});
  document.addEventListener("keydown", function (ev) {{
    if (ev.key === "Escape" && details.classList.contains("open")) close();
  }});
  network.on("click", function (params) {{
    if (params.nodes.length) show(params.nodes[0]);
    else if (!params.edges.length) details.classList.remove("open");
  }});
  if (OPEN) {{  // as a click on its box (the first view is on it)
    network.selectNodes([OPEN]);
    show(OPEN);
    // Chosen in a list around the frame, the keyboard follows it while it is still on the
    // button that chose it (not when the reader comes back to the page); Escape returns it.
    var by = null;
    try {{ by = parent !== window && parent.document.activeElement; }} catch (e) {{}}
    if ("focus" in document.body.dataset && by && by.tagName === "BUTTON") {{ opener = by; document.querySelector("#claim h2").focus(); }}
  }}
  window.argmapNetwork = network;
  window.argmapShow = show;
  window.argmapLayout = function () {{ return current; }};
}})();
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
        claims=len(sg.nodes),
        relations=len(sg.edges),
        banner=banner,
        page_style=page_style(html.escape(height)),
        fold_query=script_json(FOLD_QUERY),
        vis_css=vis_css,
        vis_js=vis_js,
        data=script_json(data),
        details=script_json(_details(sg)),
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


def with_claim_open(page: str, claim_id: str | None, focus: bool = False) -> str:
    """``page`` (``render_html``'s) opening ``claim_id`` as a click on its box does, and with
    ``focus`` moving the keyboard to its panel; no script changes, so the CSP's hashes hold."""
    if not claim_id:
        return page
    attrs = f' data-open="{html.escape(claim_id, quote=True)}"' + (" data-focus" if focus else "")
    return page.replace("</head>\n<body>", f"</head>\n<body{attrs}>", 1)


def page_subgraph(store: Store, selection: Selection) -> Subgraph:
    """What the page of ``selection`` shows: the picture's defaults and story-first order,
    capped at ``DEFAULT_MAX_NODES`` claims; labels judged on the claims shown."""
    from argmap.graph.export_image import shown_labels

    return shown_labels(visual_subgraph(store, selection, DEFAULT_MAX_NODES))


def export_html(store: Store, selection: Selection, path: Path) -> None:
    """Select ``selection`` as ``page_subgraph`` says and write the page."""
    Path(path).write_text(render_html(page_subgraph(store, selection)), encoding="utf-8")
