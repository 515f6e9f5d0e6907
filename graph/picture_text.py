"""Text sizes for the picture, in points, as matplotlib's Agg renderer lays them out.

Every label is wrapped and measured before anything is placed, so text always fits its box.
matplotlib measures a string by shaping it whole (about a millisecond for a claim's line), and
a greedy word wrap asks for the width of every trial line, one word longer each time: on a
500-claim picture that was 23,000 measurements and most of the drawing time. Hand-written,
because no library answers "how wide does matplotlib draw this": the wrap here asks matplotlib
only about trial lines close to the limit, and judges the rest by the sum of the glyphs'
advances (read once per character from the same font file at the same size and hinting),
which is never more than half an em off matplotlib's width for the fonts used here. The
lines are the same as measuring every trial (``tests/test_picture_text.py`` checks it).
"""

from __future__ import annotations

from typing import Any

import matplotlib
from argmap.graph.export_text import right_to_left, wrap_to_width
from argmap.graph.picture_fonts import BASE_FONT, families_for
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont, get_font

# How far (in ems) the advance sum may be from matplotlib's width before a trial line is
# measured for real: DejaVu Sans, Bold and Oblique at 6-24 pt on the sample's claims differ
# by -0.12 to +0.43 em (the ink of the line's first and last glyph against their advances,
# and kerning), so 0.75 em leaves room and still settles most trial lines without matplotlib.
SLACK_EMS = 0.75
# A line of common letters, digits and punctuation whose advance sum must come within half the
# slack of matplotlib's width before any estimate is trusted for a font size and face.
CHECK = "Sphinx of black quartz, judge my vow: 0123456789 (WAVE) \u2014 \u201cfly\u201d?"
DPI = 72.0  # the figure is laid out at 72 dpi: one pixel is one point


# A flag emoji is two "regional indicator" letters (🇳🇱: N, L). With no colour font the only
# installed face that has them (Symbola) draws each as a letter in a dotted box, upright in an
# italic author line: drawn here as the plain letters they stand for.
FLAG_LETTERS = {code: ord("A") + code - 0x1F1E6 for code in range(0x1F1E6, 0x1F200)}


def flags_as_letters(text: str) -> str:
    """``text`` with each flag emoji's regional indicators as plain capitals ("🇳🇱" → "NL")."""
    return text.translate(FLAG_LETTERS)


def author_line(author: str, when: str, notes: list[str]) -> str:
    """``— author, date`` and ``notes`` (``(article)``, a review tag), as a claim's box shows.

    A Hebrew or Arabic name makes the line right to left, where the date's own parts reordered
    ("May 2024 2"): the date and each note are isolated as left-to-right runs (Unicode's LRI
    and PDI, which the renderer and browsers lay out and draw as nothing), so the line reads
    "— דוד, 2 May 2024" from the right. A left-to-right line is left as it was.
    """
    author = flags_as_letters(author)
    rtl = right_to_left(author)

    def run(part: str) -> str:
        return f"\u2066{part}\u2069" if rtl else part

    line = "— " + ", ".join(p for p in (author, run(when) if when else "") if p)
    return " ".join([line, *(run(n) for n in notes)])


class TextMeasure:
    """Widths, wraps and block heights of text in the figure ``fig`` (an Agg canvas)."""

    def __init__(self, fig: Figure) -> None:
        canvas = fig.canvas
        if not isinstance(canvas, FigureCanvasAgg):
            raise TypeError(f"expected an Agg canvas, got {type(canvas).__name__}")
        self.fig = fig
        self.renderer: RendererAgg = canvas.get_renderer()
        self._props: dict[tuple[Any, ...], FontProperties] = {}
        # Per font size and face: each character's advance (None: not in the base font), or
        # None when advances do not predict matplotlib's widths here.
        self._advances: dict[tuple[Any, ...], dict[str, float | None] | None] = {}

    def _prop(self, size: float, family: tuple[str, ...], kw: dict[str, Any]) -> FontProperties:
        key = (size, family, *sorted(kw.items()))
        if key not in self._props:
            self._props[key] = FontProperties(family=list(family), size=size, **kw)
        return self._props[key]

    def width(self, text: str, size: float, **kw: Any) -> float:
        """How wide matplotlib draws ``text`` at ``size`` points (``kw``: weight, style)."""
        prop = self._prop(size, families_for(text), kw)
        return self.renderer.get_text_width_height_descent(text, prop, ismath=False)[0]

    def estimate(self, text: str, size: float, **kw: Any) -> float | None:
        """The sum of ``text``'s glyph advances in the base font, or None when that font
        lacks one of its characters (a fallback font would draw it: only matplotlib knows),
        or when such sums are not close to matplotlib's widths for this font (a matplotlib
        that sizes glyphs otherwise: then every line is measured)."""
        key = (size, *sorted(kw.items()))
        if key not in self._advances:
            fresh: dict[str, float | None] = {}
            guess = self._sum(CHECK, fresh, size, kw)
            close = guess is not None and abs(guess - self.width(CHECK, size, **kw)) <= (
                SLACK_EMS * size / 2
            )
            self._advances[key] = fresh if close else None
        advances = self._advances[key]
        return None if advances is None else self._sum(text, advances, size, kw)

    def _sum(
        self, text: str, advances: dict[str, float | None], size: float, kw: dict[str, Any]
    ) -> float | None:
        total = 0.0
        for ch in text:
            if ch not in advances:
                advances[ch] = self._advance(ch, size, kw)
            adv = advances[ch]
            if adv is None:
                return None
            total += adv
        return total

    def _advance(self, ch: str, size: float, kw: dict[str, Any]) -> float | None:
        prop = self._prop(size, (BASE_FONT,), kw)
        font = get_font(findfont(prop, fallback_to_default=False))
        if not font.get_char_index(ord(ch)):
            return None
        font.set_size(size, DPI)
        # matplotlib before 3.11 loads glyphs this many times wider and divides the widths.
        factor = matplotlib.rcParams.get("text.hinting_factor") or 1
        return font.load_char(ord(ch), flags=get_hinting_flag()).horiAdvance / 64.0 / factor

    def wrap(
        self, text: str, size: float, width: float, max_lines: int | None = None, **kw: Any
    ) -> str:
        """``text`` broken into lines no wider than ``width`` points (greedily, by words)."""
        slack = SLACK_EMS * size

        def width_of(line: str) -> float:
            # wrap_to_width only compares with ``width``: far from it, the estimate answers
            # the same as matplotlib would.
            guess = self.estimate(line, size, **kw)
            if guess is not None and abs(guess - width) > slack:
                return guess
            return self.width(line, size, **kw)

        return "\n".join(wrap_to_width(text, width, width_of, max_lines))

    def height(self, text: str, size: float, **kw: Any) -> float:
        """Height of ``text`` (all its lines) drawn as one matplotlib text."""
        t = self.fig.text(0, 0, text, fontsize=size, family=list(families_for(text)), **kw)
        t.set_parse_math(False)
        height = t.get_window_extent(self.renderer).height
        t.remove()
        return float(height)
