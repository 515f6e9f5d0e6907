"""The words a label file may use for a stance, for spam or not, and for "answers the article":
what people write in a spreadsheet (``con``, ``agree``, ``-1``, ``yes``, ``root``), read as the
few values ``argmap eval`` scores."""

from __future__ import annotations

from typing import Literal

Stance = Literal["rebuts", "supports", "none"]

STANCES: dict[str, Stance] = {
    "rebuts": "rebuts",
    "rebut": "rebuts",
    "con": "rebuts",
    "against": "rebuts",
    "attack": "rebuts",
    "attacks": "rebuts",
    "disagree": "rebuts",
    "disagrees": "rebuts",
    "oppose": "rebuts",
    "opposes": "rebuts",
    "-1": "rebuts",
    "supports": "supports",
    "support": "supports",
    "pro": "supports",
    "for": "supports",
    "agree": "supports",
    "agrees": "supports",
    "favor": "supports",
    "favour": "supports",
    "1": "supports",
    "+1": "supports",
    "none": "none",
    "neutral": "none",
    "neither": "none",
    "0": "none",
}
TRUE = frozenset({"1", "true", "yes", "y", "spam"})
FALSE = frozenset({"0", "false", "no", "n", "ham", "genuine"})
# How label files say "answers the article" besides 0 (a top-level comment).
TOP_LEVEL = frozenset({"-1", "root", "article", "top", "top-level", "toplevel"})
