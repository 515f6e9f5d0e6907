"""The picture exports (PNG, SVG, PDF) read back with real readers (Pillow, an XML parser,
matplotlib's own renderer): grounded labels colour the boxes, nothing overlaps, edges go round
claims. The graph holds hostile text (``export_data.write_nasty``, the ``nasty`` fixture).
"""

from __future__ import annotations

import re
from itertools import combinations
from pathlib import Path
from xml.etree import ElementTree

import matplotlib
import pytest
from argmap.graph.export_image import PICTURE_RC, draw, render_image
from argmap.graph.export_text import xml_safe
from argmap.graph.exports import export
from argmap.graph.store import Store
from argmap.graph.subgraph import Selection, SelectionError, select_subgraph
from argmap.graph.writes import write_extractions
from PIL import Image

from argmap.core.models import Relation


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
    from argmap.graph.picture_style import FRAME_WORDS
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
    assert all(FRAME_WORDS[lab] in legend for lab in ("IN", "OUT", "UNDEC"))


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


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")
@pytest.mark.parametrize("dark", [False, True])
def test_png_holds_matplotlibs_own_pixels_without_the_alpha_channel(
    store: Store, nasty, dark: bool
) -> None:
    import io

    import numpy as np
    from argmap.graph.picture_style import PictureOptions

    _, claims, _ = nasty
    sg = select_subgraph(store, Selection(claim=claims[0].id, hops=2, min_confidence=0))
    options = PictureOptions(width=900, dark=dark)
    with Image.open(io.BytesIO(render_image(sg, "png", options=options))) as img:
        assert img.mode == "RGB" and img.width == 900
        assert img.text["Claims"].split() == [n.id for n in sg.nodes] and img.text["Title"]
        ours = np.asarray(img)
    fig = draw(sg, options=options).figure  # as matplotlib's savefig writes it (RGBA)
    buf = io.BytesIO()
    with matplotlib.rc_context(PICTURE_RC):  # the text settings it was measured with
        fig.savefig(buf, format="png", dpi=900 / fig.get_figwidth(), facecolor=fig.get_facecolor())
    with Image.open(buf) as img:
        theirs = np.asarray(img)
    assert theirs.shape[2] == 4 and (theirs[..., 3] == 255).all()  # opaque: nothing lost
    assert ours.shape == theirs.shape[:2] + (3,) and (ours == theirs[..., :3]).all()


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


def test_a_picture_emptied_by_its_defaults_says_which_option_shows_the_claims(
    sample_store: Store, tmp_path: Path
) -> None:
    # The article's author: many claims, but only guessed relations (below GUESS_CONFIDENCE).
    selection = Selection(people=["Pham Binh"])
    assert select_subgraph(sample_store, selection, labels=False).nodes
    for fmt in ("png", "html"):
        with pytest.raises(SelectionError, match="--min-confidence 0") as err:
            export(sample_store, fmt, selection, tmp_path / f"p.{fmt}")
        assert "claims match this selection" in str(err.value)
    drawn = export(
        sample_store, "png", Selection(people=["Pham Binh"], min_confidence=0.0), tmp_path / "p.png"
    )
    with Image.open(drawn) as image:
        assert image.width >= 1600
    # A selection nothing matches still says so.
    with pytest.raises(SelectionError, match="no claim matches"):
        export(sample_store, "png", Selection(people=["nobody at all"]), tmp_path / "q.png")


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")
def test_the_same_graph_drawn_the_same_day_is_the_same_file(store: Store, nasty) -> None:
    from datetime import date

    _, claims, _ = nasty
    sg = select_subgraph(store, Selection(claim=claims[0].id, hops=2))
    day = date(2024, 1, 2)
    for fmt in ("png", "svg", "pdf"):
        first, again = render_image(sg, fmt, day), render_image(sg, fmt, day)
        assert first == again, fmt  # no clock time, no random ids
    # The file's own date is the day the caption names, not the moment it was drawn.
    svg = ElementTree.fromstring(render_image(sg, "svg", day))
    dates = [el.text for el in svg.iter("{http://purl.org/dc/elements/1.1/}date")]
    assert dates == ["2024-01-02"]
    assert b"/CreationDate (D:20240102000000Z)" in render_image(sg, "pdf", day)


def test_a_claim_nothing_answers_is_said_to_stand_alone(store: Store, tmp_path: Path) -> None:
    # A picture of one box said it "Shows the framed claim and the strongest answers to it":
    # a reader looked for answers that are not there.
    from argument_graphs import write_debate

    write_debate(store, rebuts=[("b", "a")], claims=["lone"])
    path = export(store, "png", Selection(claim="lone", hops=2), tmp_path / "lone.png")
    with Image.open(path) as img:
        assert img.text["Claims"] == "lone"
        about = img.text["Description"]
    assert "the framed claim alone: no claim answers it and it answers none" in about
    assert "strongest answers" not in about
    path = export(store, "png", Selection(claim="a", hops=2), tmp_path / "a.png")
    with Image.open(path) as img:
        assert "the framed claim and the strongest answers to it" in img.text["Description"]
