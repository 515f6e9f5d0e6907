"""Sentences from the bundled sample, as bodies for synthetic WordPress comments: the article's
and the comments' own sentences, and new ones made of one sentence's head and another's tail."""

from __future__ import annotations

import random
import re
from functools import lru_cache
from pathlib import Path

from argmap.core.resources import sample_thread


@lru_cache(maxsize=1)
def sentence_pools(sample: Path | None = None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Sentences of the sample's article and of its (non-spam) comments, usable as bodies."""
    from argmap.ingest.extract.sentences import split_sentences
    from argmap.ingest.sources.wordpress_text import COUNT_RE, FOOTER_RE, HEADER_RE, parse

    # The parser alone (not spam marking or the reply tree, which this bench measures): the
    # sample's spam is what came after the discussion, from 2014 on.
    sample = sample or sample_thread()
    thread = parse(sample.read_text(encoding="utf-8"), str(sample))[0]

    def usable(s: str) -> bool:
        s = s.strip()
        return (
            30 <= len(s) <= 320
            and "\n" not in s
            and s[:1].isupper()
            and not (HEADER_RE.match(s) or FOOTER_RE.match(s) or COUNT_RE.match(s))
        )

    def pool(posts) -> tuple[str, ...]:
        out: dict[str, None] = {}
        for p in posts:
            for a, b in split_sentences(p.text):
                s = p.text[a:b].strip()
                if usable(s):
                    out[s] = None
        return tuple(out)

    article = pool([thread.article])
    comments = pool([p for p in thread.comments if p.posted_at.year <= 2013])
    return article, comments


_SPLIT = re.compile(r"(?:,| —| –| and| but| because| which| so| that) ")


@lru_cache(maxsize=1)
def sentence_halves() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Heads and tails of the sample's comment sentences, cut at a comma or a conjunction near
    the middle: a head joined to another sentence's tail reads like a comment and is new."""
    heads, tails = [], []
    for s in sentence_pools()[1]:
        cuts = [m.end() for m in _SPLIT.finditer(s) if 0.25 * len(s) <= m.start() <= 0.75 * len(s)]
        if cuts:
            cut = min(cuts, key=lambda c: abs(c - len(s) / 2))
            heads.append(s[:cut])
            tails.append(s[cut:])
    return tuple(heads), tuple(tails)


def comment_sentence(rng: random.Random, whole: float = 0.35) -> str:
    """A sentence from the sample's comments: as it was, or one's head with another's tail."""
    if rng.random() < whole:
        return rng.choice(sentence_pools()[1])
    heads, tails = sentence_halves()
    return rng.choice(heads) + rng.choice(tails)
