"""Stance cues: the phrases that say a sentence disagrees with, or agrees with, what it answers.

Each cue has a weight: negative for rebuttal ("I disagree" -3, "but" -0.75), positive for support
("I agree" +3, "good point" +2.5). Cues are matched in priority order and may not overlap, so
"I don't agree" is one rebuttal cue rather than a rebuttal plus an "agree", and "I was wrong" is a
concession (support), not a "wrong". A support cue with a negator just before it ("not exactly")
counts as a rebuttal.

Threads in German, French or Spanish (``argmap.core.languages``) are read with their own tables
(``stance_cues_de``, ``stance_cues_fr``, ``stance_cues_es``), built and matched the same way on
accent-folded text (``fold``); any other language, or none told, gets the English cues.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

from argmap.ingest.extract import stance_cues_de, stance_cues_es, stance_cues_fr

_NORMALISE = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})

# (pattern, weight), highest priority first. Patterns run on lower-cased, quote-straightened text.
_CUES: list[tuple[str, float]] = [
    # Set phrases that look like cues but take no side: matched first, then ignored.
    (
        r"\b(?:correct me if i(?:'m| am) wrong|if i(?:'m| am) not mistaken|unless i(?:'m| am) wrong|"
        r"don't get me wrong|not necessarily a bad thing|no doubt)\b",
        0.0,
    ),
    (r"\b(?:couldn't|could not|can't|cannot) (?:\w+ )?agree (?:more|with you more)\b", 3.0),
    # Conceding a point on the way to an objection: "you're right about X, but...".
    (r"\b(?:you're|you are) (?:\w+ )?right (?:about|that|on|in)\b[^.;!?]*?\bbut\b", -2.0),
    # Agreement in a subordinate clause ("while I agree with most of it, ...") is faint.
    (r"\b(?:while|although|though|even though|much as|whilst) i (?:\w+ ){0,2}agree\b", 0.5),
    # Disagreement spelled out, and negated agreement (before the plain "agree" cues).
    (r"\bi (?:\w+ )?disagree\b", -3.0),
    (
        r"\b(?:don't|do not|can't|cannot|couldn't|could not|wouldn't|won't|never) (?:\w+ )?agree\b",
        -3.0,
    ),
    # Concessions: the writer grants the point answered ("I was wrong" is not a rebuttal).
    (
        r"\b(?:i (?:was|am|'m) (?:\w+ )?wrong|i admit\w*|i stand corrected|fair enough|point taken|"
        r"i concede|you've convinced me|you have convinced me)\b",
        2.5,
    ),
    (r"\b(?:yes|yeah|sure|ok|okay|true|right|granted|fine),? but\b", -2.0),
    (r"\bdisagree (?:with|about|on)\b", -2.0),
    (
        r"\b(?:that's|that is|this is|it's|it is|you're|you are|you were|he's|she's|they're|"
        r"(?:is|are|was|were) (?:simply|just|plainly|totally|completely|dead|flat|absolutely)) "
        r"(?:simply |just |plainly |totally |completely |dead |absolutely )?"
        r"(?:untrue|false|wrong|incorrect|inaccurate|mistaken)\b",
        -3.0,
    ),
    (r"\b(?:not true|untrue|not the case)\b", -3.0),
    (
        r"\b(?:on the contrary|quite the opposite|the opposite is true|far from it|au contraire)\b",
        -3.0,
    ),
    (
        r"^(?:nonsense|rubbish|baloney|bullshit|bs|hogwash|ridiculous|absurd|preposterous|laughable|"
        r"bogus)\b|\b(?:that's|that is|this is|it's|it is|that sounds|this sounds|utter|complete|total|pure) "
        r"(?:\w+ )?(?:nonsense|rubbish|baloney|bullshit|hogwash|ridiculous|absurd|preposterous|"
        r"laughable|bogus)\b",
        -2.5,
    ),
    (r"\bstraw ?man\b", -2.5),
    (
        r"\bi (?:never|didn't|did not) (?:actually |really |ever )?(?:say|said|argue|argued|claim|"
        r"claimed|suggest|suggested|write|wrote|mean|meant|deny|denied)\b",
        -2.5,
    ),
    (
        r"\byou(?:'re| are)? (?:seem to |clearly |obviously |simply |just )?(?:confus|conflat|misread|"
        r"misunderst|ignor|overlook|forget|forgot|missed|missing)\w*",
        -2.0,
    ),
    (
        r"\b(?:nobody|no one|no-one) (?:is|was|has|here) (?:\w+ )?(?:saying|arguing|claiming|"
        r"suggesting|asking)\b",
        -2.0,
    ),
    (r"\b(?:with all due respect|respectfully|i'm sorry,? but|sorry,? but)\b", -1.5),
    (r"\b(?:just |exactly )?the opposite\b", -2.0),
    (
        r"^(?:so |and |but )?(?:isn't|aren't|doesn't|don't|didn't|wasn't|how can|how could|how is|"
        r"why would|why should|since when|what makes you think|are you (?:really |seriously )?saying)"
        r"\b(?=[^?]*\?[\"')\]]*$)",
        -1.5,
    ),
    (
        r"\b(?:misleading|misled|misrepresent\w*|mis+characteri[sz]\w*|distort\w*|off base|"
        r"off the mark|way off)\b",
        -2.0,
    ),
    (
        r"\bi (?:really |just |simply |still )?(?:don't|do not|didn't|did not|can't|cannot) (?:think|believe|buy|see|accept)\b(?! of\b)",
        -2.0,
    ),
    (
        r"\bi(?:'m| am) (?:not (?:so |that |at all )?(?:sure (?:that|about th|it|this|i agree)|convinced)|"
        r"not so sure|doubtful|skeptical|sceptical|unconvinced)",
        -2.0,
    ),
    (r"\bi (?:doubt|question)\b", -2.0),
    (
        r"\b(?:that|this|it|which) (?:doesn't|does not|didn't|did not) (?:necessarily )?(?:mean|follow|"
        r"prove|show|make sense|hold up|add up)\b",
        -2.0,
    ),
    (r"\bnot necessarily\b", -2.0),
    (r"\b(?:miss(?:es|ed|ing)? the point|beside the point|irrelevant|so what)\b", -2.0),
    (
        r"\b(?:are you (?:really|seriously|kidding|joking)|you can't be serious|give me a break|"
        r"oh please|yeah,? right|nice try|good luck with that)\b",
        -2.0,
    ),
    (r"^(?:no|nope|nah|wrong|false)(?:[,.!;:]|\s*$)", -3.0),
    (r"\bthe (?:problem|trouble|issue|flaw) (?:with|here|is)\b", -1.5),
    (r"^(?:that's|that is|this is) not\b|^(?:that|this) (?:isn't|wasn't)\b", -1.5),
    (r"^(?:actually|in fact|in reality)\b", -1.5),
    (r"(?:^|\s)/s\b|\blol\b|\bri+ght\.\.\.", -1.0),
    (r"\bhardly\b", -1.0),
    # Agreement and endorsement.
    (r"\bi (?:\w+ ){0,2}agree\b", 3.0),
    (
        r"\b(?:well said|well put|spot on|right on|hear,? hear)\b|\+1\b|"
        r"^(?:agreed|exactly|precisely|bingo|amen|absolutely)(?:[.,!;:]|\s*$)|"
        r"^(?:exactly|absolutely|precisely) (?:right|correct|true|so)\b",
        3.0,
    ),
    (r"\byou(?:'re| are) (?:absolutely |quite |so |completely |100% )?(?:right|correct)\b", 3.0),
    (
        r"\b(?:good|great|excellent|valid|important|fair|strong|interesting) (?:point|observation|argument)s?\b",
        2.5,
    ),
    (
        r"\b(?:that's|that is|this is|it's|it is) (?:absolutely |very |so |quite )?(?:true|right|correct)\b(?! of\b| for\b| to\b)",
        2.5,
    ),
    (
        r"\b(?:enhances|strengthens|reinforces|supports|confirms|bolsters|underscores|vindicates|proves) "
        r"(?:[\w']+ ){0,2}(?:argument|point|case|claim|thesis|critique|view|analysis)\b",
        2.5,
    ),
    (
        r"\b(?:great|excellent|brilliant|wonderful|fantastic|superb|fine|important) "
        r"(?:article|piece|post|essay|analysis|critique|write-?up)\b",
        2.0,
    ),
    (r"\b(?:thank you|thanks) for (?:this|writing|the article|the piece|posting|sharing)\b", 2.0),
    (r"^(?:excellent|bravo|brilliant|this)!", 2.0),
    (r"\b(?:to add to|adding to|building on) (?:this|that|what|your)\b", 1.5),
    (
        r"\b(?:same here|me too|likewise|as you (?:say|said|point out)|like you said|you're onto something)\b",
        1.5,
    ),
    (r"^(?:yes|yeah|yep|true|right|correct|indeed)\b", 1.5),
    # Contrast opening a sentence: weak alone, but it adds up. (Mid-sentence "but" is too common.)
    (r"^(?:but|however|still|yet|nevertheless|nonetheless)\b", -1.0),
]


def _compile(pattern: str) -> tuple[re.Pattern[str], bool]:
    """The compiled cue and whether its match must start at a word boundary.

    A leading ``\\b`` is checked in Python instead of in the regex: without it the regex starts
    with literals, which ``re`` can skip ahead to, several times faster.
    """
    bounded = pattern.startswith("\\b")
    return re.compile(pattern[2:] if bounded else pattern), bounded


_COMPILED = [(*_compile(p), w) for p, w in _CUES]
_NEGATOR = re.compile(r"\b(?:not|never|no|hardly|nor)\s+(?:\w+\s+)?$|n't\s+(?:\w+\s+)?$")
_NEGATION = re.compile(r"\b(?:not|never|no|none|nothing|nobody|neither|nor|cannot|without)\b|n't\b")


def _folding() -> dict[int, str]:
    """One character for one (offsets stay put): accented Latin letters to their base letter,
    the no-break and thin spaces French writes before ``! ? : ;`` to a space, Spanish "¡" and
    "¿" to a space, and the German and French quotation marks to a straight one."""
    table: dict[int, str] = str.maketrans(
        {
            "\u00a0": " ",
            "\u202f": " ",
            "\u2009": " ",
            "¡": " ",
            "¿": " ",
            "„": '"',
            "«": '"',
            "»": '"',
        }
    )
    for code in range(0xC0, 0x180):
        base = unicodedata.normalize("NFD", chr(code))[0]
        if base != chr(code) and base.isascii() and base.isalpha():
            table[code] = base
    return table


_FOLD = _folding()


def fold(text: str) -> str:
    """``normalise`` with accents folded and the spaces and marks above made plain (the text the
    German, French and Spanish cues run on)."""
    return normalise(text).translate(_FOLD)


@dataclass(frozen=True)
class CueTable:
    """One language's cues (compiled as ``_COMPILED``), negators and the text they run on."""

    cues: list[tuple[re.Pattern[str], bool, float]]
    negator: re.Pattern[str]
    negation: re.Pattern[str]
    prepare: Callable[[str], str]


