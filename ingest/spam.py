"""Spam marking: several weak signals per comment, summed into a score.

No single signal decides. Comment spam on a blog tends to be: off-topic (it shares almost no
words with the article and the discussion), generic praise of "this post" or "your site", written
under a commercial or odd display name ("cheap widgets online", a UI label like "Reply", a name in
another script), hard-wrapped at a fixed width by a spinning tool, a near copy of another comment,
posted long after the discussion ended, by someone nobody in the thread ever names or (where the
source gives the reply tree) answers. A genuine late comment may have one or two of these; spam
has most of them. Praise and shop words are read in the comment's own words (not in its links'
addresses, not where the thread itself argues about them). A German, French or Spanish thread's
content words and name words are read in its language (``ingest.content_words``): its function
words are neither topic nor names.

Everything is linear in the thread's size (near copies are found through shared word triples).
"""

from __future__ import annotations

import heapq
import math
import re
import zlib
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime

from argmap.ingest.addressing import Addressing, NameWords
from argmap.ingest.text_cues import (
    NameIndex,
    TermWeights,
    TextView,
    content_terms,
    unquoted,
    words,
)

from argmap.core.models import Post

THRESHOLD = 2.5
SKETCH = 16  # word-pair hashes kept per text to find near copies
NEAR_COPY = 0.4  # share of a text's word pairs found in another's that makes it a near copy
# ...and at least this many: two short questions ("is this the X in Y?") share a few by chance.
MIN_COPIED_PAIRS = 4
MIN_SPECIFIC = 1.0
# Where this share of the thread's people have a digit in their name (Reddit's "Word-Word-1234",
# forum handles), a digit is the site's norm, not a sign of a made-up name.
DIGIT_NAMES_NORMAL = 0.15
FULL_VOCABULARY = 6  # content words from which a comment's off-topic share is fully trusted
SPECIFIC = ("praise", "shop", "ui_name", "odd_name", "hard_wraps", "near_copy")

# Weights of the signals (see ``spam_signals``); positive ones point to spam.
W = {
    "off_topic": 3.0,  # share of the comment's vocabulary (IDF-weighted) the thread does not use
    "article_words": -6.0,  # cosine with the article
    "praise": 8.0,  # share of words that are generic praise or talk of "this post/site"
    "shop": 1.5,  # shop words in the name, or making up a good part of the text (up to 2)
    "ui_name": 3.0,  # the name is a comment-form label ("Reply")
    "odd_name": 1.0,  # a long name starting in lower case, digits, another script than the thread's
    "hard_wraps": 1.2,  # line breaks in mid-sentence between short lines (up to 2)
    "near_copy": 2.5,  # most of it repeats another person's comment
    "late": 1.0,  # after 90% of the discussion, growing (to 2) with the delay
    "regular": -2.5,  # the author comments more than once
    "named": -2.0,  # someone else in the thread names the author
    "answered": -2.0,  # someone else answers it (only where the source gives the reply tree)
    "short": 0.5,  # three words or fewer
    "bias": -0.5,
}

# Generic words of blog-comment spam: praise of "the post" and talk of sites, and shop words.
PRAISE_WORDS = frozenset(
    """awesome amazing fabulous fantastic wonderful excellent great nice good useful informative
    helpful valuable superb brilliant interesting impressive delighted glad happy thanks thank
    appreciate appreciated enjoyed love loved beneficial knowledge share sharing post posts
    article articles blog blogs weblog website web site sites webpage subscribe rss feed bookmark
    bookmarked visit visited visiting info information topic content""".split()
)
SHOP_WORDS = frozenset(
    """buy cheap discount sale sales price prices shop store online outlet coins coin cheats cheat
    hack software download free replica wholesale deal deals loan loans casino seo service services
    repair towing insurance pills shoes bags watches jerseys jersey""".split()
)
# Labels of a comment form's links that a flattening can leave where the author's name was.
UI_LABELS = frozenset({"reply", "log in", "login", "cancel reply", "permalink", "edit", "quote"})

