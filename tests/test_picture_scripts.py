"""Pictures of claims in any script: every glyph comes from an installed font that has it (no
boxes), the SVG names the fonts each text was drawn in, and the Docker image and CI install
every font package argmap falls back to."""

from __future__ import annotations

import re
import shlex
import warnings
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree

import pytest
from argmap.graph.export_image import PAD, draw, picture_subgraph, render_image
from argmap.graph.picture_fonts import (
    BASE_FONT,
    FALLBACK_FONTS,
    FONT_PACKAGES,
    families_for,
    font_families,
    font_for,
)
from argmap.graph.store import Store
from argmap.graph.subgraph import Selection
from argument_graphs import write_debate

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"
# A claim per script, and the font family (as FALLBACK_FONTS names it) that must draw it.
CLAIMS = {
    "hi": ("सदस्यता बिक्री के कारण बढ़ी, उनके बावजूद नहीं।", "Noto Sans Devanagari"),
    "th": ("สมาชิกเพิ่มขึ้นเพราะการขาย ไม่ใช่แม้จะมีการขาย", "Noto Sans Thai"),
    "ta": ("விற்பனையால் உறுப்பினர் எண்ணிக்கை வளர்ந்தது.", "Noto Sans Tamil"),
    "zh": ("会员增长是因为促销，而不是尽管有促销。", "Noto Sans CJK JP"),
    "em": ("The sales worked 🦀", "Symbola"),
}


def _installed(family: str) -> None:
    package = next(f.package for f in FALLBACK_FONTS if f.family == family)
    if family not in font_families():
        pytest.skip(f"{family} is not installed (Debian {package}; .ci/run installs it)")


@pytest.mark.parametrize("lang", CLAIMS)
def test_each_script_is_drawn_in_a_font_that_has_its_glyphs(lang: str) -> None:
    text, family = CLAIMS[lang]
    _installed(family)
    letters = {ch for ch in text if not ch.isspace()}
    assert {ch: font_for(ch) for ch in letters if font_for(ch) is None} == {}
    assert family in families_for(text)
    assert families_for("The sales worked.") == (BASE_FONT,)  # Latin asks for DejaVu alone


@pytest.mark.parametrize("fmt", ["pdf", "svg"])
def test_a_picture_of_indic_and_thai_claims_uses_their_fonts(store: Store, fmt: str) -> None:
    for lang in ("hi", "th"):
        _installed(CLAIMS[lang][1])
    write_debate(
        store,
        rebuts=[("hi", "en"), ("th", "en")],
        texts={"en": "Membership grew because of the sales.", **{k: CLAIMS[k][0] for k in CLAIMS}},
    )
    sg = picture_subgraph(store, Selection(claim="en", hops=1, min_confidence=0))
    assert {"hi", "th"} <= {n.id for n in sg.nodes}
    data = render_image(sg, fmt)
    if fmt == "pdf":  # the glyphs drawn come from the script's font, embedded
        fonts = set(re.findall(rb"/BaseFont\s*/(?:\w+\+)?([\w-]+)", data))
        assert {b"NotoSansDevanagari-Regular", b"NotoSansThai-Regular"} <= fonts, fonts
        assert not any(b"LastResort" in f for f in fonts), fonts  # matplotlib's box glyphs
        return
    root = ElementTree.fromstring(data)
    styles = {"".join(t.itertext()): t.get("style", "") for t in root.iter(f"{SVG}text")}
    hindi = [s for text, s in styles.items() if "सदस्यता" in text]
    english = [s for text, s in styles.items() if text.startswith("Membership grew")]
    assert hindi and "'Noto Sans Devanagari'" in hindi[0]
    assert english and "Devanagari" not in english[0] and "'DejaVu Sans'" in english[0]


def _apt_installs(script: str) -> set[str]:
    """Every package named after ``apt-get install`` (or .ci/run's ``apt_install``) in a script."""
    packages: set[str] = set()
    for m in re.finditer(r"(?:apt-get install|apt_install)((?:\\\n|[^\n;&|}])*)", script):
        words = shlex.split(m.group(1).replace("\\\n", " "))
        packages |= {w for w in words if not w.startswith("-") and not w.startswith(">")}
    return packages


@pytest.mark.parametrize("script", ["Dockerfile", ".ci/run"])
def test_the_image_and_ci_install_every_font_package_pictures_fall_back_to(script: str) -> None:
    installed = _apt_installs((ROOT / script).read_text())
    assert set(FONT_PACKAGES) <= installed, sorted(set(FONT_PACKAGES) - installed)


def test_svg_lines_of_hebrew_and_arabic_read_right_to_left(store: Store) -> None:
    rtl = {"he": "החברות גדלה בגלל המכירות.", "ar": "نمت العضوية بسبب المبيعات."}
    write_debate(
        store,
        rebuts=[("he", "en"), ("ar", "en")],
        texts={"en": "Membership grew because of the sales.", **rtl},
    )
    sg = picture_subgraph(store, Selection(claim="en", hops=1, min_confidence=0))
    root = ElementTree.fromstring(render_image(sg, "svg"))
    styles = {"".join(t.itertext()): t.get("style", "") for t in root.iter(f"{SVG}text")}
    for text in rtl.values():  # the full stop at the line's left end, as the PNG draws it
        assert "unicode-bidi: plaintext" in styles[text], styles[text]


