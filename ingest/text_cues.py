"""Text signals shared by reply-tree reconstruction and spam marking.

Pure functions and small classes over plain strings: word tokens, TF-IDF vectors and their cosine,
how a comment names a person (an opening "Daniel, ..." counts more than a passing mention), and
the passages a comment quotes. Nothing here knows about threads or models.
"""

from __future__ import annotations

import math
import re
import sys
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from functools import lru_cache

from argmap.ingest.content_words import content_stem, reads, stop_words

from argmap.core.scripts import HAN as _HAN
from argmap.core.scripts import KANA as _KANA
from argmap.core.scripts import WORD_CHARS, caseless_letter, cut_names, han_titled

# A word: letters with their marks (Devanagari vowel signs), inner apostrophes kept. Han and
# kana runs are words of their own where they meet each other or other letters, so a Japanese
# name with its honorific ("田中さん") gives the name ("田中", "さん").
_OTHER = f"(?:(?![{_HAN}{_KANA}])[{WORD_CHARS}])+"
WORD_RE = re.compile(f"[{_HAN}]+|[{_KANA}]+|{_OTHER}(?:['’]{_OTHER})*")

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can can't cannot could couldn't did didn't do does doesn't
    doing don't down during each even ever every few for from further get gets got had hadn't has
    hasn't have haven't having he he'd he'll he's her here here's hers herself him himself his how
    how's however i i'd i'll i'm i've if in into is isn't it it's its itself just let's like me
    might more most much must mustn't my myself no nor not now of off on once one only or other
    ought our ours ourselves out over own really same shan't she she'd she'll she's should
    shouldn't so some such than that that's the their theirs them themselves then there there's
    these they they'd they'll they're they've this those though through to too under until up upon
    us very was wasn't we we'd we'll we're we've well were weren't what what's when when's where
    where's whether which while who who's whom why why's will with won't would wouldn't yes yet you
    you'd you'll you're you've your yours yourself yourselves""".split()
)

# Words that come before a name when a comment turns to someone: "Hi Doug", "@Louis", "Re: Karl".
GREETINGS = frozenset(
    {"hi", "hey", "hello", "dear", "re", "yes", "no", "well", "ok", "okay", "thanks", "thank"}
)
# After a name, the comma, colon or dash of an address; "،" "，" "、" "：" "！" are other
# scripts' (Arabic, Chinese, Japanese).
_VOCATIVE_AFTER = re.compile(r"^\s*(?:['’]s\b)?\s*[,:;!\u2014\u2013\-،，、：！]")
_FIRST_SENTENCE = re.compile(r"[.!?।؟](?:\s|$)|[。！？]")


def capitalised(raw: str) -> bool:
    """Whether a token is written as a name is: with a capital, or in a script without capitals
    (Arabic, Devanagari, Han...), where every word is written as a name would be."""
    return raw[:1].isupper() or caseless_letter(raw[:1])


QUOTE_RES = (
    re.compile(r"“([^”]{4,}?)”"),
    re.compile(r'"([^"\n]{4,}?)"'),
    re.compile(r"‘((?:[^’\n]|’(?=\w))+?)’(?!\w)"),
    re.compile(r"^\s*>\s?(.{4,})$", re.MULTILINE),
    # Other languages' marks: German „…“, French and Russian «…», Japanese and Chinese 「…」.
    re.compile(r"„([^“”\n]{4,}?)[“”]"),
    re.compile(r"«\s*([^»\n]{4,}?)\s*»"),
    re.compile(r"「([^」\n]{4,}?)」"),
)


def words(text: str) -> list[str]:
    """Lower-case word tokens (apostrophes normalised, possessive "'s" dropped)."""
    out = []
    for m in WORD_RE.finditer(text):
        w = m.group().lower().replace("’", "'")
        if w.endswith("'s"):
            w = w[:-2]
        out.append(w)
    return out


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def content_terms(text: str | TextView, language: str | None = None) -> Counter[str]:
    """Counts of the words that carry meaning: no stop words, no one- or two-letter words.

    ``language`` (ISO 639-1, the thread's) picks German, French or Spanish stop words and stems
    (``ingest.content_words``); any other, or ``None``, reads the text as English."""
    tokens = text.lower if isinstance(text, TextView) else words(text)
    if reads(language):
        found = (content_stem(w, language, STOPWORDS) for w in tokens)
        return Counter(t for t in found if t is not None)
    return Counter(
        _stem(w) for w in tokens if len(w) > 2 and w not in STOPWORDS and not w.isdigit()
    )


class TermWeights:
    """Inverse document frequencies over a set of texts, and sparse unit TF-IDF vectors."""

    def __init__(self, documents: Iterable[Counter[str]]) -> None:
        df: Counter[str] = Counter()
        n = 0
        for terms in documents:
            n += 1
            df.update(terms.keys())
        self.n = max(n, 1)
        self.idf = {t: math.log((1 + self.n) / (1 + c)) + 1.0 for t, c in df.items()}
        self._unseen = math.log(1 + self.n) + 1.0

    def weight(self, term: str) -> float:
        return self.idf.get(term, self._unseen)

    def vector(self, terms: Counter[str]) -> dict[str, float]:
        return unit_tfidf(terms, self.weight)


def unit_tfidf(counts: Counter[str], weight: Callable[[str], float]) -> dict[str, float]:
    """The L2-normalised TF-IDF vector of term ``counts`` (sublinear tf; ``weight`` is the idf)."""
    vec = {t: (1.0 + math.log(c)) * weight(t) for t, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {t: v / norm for t, v in vec.items()} if norm else {}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine of two unit sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def _humps(token: str) -> list[str]:
    """ "PatrickSMcNally" -> ["Patrick", "S", "Mc", "Nally"]."""
    return re.findall(r"[A-Z][a-z]*|[a-z]+|\d+", token)


def initials(name: str) -> str:
    parts = [h for tok in re.findall(r"\w+", name) for h in (_humps(tok) or [tok])]
    return "".join(p[0] for p in parts).lower() if len(parts) >= 2 else ""


_KOREAN_NAME = re.compile("[\uac00-\ud7a3]{3}")


def name_parts(author: str) -> set[str]:
    """The words of a run-together name: "PatrickSMcNally" -> {"patrick", "nally"}; a Korean
    name written whole (family name and given name, "김민수") -> its given name ("민수"), which
    is how a reply addresses its writer ("민수 씨"); a Chinese one ("王建国") -> its family name
    with a title ("王先生", "王老师")."""
    parts = {h.lower() for tok in re.findall(r"\w+", author) for h in _humps(tok) if len(h) >= 3}
    tokens = re.findall(r"\w+", author)
    return (
        parts
        | {tok[1:] for tok in tokens if _KOREAN_NAME.fullmatch(tok)}
        | han_titled(" ".join(author.split()))
    )


def _near(a: str, b: str) -> bool:
    """Equal up to one edit or one swap of neighbours (typos like "Chegtiz" for "chegitz")."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


class NameVariants:
    """The ways a text can refer to one author: full name, distinctive name words, initials."""

    def __init__(self, author: str, usable_alone: set[str]) -> None:
        full = words(author)
        if full and full[0] in ("a", "an", "the") and len(full) > 2:
            full = full[1:]
        self.full = tuple(full)
        parts = set(full) | name_parts(author)
        self.single = {w for w in parts if w in usable_alone}
        self.initials = initials(author)
        self.fuzzy = [w for w in parts if len(w) >= 4 and (w in usable_alone or len(full) == 1)]


class NameIndex:
    """Decides which name words can stand alone as a reference to their author.

    A name word counts on its own when the thread's texts write it capitalised (so "Julia" and
    "Pham" do, while "random", "reply" or "summer", common words that happen to be in a display
    name, do not) and it is not a shouted acronym like "ISO".
    """

    def __init__(
        self, authors: Iterable[str], views: Iterable[TextView], language: str | None = None
    ) -> None:
        """``language``: the thread's (ISO 639-1); in German, French or Spanish its function
        words never stand alone ("die" of "Die Linke", written "Die" at every sentence start)."""
        self._names = {a: None for a in authors}
        function_words = stop_words(language) if reads(language) else ()
        name_words = {w for a in self._names for w in words(a)} | {
            w for a in self._names for w in name_parts(a)
        }
        seen: Counter[str] = Counter()
        capital: Counter[str] = Counter()
        shouted: Counter[str] = Counter()
        for view in views:
            for i, low in enumerate(view.lower):
                if low not in name_words:
                    continue
                raw = view.text[view.starts[i] : view.ends[i]]
                seen[low] += 1
                if capitalised(raw):
                    capital[low] += 1
                    bare = raw[:-2] if raw.endswith(("'s", "’s")) else raw
                    if len(bare) > 1 and bare.isupper():
                        shouted[low] += 1
        self.usable_alone = {
            w
            for w in name_words
            if len(w) >= 2
            and w not in STOPWORDS
            and w not in function_words
            and (seen[w] == 0 or capital[w] >= 0.6 * seen[w])
            and shouted[w] <= 0.5 * max(seen[w], 1)
        }
        self._cache: dict[str, NameVariants] = {}

    def variants(self, author: str) -> NameVariants:
        v = self._cache.get(author)
        if v is None:
            v = self._cache[author] = NameVariants(author, self.usable_alone)
        return v


OPEN, EARLY, MENTION = 3, 2, 1


class TextView:
    """What the cues need from one text, computed once and kept small: threads run to 100k
    comments, so words are interned and offsets kept in arrays."""

    __slots__ = (
        "text",
        "lower",
        "starts",
        "ends",
        "opening_raw",
        "shaped_initials",
        "opening_end",
        "first_sentence_end",
        "first_sentence_tokens",
        "quotes",
        "positions",
        "norm",
    )

    def __init__(self, text: str, han_names: Collection[str] = ()) -> None:
        """``han_names``: authors' names written in Han, which a Chinese text runs into the
        words after them ("陈静说得对"): a Han word starting with one is cut after it."""
        self.text = text
        self.opening_end = 3  # tokens in which an address counts as "opening"
        found = [m.span() for m in WORD_RE.finditer(text)]
        if han_names:
            found = cut_names(text, found, han_names)
        raws = [text[start:end] for start, end in found]
        self.lower = [_plain(raw) for raw in raws]
        self.starts = array("i", [start for start, _ in found])
        self.ends = array("i", [end for _, end in found])
        self.opening_raw = raws[: self.opening_end + 1]
        # Tokens shaped like initials ("PB", "PSMcN"): their positions and letters.
        self.shaped_initials = [
            (i, got)
            for i, raw in enumerate(raws)
            if raw[1:2].isupper() and (got := _initials_of(raw))
        ]
        starts = self.starts
        stop = _FIRST_SENTENCE.search(text)
        self.first_sentence_end = stop.end() if stop else len(text)
        self.first_sentence_tokens = bisect_left(starts, self.first_sentence_end)
        self.quotes = quoted_passages(text)
        self.positions: dict[str, list[int]] | None = None
        self.norm: str | None = None

    def __len__(self) -> int:
        return len(self.lower)

    def where(self, word: str) -> list[int]:
        """Token positions of a lower-case word (the index is built on first use; ``forget``
        drops it)."""
        if self.positions is None:
            self.positions = {}
            for i, low in enumerate(self.lower):
                self.positions.setdefault(low, []).append(i)
        return self.positions.get(word, [])

    def vocatives(self) -> list[int]:
        """Opening tokens in the place of a name called out ("Hi X", "@X", "X, ...")."""
        return [i for i in range(len(self.opening_raw)) if _is_opening(self, i, self.ends[i])]

    def forget(self) -> None:
        """Drop what ``where`` and ``normalized`` built, to save memory."""
        self.positions = self.norm = None

    def normalized(self) -> str:
        """ " word word word " for substring tests."""
        if self.norm is None:
            self.norm = " " + " ".join(self.lower) + " "
        return self.norm


@lru_cache(maxsize=500_000)
def _plain(token: str) -> str:
    """The lower-case, interned form of a token, possessive "'s" dropped."""
    low = token.lower().replace("’", "'")
    return sys.intern(low[:-2] if low.endswith("'s") else low)


def _initials_of(raw: str) -> str:
    """ "PSMcN" -> "psmn"; "" for a token that is not shaped like initials."""
    if len(raw) > 8 or not raw[:1].isupper() or not raw[1:2].isupper():
        return ""
    humps = _humps(raw)
    if len(humps) < 2 or not all(h[:1].isupper() and len(h) <= 2 for h in humps):
        return ""
    return "".join(h[0] for h in humps).lower()


def _is_opening(view: TextView, i: int, end: int) -> bool:
    """A vocative: the name starts the comment (after a greeting or "@", or followed by a comma,
    colon or dash)."""
    if i > view.opening_end:
        return False
    before = view.lower[:i]
    if any(w not in GREETINGS and w not in ("a", "an", "the") for w in before):
        return False
    if any(w in GREETINGS for w in before) or "@" in view.text[: view.starts[i]]:
        return True
    return bool(_VOCATIVE_AFTER.match(view.text[end : end + 4]))


def unquoted(text: str) -> str:
    """``text`` without the passages it quotes."""
    for pattern in QUOTE_RES:
        text = pattern.sub(" ", text)
    return text


def quoted_passages(text: str) -> list[tuple[tuple[str, ...], bool]]:
    """Passages in quotation marks (or "> " lines): their words, and whether the comment opens
    with them."""
    lead = len(text) - len(text.lstrip())
    found: list[tuple[int, tuple[str, ...]]] = []
    for pattern in QUOTE_RES:
        for m in pattern.finditer(text):
            ws = tuple(words(m.group(1)))
            if len(ws) >= 2:
                found.append((m.start(), ws))
    found.sort()
    return [(ws, start <= lead + 1) for start, ws in found]


def ngrams(tokens: list[str], n: int = 3) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def quote_overlap(
    quote: tuple[str, ...], target: TextView, target_grams: set[tuple[str, ...]]
) -> float:
    """The share of ``quote`` found in ``target`` (1.0 = verbatim)."""
    if len(quote) <= 3:
        return 1.0 if " " + " ".join(quote) + " " in target.normalized() else 0.0
    grams = ngrams(list(quote))
    return sum(g in target_grams for g in grams) / len(grams)
