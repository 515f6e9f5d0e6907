"""How big a picture and its parts are drawn: text a reader can read at the default size however
wide the map, a width a journalist asks for kept exactly, boxes tall enough to keep their
arrowheads apart."""

from __future__ import annotations

import io
from pathlib import Path
from xml.etree import ElementTree

import pytest
from argmap.graph.export_image import PORT_GAP, draw, picture_subgraph, render_image
from argmap.graph.picture_style import (
    DEFAULT_WIDTH,
    LEGIBLE_DPI,
    MAX_PIXELS,
    PictureOptions,
    pixel_width,
)
from argmap.graph.store import Store
from argmap.graph.subgraph import Selection
from argmap.graph.subgraph_models import SelectionError
from argument_graphs import write_debate
from PIL import Image
from typer.testing import CliRunner

from argmap.cli import app

CHAIN = [f"c{i}" for i in range(9)]  # c1 rebuts c0, c2 rebuts c1, ...: nine columns side by side


def write_chain(store: Store) -> None:
    write_debate(store, rebuts=list(zip(CHAIN[1:], CHAIN, strict=False)))


def chain_png(store: Store, options: PictureOptions | None = None) -> Image.Image:
    sg = picture_subgraph(store, Selection(claim="c0", hops=len(CHAIN), min_confidence=0))
    assert [n.id for n in sg.nodes if n.id in CHAIN] and len(sg.nodes) == len(CHAIN)
    return Image.open(io.BytesIO(render_image(sg, "png", options=options)))


def test_a_wide_map_is_drawn_wider_so_its_text_stays_legible(store: Store) -> None:
    write_chain(store)
    img = chain_png(store)
    dpi = img.info["dpi"][0]
    # 11 pt claim text at 96 dpi is 14.7 px tall; squeezed into 1600 px it was under 8.
    assert dpi >= LEGIBLE_DPI - 0.1
    assert 11 * dpi / 72 >= 14.6
    assert img.width > DEFAULT_WIDTH and img.width * img.height <= MAX_PIXELS
    # The SVG declares the same size, so a browser draws its text as large.
    sg = picture_subgraph(store, Selection(claim="c0", hops=len(CHAIN), min_confidence=0))
    assert ElementTree.fromstring(render_image(sg, "svg")).get("width") == f"{img.width}px"
    # A width the journalist asks for is kept, however small the text gets.
    assert chain_png(store, PictureOptions(width=320)).width == 320
    # A map narrow enough for 96 dpi in 1600 px keeps the default width.
    narrow = picture_subgraph(store, Selection(claim="c0", hops=1, min_confidence=0))
    img = Image.open(io.BytesIO(render_image(narrow, "png")))
    assert img.width == DEFAULT_WIDTH and img.info["dpi"][0] > LEGIBLE_DPI


def test_a_very_tall_map_is_drawn_narrower_not_past_the_pixels_viewers_accept() -> None:
    # One claim and its 500 answers in two columns: 8.1 x 562 inches. Held at 1600 px wide it
    # was 177 million pixels, twice Pillow's bomb limit, and drawing it ran out of memory.
    inches = (8.1, 562.0)
    width = pixel_width(PictureOptions(), inches)
    dpi = width / inches[0]
    assert width * round(inches[1] * dpi) <= MAX_PIXELS
    assert 11 * dpi / 72 >= 14.6  # the text is still larger than at 96 dpi


def test_a_width_that_would_make_a_tall_map_too_big_a_png_is_refused_with_one_line(
    store: Store,
) -> None:
    # A claim and its 12 answers at --width 8000: 8000 x ~16,000 px, past what image tools
    # accept; one claim and its 500 answers so was 4.4 billion pixels, and the process was killed.
    answers = [f"r{i}" for i in range(12)]
    write_debate(store, rebuts=[(r, "a") for r in answers])
    sg = picture_subgraph(store, Selection(claim="a", hops=1, min_confidence=0, max_nodes=13))
    with pytest.raises(
        SelectionError, match=r"too big for a PNG: 8000 x \d+ px .* --width \d+ or less"
    ):
        render_image(sg, "png", options=PictureOptions(width=8000))
    assert Image.open(io.BytesIO(render_image(sg, "png"))).width == DEFAULT_WIDTH


def test_a_map_too_wide_for_any_text_in_its_png_is_refused_with_one_line(
    argmap_env: Path, store: Store, tmp_path: Path
) -> None:
    # 60 claims side by side in 320 px: text under a pixel, which FreeType refused with a
    # traceback ("invalid ppem value"); so did a 500-deep reply chain at the 8000 px limit.
    long_chain = [f"c{i}" for i in range(60)]
    write_debate(store, rebuts=list(zip(long_chain[1:], long_chain, strict=False)))
    out = tmp_path / "chain.png"
    args = ["export", "--claim", "c0", "--hops", "20", "--max-nodes", "60", "--min-confidence"]
    result = CliRunner().invoke(app, [*args, "0", "--width", "320", "-f", "png", "-o", str(out)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("argmap: error: too wide for a PNG: 21 claims")
    assert "--width" in lines[0] and "--max-nodes" in lines[0] and "SVG" in lines[0]
    assert not out.exists()
    # The same map scales as an SVG, and the library says the same as the command line.
    assert (
        CliRunner().invoke(app, [*args, "0", "-f", "svg", "-o", str(tmp_path / "c.svg")]).exit_code
        == 0
    )
    sg = picture_subgraph(store, Selection(claim="c0", hops=20, min_confidence=0, max_nodes=60))
    with pytest.raises(SelectionError, match="too wide for a PNG"):
        render_image(sg, "png", options=PictureOptions(width=320))


def test_export_help_says_what_width_a_png_gets() -> None:
    out = CliRunner().invoke(app, ["export", "--help"], env={"COLUMNS": "400"}).output
    assert "at least 1600" not in out  # --width 320 is allowed: 1600 is the default, not a floor
    assert "png: picture (1600 px wide by default, wider for a wide map)" in out


def test_a_short_claim_with_many_answers_keeps_its_arrowheads_apart(store: Store) -> None:
    answers = [f"r{i}" for i in range(17)]  # the sample's article claim has 17 at the cap
    write_debate(store, rebuts=[(r, "a") for r in answers], texts={"a": "Short."})
    sg = picture_subgraph(
        store, Selection(claim="a", hops=1, min_confidence=0, max_nodes=len(answers) + 1)
    )
    drawing = draw(sg)
    heads = sorted(
        route[-1][1]
        for e, route in zip(sg.edges, drawing.layout.routes, strict=True)
        if e.target == "a"
    )
    assert len(heads) == len(answers)
    gaps = [b - a for a, b in zip(heads, heads[1:], strict=False)]
    assert min(gaps) >= PORT_GAP - 1e-6  # were 0.8 of a one-line box over 16: under 2 pt
    # The claim's words sit inside its taller box, and each arrow ends on the box's side.
    renderer = drawing.figure.canvas.get_renderer()
    box = drawing.boxes["a"].get_window_extent(renderer)
    for t in drawing.texts["a"]:
        tb = t.get_window_extent(renderer)
        assert box.x0 <= tb.x0 and tb.x1 <= box.x1 and box.y0 <= tb.y0 and tb.y1 <= box.y1
    centre_y, (_, height) = drawing.layout.centres["a"][1], drawing.layout.sizes["a"]
    assert all(abs(y - centre_y) <= height / 2 for y in heads)
