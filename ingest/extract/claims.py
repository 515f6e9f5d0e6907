"""Which sentences of a post are claims, and how a claim is worded, for the offline extractor.

A sentence is claim-like when it asserts something: long enough to carry content, mostly prose,
not a greeting or an information question, not words repeated from the post it answers. Among
claim-like sentences the ones with assertion or stance cues rank first; near-duplicates are
skipped so a post's claims say different things.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from argmap.ingest.extract.quotes import QuoteHit
from argmap.ingest.extract.similarity import Vector, cosine, stems
from argmap.ingest.extract.stance import Cue, normalise, stance

from argmap.core.scripts import is_letter, word_count

MAX_QUOTE = 400  # longer sentences are cut at a clause boundary: a quote is for reading
MAX_TEXT = 200  # a paraphrase is a label in the graph
TOO_SHORT = "too short"
MIN_SHORT_WORDS = 4  # a post with no longer claim still states its point in this many words

_URL = re.compile(r"https?://\S+|www\.\S+")
_GREETING = re.compile(
    r"^(?:hi|hello|hey|dear|thanks|thank you|cheers|regards|lol|wow|ugh|awesome|great|nice|"
    r"excellent|bravo|congrats|congratulations|welcome|bump|this)\b"
)
_RHETORICAL = re.compile(
    r"^(?:so |and |but |also |then |yet )?(?:isn't|aren't|wasn't|weren't|doesn't|don't|didn't|"
    r"won't|wouldn't|shouldn't|can't|couldn't|haven't|hasn't|why (?:would|should|does|do|is|are|"
    r"not|on earth)|how (?:can|could|is|are|does|do|else|would)|who (?:does|would|could|cares)|"
    r"what (?:kind|sort|good|makes|does|is the point)|since when|is it (?:really|not)|"
    r"are you (?:really|seriously)|is that (?:really|not))\b"
)
_ASSERTION = re.compile(
    r"\b(?:should|must|need(?:s)? to|have to|has to|ought|cannot|can't|won't|never|always|"
    r"because|therefore|thus|hence|which means|the point is|the problem|the key|the fact|"
    r"clearly|obviously|in fact|i think|i believe|i'm convinced|i am convinced|is not|isn't|"
    r"are not|aren't|doesn't|don't|did not|didn't|best|worst|only|every|no one|nobody)\b"
)
# Phrases that announce the writer's main point.
_THESIS = re.compile(
    r"\b(?:i (?:strongly |firmly |really |genuinely )?(?:believe|think|argue|contend|maintain)|"
    r"my (?:goal|point|argument|view|position|contention)|the (?:real |key |main |central |whole )?"
    r"(?:point|problem|issue|question|lesson) (?:is|here is)|in short|in other words|the bottom line|"
    r"what (?:matters|counts) is)\b"
)
_LEADING = re.compile(
    r"^(?:(?:and|but|also|actually|however|indeed|again|still|besides|plus|anyway|frankly|"
    r"honestly|basically|clearly|of course|in fact|to me|imo|imho|i mean|i think(?: that)?|"
    r"i believe(?: that)?|i guess|i feel(?: that)?|i suspect(?: that)?)\b[,:]?\s+|"
    r"(?:well|so|now|yes|yeah|no|ok|okay|fine|look|sure|true|right|exactly|agreed)[,:!.]\s+)",
    re.IGNORECASE,
)
_QUOTE_CHARS = "\"'“”‘’«»"

_COMMA = re.compile("[,،，、]")  # a comma of any script: Latin, Arabic, CJK (two kinds)
_PARENTHESES = re.compile(r"\([^()]*\)")


@dataclass
class Sentence:
    """One sentence of a post, with what the extractor learned about it."""

    start: int
    end: int
    text: str
    cues: list[Cue]
    score: float = 0.0  # claim-likeness; 0 means "not a claim"
    reason: str = ""  # why it is not a claim (for debugging)
    quoted: QuoteHit | None = None  # where it repeats (or quotes) an earlier post
    vector: Vector = field(default_factory=dict)

    @property
    def is_claim(self) -> bool:
        return self.score > 0


_QUESTION_MARKS = "?？؟"  # Latin, full-width (CJK) and Arabic


def is_question(text: str) -> bool:
    """Whether ``text`` ends with a question mark (of any script), quotes aside."""
    tail = text.rstrip(_QUOTE_CHARS + ")] 」』）")[-3:]
    return any(mark in tail for mark in _QUESTION_MARKS)


def without_links(text: str) -> str:
    """``text`` with its URLs taken out (a link is not an argument)."""
    return _URL.sub("", text) if "http" in text or "www." in text else text


def _looks_like_a_title(text: str) -> bool:
    """A heading, a book title, a list entry: no closing punctuation, mostly Capitalised Words."""
    stripped = re.sub(r"\s*\(\d{4}\)[.,;]?$", "", text.strip())  # "Some Book Title (2012)."
    stripped = stripped.rstrip(_QUOTE_CHARS + ") ")
    if stripped.endswith(
        (".", "!", "?", "…", "。", "！", "？", "।", "؟")
    ) and not stripped.endswith(".."):
        return False
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", text) if len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


def claim_score(
    text: str, cues: list[Cue], content_stems: list[str] | None = None
) -> tuple[float, str]:
    """How claim-like ``text`` is (0 if not at all) and, when 0, why not.

    ``content_stems`` are the stems of ``without_links(text)`` if the caller has them already.
    """
    prose = without_links(text)
    visible = "".join(prose.split())
    # A vowel sign is part of its letter ("हि" is two code points): it counts as a letter.
    if not visible or sum(map(is_letter, visible)) < 0.6 * len(visible):
        return 0.0, "not prose"
    words = word_count(prose)
    content = len(stems(prose) if content_stems is None else content_stems)
    if words < 5 or content < 3:
        return 0.0, TOO_SHORT
    norm = normalise(prose).lstrip(_QUOTE_CHARS + " ")
    if _GREETING.match(norm) and len(_PARENTHESES.sub("", prose).split()) < 12:
        return 0.0, "greeting"
    if _looks_like_a_title(prose):
        return 0.0, "heading or list item"
    score = 1.0 + min(content, 12) / 12
    if is_question(text):
        if _RHETORICAL.match(norm) and content >= 4:
            score -= 0.5  # a rhetorical question asserts its opposite: a weak claim
        elif abs(stance(cues)) >= 2 and content >= 4:
            score -= 0.5
        else:
            return 0.0, "question"
    score += min(0.4 * len(_ASSERTION.findall(norm)), 1.2)
    score += 0.3 * min(abs(stance(cues)), 3.0)
    score += 0.8 if _THESIS.search(norm) else 0.0
    if words > 40:
        score -= 0.3 if words <= 60 else 0.7
    return round(score, 4), ""


def promote_short_claim(sentences: Sequence[Sentence]) -> Sentence | None:
    """In a post with no claim-like sentence, its fullest sentence that was only too short
    ("All speech should be free.") becomes its claim (score 1.0), so that a terse reply, and
    the replies to it, still get a stance; ``None`` if the post has a claim or no such sentence.
    Greetings, questions and headings stay out (they were refused for that, not for length)."""
    if any(s.is_claim for s in sentences):
        return None
    short = [
        (len(content), s)
        for s in sentences
        if s.reason == TOO_SHORT
        and word_count(s.text) >= MIN_SHORT_WORDS
        and len(content := stems(without_links(s.text))) >= 2
        and not _refused_but_for_length(s.text)
    ]
    if not short:
        return None
    best = max(short, key=lambda item: (item[0], -item[1].start))[1]
    best.score, best.reason = 1.0, ""
    return best


def promote_question_claim(sentences: Sequence[Sentence]) -> Sentence | None:
    """In a reply with no claim at all, its fullest question becomes its claim (score 1.0): a
    reply that only asks ("So X is failing even though they divested?") still answers what it
    replies to, and its question is its point; ``None`` if it has a claim or no such question.
    The question needs the length and content words of a claim (``claim_score``'s floor)."""
    if any(s.is_claim for s in sentences):
        return None
    asked = [
        (len(content), s)
        for s in sentences
        if s.reason == "question"
        and word_count(s.text) >= 5
        and len(content := stems(without_links(s.text))) >= 3
    ]
    if not asked:
        return None
    best = max(asked, key=lambda item: (item[0], -item[1].start))[1]
    best.score, best.reason = 1.0, ""
    return best


def _refused_but_for_length(text: str) -> bool:
    """Whether ``claim_score`` would refuse ``text`` for more than its length (it checks that
    first): a greeting, a question, a heading."""
    norm = normalise(without_links(text)).lstrip(_QUOTE_CHARS + " ")
    return bool(_GREETING.match(norm)) or is_question(text) or _looks_like_a_title(text)


def select(sentences: Sequence[Sentence], cap: int) -> list[Sentence]:
    """Up to ``cap`` claim sentences, best first by score but no near-duplicates; document order.

    Each pick lowers the gain of the sentences that resemble it (maximal marginal relevance), so
    an article's claims cover its different points rather than one point many times.
    """
    pool = [s for s in sentences if s.is_claim]
    overlap = [0.0] * len(pool)  # each candidate's highest similarity to a chosen sentence
    chosen: list[Sentence] = []
    while len(chosen) < cap:
        open_ = [i for i in range(len(pool)) if overlap[i] <= 0.6]
        if not open_:
            break
        best = max(open_, key=lambda i: (pool[i].score - 1.5 * overlap[i], -pool[i].start))
        chosen.append(pool[best])
        overlap[best] = 2.0  # taken
        for i in open_:
            if i != best:
                overlap[i] = max(overlap[i], cosine(pool[i].vector, pool[best].vector))
    return sorted(chosen, key=lambda s: s.start)


def clip_span(text: str, start: int, end: int, limit: int = MAX_QUOTE) -> tuple[int, int]:
    """Shorten a too-long span to its first clause(s), ending at a clause boundary if one is near."""
    if end - start <= limit:
        return start, end
    window = text[start : start + limit]
    cut = max(window.rfind(sep) for sep in (", ", "; ", ": ", " - ", " – ", " — "))
    if cut < limit // 3:
        cut = window.rfind(" ")
    new_end = start + (cut if cut > 0 else limit)
    while new_end > start and text[new_end - 1] in " ,;:-–—":
        new_end -= 1
    return start, new_end


def paraphrase(quote: str, names: Collection[str] = ()) -> str:
    """A short restatement of ``quote``: no vocative, no discourse marker, at most 200 characters.

    ``names`` are the casefolded names a comment may open by addressing ("Daniel, ...").
    """
    text = " ".join(quote.split())
    if len(text) > 2 and text[0] in _QUOTE_CHARS and text.rstrip(".!?…")[-1:] in _QUOTE_CHARS:
        text = text[1:].rstrip(".!?…")[:-1] + text[len(text.rstrip(".!?…")) :]  # "“X.”" -> "X."
    comma = _COMMA.search(text)
    if comma and text[: comma.start()].casefold() in names and word_count(text[comma.end() :]) >= 4:
        text = text[comma.end() :].lstrip()  # "RedPleb, as someone who..." -> "As someone who..."
    for _ in range(3):
        stripped = _LEADING.sub("", text, count=1)
        if stripped == text or len(stripped.split()) < 4:
            break
        text = stripped
    text = text[:1].upper() + text[1:]
    if len(text) > MAX_TEXT:
        cut = text.rfind(" ", 0, MAX_TEXT - 1)
        text = text[: cut if cut > MAX_TEXT // 2 else MAX_TEXT - 1].rstrip(" ,;:-–—") + "…"
    return text
