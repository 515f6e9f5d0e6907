"""How a reply's claims relate to the claims it answers, for the offline extractor.

For each claim of the reply: its target is the answered claim it shares the most weighted words
with (the reply as a whole breaks ties, a quoted claim is preferred; a claim with no words in
common answers the answered post's lead claim), and its stance is its own cues plus part of the
reply's overall stance (its opening sentence and its explicit cues elsewhere), minus one if it
denies the target in the target's own words. A net stance past a threshold makes a ``rebuts``
(negative) or ``supports`` (positive) relation; the claim carrying the reply's point comes first
and a few others may follow if they are explicit or close to their target.

A reply whose cues decide nothing may still answer something: its lead claim (the one carrying
its point) gets one relation to its target, typed from weaker evidence by ``weak_stance``, with a
confidence below every cue-based relation (``CUED_FLOOR``) and a rationale that says so. When the
text holds no such evidence either (only the objection prior would call it a rebuttal), no
relation is stored: a rebuttal the words do not show is a guess, and guesses piled on the
article's lead thesis made its picture unreadable and its rebuttal count meaningless. The guess
is kept as a hidden ``candidate`` (confidence ``CANDIDATE_CONFIDENCE``, its own edge type), so
every reply->parent pair still has a stance decision that ``argmap eval --candidates`` scores.
So is a weakly typed relation whose target is itself a guess, unless the reply quotes it: a
claim of a post further up because the parent has no claims (a cue-based relation needs
``INDIRECT_STANCE`` there), or the article's lead claim taken for want of any shared words (an
article makes many claims, and a top-level comment with no cue may well make its own point rather
than answer one of them). A parent the rebuilt reply tree was unsure of is not such a guess: hiding
those relations (below 30% of the tree's probability) cost more rebuttals than it saved wrong ones
(sample rebuts F1 0.544 without the rule, 0.523 with it; precision 0.69 / 0.70; bench/README.md).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from argmap.ingest.extract.claims import Sentence
from argmap.ingest.extract.nli import MODEL as NLI_MODEL
from argmap.ingest.extract.nli import REBUTS_AT
from argmap.ingest.extract.similarity import Idf, Vector, cosine, shared_words, vector, words
from argmap.ingest.extract.stance import Cue, has_negation, normalise, stance
from argmap.ingest.extract.weak_stance import MAX_CONFIDENCE, OPENING, UNCUED, gather, lean

from argmap.core.models import CANDIDATE_MAX_CONFIDENCE, Claim, Relation

MIN_STANCE = 1.0  # below this net cue weight a claim neither rebuts nor supports
INDIRECT_STANCE = 2.0  # ... when the claims answered are not the parent's (it had none)
CONTEXT_WEIGHT = 0.6  # how much the rest of the reply's stance carries over to each claim
QUOTE_BONUS = 0.25  # a quoted claim is the likeliest target
MIN_OVERLAP = 0.12  # below this a claim shares no real words with any target
NEGATION_OVERLAP = 0.2  # how close a claim must be to its target for a denial to count
CUED_FLOOR = MAX_CONFIDENCE + 0.01  # a cue-based relation is always surer than an un-cued one
# Why an un-cued relation whose words lean one way is still only a candidate: its target is a guess.
INDIRECT_TARGET = "its parent has no claims: the target is further up"
UNMATCHED_ARTICLE = "no words in common with any of the article's claims: the lead claim is a guess"
_YOU = frozenset({"you", "your", "you're", "yours", "yourself"})
CANDIDATE_CONFIDENCE = round(CANDIDATE_MAX_CONFIDENCE - 0.05, 2)  # a hidden guess (0.1)


@dataclass
class Target:
    """A claim a reply may answer."""

    claim_id: str
    post_id: str
    quote: str
    start: int  # where the quote is in its post
    end: int
    vector: Vector


@dataclass
class Reply:
    """What relating needs to know about the reply as a whole."""

    own: list[Sentence]  # its sentences in its own words (no quotations)
    shares: dict[int, float]  # id(sentence) -> its part of the overall stance
    stance: float
    fit: list[float]  # per target: how well it fits the whole reply
    language: str | None = None  # the thread's: how its words are read (``similarity``)

    @property
    def opener(self) -> Sentence | None:
        return self.own[0] if self.own else None


@dataclass
class _Candidate:
    source: Claim
    sentence: Sentence
    target: Target
    similarity: float
    quoted: bool
    fallback: bool  # no real overlap: the target is the answered post's lead claim
    stance: float
    cue: Cue | None
    cue_where: str
    negates: bool

    @property
    def strength(self) -> float:
        return abs(self.stance) + self.similarity + (QUOTE_BONUS if self.quoted else 0.0)


def relate(
    claims: Sequence[tuple[Claim, Sentence]],
    own: list[Sentence],
    targets: list[Target],
    quoted: set[str],
    direct: bool,
    idf: Idf,
    max_relations: int,
    prompt_version: str | None,
    mine: Collection[str] = (),
    article_id: str | None = None,
    judge: Callable[[], float] | None = None,
    language: str | None = None,
) -> list[Relation]:
    """Relations from a reply's ``claims`` to ``targets`` (at most ``max_relations``).

    ``own`` are the reply's sentences in its own words, ``quoted`` the ids of targets it quotes,
    ``direct`` whether the targets are its parent's claims (not a further ancestor's), ``mine``
    the ids of targets its own author wrote, ``article_id`` the thread's article, ``judge`` an
    optional stance model's P(contradiction) for the reply and what it answers (asked only for a
    guess the words do not type: ``nli``), ``language`` the thread's (how a denial is worded). With claims and targets there is at
    least one.
    """
    if not claims or not targets:
        return []
    opener = own[0] if own else None
    # The overall stance: all cues of the opening sentence, half of the explicit cues elsewhere
    # (a weak cue deep in a long comment says little about what it answers).
    shares = {id(s): _share(s, s is opener) for s in own}
    # How well each target fits the reply as a whole: a claim like "I agree with you" has no
    # words of its own to match, so the rest of the reply picks its target.
    whole = vector(" ".join(s.text for s in own), idf)
    fits = [cosine(whole, t.vector) for t in targets]
    reply = Reply(own, shares, sum(shares.values()), fits, idf.language)
    candidates = [_candidate(c, s, targets, quoted, reply, direct, language) for c, s in claims]
    primary = next((c for c in candidates if c.sentence is opener), None) or max(
        candidates, key=lambda c: (c.similarity, -c.sentence.start)
    )
    threshold = MIN_STANCE if direct else INDIRECT_STANCE
    chosen = []
    for c in candidates:
        if c.fallback and not direct:
            continue  # a grandparent's lead claim is too far a guess
        if c is primary:
            keep = abs(c.stance) >= threshold
        else:
            own_weight = abs(stance(c.sentence.cues))
            explicit = own_weight >= 2.5 or (own_weight >= 2.0 and c.similarity >= 0.05)
            keep = explicit or (abs(c.stance) >= threshold and c.similarity >= 0.15)
        if keep:
            chosen.append(c)
    if not chosen:
        doubt = None
        if not direct:
            doubt = INDIRECT_TARGET
        elif primary.fallback and primary.target.post_id == article_id and not _to_author(own):
            doubt = UNMATCHED_ARTICLE
        weak = (
            _uncued(primary, reply, mine, prompt_version, doubt, judge)
            if max_relations > 0
            else None
        )
        return [weak] if weak is not None else []
    chosen.sort(key=lambda c: (c is not primary, -c.strength, c.sentence.start))
    return [_relation(c, prompt_version, idf.language) for c in chosen[:max_relations]]


def _candidate(
    claim: Claim,
    s: Sentence,
    targets: list[Target],
    quoted: set[str],
    reply: Reply,
    direct: bool,
    language: str | None = None,
) -> _Candidate:
    """The best target for one claim of a reply, and the claim's stance towards it."""

    def score(i: int) -> tuple[float, int]:
        bonus = QUOTE_BONUS if targets[i].claim_id in quoted else 0.0
        return cosine(s.vector, targets[i].vector) + 0.5 * reply.fit[i] + bonus, -i

    best = max(range(len(targets)), key=score)
    fallback = score(best)[0] < MIN_OVERLAP
    target = targets[0 if fallback else best]  # the answered post's claims come first
    similarity = cosine(s.vector, target.vector)
    own = stance(s.cues)
    context = reply.stance - reply.shares.get(id(s), 0.0)
    # The reply denies what the target asserts, in the target's own words.
    negates = (
        direct
        and similarity >= NEGATION_OVERLAP
        and has_negation(s.text, language)
        and not has_negation(target.quote, language)
    )
    net = own + CONTEXT_WEIGHT * context - (1.0 if negates else 0.0)
    cue, where = _explaining_cue(net, s.cues), ("reply opens with" if s is reply.opener else "says")
    if s is not reply.opener and (cue is None or abs(CONTEXT_WEIGHT * context) > abs(own)):
        for other in reply.own:
            if other is s:
                continue
            found = _explaining_cue(net, other.cues if other is reply.opener else _explicit(other))
            if found is not None:
                cue, where = found, ("reply opens with" if other is reply.opener else "reply says")
                break
    return _Candidate(
        claim, s, target, similarity, target.claim_id in quoted, fallback, net, cue, where, negates
    )


