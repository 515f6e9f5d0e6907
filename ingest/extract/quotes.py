"""Where a reply repeats the words of a post it answers (quoting it, with or without marks).

A quoted sentence is not the replier's own claim, and it tells which earlier claim the reply
answers. Lookups are verbatim first (fast); the whitespace/typography-insensitive lookup of
``grounding`` is tried only for snippets that carry quotation marks, and its normalised texts are
cached, so long threads stay linear.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from argmap.ingest.extract.grounding import normalise_with_map

from argmap.core.models import Post
from argmap.core.scripts import word_count

# Quotation marks of many languages: English “…”, German „…“, French « … », Japanese and
# Chinese 「…」『…』. ``_OPENING[i]`` is closed by ``_CLOSING[i]``.
_OPENING = '"“«„「『‹'
_CLOSING = '"”»“」』›'
_STRIP = "\"'“”‘’«»„‚「」『』‹›>*_ \t\r\n\u00a0\u202f"
_MARKED = re.compile(r"[\"“«„「『][^\"“”«»„「」『』]{20,}?[\"”»“」』]")
_MARKS = set(_OPENING + _CLOSING + ">")


@dataclass(frozen=True)
class QuoteHit:
    """``post.text[start:end]`` of post ``post_id`` is repeated in the reply."""

    post_id: str
    start: int
    end: int


def marked_quotes(sentence: str) -> list[tuple[int, int]]:
    """Spans (in ``sentence``) of passages in quotation marks long enough to be quotes."""
    return [m.span() for m in _MARKED.finditer(sentence)]


def fully_quoted(sentence: str) -> bool:
    """Whether ``sentence`` is one passage in quotation marks (someone else's words)."""
    text = sentence.strip().rstrip(".,;:!?… ")
    if len(text) < 3 or text[0] not in _OPENING:
        return False
    closer = _CLOSING[_OPENING.index(text[0])]
    inner = text[1:]
    return inner.endswith(closer) and closer not in inner[:-1]


class QuoteFinder:
    """Finds snippets of a reply in the posts it answers."""

    def __init__(self, cache_size: int = 64, pinned: str | None = None) -> None:
        self._cache: OrderedDict[str, tuple[str, list[int]]] = OrderedDict()
        self._cache_size = cache_size
        self._pinned = (
            pinned  # a post kept whatever the cache size (the article: long, often quoted)
        )
        self._pinned_text: tuple[str, list[int]] | None = None

    def _normalised(self, post: Post) -> tuple[str, list[int]]:
        if post.id == self._pinned:
            if self._pinned_text is None:
                self._pinned_text = normalise_with_map(post.text)
            return self._pinned_text
        hit = self._cache.get(post.id)
        if hit is None:
            hit = normalise_with_map(post.text)
            self._cache[post.id] = hit
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(post.id)
        return hit

    def find(self, snippet: str, posts: Sequence[Post]) -> QuoteHit | None:
        """The first of ``posts`` that contains ``snippet`` (at least four words), and where."""
        core = snippet.strip(_STRIP)
        if len(core) < 20 or word_count(core) < 4:
            return None
        for post in posts:
            pos = post.text.find(core)
            if pos >= 0:
                return QuoteHit(post.id, pos, pos + len(core))
        if not _MARKS.intersection(snippet):
            return None
        probe, _ = normalise_with_map(core)
        probe = re.sub(r"^\W+|\W+$", "", probe)
        if len(probe) < 20:
            return None
        # Typography and spacing differ between a quote and its source, the words do not: a
        # post without the quote's longest word is skipped before it is (expensively) normalised.
        anchor = max(re.findall(r"[^\W\d_]+", core), key=len, default="")
        for post in posts:
            if anchor not in post.text:
                continue
            text, index = self._normalised(post)
            pos = text.find(probe)
            if pos >= 0:
                return QuoteHit(post.id, index[pos], index[pos + len(probe) - 1] + 1)
        return None
