"""Pictures a journalist can publish: one story, clean layout, editable SVG, fonts that cover
the text, the README's examples re-made by the commands shown under them."""

from __future__ import annotations

import json
import re
import shlex
import warnings
from pathlib import Path
from xml.etree import ElementTree

import pytest
from argmap.graph.export_image import draw, picture_subgraph, render_image
from argmap.graph.export_text import more_note
from argmap.graph.exports import export
from argmap.graph.picture_fonts import font_families
from argmap.graph.picture_style import PictureOptions
from argmap.graph.store import Store
from argmap.graph.subgraph import GUESS_CONFIDENCE, Selection, most_rebutted_claims
from PIL import Image
from typer.testing import CliRunner

from argmap.cli import app

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def baseline_graph(store: Store) -> Store:
    """The sample's graph exactly as the baseline was measured on it (an argmap JSON export made
    then), so later changes to the extractor do not move the comparison."""
    from argmap.ingest.pipeline import ingest

    ingest(ROOT / "tests" / "fixtures" / "sample_graph_issue14.json", store)
    return store


def test_layout_crossings_are_at_most_a_third_of_the_baseline(baseline_graph: Store) -> None:
    from bench.picture_layout import VARIANTS, measure

    sample_store = baseline_graph
    baseline = json.loads((ROOT / "bench" / "picture_layout.baseline.json").read_text())
    claims = most_rebutted_claims(sample_store, 3)
    assert claims == [p["claim"] for p in baseline["pictures"]]  # the same three pictures
    for name, options in VARIANTS.items():
        got = [measure(sample_store, c, **options) for c in claims]
        assert sum(p["edge_box_overlaps"] for p in got) == 0, name
        assert sum(p["crossings"] for p in got) <= baseline["total_crossings"] / 3, name
    # The widest variant draws as many claims as the baseline did: the layout, not a smaller
    # selection, removed the crossings.
    assert [p["claims_drawn"] for p in got] == [p["claims_drawn"] for p in baseline["pictures"]]


def test_quick_tour_picture_tells_one_story(sample_store: Store) -> None:
    sg = picture_subgraph(sample_store, Selection(claim="most-rebutted", hops=2))
    assert 2 <= len(sg.nodes) <= 12
    assert all(e.confidence is None or e.confidence >= GUESS_CONFIDENCE for e in sg.edges)
    answers = {e.source for e in sg.edges if e.target == sg.focus}
    assert answers, "the focus claim's answers come first"
    # Labels are judged on what is shown: a box marked answered has a standing rebuttal drawn.
    label = {n.id: n.label for n in sg.nodes}
    for n in sg.nodes:
        if n.label == "OUT":
            assert any(
                e.target == n.id and e.type == "rebuts" and label[e.source] == "IN"
                for e in sg.edges
            )


def test_story_first_cap_keeps_the_strongest_answers_and_says_what_is_left(store: Store) -> None:
    from test_html_layout import write_star

    hub, rebuttals, replies = write_star(store)
    sg = picture_subgraph(store, Selection(claim=hub.id, hops=2))
    kept = {n.id for n in sg.nodes}
    assert len(kept) == 12 and sg.total_nodes == 1 + len(rebuttals) + len(replies)
    by_conf = sorted(
        (e for e in select_all_edges(store, hub.id)), key=lambda e: -(e.confidence or 0)
    )
    strongest = [e.source for e in by_conf[:5]]
    assert set(strongest) <= kept
    note = more_note(sg)
    assert note.startswith(f"and {sg.total_nodes - 12} more replies")
    # The page it points to is the one around the same claim, not the whole graph's.
    assert note.endswith(f"(argmap export -f html --claim {hub.id} --hops 2)")
    drawing = draw(sg)
    assert any(note.split(" — ")[0] in t.get_text() for t in drawing.caption)


def select_all_edges(store: Store, target: str):
    from argmap.graph.subgraph import select_subgraph

    sg = select_subgraph(store, Selection(claim=target, hops=1), labels=False)
    return [e for e in sg.edges if e.target == target]


def test_svg_keeps_text_as_text_and_one_group_per_claim(sample_store: Store) -> None:
    sg = picture_subgraph(sample_store, Selection(claim="most-rebutted", hops=2))
    data = render_image(sg, "svg", options=PictureOptions(width=1200))
    root = ElementTree.fromstring(data)
    assert root.get("width") == "1200px"
    groups = [g for g in root.iter(f"{SVG}g") if g.get("class") == "claim"]
    assert sorted(g.get("id") for g in groups) == sorted(f"claim-{n.id}" for n in sg.nodes)
    texts = [t for t in root.iter(f"{SVG}text")]
    words = " ".join("".join(t.itertext()) for t in texts)
    focus = sg.node(sg.focus)
    assert focus.text.split()[0] in words and "argument map by argmap" in words
    for g in groups:  # each claim's own words are inside its group
        assert list(g.iter(f"{SVG}text")), g.get("id")
    assert all(
        re.search(r"font-family:[^;]*'DejaVu Sans'[^;]*sans-serif", t.get("style", ""))
        for t in texts
    )
    assert b'id="DejaVuSans-' not in data  # no glyph outlines: letters are not paths