def _relation(c: _Candidate, prompt_version: str | None, language: str | None) -> Relation:
    cue_part = min(abs(c.stance), 4.0) / 4.0
    confidence = 0.2 + 0.45 * cue_part + 0.25 * min(1.0, c.similarity / 0.4)
    confidence += 0.1 if c.quoted else 0.0
    return Relation(
        source=c.source.id,
        target=c.target.claim_id,
        type="rebuts" if c.stance < 0 else "supports",
        confidence=round(max(CUED_FLOOR, min(confidence, 0.95)), 2),
        rationale=_rationale(c, language),
        extractor="offline",
        prompt_version=prompt_version,
    )


def _uncued(
    c: _Candidate,
    reply: Reply,
    mine: Collection[str],
    prompt_version: str | None,
    doubt: str | None = None,
    judge: Callable[[], float] | None = None,
) -> Relation | None:
    """The lead claim's relation to its target when no cue decides: typed from weak evidence;
    a hidden ``candidate`` when the text holds none (only the objection prior would make it a
    rebuttal; ``judge``, a stance model, then types it instead of the prior), or when ``doubt``
    says why the target is a guess and the reply does not quote it."""
    opening = [s.text for s in reply.own[:OPENING]]
    if c.sentence.text not in opening:
        opening.append(c.sentence.text)
    faint = c.stance + (1.0 if c.negates else 0.0)  # the denial is weighed again by ``gather``
    evidence = gather(
        opening,
        c.sentence.text,
        c.similarity,
        c.target.quote,
        c.target.vector.keys(),
        faint if c.cue is not None else 0.0,
        c.cue.phrase if c.cue is not None else None,
        c.target.claim_id in mine,
        language=reply.language,
    )
    leaning = lean(evidence)
    # Nothing in the words (only the prior's guess), or weak words towards a target that is itself
    # a guess (and the reply does not quote it): kept only as a hidden candidate.
    guess = leaning.by_prior or (doubt is not None and not c.quoted)
    rationale, kind, model = leaning.rationale, leaning.type, None
    if guess and not leaning.by_prior:
        rationale += f"; {doubt}"
    if leaning.by_prior and judge is not None:
        p = judge()
        kind = "rebuts" if p >= REBUTS_AT else "supports"
        rationale = f"{UNCUED}; {NLI_MODEL} reads the pair as contradicting at {p:.2f} → {kind}"
        model = NLI_MODEL
    return Relation(
        source=c.source.id,
        target=c.target.claim_id,
        type=kind,
        confidence=CANDIDATE_CONFIDENCE if guess else leaning.confidence,
        rationale=rationale,
        extractor="offline",
        model=model,
        prompt_version=prompt_version,
        candidate=guess,
    )


