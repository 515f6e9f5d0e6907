"""Which fonts a picture's text is drawn in.

DejaVu Sans (shipped with matplotlib) draws Latin, Greek, Cyrillic, Arabic and Hebrew. Every
other glyph comes from the first installed Debian font below that has it: Chinese, Japanese and
Korean from ``fonts-noto-cjk`` (or ``fonts-droid-fallback``), the scripts of India and South-East
Asia, Georgian, Armenian and Ethiopic from ``fonts-noto-core``, emoji in outline from
``fonts-symbola``. Each text names only the fonts its own characters need
(:func:`families_for`): a Hindi claim is drawn in Noto Sans Devanagari, an English one asks
matplotlib about DejaVu Sans alone (it looks up every family it is given, for every line, so a
list of twenty fonts on every Latin line would cost time for nothing). A glyph no installed font
has is drawn as a box: ``Dockerfile`` and ``.ci/run`` install every package named here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

BASE_FONT = "DejaVu Sans"
NOTO = "/usr/share/fonts/truetype/noto"
# fonts-noto-core's sans faces for scripts DejaVu Sans and the CJK fonts lack (Hindi, Marathi
# and Nepali are Devanagari; Punjabi is Gurmukhi; Burmese is Myanmar).
NOTO_SCRIPTS = (
    "Devanagari", "Bengali", "Gurmukhi", "Gujarati", "Oriya", "Tamil", "Telugu", "Kannada",
    "Malayalam", "Sinhala", "Thai", "Lao", "Khmer", "Myanmar", "Georgian", "Armenian", "Ethiopic",
)  # fmt: skip


@dataclass(frozen=True)
class FallbackFont:
    """A font matplotlib falls back to, where Debian's package puts it."""

    family: str
    path: str  # the regular face
    package: str
    bold: str | None = None  # the bold face (same family), for the focus claim


FALLBACK_FONTS = (
    FallbackFont(
        "Noto Sans CJK JP",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "fonts-noto-cjk",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    ),
    FallbackFont(
        "Droid Sans Fallback",
        "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
        "fonts-droid-fallback",
    ),
    *(
        FallbackFont(
            f"Noto Sans {s}",
            f"{NOTO}/NotoSans{s}-Regular.ttf",
            "fonts-noto-core",
            f"{NOTO}/NotoSans{s}-Bold.ttf",
        )
        for s in NOTO_SCRIPTS
    ),
    FallbackFont(
        "Symbola", "/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf", "fonts-symbola"
    ),
)
FONT_PACKAGES = tuple(dict.fromkeys(f.package for f in FALLBACK_FONTS))
# What an SVG names after those, for an editor's machine that has none of them.
GENERIC_FONTS = ("Helvetica Neue", "Arial", "Noto Sans", "sans-serif")


@cache
def font_families() -> tuple[str, ...]:
    """DejaVu Sans, then each fallback font installed on this machine (registered with
    matplotlib if its font cache predates the install)."""
    from matplotlib import font_manager

    known = {f.name for f in font_manager.fontManager.ttflist}
    families = [BASE_FONT]
    for font in FALLBACK_FONTS:
        if font.family not in known:
            faces = [p for p in (font.path, font.bold) if p and Path(p).exists()]
            for path in faces:
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
            known = {f.name for f in font_manager.fontManager.ttflist}
        if font.family in known:
            families.append(font.family)
    return tuple(families)


@cache
def _charmaps() -> tuple[tuple[str, frozenset[int]], ...]:
    """Each installed family (in fallback order) with the code points its regular face has."""
    from matplotlib.font_manager import FontProperties, findfont, get_font

    maps = []
    for family in font_families():
        path = findfont(FontProperties(family=family), fallback_to_default=False)
        maps.append((family, frozenset(get_font(path).get_charmap())))
    return tuple(maps)


@cache
def font_for(ch: str) -> str | None:
    """The family matplotlib draws ``ch`` in: the first installed one that has it (None: no
    installed font has it, and it is drawn as a box)."""
    code = ord(ch)
    return next((family for family, codes in _charmaps() if code in codes), None)


@cache
def _oblique_charmap() -> frozenset[int]:
    from matplotlib.font_manager import FontProperties, findfont, get_font

    path = findfont(FontProperties(family=BASE_FONT, style="italic"), fallback_to_default=False)
    return frozenset(get_font(path).get_charmap())


def slants(text: str) -> bool:
    """Whether ``text`` can be drawn in italic: DejaVu Sans Oblique lacks the Arabic letters
    its upright face has, and matplotlib draws them as boxes rather than fall back upright (an
    Arabic author's name in a claim's italic author line). Fallback fonts have no italic face:
    matplotlib draws them upright."""
    oblique = _oblique_charmap()
    return all(ord(ch) in oblique or font_for(ch) != BASE_FONT for ch in set(text))


def families_for(text: str) -> tuple[str, ...]:
    """DejaVu Sans and the fallback fonts ``text``'s characters need, in fallback order."""
    needed = {BASE_FONT, *(font_for(ch) for ch in set(text))}
    return tuple(f for f in font_families() if f in needed)


def svg_font_family(text: str) -> str:
    """The CSS font-family list an SVG text holding ``text`` names: the fonts it was drawn in,
    then generic ones."""
    names = [*families_for(text), *GENERIC_FONTS]
    return ", ".join(n if n == "sans-serif" else f"'{n}'" for n in names)