def _table_of(module: ModuleType) -> CueTable:
    return CueTable(
        [(*_compile(p), w) for p, w in module.CUES],
        re.compile(module.NEGATOR),
        re.compile(module.NEGATION),
        fold,
    )


_ENGLISH = CueTable(_COMPILED, _NEGATOR, _NEGATION, lambda text: normalise(text))
_TABLES = {
    "de": _table_of(stance_cues_de),
    "fr": _table_of(stance_cues_fr),
    "es": _table_of(stance_cues_es),
}


def cue_table(language: str | None) -> CueTable:
    """The cues for a thread in ``language`` (ISO 639-1): its own, or the English ones."""
    return _TABLES.get(language or "", _ENGLISH)


@dataclass(frozen=True)
class Cue:
    """A stance phrase found in a sentence; ``weight`` < 0 rebuts, > 0 supports."""

    phrase: str
    weight: float


def normalise(text: str) -> str:
    return text.translate(_NORMALISE).lower()


def find_cues(sentence: str, language: str | None = None) -> list[Cue]:
    """The stance cues of ``sentence``, in the order they appear; ``language`` (ISO 639-1, the
    thread's) picks the table (``cue_table``)."""
    table = cue_table(language)
    norm = table.prepare(sentence)
    aligned = len(norm) == len(sentence)  # then offsets in ``norm`` are offsets in ``sentence``
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, Cue]] = []
    for pattern, bounded, weight in table.cues:
        pos = 0
        while (m := pattern.search(norm, pos)) is not None:
            s, e = m.span()
            pos = max(e, s + 1)
            if bounded and s > 0 and (norm[s - 1].isalnum() or norm[s - 1] == "_"):
                pos = s + 1  # inside a word ("disagree" is not "agree"): look again just after
                continue
            if s == e or any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            if weight > 0 and table.negator.search(norm, max(0, s - 24), s):
                weight_here = -max(weight, 2.0)  # "not exactly", "isn't a good point"
            else:
                weight_here = weight
            if weight_here:
                phrase = (sentence[s:e] if aligned else m.group(0)).strip(" ,.!")
                if len(phrase) > 40:  # "you're right about ... but": keep the ends
                    words = phrase.split()
                    phrase = " ".join(words[:3]) + " … " + words[-1]
                found.append((s, Cue(phrase, weight_here)))
    return [cue for _, cue in sorted(found, key=lambda item: item[0])]


def stance(cues: list[Cue]) -> float:
    """The net stance of a sentence's cues: the first sets the frame, later ones count half.

    "I heartily agree that selling papers is ridiculous" agrees; "No, that is wrong" is doubly sure.
    """
    return sum(c.weight if i == 0 else c.weight / 2 for i, c in enumerate(cues))


def has_negation(sentence: str, language: str | None = None) -> bool:
    """Whether ``sentence`` negates something ("not", "never", "n't", ...; "nicht", "ne ... pas",
    "no" in a German, French or Spanish thread)."""
    table = cue_table(language)
    return bool(table.negation.search(table.prepare(sentence)))
