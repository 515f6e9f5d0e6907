"""The picture's text measuring (``graph.picture_text``): wrapping by estimated widths gives the
very lines that measuring every trial line with matplotlib gives, asks matplotlib far less
often, and falls back to measuring when an estimate cannot be trusted. A big picture still
draws every claim and relation it selects, each claim's text inside its box."""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterator
from pathlib import Path

import matplotlib
import pytest
from argmap.graph.export_image import (
    GLYPH_WARNING,
    PICTURE_RC,
    draw,
    picture_subgraph,
    render_image,
)
from argmap.graph.export_text import wrap_to_width
from argmap.graph.picture_text import TextMeasure
from argmap.graph.store import Store
from argmap.graph.subgraph import Selection
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "examples" / "joining-the-iso-2013.txt"
TEXT_W = 19.0 * 11.0  # export_image's claim text width at the default font size
FACES = [(11.0, {}), (11.0, {"weight": "bold"}), (8.8, {"style": "italic"}), (16.0, {})]


def sample_paragraphs(limit: int = 40) -> list[str]:
    """Paragraphs of the bundled sample (their first 300 characters, a claim's length): the
    claims' own words, curly quotes and all."""
    text = SAMPLE.read_text(encoding="utf-8")
    paragraphs = [p.strip()[:300] for p in re.split(r"\n\s*\n", text) if len(p.strip()) > 40]
    return paragraphs[:limit]


@pytest.fixture
def measure() -> Iterator[TextMeasure]:
    fig = Figure(dpi=72)
    FigureCanvasAgg(fig)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=GLYPH_WARNING)
        yield TextMeasure(fig)


def exact_wrap(m: TextMeasure, text: str, size: float, width: float, max_lines, **kw) -> str:
    """The wrap as it was: matplotlib measures every trial line."""
    return "\n".join(wrap_to_width(text, width, lambda s: m.width(s, size, **kw), max_lines))


def test_wrap_gives_the_lines_measuring_every_trial_gives(measure: TextMeasure) -> None:
    paragraphs = sample_paragraphs()
    assert len(paragraphs) == 40
    calls = 0
    real = measure.width

    def counted(text: str, size: float, **kw) -> float:
        nonlocal calls
        calls += 1
        return real(text, size, **kw)

    measure.width = counted  # type: ignore[method-assign]
    trials = 0
    for size, kw in FACES:
        for text in paragraphs:
            for max_lines in (5, None) if len(text) > 200 else (None,):
                before = calls
                want = exact_wrap(measure, text, size, TEXT_W, max_lines, **kw)
                trials += calls - before
                calls = before
                assert measure.wrap(text, size, TEXT_W, max_lines, **kw) == want, (size, kw)
    asked = calls  # only the fast wraps' own questions are left in ``calls``
    assert asked * 4 < trials, (asked, trials)  # far fewer questions to matplotlib


def test_estimates_are_close_to_matplotlib_and_used_for_latin_text(measure: TextMeasure) -> None:
    for size, kw in FACES:
        for text in sample_paragraphs(30):
            line = " ".join(text.split()[:8])
            guess = measure.estimate(line, size, **kw)
            assert guess is not None, line  # this matplotlib's widths are predicted
            assert abs(guess - measure.width(line, size, **kw)) < 0.5 * size, line


def test_text_the_base_font_lacks_is_measured_by_matplotlib(measure: TextMeasure) -> None:
    text = "中文 日本語 한국어 mixed with words 🦀 and more words than one line holds at all"
    assert measure.estimate(text, 11.0) is None
    assert measure.wrap(text, 11.0, 120.0) == exact_wrap(measure, text, 11.0, 120.0, None)


def test_estimates_off_from_matplotlib_are_not_trusted(
    measure: TextMeasure, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A matplotlib that sizes glyphs otherwise (3.10 scales advances by its hinting factor):
    # the check line catches it, and every line is measured.
    advance = TextMeasure._advance
    monkeypatch.setattr(
        TextMeasure, "_advance", lambda self, ch, size, kw: 8 * (advance(self, ch, size, kw) or 0)
    )
    text = sample_paragraphs(1)[0]
    assert measure.estimate(text, 11.0) is None
    assert measure.wrap(text, 11.0, TEXT_W, 5) == exact_wrap(measure, text, 11.0, TEXT_W, 5)


def test_big_picture_draws_every_claim_and_relation_inside_its_box(sample_store: Store) -> None:
    # The Export page's whole graph at a raised cap (the slow case this module was made for).
    sg = picture_subgraph(sample_store, Selection(min_confidence=0.0, max_nodes=150))
    # At most the cap: a claim whose every relation the cap cuts is left out.
    assert 140 <= len(sg.nodes) <= 150 and sg.edges
    drawing = draw(sg)
    renderer = drawing.figure.canvas.get_renderer()
    assert set(drawing.boxes) == {n.id for n in sg.nodes}
    assert len(drawing.edges) == len(sg.edges)
    with matplotlib.rc_context(PICTURE_RC):  # measured as it is drawn
        for cid, texts in drawing.texts.items():
            box = drawing.boxes[cid].get_window_extent(renderer)
            for t in texts:
                tb = t.get_window_extent(renderer)
                assert box.x0 <= tb.x0 and tb.x1 <= box.x1 and box.y0 <= tb.y0 and tb.y1 <= box.y1
    shown = {n.id: n.text.split()[0] for n in sg.nodes}
    for cid, word in shown.items():  # each claim's own words, not another's, in its box
        assert drawing.texts[cid][0].get_text().startswith(word[:10]), cid
    with Image.open(io.BytesIO(render_image(sg, "png"))) as img:
        assert img.text["Claims"].split() == [n.id for n in sg.nodes]
