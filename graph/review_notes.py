"""The offline extractor's rationale (terse notes like "faint cue 'I agree' + negation near
'members' → rebuts") read out in plain words, for the review queue's explanations.

The notes are a fixed vocabulary (``ingest/extract/relations.py`` and ``weak_stance.py``); each
known phrase has its reading here, and a phrase not known is kept as written, so nothing is
lost when the extractor learns a new one. The readings quote the comment's words: whoever
renders them escapes them.
"""

from __future__ import annotations

import re

UNCUED = (
    "no explicit stance cue"  # ``ingest.extract.weak_stance.UNCUED`` (graph never imports ingest)
)
_PRIOR = "an un-cued reply is read as an objection"

# (a note's whole wording, its reading); \1 is the quoted comment words.
_READINGS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), r)
    for p, r in (
        (r"^reply opens with '(.*)'$", 'the reply opens with "\\1"'),
        (r"^(?:reply )?says '(.*)'$", 'the reply says "\\1"'),
        (r"^negates the target's wording$", "it denies the words of the claim it answers"),
        (r"^quotes the target$", "it quotes the claim it answers"),
        (r"^overlaps on '(.*)'$", 'both use the words "\\1"'),
        (
            r"^no shared words: answers the lead claim$",
            "it shares no words with any claim, so it is taken to answer the article's main claim",
        ),
        (r"^answers its parent$", "it is taken to answer the comment it replies to"),
        (r"^faint cue '(.*)'$", 'words that lean one way but too weakly to decide alone: "\\1"'),
        (r"^contrastive '(.*)'$", 'a word that often turns an answer against: "\\1"'),
        (r"^negation near '(.*)'$", 'a "not" near "\\1"'),
        (r"^dissent '(.*)'$", 'words of disagreement: "\\1"'),
        (r"^questions the target$", "it questions the claim it answers"),
        (r"^'(.*)'$", 'it speaks to the other writer as "\\1"'),
        (r"^sarcasm '(.*)'$", 'sarcasm: "\\1"'),
        (r"^scare-quotes the target's '(.*)'$", 'it puts the other\'s word "\\1" in scare quotes'),
        (
            r"^restates the target's point \(overlap (.*)\)$",
            "it repeats the point of the claim it answers (word overlap \\1 of 1)",
        ),
        (r"^piles on '(.*)'$", 'it piles on: "\\1"'),
        (r"^additive '(.*)'$", 'a word that adds to the point: "\\1"'),
        (r"^praise '(.*)'$", 'praise: "\\1"'),
        (
            r"^the target is the replier's own earlier claim$",
            "the claim it answers is the writer's own earlier claim",
        ),
        (
            r"^no weaker evidence either; " + _PRIOR + "$",
            "no hints at all, and a reply that says nothing either way is read as an objection",
        ),
        (
            r"^(.*) reads the pair as contradicting at ([0-9.]+)$",
            "a language model (\\1) reads the two claims as contradicting each other at \\2 of 1",
        ),
        (
            r"^its parent has no claims: the target is further up$",
            "the comment it replies to makes no claim, so the claim it answers, further up, is a "
            "guess",
        ),
        (
            r"^no words in common with any of the article's claims: the lead claim is a guess$",
            "it shares no words with any of the article's claims, so taking the article's main "
            "claim as the one it answers is a guess",
        ),
        # The discourse families of ``ingest/extract/disagreement.py`` (premise attack, reframe,
        # concession, ...): phrases that often open an objection. Last: a known phrase wins.
        (
            r"^([a-z ]+) '(.*)'$",
            'a turn of phrase that often opens an objection (\\1): "\\2"',
        ),
    )
]
_BALANCED = f" (balanced; {_PRIOR})"
_DECIDED = re.compile(r" → (rebuts|supports)(?=;|$)")


def _reading(note: str) -> str:
    for pattern, reading in _READINGS:
        if pattern.match(note):
            return pattern.sub(reading, note)
    return note


def plain_notes(rationale: str) -> tuple[bool, list[str]]:
    """Whether no word of the reply states its stance (the machine went by weak hints), and
    each of the rationale's notes in plain words, in its order."""
    uncued = rationale.startswith(UNCUED)
    rest = rationale.removeprefix(UNCUED).removeprefix("; ") if uncued else rationale
    rest = _DECIDED.sub("", rest.strip())
    balanced = _BALANCED in rest
    rest = rest.replace(_BALANCED, "")
    if rest.startswith("no weaker evidence either; "):
        notes = [rest]
    else:
        notes = [n.strip() for part in rest.split("; ") for n in part.split(" + ") if n.strip()]
    readings = [_reading(n) for n in notes]
    if balanced:
        readings.append(
            "these cancel out, and a reply that says nothing either way is read as an objection"
        )
    return uncued, readings
