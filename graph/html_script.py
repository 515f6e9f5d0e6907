"""The script of the map's page (``graph.export_html``): draws the map, opens a claim in its
post, and takes the claim a dashboard around the frame asks for without loading the page again.

A template for ``str.format`` (braces doubled): the page fills in its data as JSON made safe for
``<script>`` (``export_html.script_json``); nothing else varies, so the CSP's hash covers it.
"""

from __future__ import annotations

SCRIPT = """(function () {{
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
  // A claim the dashboard opens from outside the frame (its map as text, its picker): the one
  // its page asks for as this frame loads, then each one it posts (dashboard/map_open.py). The
  // frame is not loaded again for it: the reader's pan and zoom stay.
  function known(id) {{
    return typeof id === "string" && Object.prototype.hasOwnProperty.call(DETAILS.claims, id);
  }}
  var ASKED = null;
  try {{ if (parent !== window) ASKED = parent.argmapMapOpen || null; }} catch (e) {{}}
  var OPEN = ASKED && known(ASKED.claim) ? ASKED.claim : null, handled = ASKED ? ASKED.seq : -1;
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
  function open(id, focus) {{  // as a click on its box
    network.selectNodes([id]);
    show(id);
    // Chosen in a list around the frame, the keyboard follows it while it is still on the
    // button that chose it (not when the reader comes back to the page); Escape returns it.
    var by = null;
    try {{ by = parent !== window && parent.document.activeElement; }} catch (e) {{}}
    if (focus && by && by.tagName === "BUTTON") {{ opener = by; document.querySelector("#claim h2").focus(); }}
  }}
  // Opened on a map already drawn, the claim keeps the reader's zoom, and the map moves only if
  // its box is not all in view: to the left edge, where the first view puts it.
  function reveal(id) {{
    var s = network.getScale(), w = container.clientWidth, h = container.clientHeight;
    var box = network.getBoundingBox(id), p = current.pos[id];
    var tl = network.DOMtoCanvas({{x: 0, y: 0}}), br = network.DOMtoCanvas({{x: w, y: h}});
    if (!box || !p || (box.left >= tl.x && box.right <= br.x && box.top >= tl.y && box.bottom <= br.y)) return;
    moved = true;
    network.moveTo({{position: {{x: clamp(p[0] - VIEW.box / 2 - VIEW.pad + w / 2 / s, current.width, w, s),
                                y: clamp(p[1], current.height, h, s)}}, scale: s, animation: false}});
  }}
  if (OPEN) open(OPEN, ASKED.focus);  // the first view is on it
  // Only the dashboard's page around the frame asks; each request once (it numbers them).
  window.addEventListener("message", function (ev) {{
    var m = ev.data;
    if (parent === window || ev.source !== parent || !m || m.argmap !== "open") return;
    if (!known(m.claim) || !(m.seq > handled)) return;
    handled = m.seq;
    reveal(m.claim);
    open(m.claim, m.focus);
  }});
  window.argmapNetwork = network;
  window.argmapShow = show;
  window.argmapLayout = function () {{ return current; }};
}})();"""


def page_script(**values: object) -> str:
    """The script with ``values`` (``fold_query``, ``data``, ``details``, ``claims``,
    ``relations``) filled in."""
    return SCRIPT.format(**values)
