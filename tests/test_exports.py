"""Every export format, each read back with a real reader: Pillow, an XML parser, networkx,
arguebuf, headless Chromium. The graph holds hostile text (see ``export_data``).
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from itertools import combinations
from pathlib import Path
from xml.etree import ElementTree

import networkx as nx
import pytest
from argmap.graph.export_image import draw, render_image
from argmap.graph.export_json import export_json
from argmap.graph.export_text import xml_safe
from argmap.graph.exports import FORMATS, export, json_document
from argmap.graph.store import Store
from argmap.graph.subgraph import Selection, SelectionError, select_subgraph
from argmap.graph.writes import write_extractions
from export_data import XSS, Nasty, reference, within, write_nasty
from PIL import Image

from argmap.core.models import Relation


@pytest.fixture
def nasty(store: Store) -> Nasty:
    return write_nasty(store)


def reference_grounded(args: list[str], attacks: list[tuple[str, str]]) -> dict[str, str]:
    """The grounded labelling by its definition, iterated to the fixpoint (slow, obviously right)."""
    label: dict[str, str] = {}
    changed = True
    while changed:
        changed = False
        for a in args:
            if a in label:
                continue
            attackers = [x for x, y in attacks if y == a]
            if all(label.get(x) == "OUT" for x in attackers):
                label[a], changed = "IN", True
            elif any(label.get(x) == "IN" for x in attackers):
                label[a], changed = "OUT", True
    return {a: label.get(a, "UNDEC") for a in args}


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")
def test_grounded_labels_come_from_the_whole_graph_and_colour_the_picture(
    store: Store, nasty
) -> None:
    pytest.importorskip("graph.semantics", reason="graph/semantics.py (issue 5) not in this tree")
    from argmap.graph.export_style import LABEL_FILLS
    from argmap.graph.picture_style import LABEL_WORDS
    from matplotlib.colors import to_hex

    _, claims, rels = nasty
    cycle = Relation(
        source=claims[0].id,
        target=claims[3].id,
        type="rebuts",
        confidence=0.7,
        rationale="",
        extractor="test",
    )  # 0 and 3 rebut each other: UNDEC
    write_extractions(store, [claims[0].post_id], claims[:2], [cycle], "test")
    attacks = [(r.source, r.target) for r in [*rels, cycle] if r.type == "rebuts"]
    expected = reference_grounded([c.id for c in claims], attacks)
    assert set(expected.values()) == {"IN", "OUT", "UNDEC"}
    focus = claims[2].id
    sg = select_subgraph(store, Selection(claim=focus, hops=1))
    assert sg.labelled and len(sg.nodes) < len(claims)
    assert {n.id: n.label for n in sg.nodes} == {n.id: expected[n.id] for n in sg.nodes}
    drawing = draw(select_subgraph(store))
    for cid, patch in drawing.boxes.items():
        assert to_hex(patch.get_facecolor()) == LABEL_FILLS[expected[cid]].lower()
    legend = [t.get_text() for t in drawing.legend.get_texts()]
    assert all(LABEL_WORDS[lab] in legend for lab in ("IN", "OUT", "UNDEC"))


# --- pictures -----------------------------------------------------------------------------


def _overlaps(a, b, tol: float = 0.5) -> bool:
    return min(a.x1, b.x1) - max(a.x0, b.x0) > tol and min(a.y1, b.y1) - max(a.y0, b.y0) > tol


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")  # CJK in DejaVu: drawn as boxes
@pytest.mark.parametrize("focus_index", [None, 0, 2])
def test_picture_layout_has_no_overlaps_measured_by_the_renderer(
    store: Store, nasty, focus_index
) -> None:
    _, claims, _ = nasty
    sel = Selection(
        claim=claims[focus_index].id if focus_index is not None else None, hops=3, min_confidence=0
    )
    sg = select_subgraph(store, sel)
    drawing = draw(sg)
    fig = drawing.figure
    renderer = fig.canvas.get_renderer()
    boxes = {cid: p.get_window_extent(renderer) for cid, p in drawing.boxes.items()}
    assert set(boxes) == {n.id for n in sg.nodes}
    for (a, ba), (b, bb) in combinations(boxes.items(), 2):
        assert not _overlaps(ba, bb), f"boxes of {a} and {b} overlap"
    for cid, texts in drawing.texts.items():  # every label inside its own box
        for t in texts:
            tb = t.get_window_extent(renderer)
            box = boxes[cid]
            assert box.x0 <= tb.x0 and tb.x1 <= box.x1 and box.y0 <= tb.y0 and tb.y1 <= box.y1, (
                t.get_text()
            )
    others = [drawing.legend.get_window_extent(renderer)] + [
        c.get_window_extent(renderer) for c in drawing.caption
    ]
    fig_box = fig.bbox
    for o in others:
        assert all(not _overlaps(o, b) for b in boxes.values())
        assert (
            fig_box.x0 <= o.x0 and o.x1 <= fig_box.x1 and fig_box.y0 <= o.y0 and o.y1 <= fig_box.y1
        )
    for a, b in combinations(others, 2):
        assert not _overlaps(a, b)
    # Edge colours and the legend entries that explain them.
    legend = [t.get_text() for t in drawing.legend.get_texts()]
    for kind in {e.type for e in sg.edges}:
        assert any(s.startswith(kind) for s in legend)


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")
def test_edges_run_between_boxes_never_behind_a_claim(store: Store, nasty) -> None:
    from argmap.graph.picture_geometry import box_overlaps, drawn_routes, patch_rects

    _, claims, _ = nasty
    for sel in (
        Selection(claim=claims[0].id, hops=3, min_confidence=0),
        Selection(min_confidence=0),
    ):
        sg = select_subgraph(store, sel)
        drawing = draw(sg)
        drawing.figure.canvas.draw()
        assert len(drawing.edges) == len(sg.edges)
        routes = drawn_routes(drawing.edges)
        rects = patch_rects(drawing.boxes)
        assert box_overlaps(routes, [(e.source, e.target) for e in sg.edges], rects) == 0
    # The check itself can fail: a straight line through a box is caught.
    cid, (x0, y0, x1, y1) = next(iter(rects.items()))
    line = [(x0 - 50, (y0 + y1) / 2), (x1 + 50, (y0 + y1) / 2)]
    assert box_overlaps([line], [("a", "b")], {cid: (x0, y0, x1, y1)}) == 1


def test_png_is_wide_and_drawn_in_the_relation_colours(store: Store, nasty, tmp_path: Path) -> None:
    _, claims, _ = nasty
    path = export(store, "png", Selection(claim=claims[0].id, hops=2), tmp_path / "x.png")
    with Image.open(path) as img:
        assert img.format == "PNG" and img.width == 1600  # the default --width
        rgb = img.convert("RGB")
        colours = rgb.getcolors(maxcolors=1 << 20)
    seen = {c for _, c in colours}
    assert (0xD5, 0x5E, 0x00) in seen and (0x00, 0x72, 0xB2) in seen  # rebuts, supports
    assert len(seen) > 50  # anti-aliased text: a picture, not a blank page


def test_svg_parses_as_xml_and_holds_no_script(store: Store, nasty, tmp_path: Path) -> None:
    thread, claims, _ = nasty
    path = export(store, "svg", Selection(min_confidence=0), tmp_path / "x.svg")
    root = ElementTree.parse(path).getroot()
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg"
    assert not list(root.iter(f"{ns}script"))
    ids = {el.get("id") for el in root.iter()}
    assert {f"claim-{c.id}" for c in claims} <= ids  # one box per claim
    titles = [el.text for el in root.iter("{http://purl.org/dc/elements/1.1/}title")]
    assert xml_safe(thread.title) in titles


def test_pdf_is_one_page_with_the_thread_title(store: Store, nasty, tmp_path: Path) -> None:
    thread, claims, _ = nasty
    data = export(store, "pdf", Selection(claim=claims[0].id), tmp_path / "x.pdf").read_bytes()
    assert data.startswith(b"%PDF-1.") and data.rstrip().endswith(b"%%EOF")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) == 1
    assert thread.title.isascii() and "(" not in thread.title  # a plain PDF literal string
    assert b"/Title (" + thread.title.encode() + b")" in data


def test_picture_of_nothing_is_a_clear_error(store: Store, nasty) -> None:
    with pytest.raises(SelectionError, match="nothing to draw"):
        render_image(select_subgraph(store, Selection(people=["nobody at all"])), "png")


# --- interactive page -----------------------------------------------------------------------


def test_html_is_standalone_and_escapes_comment_text(store: Store, nasty, tmp_path: Path) -> None:
    from html.parser import HTMLParser

    _, claims, _ = nasty
    path = export(store, "html", Selection(), tmp_path / "x.html")
    page = path.read_text(encoding="utf-8")

    class Tags(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: list[tuple[str, dict]] = []

        def handle_starttag(self, tag, attrs) -> None:
            self.tags.append((tag, dict(attrs)))

    parser = Tags()
    parser.feed(page)
    tags = parser.tags
    scripts = [a for t, a in tags if t == "script"]
    assert len(scripts) >= 2 and all("src" not in a for a in scripts)  # vis-network inlined
    assert not [t for t, _ in tags if t in ("link", "img", "iframe", "object", "embed")]
    for _, attrs in tags:
        for name in ("src", "href"):
            assert not (attrs.get(name) or "").lower().startswith(("http", "//"))
    assert "vis.Network" in page and "default-src 'none'" in page
    # Every hostile string is present only escaped: never as markup.
    for raw in (XSS, "<script>window.__xss=2</script>", "<b>bold</b>", "<Joining>"):
        assert raw not in page
    from argmap.graph.export_html import _vis_assets

    ours = page.replace(_vis_assets()[0], "")  # vis-network itself holds "<script>" in a string
    assert ours.count("<script") == len(scripts) == 2


def test_html_title_and_labels_are_escaped_in_the_pyvis_network(store: Store, nasty) -> None:
    from argmap.graph.export_html import network_for

    sg = select_subgraph(store)
    net = network_for(sg)
    for node in net.nodes:
        assert "<script" not in node["title"] and "<img" not in node["title"]
    assert all({"x", "y"} <= n.keys() for n in net.nodes)  # a whole graph comes laid out
    focused = network_for(select_subgraph(store, Selection(claim=sg.nodes[0].id)))
    assert all({"x", "y"} <= n.keys() and n["fixed"] for n in focused.nodes)  # so does a focus
    hostile = next(n for n in net.nodes if "window.__xss=2" in n["title"])
    assert "&lt;script&gt;window.__xss=2&lt;/script&gt;" in hostile["title"]
    assert all("<img" not in e["title"] for e in net.edges)


# --- data formats -----------------------------------------------------------------------------


def test_graphml_reads_back_in_networkx(store: Store, nasty, tmp_path: Path) -> None:
    thread, claims, rels = nasty
    path = export(store, "graphml", Selection(), tmp_path / "x.graphml")
    ElementTree.parse(path)  # well-formed XML despite control characters in the text
    g = nx.read_graphml(path)
    assert g.number_of_nodes() == len(claims) and g.number_of_edges() == len(rels)
    for c in claims:
        assert g.nodes[c.id]["quote"] == xml_safe(c.quote)
        assert g.nodes[c.id]["author"] == thread.post(c.post_id).author
    got = sorted((u, v, d["type"], d["confidence"]) for u, v, d in g.edges(data=True))
    assert got == sorted((r.source, r.target, r.type, r.confidence) for r in rels)


def test_csv_zip_and_directory_read_back(store: Store, nasty, tmp_path: Path) -> None:
    thread, claims, rels = nasty
    path = export(store, "csv", Selection(), tmp_path / "x.zip")
    with zipfile.ZipFile(path) as zf:
        assert sorted(zf.namelist()) == ["claims.csv", "posts.csv", "relations.csv"]
        tables = {
            n: list(csv.DictReader(io.StringIO(zf.read(n).decode("utf-8")))) for n in zf.namelist()
        }
    assert {r["id"]: r["quote"] for r in tables["claims.csv"]} == {c.id: c.quote for c in claims}
    assert sorted((r["source"], r["target"], r["type"]) for r in tables["relations.csv"]) == sorted(
        (r.source, r.target, r.type) for r in rels
    )
    assert {r["id"]: r["text"] for r in tables["posts.csv"]} == {
        p.id: p.text for p in thread.posts if any(c.post_id == p.id for c in claims)
    }
    out = export(store, "csv", Selection(claim=claims[0].id, hops=1), tmp_path / "dir")
    with (out / "claims.csv").open(encoding="utf-8", newline="") as fh:
        ids = {r["id"] for r in csv.DictReader(fh)}
    assert ids == set(within(reference(claims, rels), claims[0].id, 1))


def test_aif_loads_in_arguebuf_with_matching_counts(store: Store, nasty, tmp_path: Path) -> None:
    import arguebuf
    from arguebuf.model.scheme import Attack, Support

    thread, claims, rels = nasty
    path = export(store, "aif", Selection(), tmp_path / "x.json")
    g = arguebuf.load.file(path)
    assert set(g.atom_nodes) == {c.id for c in claims}
    attacks = [n for n in g.scheme_nodes.values() if isinstance(n.scheme, Attack)]
    supports = [n for n in g.scheme_nodes.values() if isinstance(n.scheme, Support)]
    assert len(attacks) == sum(r.type == "rebuts" for r in rels)
    assert len(supports) == sum(r.type == "supports" for r in rels)
    got = {
        (
            next(iter(g.incoming_nodes(s))).id,
            next(iter(g.outgoing_nodes(s))).id,
            "rebuts" if isinstance(s.scheme, Attack) else "supports",
        )
        for s in attacks + supports
    }
    assert got == {(r.source, r.target, r.type) for r in rels}
    # The dialogue layer: one L-node and locution per claim, each spoken by a participant.
    doc = json.loads(path.read_text(encoding="utf-8"))
    l_nodes = [n for n in doc["nodes"] if n["type"] == "L"]
    assert len(l_nodes) == len(claims) == len(doc["locutions"])
    people = {p["participantID"] for p in doc["participants"]}
    assert {loc["personID"] for loc in doc["locutions"]} <= people
    assert len(people) == len({thread.post(c.post_id).author.casefold() for c in claims})
    assert {n["nodeID"] for n in doc["nodes"]} >= {e["fromID"] for e in doc["edges"]} | {
        e["toID"] for e in doc["edges"]
    }


def test_json_whole_graph_is_argmap_json_and_a_claim_narrows_it(store: Store, nasty) -> None:
    _, claims, rels = nasty
    assert json_document(store, Selection()) == export_json(store)
    doc = json_document(store, Selection(claim=claims[4].id, hops=1))
    keep = set(within(reference(claims, rels), claims[4].id, 1))
    assert {c["id"] for c in doc["claims"]} == keep
    assert {(r["source"], r["target"]) for r in doc["relations"]} == {
        (r.source, r.target) for r in rels if r.source in keep and r.target in keep
    }


def test_a_failed_export_leaves_the_old_file_alone(store: Store, nasty, tmp_path: Path) -> None:
    target = tmp_path / "keep.png"
    target.write_bytes(b"the picture from yesterday")
    with pytest.raises(SelectionError):
        export(store, "png", Selection(people=["nobody at all"]), target)
    assert target.read_bytes() == b"the picture from yesterday"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.png"]  # no temporary left behind


def test_every_registered_format_writes_something_readable(
    store: Store, nasty, tmp_path: Path
) -> None:
    from argmap.graph.exports import export_bytes

    for name, spec in FORMATS.items():
        path = export(store, name, Selection(), tmp_path / f"all{spec.extension}")
        assert path.stat().st_size > 100, name
        if not spec.binary:
            path.read_text(encoding="utf-8")
    # The dashboard's download buttons take bytes and a file name.
    data, filename = export_bytes(store, "png", Selection(claim=nasty[1][0].id, hops=1))
    assert filename == f"argmap-{nasty[1][0].id}-1hops.png"
    with Image.open(io.BytesIO(data)) as img:
        assert img.format == "PNG"
    data, filename = export_bytes(store, "csv", Selection())
    assert filename == "argmap-graph.zip"
    assert "relations.csv" in zipfile.ZipFile(io.BytesIO(data)).namelist()


@pytest.mark.browser
def test_html_page_works_offline_in_chromium_and_clicks_through(
    store: Store, nasty, tmp_path: Path
) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("headless Chromium not found at /usr/bin/chromium")
    _, claims, _ = nasty
    path = export(store, "html", Selection(min_confidence=0), tmp_path / "page.html")
    hostile = claims[0]  # the article claim holding <script> and <img onerror>
    outside: list[str] = []
    errors: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})

            def route(r) -> None:
                if r.request.url.startswith("file://"):
                    r.continue_()
                else:
                    outside.append(r.request.url)
                    r.abort()

            page.route("**/*", route)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(path.as_uri())
            page.wait_for_function("window.argmapNetwork !== undefined")
            drawn = page.evaluate("Object.keys(argmapNetwork.getPositions())")
            assert {c.id for c in claims} <= set(drawn)  # every claim; the rest are edge waypoints
            assert all(i.startswith("w:") for i in set(drawn) - {c.id for c in claims})
            tip = page.evaluate(
                "id => { const t = argmapNetwork.body.data.nodes.get(id).title;"
                " return [t.textContent, t.querySelectorAll('script, img').length]; }",
                hostile.id,
            )
            assert "<script>window.__xss=2</script>" in tip[0] and tip[1] == 0
            # A real mouse click on the claim fills the panel with its words in their post.
            x, y = page.evaluate(
                "id => { const n = argmapNetwork, p = n.canvasToDOM(n.getPositions([id])[id]),"
                " r = document.getElementById('network').getBoundingClientRect();"
                " return [r.left + p.x, r.top + p.y]; }",
                hostile.id,
            )
            page.mouse.click(x, y)
            page.wait_for_function("document.querySelector('#details mark') !== null")
            assert page.text_content("#details mark") == hostile.quote
            assert page.text_content("#details h3") == hostile.text
            assert page.evaluate("window.__xss") is None
        finally:
            browser.close()
    assert outside == [] and errors == []