def test_cjk_and_emoji_claims_render_with_fonts_that_cover_them() -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties, findfont
    from matplotlib.ft2font import FT2Font

    families = font_families()
    text = "中文 日本語 한국어"
    if len(families) == 1:
        pytest.skip("no CJK font installed (Debian fonts-noto-cjk; .ci/run installs it)")

    def covering(ch: str) -> str | None:  # matplotlib's fallback: the first family with the glyph
        for fam in families:
            path = findfont(FontProperties(family=fam), fallback_to_default=False)
            if FT2Font(path).get_char_index(ord(ch)):
                return fam
        return None

    chosen = {ch: covering(ch) for ch in text.replace(" ", "")}
    assert all(f is not None and f != "DejaVu Sans" for f in chosen.values()), chosen
    if "Symbola" in families:
        assert covering("🦀") == "Symbola"  # not in DejaVu Sans
    fig = Figure()
    FigureCanvasAgg(fig)
    fig.text(0.1, 0.5, text + " 🦀" * ("Symbola" in families), family=list(families))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    assert not [w for w in caught if "missing from font" in str(w.message)]


def test_cjk_claim_picture_embeds_the_cjk_font(store: Store) -> None:
    from export_data import write_nasty

    if not any("CJK" in f or "Droid" in f for f in font_families()):
        pytest.skip("no CJK font installed (Debian fonts-noto-cjk; .ci/run installs it)")
    _, claims, _ = write_nasty(store)
    cjk = next(c for c in claims if "中文" in c.text)
    sg = picture_subgraph(store, Selection(claim=cjk.id, hops=1, min_confidence=0))
    pdf = render_image(sg, "pdf")
    assert re.search(rb"/BaseFont\s*/(\w+\+)?(NotoSansCJK|DroidSansFallback)", pdf)


def test_width_font_size_and_dark_options(store: Store, tmp_path: Path) -> None:
    from export_data import write_nasty

    _, claims, _ = write_nasty(store)
    sel = Selection(claim=claims[0].id, hops=2)
    sizes = {}
    for name, opts in {
        "plain": PictureOptions(width=1000),
        "big": PictureOptions(width=1000, font_size=16),
        "dark": PictureOptions(width=1000, dark=True),
    }.items():
        path = export(store, "png", sel, tmp_path / f"{name}.png", picture=opts)
        with Image.open(path) as img:
            assert img.width == 1000
            sizes[name] = img.size
            corner = img.convert("RGB").getpixel((2, 2))
        assert (sum(corner) < 120) == (name == "dark"), (name, corner)
    assert sizes["big"][1] > sizes["plain"][1]  # larger text: more lines, a taller picture


def _readme_examples() -> list[tuple[Path, list[str]]]:
    """Each picture docs/images/export-*.png the README or a docs/ page shows, and the command
    shown under it (run from the repository's root, so it names docs/images/ from there)."""
    out = []
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = page.read_text(encoding="utf-8")
        pattern = r"!\[[^\]]*\]\(((?:docs/)?images/export-[^)]+\.png)\)\n+```\n(.*?)```"
        for m in re.finditer(pattern, text, re.S):
            lines = [ln for ln in m.group(2).splitlines() if ln.startswith("argmap export")]
            assert len(lines) == 1, m.group(0)
            out.append(((page.parent / m.group(1)).resolve(), shlex.split(lines[0])[1:]))
    return out


def test_readme_pictures_are_made_by_the_commands_under_them(
    sample_env: Store, tmp_path: Path
) -> None:
    examples = _readme_examples()
    assert len(examples) >= 2
    for image, args in examples:
        out = tmp_path / image.name
        k = args.index("-o")
        assert args[k + 1] == str(image.relative_to(ROOT))
        result = CliRunner().invoke(app, [*args[:k], "-o", str(out), *args[k + 2 :]])
        assert result.exit_code == 0, result.output
        with Image.open(image) as want, Image.open(out) as got:
            assert got.width == want.width
            assert got.text["Claims"] == want.text["Claims"], image.name
            assert got.text["Title"] == want.text["Title"]
            assert abs(got.height - want.height) <= 0.02 * want.height