_LETTERS = re.compile(r"[^\W\d_]")
# A link's address is no words of the comment: its path is full of "blog", "posts", "topics",
# "free" that would read as praise or shop talk. A Markdown link keeps its text.
_LINK = re.compile(r"\[([^\]\n]*)\]\(\s*(?:https?://|www\.)[^)\s]*\s*\)|https?://\S+|www\.\S+")
_LAID_OUT = (">", "    ", "\t", "- ", "* ", "• ")


def without_links(text: str) -> str:
    """``text`` with link addresses left out (a Markdown link becomes its text)."""
    if "http" not in text and "www." not in text:
        return text
    return _LINK.sub(lambda m: m.group(1) or "", text)


def _latin_share(text: str) -> float:
    letters = _LETTERS.findall(text)
    if not letters:
        return 1.0
    return sum(ch.isascii() or "\u00c0" <= ch <= "\u024f" for ch in letters) / len(letters)


def hard_wraps(text: str) -> int:
    """Line breaks in mid-sentence between short lines (a spinner's fixed-width output)."""
    lines = text.split("\n")
    count = 0
    for before, after in zip(lines, lines[1:], strict=False):
        if before.startswith(_LAID_OUT) or after.startswith(_LAID_OUT):
            continue  # quoted, indented or listed lines are laid out by hand
        b, a = before.rstrip(), after.lstrip()
        if 15 <= len(b) <= 100 and a[:1].islower() and not b.endswith((".", "!", "?", ":", ";")):
            count += 1
    return count


def _seconds(when: datetime | None) -> float | None:
    if when is None:
        return None
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp()


def _word_pairs(view: TextView) -> set[int]:
    # Its own words: not what it quotes, nor link addresses (two people sharing one video are
    # not copying each other; a Markdown link keeps its text).
    text = unquoted(view.text) if view.quotes else view.text
    plain = without_links(text)
    ws = words(plain) if view.quotes or plain is not text else view.lower
    return {zlib.crc32(f"{ws[k]} {ws[k + 1]}".encode()) for k in range(len(ws) - 1)}


def _near_copies(
    views: Sequence[TextView],
    authors: Sequence[str],
    linked: set[tuple[int, int]],
    times: Sequence[float | None],
) -> list[bool]:
    """Whether much of a text's own words (quotes aside), pair for pair, repeat one other
    author's earlier text: a copy, or a spinner's rewording of it. The original is not a copy
    of what came after it (by time where both have one, else by place in the thread). Texts
    ``linked`` (a reply and the post it answers, where the source gives the tree) are no copies
    of each other: a reply echoing what it answers is mocking, conceding or restating it (a
    Kialo child claim).

    Candidates come from sketches (each text's ``SKETCH`` smallest word-pair hashes), then the
    overlap is counted exactly: memory stays small and the work linear, however long the thread.
    """
    sketches: list[frozenset[int]] = []
    holders: dict[int, list[int]] = {}
    for i, v in enumerate(views):
        pairs = _word_pairs(v)
        # A few words in common say nothing: "It is a good idea" is no copy.
        sketch = frozenset(heapq.nsmallest(SKETCH, pairs)) if len(pairs) >= 6 else frozenset()
        sketches.append(sketch)
        for h in sketch:
            holders.setdefault(h, []).append(i)
    out = []
    for i, sketch in enumerate(sketches):
        shared: Counter[int] = Counter()
        for h in sketch:
            held = holders[h]
            if len(held) <= 20:  # a pair in many texts is a stock phrase, not copying
                shared.update(j for j in held if j != i and authors[j] != authors[i])
        copy = False
        if shared:
            mine = _word_pairs(views[i])
            for j, n in shared.most_common(5):
                if (i, j) in linked or (j, i) in linked or not _before(j, i, times):
                    continue
                same = len(mine & _word_pairs(views[j]))
                if n >= 2 and same >= max(NEAR_COPY * len(mine), MIN_COPIED_PAIRS):
                    copy = True
                    break
        out.append(copy)
    return out


