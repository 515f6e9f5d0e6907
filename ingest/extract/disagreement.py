"""Discourse markers of disagreement in online argument, by family, for replies with no stance cue.

``stance`` holds the explicit cues ("I disagree", "No,", "that's wrong"). These are the quieter
moves an objection makes in conversation, as a discourse analyst would list them, not phrases
read off any one thread:

- ``flat_denial``: an opening that denies in a word or two ("Not really", "Not so", "Not if", "Not all", "Says who",
  "Really?", "Come on");
- ``counter_opener``: an opening that announces a correction ("Except ...", "If anything",
  "Believe it or not", "I think you'll find", "You'd be surprised");
- ``reframe``: putting the answered point aside for the one that matters ("The point is", "The
  real issue is", "It's not about");
- ``premise_attack``: naming a flaw in what was said ("this ignores", "that assumes", "false
  premise", "misconception", "the idea that", "non sequitur", "cherry-picked", "conflating", "not
  comparable");
- ``reductio``: following the answered argument to an absurd end ("by that logic", "by the same
  token", "slippery slope");
- ``counter_example``: answering a general claim with a case ("Tell that to", "Try telling",
  "What about ...?");
- ``rhetorical``: a challenge put as a question ("How is that ...?", "Who says ...?", "Where is
  the evidence?");
- ``nothing_wrong``: denying the quality the answered post found ("there's nothing sinister about
  it", "I see nothing wrong with");
- ``concession``: granting a point on the way to an objection ("that may be so, but", "I see
  your point, but", "X is good, but", "it may not X, but");
- ``you_negated``: "you" with a negated claim ("you're not", "you aren't", "you never");
- ``negative_evaluation``: judging the answered view ("naive", "simplistic", "misguided",
  "disingenuous", "overblown", "exaggerated");
- ``scepticism``: idioms of disbelief ("don't hold your breath", "wishful thinking", "dream on").

Each family is measured against the prior by ``bench/stance_signals.py``; ``weak_stance`` trusts
only the families that beat it (``weak_stance.UNTRUSTED`` names the others). Quoted words are
left out before matching: a marker inside quotation marks is someone else's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Openers are matched on the reply's first sentence only; the rest anywhere in its opening.
_OPENERS: dict[str, re.Pattern[str]] = {
    "flat_denial": re.compile(
        r"^(?:not (?:really|so|quite|at all)(?:[,.!;:?]|\s*$)|not (?:if|when|always|all|every|sure)\b|"
        r"says (?:who|you)\b|"
        r"(?:really|seriously)\s*\?|come on(?:[,.!;:]|\s*$))"
    ),
    "counter_opener": re.compile(
        r"^(?:except(?: that| when| for| in)?\b|if anything\b|believe it or not\b|"
        r"i think you(?:'ll| will) find\b|you(?:'ll| will) find that\b|you(?:'d| would) be surprised\b)"
    ),
}
_ANYWHERE: dict[str, re.Pattern[str]] = {
    "reframe": re.compile(
        r"\b(?:the (?:whole |real |actual )?point (?:is|was|here is)|my point (?:is|was)|"
        r"the real (?:issue|problem|question) (?:is|here)|(?:it's|it is|this is|that's) not about)\b"
    ),
    "premise_attack": re.compile(
        r"\b(?:(?:this|that|which|it|your (?:argument|point|claim|logic)) (?:ignores|assumes|"
        r"overlooks|presumes|presupposes)|you(?:'re| are)? assum\w*|false (?:premise|dichotomy|"
        r"equivalence|choice)s?|misconceptions?|the (?:idea|notion|assumption|claim) that|"
        r"non[- ]sequitur|begs the question|cherry[- ]?pick\w*|(?:logical )?fallacy|conflat\w+|"
        r"false analog\w*|apples (?:and|to) oranges|(?:not|isn't|aren't) (?:really )?(?:comparable|"
        r"analogous|the same thing))\b"
    ),
    "reductio": re.compile(
        r"\b(?:by (?:this|that|your|the same|such) (?:reasoning|logic|argument|standard|token)|"
        r"(?:following|with) (?:this|that|your) logic|taken to its (?:logical )?(?:conclusion|extreme)|"
        r"slippery slope)\b"
    ),
    "counter_example": re.compile(
        r"\b(?:tell that to|try telling|try (?:saying|explaining) that to)\b|"
        r"^what about\b(?=[^?]*\?)|^there (?:are|is|were|have been) (?:plenty|lots|many|numerous|"
        r"countless|several)\b"
    ),
    "rhetorical": re.compile(
        r"^(?:how (?:is|does|would|could|can) (?:that|this|it)|who says|why would (?:anyone|anybody|"
        r"you)|where(?:'s| is| are) (?:the|your) (?:evidence|proof|source|data))\b(?=[^?]*\?)"
    ),
    "nothing_wrong": re.compile(
        r"\b(?:there(?:'s| is| was) nothing (?:\S+ ){0,2}?(?:about|with|in)|"
        r"i see nothing (?:\w+ )?(?:wrong|bad|sinister|odd|strange))\b"
    ),
    "concession": re.compile(
        r"\b(?:(?:that|this|it) (?:may|might|could) (?:well )?be (?:so|true|right)|"
        r"i (?:see|get|understand|take) (?:your|the|that) point|i get that|"
        r"(?:may|might|could) not [^,.;:]{1,40}|"
        r"(?:is|are|'s|was) (?:\w+ )?(?:good|fine|nice|valid|fair|interesting)),? but\b(?! also\b)"
    ),
    "you_negated": re.compile(
        # "you're not wrong", "you're not alone", "you never know" agree or say nothing.
        r"\byou(?:'re| are| were|'ve| have)? (?:not|never)\b"
        r"(?! (?:only|just|wrong|alone|mistaken|kidding|know)\b)|"
        r"\byou (?:aren't|weren't|haven't|hadn't)\b"
    ),
    "negative_evaluation": re.compile(
        # A self-report ("I was naive") concedes rather than objects.
        r"(?<!i was )(?<!i am )(?<!i'm )(?<!we were )\b(?:naive|naïve|simplistic|oversimplif\w*|misguided|disingenuous|hypocritical|hypocrisy|"
        r"unfounded|baseless|far-fetched|overblown|exaggerat\w*|overstat\w*|hyperbole|"
        r"uncharitable|unfair to)\b"
    ),
    "scepticism": re.compile(
        r"\b(?:don't|do not) hold your breath|wishful thinking|dream on|in your dreams|"
        r"pie in the sky|i'll believe (?:it|that) when\b|"
        r"(?:that's|that is|it's|it is|bit of) a (?:bit of a )?stretch\b"
    ),
}
FAMILIES = (*_OPENERS, *_ANYWHERE)
_QUOTED = re.compile(r"\"[^\"\n]*\"|(?<!\w)'[^'\n]*'(?!\w)")


def find(opening: Sequence[str]) -> list[tuple[str, str]]:
    """(family, phrase) for each family of disagreement markers in ``opening``: the reply's first
    sentences, lower-cased and quote-straightened (``stance.normalise``), leading punctuation
    removed. Words inside quotation marks are someone else's and are left out."""
    texts = [_QUOTED.sub(" ", t).strip() for t in opening]
    found: list[tuple[str, str]] = []
    if texts:
        for family, pattern in _OPENERS.items():
            if m := pattern.search(texts[0]):
                found.append((family, m.group(0).strip(" ,.!?;:")))
    for family, pattern in _ANYWHERE.items():
        for text in texts:
            if m := pattern.search(text):
                found.append((family, m.group(0).strip(" ,.!?;:")))
                break
    return found