def _rationale(c: _Candidate, language: str | None) -> str:
    """One line: the cue, the denial, the quote, the shared words (read in ``language``)."""
    parts = []
    if c.cue is not None:
        parts.append(f"{c.cue_where} '{c.cue.phrase}'")
    if c.negates:
        parts.append("negates the target's wording")
    if c.quoted:
        parts.append("quotes the target")
    words = shared_words(c.sentence.text, c.sentence.vector, c.target.vector, language=language)
    if words:
        parts.append(f"overlaps on '{', '.join(words)}'")
    else:
        parts.append(
            "no shared words: answers the lead claim" if c.fallback else "answers its parent"
        )
    return "; ".join(parts)


def _to_author(own: Sequence[Sentence]) -> bool:
    """Whether a reply's opening says "you": a top-level comment that does answers the article's
    writer, so the article's lead claim is no guess as its target."""
    return any(w in _YOU for s in own[:OPENING] for w in words(normalise(s.text)))


def _explicit(s: Sentence) -> list[Cue]:
    return [c for c in s.cues if abs(c.weight) >= 1.5]


def _share(s: Sentence, is_opener: bool) -> float:
    """What one sentence contributes to its post's overall stance."""
    return stance(s.cues) if is_opener else 0.5 * stance(_explicit(s))


def _explaining_cue(net: float, cues: list[Cue]) -> Cue | None:
    """The strongest cue pointing the same way as ``net`` (the first of equals)."""
    same = [c for c in cues if (c.weight < 0) == (net < 0)]
    return max(same, key=lambda c: abs(c.weight), default=None)
