"""How a text names people: each name word, full name, initials and nickname checked once.

With thousands of commenters, hundreds can share a first name; checking every such author
against every comment that says the name makes the work grow with the square of the thread.
``Addressing`` caches, for one text, how it says each part of a name, and an author's strength is
the best of its parts; ``NameWords`` finds authors from the words of a text instead of the other
way round.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable

from argmap.ingest.text_cues import (
    EARLY,
    MENTION,
    OPEN,
    NameIndex,
    NameVariants,
    TextView,
    _is_opening,
    _near,
    capitalised,
)


class Addressing:
    """How one text names people, each name word, full name, initials and nickname checked once.

    An author's strength is the best of its parts (its name words, its full name, its initials,
    its nicknames), so authors sharing a first name share the work: with thousands of commenters
    hundreds of them can be called "John".
    """

    __slots__ = ("view", "_word", "_full", "_initials", "_fuzzy", "_vocatives")

    def __init__(self, view: TextView) -> None:
        self.view = view
        self._word: dict[str, int] = {}
        self._full: dict[tuple[str, ...], int] = {}
        self._initials: dict[str, int] = {}
        self._fuzzy: dict[str, int] = {}
        self._vocatives: list[int] | None = None

    def vocatives(self) -> list[int]:
        if self._vocatives is None:
            self._vocatives = self.view.vocatives()
        return self._vocatives

    def hit(self, i: int, covered: int) -> int:
        """How the name covering ``covered`` tokens from token ``i`` is said."""
        view = self.view
        if _is_opening(view, i, view.ends[i + covered - 1]):
            return OPEN
        return EARLY if view.starts[i] < view.first_sentence_end else MENTION

    def _best(self, hits: Iterable[tuple[int, int]]) -> int:
        best = 0
        for i, covered in hits:
            best = max(best, self.hit(i, covered))
            if best == OPEN:
                break
        return best

    def word(self, w: str) -> int:
        """How the text names someone by the name word ``w`` alone."""
        got = self._word.get(w)
        if got is None:
            got = self._word[w] = self._best((i, 1) for i in self.view.where(w))
        return got

    def full(self, full: tuple[str, ...]) -> int:
        """How the text names someone by a full name of several words."""
        got = self._full.get(full)
        if got is None:
            view, n = self.view, len(full)
            got = self._full[full] = self._best(
                (i, n) for i in view.where(full[0]) if tuple(view.lower[i : i + n]) == full
            )
        return got

    def initials(self, letters: str) -> int:
        """How the text names someone by initials ("PB" for Paul Bloggs)."""
        got = self._initials.get(letters)
        if got is None:
            got = self._initials[letters] = self._best(
                (i, 1) for i, shaped in self.view.shaped_initials if letters.startswith(shaped)
            )
        return got

    def fuzzy(self, name_word: str) -> int:
        """A nickname or typo of ``name_word`` where a name is called out ("Hi Doug")."""
        got = self._fuzzy.get(name_word)
        if got is None:
            view = self.view
            got = self._fuzzy[name_word] = self._best(
                (i, 1)
                for i in self.vocatives()
                if len(view.lower[i]) >= 3
                and capitalised(view.opening_raw[i])
                and _fuzzy_name(view.lower[i], name_word)
            )
        return got

    def strength(self, names: NameVariants, words_too: bool = True) -> int:
        """How the text refers to the author ``names`` describes (OPEN, EARLY, MENTION or 0);
        without ``words_too``, leaving out the name words said alone."""
        parts: list[int] = []
        if words_too:
            parts.extend(self.word(w) for w in names.single)
        if len(names.full) > 1:
            parts.append(self.full(names.full))
        if names.initials and self.view.shaped_initials:
            parts.append(self.initials(names.initials))
        if names.fuzzy and self.vocatives():
            parts.extend(self.fuzzy(w) for w in names.fuzzy)
        return max(parts, default=0)


class NameWords:
    """Authors by the words that can bring them up, so a text is matched word by word rather
    than author by author: by a name word said alone (``single``), by the first word of a full
    name that does not stand alone (``first_only``), by full name, initials and nickname."""

    def __init__(self, authors: Iterable[str], names: NameIndex) -> None:
        self.names = names
        self.single: dict[str, set[str]] = {}
        self.first_only: dict[str, set[str]] = {}
        self.full: dict[str, dict[tuple[str, ...], set[str]]] = {}  # by first word
        self.full_lengths: dict[str, set[int]] = {}
        self.initials: dict[str, set[str]] = {}  # by every prefix of two letters or more
        self._fuzzy: dict[str, set[str]] = {}  # by name word
        for author in authors:
            v = names.variants(author)
            for w in v.single:
                self.single.setdefault(w, set()).add(author)
            for w in v.full[:1]:
                if w not in v.single:
                    self.first_only.setdefault(w, set()).add(author)
            if len(v.full) > 1:
                self.full.setdefault(v.full[0], {}).setdefault(v.full, set()).add(author)
                self.full_lengths.setdefault(v.full[0], set()).add(len(v.full))
            for k in range(2, len(v.initials) + 1):
                self.initials.setdefault(v.initials[:k], set()).add(author)
            for w in v.fuzzy:
                self._fuzzy.setdefault(w, set()).add(author)
        # Nicknames: name words by each word with one letter dropped (an edit, a swap of
        # neighbours or a letter more or less keeps one of these in common), and in order for
        # the "Doug" of "Douglas".
        self._deletions: dict[str, set[str]] = {}
        for w in self._fuzzy:
            for key in _deletions(w):
                self._deletions.setdefault(key, set()).add(w)
        self._sorted = sorted(self._fuzzy)
        self._nicknamed: dict[str, set[str]] = {}

    def nicknamed(self, low: str) -> set[str]:
        """Authors one of whose nickname words ``low`` (a called-out word) may stand for."""
        got = self._nicknamed.get(low)
        if got is None:
            words_: set[str] = set()
            for key in _deletions(low):
                words_ |= self._deletions.get(key, set())
            start = bisect_left(self._sorted, low)
            for w in self._sorted[start:]:
                if not w.startswith(low):
                    break
                words_.add(w)
            got = self._nicknamed[low] = {
                a for w in words_ if _fuzzy_name(low, w) for a in self._fuzzy[w]
            }
        return got

    def brought_up(self, author: str, scan: set[str]) -> bool:
        """Whether a word of ``scan`` brings ``author`` up (a name word, or the full name's
        first)."""
        v = self.names.variants(author)
        return any(w in scan for w in v.single) or bool(v.full and v.full[0] in scan)


def _deletions(w: str) -> set[str]:
    return {w, *(w[:i] + w[i + 1 :] for i in range(len(w)))}


def _fuzzy_name(low: str, name_word: str) -> bool:
    if len(low) >= 4 and name_word.startswith(low) and len(name_word) > len(low):
        return True  # "Doug" for "Douglas"
    return len(low) >= 5 and _near(low, name_word)
