"""Why a review item is in the queue, in words a reviewer who never read the code understands.

The queue's own ``reason`` is the machine's terse note (the extractor's rationale, a spam
score's distance from its line); it stays as it is for scripts and power users (``--json``).
Each function here says instead what the machine decided, how sure it was (the number kept,
and what it means) and what the reviewer is asked to check. A relation's reading quotes the
comment's words (the cue it went by): whoever renders it escapes it.
"""

from __future__ import annotations

from argmap.graph.review_notes import plain_notes

_CHECK = {
    "rebuts": "does the answering claim really argue against the claim it answers?",
    "supports": "does the answering claim really back up the claim it answers?",
}


def _check(kind: str | None) -> str:
    return _CHECK.get(kind or "", "is the link between the two claims right?")


def relation_reason(
    kind: str | None, confidence: float, right: float | None, rationale: str, extractor: str | None
) -> str:
    """A drawn relation: the machine's confidence, and for the offline extractor how often
    relations of that confidence were right (``right``; its confidence ranks evidence and is
    no probability, so the share right is what tells a reviewer how much to trust it)."""
    sure = f"The machine was {confidence:.0%} sure of this (confidence {confidence:.2f} of 1)"
    if right is not None:
        sure += (
            f"; on threads people checked, about {right:.0%} of its relations this sure were right"
        )
    said = " ".join(rationale.split())
    if extractor == "offline" and said:
        uncued, notes = plain_notes(said)
        lead = (
            "No words in the reply say outright that it agrees or disagrees, so the machine went "
            "by weaker hints: "
            if uncued
            else "The machine went by: "
        )
        basis = lead + "; ".join(notes) + "."
    elif said:
        basis = f"Its reason, as it gave it: {said}" + ("" if said[-1] in ".!?" else ".")
    else:
        basis = "It gave no reason."
    return f"{sure}. {basis} Check: {_check(kind)} Flip it if it is the other way round."


def candidate_reason(kind: str | None, confidence: float, rationale: str = "") -> str:
    """A hidden guess: no view draws it; the reviewer decides whether it becomes a relation."""
    hints = f" It went by: {'; '.join(plain_notes(rationale)[1])}." if rationale else ""
    return (
        f"A hidden guess: the reply's words show no stance, so the machine only guessed "
        f"'{kind or '?'}' and was {confidence:.0%} sure (confidence {confidence:.2f} of 1).{hints} "
        "No view draws it until you accept it. Check: "
        f"{_check(kind)} Flip it if it is the other way round, reject it if neither."
    )


def parent_reason(probability: float) -> str:
    """A rebuilt reply-tree parent, with the calibrated probability that it is right."""
    return (
        "The page did not say which comment this one answers, so the machine worked it out; "
        f"it is {probability:.0%} likely to be right (measured on threads people checked). "
        "Check: is this the comment it answers? If not, pick the right one."
    )


def spam_reason(is_spam: bool, margin: float) -> str:
    """A spam flag near the line: how far the spam score is from where it tips over."""
    # The verdict tells the side: a margin of -0.0 (printed "+0.00" before) is not past the line.
    side = "past" if is_spam else "short of"
    if abs(margin) < 0.25:
        how = "a coin toss: its spam score sits right at the line"
    elif abs(margin) < 1.0:
        how = "a close call: its spam score is near the line"
    else:
        how = "fairly clear, but not certain"
    return (
        f"The machine says {'spam' if is_spam else 'not spam'}, and it was {how} "
        f"({abs(margin):.2f} {side} the line where a comment counts as spam; 0 is on the line, "
        "and the further from it, the surer). Check: is this comment spam (advertising, junk, "
        "nothing to do with the discussion)?"
    )


def claim_reason() -> str:
    """A claim whose quote matched its post only after normalising (an LLM's)."""
    return (
        "An LLM wrote this claim, and its quote matches the post only once capitals, spaces or "
        "quotation marks are ignored. Check: are the marked words the author's own, and does "
        "the paraphrase say what they meant?"
    )
