"""The words of a synthetic thread: claim sentences recombined from small vocabularies, and the
filler lines some comments open with (``bench/synthetic_structure.py`` draws them)."""

from __future__ import annotations

import random

_SUBJECTS = (
    "the standard",
    "the committee",
    "open review",
    "the vendor",
    "the format",
    "the process",
    "national bodies",
    "the editor",
    "the draft",
    "the fast track",
    "the ballot",
    "interoperability",
    "the specification",
    "the community",
    "the market",
    "backward compatibility",
    "the schema",
    "the reference implementation",
    "the patent pledge",
    "the test suite",
)
_VERBS = (
    "undermines",
    "improves",
    "ignores",
    "protects",
    "delays",
    "weakens",
    "clarifies",
    "complicates",
    "favours",
    "threatens",
    "requires",
    "replaces",
    "duplicates",
    "enables",
)
_OBJECTS = (
    "transparency",
    "accessibility",
    "competition",
    "document portability",
    "long-term archiving",
    "small developers",
    "public procurement",
    "user freedom",
    "translation quality",
    "the technical merit",
    "consensus building",
    "independent implementations",
    "legal certainty",
    "vendor neutrality",
    "the review schedule",
    "spreadsheet formulas",
)
_REASONS = (
    "the comments were ignored",
    "nobody read the full text",
    "the votes were bought",
    "the deadlines were too short",
    "the experts disagreed",
    "the tests are incomplete",
    "the history shows it",
    "the numbers say so",
    "the drafts kept changing",
    "the meetings were closed",
    "two formats cost twice",
    "users never asked for it",
)
FILLER = (
    "Thanks for writing this up.",
    "I have followed this for years.",
    "Just my two cents.",
    "Interesting post.",
    "Let me add one thing.",
    "Well said.",
    "I am not so sure.",
)


def sentence(rng: random.Random) -> str:
    """One claim sentence: subject, verb, object and a reason, drawn from ``rng``."""
    return (
        f"{rng.choice(_SUBJECTS).capitalize()} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} "
        f"because {rng.choice(_REASONS)}."
    )
