"""Nothing in a picture is cut off as the file is drawn: every caption line inside the picture's
margins and every label inside its box, at the resolution the PNG is written at (the layout
is measured at 72 dpi; a PNG is drawn at 96-200)."""

from __future__ import annotations

import io

import matplotlib
import pytest
from argmap.graph.export_image import (
    MARGIN,
    PICTURE_RC,
    Drawing,
    draw,
    picture_subgraph,
    render_image,
)
from argmap.graph.picture_style import PictureOptions, pixel_width
from argmap.graph.store import Store
from argmap.graph.subgraph import Selection
from argument_graphs import write_debate
from PIL import Image

LONG = (
    "The specification favours accessibility because the meetings were closed, and the "
    "ballot complicates document portability because two formats cost twice as much."
)
FONT_SIZES = (PictureOptions(), PictureOptions(font_size=9), PictureOptions(width=2400))


@pytest.fixture
def wide_answers(store: Store) -> Store:
    """One claim, 120 answers, three answers to those: a 1600 px picture of three columns,
    drawn at about 129 dpi, whose "Shows ..." caption line wraps close to the full width."""
    answers = [f"a{i}" for i in range(120)]
    write_debate(
        store,
        rebuts=[(a, "c0") for a in answers[:60]] + [("b0", "a0"), ("b1", "a1")],
        supports=[(a, "c0") for a in answers[60:]] + [("b2", "a2")],
        texts={cid: f"{LONG} ({cid})" for cid in ["c0", "b0", "b1", "b2", *answers]},
    )
    return store


def test_the_pngs_right_margin_holds_no_ink(wide_answers: Store) -> None:
    # Laid out with text measured at 72 dpi, the caption ran 3 px past the PNG's right edge
    # at 129 dpi: its last word touched the edge and its full stop was cut off.
    sg = picture_subgraph(wide_answers, Selection(claim="c0", hops=2))
    for options in FONT_SIZES:
        img = Image.open(io.BytesIO(render_image(sg, "png", options=options))).convert("RGB")
        margin = int(MARGIN * img.info["dpi"][0] / 72 / 2)  # half the margin stays blank
        strip = img.crop((img.width - margin, 0, img.width, img.height))
        assert strip.getcolors() == [(strip.width * strip.height, (255, 255, 255))], options


def drawn_as_png(sg, options: PictureOptions) -> tuple[Drawing, float]:
    """``sg`` drawn as ``render_image`` draws its PNG: laid out, then redrawn at the file's dpi."""
    with matplotlib.rc_context(PICTURE_RC):
        drawing = draw(sg, options=options)
        fig = drawing.figure
        dpi = pixel_width(options, (fig.get_figwidth(), fig.get_figheight())) / fig.get_figwidth()
        fig.set_dpi(dpi)
        fig.canvas.draw()
    return drawing, dpi


def past_their_boxes(drawing: Drawing) -> list[str]:
    renderer = drawing.figure.canvas.get_renderer()
    out = []
    for cid, texts in drawing.texts.items():
        box = drawing.boxes[cid].get_window_extent(renderer)
        for t in texts:
            tb = t.get_window_extent(renderer)
            if tb.x0 < box.x0 or tb.x1 > box.x1:
                out.append(f"{cid}: {t.get_text()[:40]!r} {tb.x1 - box.x1:+.1f} px past its box")
    return out


def test_claim_lines_stay_inside_their_boxes_at_the_pngs_resolution(
    wide_answers: Store,
) -> None:
    # At 9 pt, hinted text measured at 72 dpi ran 2 px past its box's border at 129 dpi.
    sg = picture_subgraph(wide_answers, Selection(claim="c0", hops=2))
    for options in FONT_SIZES:
        drawing, dpi = drawn_as_png(sg, options)
        assert dpi > 72
        assert past_their_boxes(drawing) == [], options


def test_the_claim_a_picture_is_about_is_drawn_whole(store: Store) -> None:
    # A journalist quotes the framed claim: it was cut after five lines like any answer
    # ("... a pointless and irrelevant…" on the sample). Answers are still cut, with an ellipsis.
    long_claim = " ".join([LONG] * 3)  # about 500 characters
    write_debate(store, rebuts=[("a", "c0"), ("b", "a")], texts={"c0": long_claim, "a": long_claim})
    for focus in ("c0", "a"):
        sg = picture_subgraph(store, Selection(claim=focus, hops=2))
        drawing = draw(sg)
        drawn = {cid: " ".join(t[0].get_text().split()) for cid, t in drawing.texts.items()}
        assert drawn[focus] == long_claim
        answer = next(cid for cid in drawn if cid != focus and cid in ("c0", "a"))
        assert drawn[answer].endswith("…") and len(drawn[answer]) < len(long_claim) / 2
        assert past_their_boxes(drawn_as_png(sg, PictureOptions())[0]) == []
