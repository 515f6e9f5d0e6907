"""The stance of a reply that carries no explicit stance cue, from weaker evidence.

Most replies never say "I disagree" or "good point"; they still answer something. For those the
offline extractor relates the reply's lead claim to the claim it answers anyway, and this module
decides the type from signals too weak to decide it alone:

- towards ``rebuts``: dissent in so many words ("I have a different take"); a discourse marker
  of disagreement (``disagreement``: "Not really", "this ignores", "by that logic"); a negation
  a few words from a word it shares with the target; a question aimed at the target (it says
  "you" or uses the target's words); "you" with a modal of disagreement ("you should", "you
  can't", "you seem to", "do you really"); sarcasm ("so-called", "got it", "?!") or scare quotes
  around the target's own words;
- towards ``supports``: piling on ("not only that", "what's more"); thanks, praise or affirmation
  ("so true", "the same problems"); and, weighing most, a target that is the replier's own
  earlier claim (someone answering a question about what they said is defending it, not
  rebutting it);
- either way: explicit cues too faint to pass the cue threshold (their net weight counts).

Also towards ``rebuts``: the discourse markers of disagreement in ``disagreement`` ("Not really",
"the point is", "this ignores", "by that logic", "there's nothing wrong with" ...), one family each.

Some signals are found but not trusted (``UNTRUSTED``): restating the target (high overlap with
no negation) and additive markers (also, moreover, in addition, similarly) towards ``supports``,
contrast markers (but, however, although, instead) and scare quotes towards ``rebuts``, and
the discourse families that never fired where measured. Each pointed its way no more often than
the base rate does somewhere, or was never seen, so they carry no evidence;
``bench/stance_signals.py`` measures every family against the prior.

The prior: in argumentative comment threads an un-cued direct reply is more often an objection
than an endorsement, so the evidence starts from a small lean towards ``rebuts``
(``OBJECTION_PRIOR``) and a balanced or empty tally is read as ``rebuts`` at the lowest
confidence; ``Leaning.by_prior`` says so, and the offline extractor does not store such a
relation (a rebuttal needs some evidence in the text: ``relations``). Every relation decided here has a confidence in ``[LOW_CONFIDENCE, MAX_CONFIDENCE]``,
below every cue-based relation, and a rationale starting with ``UNCUED`` that names the evidence,
so the dashboard's confidence filter and a reader can tell them apart.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from argmap.ingest.extract import disagreement
from argmap.ingest.extract.similarity import term, words
from argmap.ingest.extract.stance import normalise

UNCUED = "no explicit stance cue"
LOW_CONFIDENCE = 0.2  # the prior alone, or evidence that cancels out
MAX_CONFIDENCE = 0.3  # strong weak evidence; cue-based relations start above this
OBJECTION_PRIOR = -0.25  # the lean towards "rebuts" before any evidence
# Measured share of replies that object to what they answer (labelled rebut/support pairs):
# 63 of 105 on the dev set's tune debate (Kialo, hate speech), 93 of 148 on the sample. An
# un-cued reply is read as an objection because of it; the report debate was not looked at.
REPLY_REBUT_PRIOR = 0.6
# Signal families that have not earned a say (``bench/stance_signals.py``'s ``verdict``, on the
# tune debate and the sample's labelled pairs): a family is trusted when it is right more often
# than the base rate of its direction where it fires, with no contrary evidence (five firings or
# more, no better than the base rate) on the other. Restating the target (to "supports") 1 of 7
# on the tune debate, a denial restates what it denies too; additive markers 0 of 6, a claim's
# "also" adds to its writer's own argument; contrast markers (to "rebuts") 7 of 15 against a
# rebut rate of 61% (32 of 51 on the sample, the prior's rate); scare quotes 5 of 7 on the tune
# debate but 5 of 11 on the sample (quoting the parent's words is as often agreement); rhetorical
# challenges (``disagreement``) never fired on either, so there is no evidence for them.
UNTRUSTED = frozenset({"restates", "additive", "contrast", "scare_quote", "rhetorical"})
SATURATION = 2.0  # net evidence weight at which the confidence reaches MAX_CONFIDENCE
OPENING = 3  # how many of the reply's first sentences are searched for markers
RESTATES = 0.3  # overlap with the target above which a claim without negation restates it
NEAR = 5  # how many words from a negation a shared word may be
DISCOURSE = -1.0  # one trusted marker of disagreement (``disagreement``) outweighs the prior

# Markers are searched in lower-cased, quote-straightened sentences with leading punctuation removed.
# A sentence that opens with a contrast or an addition turns on what it answers; inside a sentence
# the same words more often articulate the writer's own argument, so they weigh half as much.
_CONTRAST_OPENING = re.compile(
    r"^(?:but|however|yet|still|although|though|actually|instead|nevertheless|nonetheless|"
    r"on the other hand|then again|even so)\b"
)
_CONTRAST_INNER = re.compile(
    r"\b(?:but|however|although|though|actually|instead|whereas|rather than|nevertheless|"
    r"nonetheless|on the other hand)\b"
)
_NOT_CONTRAST = re.compile(
    r"\b(?:but also|all but|nothing but|anything but|not only\b[^.;]*?\bbut)\b"
)
_ADDITIVE_OPENING = re.compile(
    r"^(?:also|moreover|furthermore|additionally|similarly|likewise|indeed|in addition|"
    r"and indeed|not only)\b"
)
# Piling on: the writer adds to what they answer ("Not only that: ...").
_PILING_ON = re.compile(
    r"^(?:not only that|what's more|on top of that|add to that|adding to that|to add to that|"
    r"in addition to that|and another thing|even worse|worse still)\b"
)
# Saying outright that one sees it otherwise, without the set phrases of ``stance``.
_DISSENT = re.compile(
    r"\b(?:(?:a|my|an?) (?:\w+ )?(?:different|another|opposite) (?:take|view|perspective|reading|"
    r"experience|story|picture|interpretation)|(?:that's|that is|this is|it's) not (?:what|how|my "
    r"experience)|not my experience|i'd (?:push back|argue|dispute|question)|i would (?:push back|"
    r"argue|dispute|question))\b"
)
_ADDITIVE_INNER = re.compile(
    r"\b(?:and indeed|in addition|moreover|furthermore|similarly|as well|also)\b"
)
_PRAISE = re.compile(
    r"\b(?:thanks(?! for playing)|thank you(?! for playing)|thx|appreciate[sd]?|kudos|bravo|"
    r"well (?:said|put|written|done|argued)|"
    r"(?:so|absolutely|very|completely|totally|entirely|sadly|all too|basically|largely|pretty much|"
    r"exactly) (?:true|correct|right|accurate)|accurately|resonates?|rings? true|i can (?:confirm|"
    r"attest)|the (?:exact )?same (?:problems?|experiences?|thing|issues?)|similar (?:experiences?|"
    r"criticisms|problems|stories|story)|"
    r"(?:great|excellent|valuable|insightful|interesting|helpful|thoughtful|fantastic|brilliant|"
    r"good|nice|important|useful) (?:post|piece|article|essay|comment|analysis|points?|read|"
    r"write-?up|reply|summary|contribution|observations?|insights?|critique)|"
    r"(?:very|really|so|quite) (?:valuable|insightful|helpful|thoughtful|useful|interesting)|"
    r"i (?:really |very much |especially )?(?:like|liked|appreciated?|enjoyed|loved) "
    r"(?:much|most|this|that|your|what|the)|sympathetic to|confirms?|echo(?:es)? (?:my|what))\b"
)
_YOU_MODAL = re.compile(
    r"\b(?:you (?:really|should(?:n't)?|can't|cannot|could not|couldn't|must|need to|have to|ought to|"
    r"seem to|might want to|may want to|would have to|fail to|refuse to|keep|don't|do not|didn't|"
    r"did not|haven't|have not|won't|wouldn't)|do you (?:really|actually|seriously|honestly)|"
    r"your (?:argument|logic|point|claim|premise|reasoning|position) (?:is|was|ignores|assumes|"
    r"misses|fails|rests)|(?:don't|didn't|aren't|won't|can't|haven't) you(?=\W*$))"
)
_SARCASM = re.compile(
    r"\b(?:so-called|so called|supposedly|got it|sure thing|how convenient|congratulations|"
    r"good for you|oh really|oh sure|thanks for playing|thank you for playing)\b|\?!|!\?|"
    r"\.\.\.\s*not\b"
)
_SHORT_QUOTE = re.compile(r"[\"“]([^\"“”\n]{2,40})[\"”]")
_NEGATION_WORD = re.compile(
    r"^(?:not|never|no|none|nothing|nobody|neither|nor|cannot|without|hardly)$|n't$"
)
# Negators that deny nothing: "not only X" adds to X, "no doubt" affirms.
_NOT_DENIALS = frozenset(
    {("not", "only"), ("not", "just"), ("no", "doubt"), ("no", "matter"), ("no", "wonder")}
)
_SELF = frozenset({"i", "i'm", "i've", "i'd", "we", "we're", "we've", "me", "my"})
_LEADING_PUNCT = re.compile(r"^[\W_]+")


@dataclass(frozen=True)
class Evidence:
    """One weak signal: what it is (for the rationale), which way it leans (< 0 rebuts) and
    which kind of signal it is (``FAMILIES``)."""

    label: str
    weight: float
    family: str = ""


@dataclass(frozen=True)
class Leaning:
    """The type decided from weak evidence, its (low) confidence and its one-line rationale."""

    type: str
    confidence: float
    rationale: str
    by_prior: bool = False  # nothing in the text leans this way: the objection prior decided


def gather(
    opening: Sequence[str],
    lead: str,
    overlap: float,
    target: str,
    target_terms: Collection[str],
    faint: float = 0.0,
    faint_cue: str | None = None,
    own_target: bool = False,
    untrusted: Collection[str] = UNTRUSTED,
    language: str | None = None,
) -> list[Evidence]:
    """The weak evidence in a reply about the claim it answers.

    ``opening`` are the reply's first sentences in its own words (the lead claim's sentence among
    them), ``lead`` the lead claim's sentence, ``overlap`` its similarity to the target, ``target``
    the target's quote and ``target_terms`` its content stems; ``faint`` the net weight of explicit
    cues too weak to decide (``faint_cue`` the strongest of them); ``own_target`` whether the
    target is the replier's own words (a reply defending what it said earlier). Signals of the
    ``untrusted`` families are left out (``bench/stance_signals.py`` passes none, to measure them).
    ``language`` is the thread's, in which ``target_terms`` were read (``similarity.term``).
    """
    found: list[Evidence] = []
    if faint and faint_cue:
        found.append(Evidence(f"faint cue '{faint_cue}'", max(-1.0, min(1.0, faint)), "faint"))
    texts = [_LEADING_PUNCT.sub("", normalise(t)) for t in opening]
    lead_norm = normalise(lead)
    target_norm = normalise(target)
    contrast = _first(_CONTRAST_OPENING, texts)
    if contrast:
        found.append(Evidence(f"contrastive '{contrast}'", -0.5, "contrast"))
    elif contrast := _first(_CONTRAST_INNER, texts, exclude=_NOT_CONTRAST):
        found.append(Evidence(f"contrastive '{contrast}'", -0.25, "contrast"))
    negated_in_target = _negated_terms(words(target_norm), language)  # denying a denial is agreeing
    denied = {t for t in target_terms if t not in negated_in_target}
    # A negation counts only where the reply states its position (its opening and lead sentences):
    # deeper in a comment it belongs to the writer's own argument.
    stating = {texts[0] if texts else "", _LEADING_PUNCT.sub("", lead_norm)}
    negated = next(
        (w for t in sorted(stating) if (w := _negated_shared(t, denied, language))), None
    )
    if negated:
        found.append(Evidence(f"negation near '{negated}'", -0.75, "negation"))
    dissent = _first(_DISSENT, texts)
    if dissent:
        found.append(Evidence(f"dissent '{dissent}'", -0.75, "dissent"))
    if any(_aimed_question(t, target_terms, language) for t in texts):
        found.append(Evidence("questions the target", -0.5, "question"))
    you = _first(_YOU_MODAL, texts)
    if you:
        found.append(Evidence(f"'{you}'", -0.75, "you"))
    sarcasm = _first(_SARCASM, texts)
    if sarcasm:
        found.append(Evidence(f"sarcasm '{sarcasm}'", -0.75, "sarcasm"))
    for family, phrase in disagreement.find(texts):
        found.append(Evidence(f"{family.replace('_', ' ')} '{phrase}'", DISCOURSE, family))
    scare = _scare_quote(opening, target_norm)
    if scare:
        found.append(Evidence(f"scare-quotes the target's '{scare}'", -0.75, "scare_quote"))
    if overlap >= RESTATES and not any(_NEGATION_WORD.search(w) for w in words(lead_norm)):
        found.append(
            Evidence(f"restates the target's point (overlap {overlap:.2f})", 0.75, "restates")
        )
    additive = _first(_PILING_ON, texts)
    if additive:
        found.append(Evidence(f"piles on '{additive}'", 1.0, "piles_on"))
    elif additive := _first(_ADDITIVE_OPENING, texts):
        found.append(Evidence(f"additive '{additive}'", 0.5, "additive"))
    elif additive := _first(_ADDITIVE_INNER, texts):
        found.append(Evidence(f"additive '{additive}'", 0.25, "additive"))
    praise = _first(_PRAISE, texts, negatable=True)
    if praise:
        found.append(Evidence(f"praise '{praise}'", 1.0, "praise"))
    if own_target:
        found.append(Evidence("the target is the replier's own earlier claim", 2.0, "own_target"))
    return [e for e in found if e.family not in untrusted]


def lean(evidence: Sequence[Evidence]) -> Leaning:
    """The type, confidence and rationale that ``evidence`` (and the objection prior) give."""
    net = sum(e.weight for e in evidence)
    kind = "supports" if net + OBJECTION_PRIOR > 0 else "rebuts"
    strength = min(abs(net), SATURATION) / SATURATION if (net > 0) == (kind == "supports") else 0.0
    confidence = round(LOW_CONFIDENCE + (MAX_CONFIDENCE - LOW_CONFIDENCE) * strength, 2)
    if not evidence:
        why = "no weaker evidence either; an un-cued reply is read as an objection"
    else:
        why = " + ".join(e.label for e in evidence)
        if kind == "rebuts" and net >= 0:  # the prior decided, not the evidence
            why += " (balanced; an un-cued reply is read as an objection)"
    by_prior = kind == "rebuts" and net >= 0
    return Leaning(kind, confidence, f"{UNCUED}; {why} → {kind}", by_prior)


# -- the signals ------------------------------------------------------------------------------


def _first(
    pattern: re.Pattern[str],
    texts: Sequence[str],
    exclude: re.Pattern[str] | None = None,
    negatable: bool = False,
) -> str:
    """The first match of ``pattern`` in ``texts`` (not inside a match of ``exclude``; if
    ``negatable``, not just after a negation: "not very helpful"), or ''."""
    for text in texts:
        blocked = [m.span() for m in exclude.finditer(text)] if exclude else []
        for m in pattern.finditer(text):
            if any(s <= m.start() < e for s, e in blocked):
                continue
            if negatable and any(_NEGATION_WORD.search(w) for w in words(text[: m.start()])[-3:]):
                continue
            return m.group(0).strip()
    return ""


def _negations(tokens: Sequence[str]) -> list[int]:
    """Where ``tokens`` negate something, leaving out self-reports ("I'm not", "I've never"):
    a writer saying what they did not do is not denying what they answer."""
    out = []
    for i, w in enumerate(tokens):
        if not _NEGATION_WORD.search(w) or _SELF.intersection(tokens[max(0, i - 2) : i]):
            continue
        if (w, tokens[i + 1] if i + 1 < len(tokens) else "") in _NOT_DENIALS:
            continue
        out.append(i)
    return out


def _negated_terms(tokens: Sequence[str], language: str | None) -> set[str]:
    """The content stems of ``tokens`` within ``NEAR`` words of a negation."""
    negations = _negations(tokens)
    return {
        stem
        for i, w in enumerate(tokens)
        if (stem := term(w, language)) is not None and any(abs(i - n) <= NEAR for n in negations)
    }


def _negated_shared(text: str, target_terms: Collection[str], language: str | None) -> str:
    """A word of ``text`` that it shares with the target within ``NEAR`` words of a negation."""
    tokens = words(text)
    negations = _negations(tokens)
    if not negations:
        return ""
    for i, w in enumerate(tokens):
        stem = term(w, language)
        if stem is not None and stem in target_terms and any(abs(i - n) <= NEAR for n in negations):
            return w
    return ""


def _aimed_question(text: str, target_terms: Collection[str], language: str | None) -> bool:
    """Whether ``text`` is a question at the target: it addresses "you" or uses its words."""
    if "?" not in text[-3:]:
        return False
    tokens = words(text)
    return any(w in ("you", "your", "you're") for w in tokens) or any(
        (t := term(w, language)) is not None and t in target_terms for w in tokens
    )


def _scare_quote(opening: Sequence[str], target: str) -> str:
    """Words the reply puts in quotation marks that come from the target (a scare quote)."""
    for text in opening:
        for m in _SHORT_QUOTE.finditer(text):
            inner = m.group(1).strip(" ,.")
            if len(inner) >= 3 and normalise(inner) in target:
                return inner
    return ""