def _before(j: int, i: int, times: Sequence[float | None]) -> bool:
    """Whether post ``j`` came before post ``i``: by time where both have one, else by place."""
    tj, ti = times[j], times[i]
    if tj is not None and ti is not None and tj != ti:
        return tj < ti
    return j < i


def _named_authors(posts: Sequence[Post], names: NameIndex, views: list[TextView]) -> set[str]:
    """Authors whom some other author's post names (display names).

    A name word found in a text names every author it names alone (a word of the text is at
    least a mention), so whole groups are taken at once; once a group is all named it is
    skipped. Only authors brought up by the start of a full name get a closer look.
    """
    index = NameWords((p.author for p in posts), names)
    named: set[str] = set()
    done: set[str] = set()  # name words whose single group is all named already
    for p, view in zip(posts, views, strict=True):
        addressing: Addressing | None = None
        was_named = p.author in named
        for w in set(view.lower):
            group = index.single.get(w)
            if group and w not in done:
                named |= group
                if p.author not in group or was_named:
                    done.add(w)
            for author in index.first_only.get(w, ()):
                if author not in named and author != p.author:
                    if addressing is None:
                        addressing = Addressing(view)
                    if addressing.strength(names.variants(author)):
                        named.add(author)
        if not was_named:
            named.discard(p.author)  # a post does not name its own author
        view.forget()
    return named


def spam_signals(posts: Sequence[Post], language: str | None = None) -> list[dict[str, float]]:
    """The spam signals of every post (the article's are empty), by weight name; ``language``
    is the thread's (ISO 639-1), which decides its content words and which name words are names."""
    if len(posts) < 2:
        return [{} for _ in posts]
    views = [TextView(p.text) for p in posts]
    terms = [content_terms(v, language) for v in views]
    weights = TermWeights(terms)
    article_vec = weights.vector(terms[0])
    keys = [" ".join(p.author.split()).casefold() for p in posts]
    # Terms of the article, or of posts by at least two different people: the thread's vocabulary.
    users: dict[str, list[str]] = {}  # up to three people who use each term
    for key, t in zip(keys[1:], terms[1:], strict=True):
        for term in t:
            seen = users.setdefault(term, [])
            if len(seen) < 3 and key not in seen:
                seen.append(key)
    per_author = Counter(keys[1:])
    names = NameIndex({p.author for p in posts}, views, language)
    named = _named_authors(posts, names, views)
    # The reply tree, where the source gives it (CSV/JSONL with parent_id, Reddit): which comment
    # answers which. On a flattened page it is rebuilt only after spam marking, so this is empty
    # there. Answers to the article are left out: a comment copying the article is still a copy.
    index = {p.id: i for i, p in enumerate(posts)}
    linked = {
        (i, index[p.parent_id])
        for i, p in enumerate(posts)
        if p.parent_id is not None and index.get(p.parent_id, 0) not in (0, i)
    }
    answered = {j for i, j in linked if keys[i] != keys[j]}
    when = [_seconds(p.posted_at) for p in posts]
    copies = _near_copies(views, keys, linked, when)
    times = sorted(t for t in when[1:] if t is not None)
    late_after = times[int(0.9 * (len(times) - 1))] if len(times) >= 10 else None
    latin_thread = _latin_share(posts[0].text + " ".join(p.text for p in posts[1:50])) > 0.9
    people = set(keys[1:])
    digits_odd = sum(any(ch.isdigit() for ch in k) for k in people) < DIGIT_NAMES_NORMAL * len(
        people
    )

    # A few comments do not make a vocabulary yet: off-topic counts fully from 40 comments on.
    settled = min(1.0, (len(posts) - 1) / 40.0)
    out: list[dict[str, float]] = [{}]
    for i in range(1, len(posts)):
        post, mine, key = posts[i], terms[i], keys[i]
        f: dict[str, float] = {"bias": 1.0}
        total = sum(weights.weight(t) for t in mine)
        # The comment's terms in the thread's vocabulary (the article's, or two other people's).
        topical = {
            t
            for t in mine
            if t in terms[0] or len(users.get(t, ())) - (key in users.get(t, ())) >= 2
        }
        if total:
            shared = sum(weights.weight(t) for t in topical)
            # A few words say little about a topic: "Slower gpt 4" shares none by chance.
            few = min(1.0, len(mine) / FULL_VOCABULARY)
            f["off_topic"] = (1.0 - shared / total) * settled * few
        else:
            f["off_topic"] = settled
        vec = weights.vector(mine)
        f["article_words"] = sum(v * article_vec.get(t, 0.0) for t, v in vec.items())
        lowered = views[i].lower
        # Praise and shop words are counted in the comment's own words, not in its links'
        # addresses; the share stays over all its words (a link is still part of the comment).
        plain = without_links(post.text)
        own = lowered if plain is post.text else words(plain)
        # One such word is a reply's "Interesting." or "amazing eyes": praise of the post is more.
        praised = sum(w in PRAISE_WORDS for w in own)
        f["praise"] = min(praised / max(len(lowered), 1), 0.5) if praised >= 2 else 0.0
        name_words = words(post.author)
        # A shop word the thread itself uses ("free" in a debate on free speech) is its topic.
        shop_words = sum(
            w in SHOP_WORDS and not topical.intersection(content_terms(w, language)) for w in own
        )
        # As with praise, one such word is a reply's "free fall" or "editing software".
        shop_share = shop_words / max(len(lowered), 1) if shop_words >= 2 else 0.0
        f["shop"] = min(
            sum(w in SHOP_WORDS for w in name_words) + 20.0 * max(shop_share - 0.05, 0.0), 2.0
        )
        f["ui_name"] = float(key in UI_LABELS)
        f["odd_name"] = float(
            (len(name_words) >= 3 and post.author[:1].islower())
            or (digits_odd and any(ch.isdigit() for ch in post.author))
            or (latin_thread and _latin_share(post.author) < 0.5)
        )
        f["hard_wraps"] = float(min(hard_wraps(post.text), 2))
        f["near_copy"] = float(copies[i])
        posted = when[i]
        if late_after is not None and posted is not None and posted > late_after:
            f["late"] = 1.0 + min(math.log1p((posted - late_after) / 86400.0) / 5.0, 1.0)
        f["regular"] = float(per_author[key] >= 2 and key not in UI_LABELS)
        f["named"] = float(post.author in named and key not in UI_LABELS)
        f["answered"] = float(i in answered and key not in UI_LABELS)
        f["short"] = float(len(lowered) <= 3)
        out.append(f)
    return out


