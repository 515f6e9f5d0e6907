"""A picture read without colour (a greyscale newspaper, a reader with protanopia or
deuteranopia): rebuts and supports differ in how their line ends, in the map and in the legend,
and whether a claim stands shows in its frame, not only in its fill.

Read back from the SVG a journalist publishes (an XML parser) and from the drawn legend.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree

import numpy as np
import pytest
from argmap.graph.export_image import draw, picture_subgraph, render_image
from argmap.graph.store import Store
from argmap.graph.subgraph import Selection
from argument_graphs import write_debate
from matplotlib.path import Path as MplPath

SVG = "{http://www.w3.org/2000/svg}"
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")


@pytest.fixture
def debate(store: Store) -> Store:
    """Claim "a" answered both ways: "c" rebuts it and stands (so "a" is OUT), "d" supports it,
    "x" and "y" rebut each other in a loop (UNDEC) and "x" rebuts "a" too."""
    write_debate(
        store,
        rebuts=[("c", "a"), ("x", "a"), ("x", "y"), ("y", "x")],
        supports=[("d", "a")],
        theses=["a"],
    )
    return store


def end_mark(polygons: list[np.ndarray]) -> str:
    """What ends a drawn relation, from the polygons of its path (the shaft first): "bar" (a
    straight stroke across the line's end), "arrow" (a triangle) or "none"."""
    if len(polygons) < 2:
        return "none"
    end = np.unique(np.round(polygons[-1], 3), axis=0)
    if len(end) == 3:
        return "arrow"
    shaft = polygons[0]
    heading = shaft[-1] - shaft[-2]
    if len(end) == 2 and np.linalg.norm(heading) > 0:
        across = end[1] - end[0]
        cos = abs(heading @ across) / (np.linalg.norm(heading) * np.linalg.norm(across))
        if cos < 0.2:  # square to the line, give or take the curve's last bend
            return "bar"
    return "none"


def svg_polygons(group: ElementTree.Element) -> list[np.ndarray]:
    """Each ``<path>`` of an SVG group as its points (matplotlib writes M/L/C/z commands)."""
    out = []
    for path in group.iter(f"{SVG}path"):
        nums = [float(v) for v in NUMBER.findall(path.get("d", ""))]
        out.append(np.array(nums).reshape(-1, 2))
    return out


def dash_pattern(style: str) -> tuple[float, ...]:
    """A box's dashes relative to its line width (empty when solid): the pattern a reader sees,
    whatever the frame's weight (the focus claim's is heavier)."""
    dashes = re.search(r"stroke-dasharray:\s*([^;]+)", style)
    if not dashes:
        return ()
    width = float(re.search(r"stroke-width:\s*([\d.]+)", style)[1])
    return tuple(round(float(v) / width, 2) for v in NUMBER.findall(dashes[1]))


@pytest.mark.parametrize("dark", [False, True])
def test_rebuttals_end_in_a_bar_and_supports_in_an_arrowhead(debate: Store, dark: bool) -> None:
    from argmap.graph.picture_style import PictureOptions

    sg = picture_subgraph(debate, Selection(claim="a", hops=2, min_confidence=0))
    root = ElementTree.fromstring(render_image(sg, "svg", options=PictureOptions(dark=dark)))
    ends: dict[str, set[str]] = {"rebuts": set(), "supports": set()}
    for g in root.iter(f"{SVG}g"):
        kind = (g.get("class") or "").split()
        if kind[:1] == ["edge"]:
            ends[kind[1]].add(end_mark(svg_polygons(g)))
    assert ends == {"rebuts": {"bar"}, "supports": {"arrow"}}


def test_the_legend_draws_each_relations_end_beside_its_words(debate: Store) -> None:
    drawing = draw(picture_subgraph(debate, Selection(claim="a", hops=2, min_confidence=0)))
    drawing.figure.canvas.draw()
    swatches = {}
    for text, handle in zip(drawing.legend.get_texts(), drawing.legend.legend_handles, strict=True):
        path = handle.get_path() if hasattr(handle, "get_path") else MplPath([(0, 0)])
        swatches[text.get_text().split(":")[0]] = end_mark(path.to_polygons(closed_only=False))
    assert swatches["rebuts"] == "bar" and swatches["supports"] == "arrow"
    words = [t.get_text() for t in drawing.legend.get_texts()]
    assert "rebuts: the line ends in a bar at the claim it argues against" in words


def test_whether_a_claim_stands_shows_in_its_frame_not_only_its_fill(debate: Store) -> None:
    sg = picture_subgraph(debate, Selection(claim="a", hops=2, min_confidence=0))
    labels = {n.id: n.label for n in sg.nodes}
    assert set(labels.values()) == {"IN", "OUT", "UNDEC"}
    root = ElementTree.fromstring(render_image(sg, "svg"))
    patterns: dict[str, set[tuple[float, ...]]] = {"IN": set(), "OUT": set(), "UNDEC": set()}
    for g in root.iter(f"{SVG}g"):
        if g.get("class") == "box":
            cid = g.get("id", "")[len("claim-") : -len("-box")]
            box = next(g.iter(f"{SVG}path"))
            patterns[labels[cid]].add(dash_pattern(box.get("style", "")))
    # One frame per label, each different: the frame alone tells the label.
    assert all(len(p) == 1 for p in patterns.values()), patterns
    assert patterns["IN"] == {()}  # a standing claim keeps its plain frame
    assert len({p for ps in patterns.values() for p in ps}) == 3, patterns
    # The legend shows the same three frames (its swatches are the closed shapes in it).
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "legend")
    swatches = {
        dash_pattern(p.get("style", ""))
        for p in legend.iter(f"{SVG}path")
        if p.get("d", "").rstrip().endswith("z") and "stroke-width" in p.get("style", "")
    }
    assert {p for ps in patterns.values() for p in ps} <= swatches


def test_a_dashed_line_and_a_dashed_frame_are_told_apart_in_the_legends(debate: Store) -> None:
    """A relation the extractor was unsure of is a dashed line; a claim answered by a rebuttal
    that stands has a dashed frame. Each legend says which of the two its "dashed" means."""
    from argmap.graph.html_text import legend
    from argmap.graph.writes import write_extractions

    from argmap.core.models import Claim, Relation

    text = "Claim d is what I think."
    d = Claim(
        id="d", post_id="t1-post-d", text=text, quote=text, start=0, end=len(text), extractor="t"
    )
    unsure = Relation(source="d", target="a", type="supports", confidence=0.3, extractor="t")
    write_extractions(debate, ["t1-post-d"], [d], [unsure], "t")
    sg = picture_subgraph(debate, Selection(claim="a", hops=2, min_confidence=0))
    assert "OUT" in {n.label for n in sg.nodes} and any(e.confidence < 0.5 for e in sg.edges)
    drawing = draw(sg)
    dashed = sorted(t.get_text() for t in drawing.legend.get_texts() if "dashed" in t.get_text())
    assert [w.split(":")[0] for w in dashed] == ["dashed frame", "dashed line"], dashed
    assert "dashed frame: answered by a rebuttal that stands" in dashed
    page = legend(sg)  # the HTML page's and the Graph page's legend (boxes there are filled)
    assert "dashed line: the extractor was less than 0.5 sure" in page