def test_hebrew_and_arabic_claims_align_right_in_their_boxes(store: Store) -> None:
    rtl = {
        "he": "החברות גדלה בגלל המכירות, לא למרות שהיו מכירות רבות בעיר.",
        "ar": "نمت العضوية بسبب المبيعات، وليس على الرغم منها في المدينة.",
    }
    write_debate(
        store,
        rebuts=[("he", "en"), ("ar", "en")],
        texts={"en": "Membership grew because of the sales.", **rtl},
        authors={"he": "שמעון", "ar": "ليلى"},
    )
    sg = picture_subgraph(store, Selection(claim="en", hops=1, min_confidence=0))
    drawing = draw(sg)
    renderer = drawing.figure.canvas.get_renderer()
    for cid in ("he", "ar", "en"):
        box = drawing.boxes[cid].get_window_extent(renderer)
        for t in drawing.texts[cid]:  # the claim and its author line
            ink = t.get_window_extent(renderer)
            if cid == "en":
                assert abs(ink.x0 - (box.x0 + PAD)) < 1.5, (cid, t.get_text())
            else:  # the right edge is the lines' start; the ragged edge is on the left
                assert abs(ink.x1 - (box.x1 - PAD)) < 1.5, (cid, t.get_text())
                assert ink.x0 > box.x0 + PAD + 1, (cid, t.get_text())
    # The SVG anchors those lines at their end, so a browser's own fonts keep them right.
    root = ElementTree.fromstring(render_image(sg, "svg"))
    anchors = {"".join(t.itertext()): t.get("style", "") for t in root.iter(f"{SVG}text")}
    for text, style in anchors.items():
        rtl_line = any("\u0590" <= ch <= "\u06ff" for ch in text)  # Hebrew or Arabic letters
        assert ("text-anchor: end" in style) == rtl_line, (text, style)


def drawn_order(text: str) -> str:
    """``text``'s characters in the order matplotlib's renderer draws them, left to right
    (its own bidi layout, libraqm), without the invisible isolate marks."""
    from matplotlib._text_helpers import layout
    from matplotlib.font_manager import FontProperties, findfont, get_font

    font = get_font(findfont(FontProperties(family=BASE_FONT)))
    font.set_size(11, 72)
    glyphs = sorted(layout(text, font), key=lambda g: g.x)
    return "".join(g.char for g in glyphs if g.char not in "\u2066\u2067\u2068\u2069")


def test_a_hebrew_or_arabic_authors_date_reads_left_to_right(store: Store) -> None:
    # The line "— שמעון, 2 May 2024" is right to left (its first letter is Hebrew): the date's
    # own parts were laid out right to left too and the picture read "May 2024 2 ,שמעון —".
    write_debate(
        store,
        rebuts=[("he", "en"), ("ar", "en")],
        authors={"he": "שמעון", "ar": "ليلى", "en": "Lena"},
        posted={cid: datetime(2024, 5, 2, 10, tzinfo=UTC) for cid in ("he", "ar", "en")},
    )
    sg = picture_subgraph(store, Selection(claim="en", hops=1, min_confidence=0))
    drawing = draw(sg)
    lines = {cid: texts[1].get_text() for cid, texts in drawing.texts.items()}
    assert drawn_order(lines["en"]) == "— Lena, 2 May 2024"
    # Right to left: the name at the right, then the date, which reads as it is written.
    assert drawn_order(lines["he"]) == "2 May 2024 ," + "שמעון"[::-1] + " —"
    assert drawn_order(lines["ar"]).startswith("2 May 2024 ,")
    # The SVG keeps the same text (a browser applies the same isolates) and the PNG draws it.
    svg = render_image(sg, "svg").decode()
    assert "\u2066" + "2 May 2024" + "\u2069" in svg


def test_an_arabic_author_name_is_drawn_not_boxed(store: Store) -> None:
    # DejaVu Sans Oblique lacks the Arabic letters of the upright face: the italic author line
    # drew "ليلى" as four boxes. It is drawn upright; a Latin or Hebrew name stays italic.
    write_debate(
        store,
        rebuts=[("ar", "en"), ("he", "en")],
        authors={"ar": "ليلى", "he": "שמעון", "en": "Lena"},
    )
    sg = picture_subgraph(store, Selection(claim="en", hops=1, min_confidence=0))
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        drawing = draw(sg)
        drawing.figure.canvas.draw()
    assert not [str(w.message) for w in seen if "missing from font" in str(w.message)]
    slant = {cid: texts[1].get_style() for cid, texts in drawing.texts.items()}
    assert slant == {"ar": "normal", "he": "italic", "en": "italic"}


def test_a_flag_is_drawn_as_its_two_letters(store: Store) -> None:
    # With no colour font, Symbola drew 🇳🇱 as two dotted boxes with a letter in each (upright in
    # the italic author line); docs/export.md promises the flag's two letters.
    write_debate(
        store,
        rebuts=[("nl", "de")],
        texts={"nl": "Ons team 🇳🇱 won.", "de": "Unser Team 🇩🇪 gewinnt."},
        authors={"nl": "Jan 🇳🇱", "de": "Lena"},
    )
    sg = picture_subgraph(store, Selection(claim="de", hops=1, min_confidence=0))
    drawing = draw(sg)
    drawn = {cid: [t.get_text() for t in texts] for cid, texts in drawing.texts.items()}
    assert drawn["nl"][0] == "Ons team NL won." and drawn["de"][0] == "Unser Team DE gewinnt."
    assert drawn["nl"][1] == "— Jan NL"
    assert drawing.texts["nl"][1].get_style() == "italic"
    # The SVG draws the letters too; its tooltips (<title>) keep the claim's own words.
    root = ElementTree.fromstring(render_image(sg, "svg"))
    texts = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    assert "Jan NL" in texts and not re.search("[\U0001f1e6-\U0001f1ff]", texts)
    assert "Ons team 🇳🇱 won." in [t.text for t in root.iter(f"{SVG}title")]