def _is_spam(signals: dict[str, float]) -> bool:
    # Off-topic, late and unknown describe many honest comments too: spam also needs a sign of
    # its own (praise of "the post", shop words, an odd name, a spinner's line breaks, a copy).
    specific = sum(W[name] * signals.get(name, 0.0) for name in SPECIFIC)
    return specific >= MIN_SPECIFIC and sum(W[n] * v for n, v in signals.items()) > THRESHOLD


def spam_flags(posts: Sequence[Post], language: str | None = None) -> list[bool]:
    """Which posts are spam (never the article); ``language`` as for ``spam_signals``."""
    return [flag for flag, _ in spam_scored(posts, language)]


def _margin(signals: dict[str, float]) -> float:
    # Both conditions of ``_is_spam`` must hold: the nearer one to its line is the margin.
    specific = sum(W[name] * signals.get(name, 0.0) for name in SPECIFIC)
    total = sum(W[n] * v for n, v in signals.items())
    return round(min(specific - MIN_SPECIFIC, total - THRESHOLD), 4)


def spam_scored(
    posts: Sequence[Post], language: str | None = None
) -> list[tuple[bool, float | None]]:
    """Per post: spam or not, and how far from the line (negative: on the not-spam side;
    ``None`` for the article, which is never spam). The review queue asks about small margins."""
    out: list[tuple[bool, float | None]] = []
    for i, f in enumerate(spam_signals(posts, language)):
        out.append((False, None) if i == 0 else (_is_spam(f), _margin(f)))
    return out
