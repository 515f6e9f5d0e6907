"""Thread preparation: rebuild a reply tree the source lost, then mark spam.

A flattened WordPress page lists comments depth first with siblings in time order, so the comment
at position ``i`` answers a post on the *current path* (from the article down to comment
``i - 1``): answering the post at depth ``k`` closes everything below it. Time narrows the choice:
a reply is not older than its parent, nor older than the sibling it follows (the parent's latest
child, the next post down the path).

Each place is scored with cues (``ingest.reply_cues``): the comment names the author of the post
("Daniel, ...", "@Louis", "Hi Doug"), quotes it, shares its words (or those of its earlier replies),
continues an A-B-A exchange, comes soon after it. The scores of the places a path offers become
log-probabilities (a softmax), and a beam search keeps the most probable whole reconstructions, so a
choice that looks good now can lose to one that lets later comments fit. Equal paths merge. The beam
is ranked with a look-ahead: a path whose open top-level comment is younger than comments still to
come will have to break the time order for them, and is demoted by that many breaks in advance.

How often comments answer the article differs a lot between threads, so a greedy pass first
estimates this thread's share and sets its own article prior (``ingest.top_level``).

Time order is a strong cue, not a law: a place that breaks it costs ``W["out_of_order"]``, so one
odd timestamp (a comment approved years late) costs one break instead of derailing everything
after it. When no place on the path fits, the comment may also go by its cues alone to the
article or a post of someone it names, leaving the path as it was.

Each comment looks at most ``MAX_POPS`` levels up the path, plus the article: the work is linear
in the number of comments. Comments listed by time rather than by page (a CSV export) are
handled by ``_in_time_order``: any earlier post may be the parent.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from argmap.graph.thread_languages import known, language_of
from argmap.ingest.parent_confidence import calibrated
from argmap.ingest.pending import Pending
from argmap.ingest.reply_cues import ReplyCues, W, best_bonus, seconds, sibling_bonus, step_score
from argmap.ingest.spam import spam_scored
from argmap.ingest.top_level import adapt_article

from argmap.core.models import Post, Thread

BEAM_WIDTH = 8
MAX_POPS = 12
SIBLINGS_KEPT = 30  # a post's latest replies a comment is compared with (``sibling_bonus``)
RECENT_BY_AUTHOR = 50  # an out-of-order comment may answer one of its addressee's last posts
# Formats that list comments as a page shows them: depth first, siblings by time.
PAGE_ORDER_FORMATS = frozenset({"wordpress-text"})


class _Level:
    """One post on the current path; ``up`` is its parent's level, ``first`` the level-1 post,
    ``earlier`` the parent's replies before it (the latest ``SIBLINGS_KEPT``)."""

    __slots__ = ("post", "up", "depth", "key", "first", "earlier")

    post: int
    up: _Level | None
    depth: int
    key: int
    first: int | None

    def __init__(
        self, post: int, up: _Level | None, key: int, earlier: tuple[int, ...] = ()
    ) -> None:
        self.post = post
        self.up = up
        self.earlier = earlier
        self.depth = up.depth + 1 if up is not None else 0
        self.key = key
        self.first = post if self.depth == 1 else (up.first if up is not None else None)

    def then(self) -> tuple[int, ...]:
        """``earlier`` for the parent's next reply (its latest ``SIBLINGS_KEPT`` replies)."""
        return (self.earlier + (self.post,))[-SIBLINGS_KEPT:]


_Option = tuple[_Level, float, _Level | None]  # a place, seconds too late for it, its reply


def _options(top: _Level, tc: float | None, times: Sequence[float | None]) -> list[_Option]:
    """The places on the path ending at ``top`` a comment posted at ``tc`` could answer, nearest
    first (at most ``MAX_POPS``, then the article), each with how many seconds the comment is
    too old for it (0 if its time fits: not older than the parent, nor than the parent's latest
    child, the next level down the path) and that latest child (``None`` for ``top``)."""
    out: list[_Option] = []
    level: _Level | None = top
    child: _Level | None = None
    while level is not None:
        late = 0.0
        if tc is not None:
            t_parent = times[level.post] if level.depth else None
            t_sibling = times[child.post] if child is not None else None
            if t_parent is not None:
                late = max(late, t_parent - tc)
            if t_sibling is not None:
                late = max(late, t_sibling - tc)
        out.append((level, late, child))
        if len(out) >= MAX_POPS and level.depth > 1:
            # Skip to the article, whose latest child is the level-1 post (a level below the
            # article always has an ``up``).
            while level.depth > 1 and level.up is not None:
                level = level.up
        child, level = level, level.up
    return out


def _scores(cues: ReplyCues, c: int, top: _Level, options: list[_Option]) -> list[float]:
    """Each place's cue score for ``c`` (``options`` of the path ending at ``top``; no time)."""
    best = cues.best_words(c, [level.post for level, _, _ in options])
    out = []
    for level, _, child in options:
        p = level.post
        grand = level.up.post if level.up is not None else None
        v = cues.pair(c, p) + step_score(cues, c, p, grand, top.depth - level.depth)
        v += sibling_bonus(cues, c, child.earlier, child.post) if child is not None else 0.0
        out.append(v + best_bonus(best, p))
    return out


def _break_cost(late: float) -> float:
    """The cost of answering a post the comment is ``late`` seconds too old for: a few minutes
    may be a clock's fault; days or years mean the comment does not belong there."""
    if late <= 0:
        return 0.0
    return W["out_of_order"] * (1.0 + min(math.log1p(late / 3600.0) / 3.0, 2.0))


def _stranded(parent: _Level, c: int, times: Sequence[float | None], pending: Pending) -> int:
    """How many comments still to come would have to break the time order if ``c`` answers
    ``parent``. Times grow down a path and a new top-level comment is not older than the open
    one, so every later comment older than the path's level-1 post (``c`` itself, for a
    top-level ``c``) fits nowhere."""
    first = c if parent.depth == 0 else parent.first
    return pending.older_than(times[first] if first is not None else None)


def _recent_posts(cues: ReplyCues, author: str, c: int) -> list[int]:
    """The last ``RECENT_BY_AUTHOR`` posts of ``author`` before ``c`` (posts are kept in order,
    so a bisection finds them however much the author writes)."""
    posts = cues.by_author[author]
    end = bisect_left(posts, c)
    return posts[max(0, end - RECENT_BY_AUTHOR) : end]


def _out_of_order(cues: ReplyCues, c: int) -> tuple[int, float]:
    """A parent for a comment that fits nowhere on the path, with its cue score: the best-cued
    earlier post among the article and the recent posts of the people it names."""
    tc, times = cues.times[c], cues.times
    candidates = {0}
    for author in cues.addressed(c):
        candidates.update(_recent_posts(cues, author, c))
    best, best_score = 0, -math.inf
    for p in sorted(candidates):
        if p and tc is not None and times[p] is not None and times[p] > tc:  # type: ignore[operator]
            continue
        s = cues.pair(c, p)
        if s > best_score:
            best, best_score = p, s
    return best, best_score


def _in_time_order(cues: ReplyCues) -> list[int | None]:
    """Parents for comments listed by time (not depth first): any earlier post can be the parent,
    so each comment takes the best-cued one among the article, the latest comments and the
    recent posts of the people it names."""
    parents: list[int | None] = [None]
    for c in range(1, len(cues.posts)):
        candidates = {0, *range(max(1, c - RECENT_BY_AUTHOR), c)}
        for author in cues.addressed(c):
            candidates.update(_recent_posts(cues, author, c))
        best = cues.best_words(c, sorted(candidates))

        def score(p: int, c: int = c, best: int | None = best) -> float:
            pops = 0 if p == c - 1 else 1  # "answers the previous comment" still counts
            return cues.pair(c, p) + step_score(cues, c, p, parents[p], pops) + best_bonus(best, p)

        parents.append(max(sorted(candidates), key=score))
    return parents


def in_page_order(thread: Thread) -> bool:
    """Whether the comments are listed depth first (a page) rather than by time: the formats
    that print pages, or more comments out of time order than a skewed clock explains (more than
    one in 20, at least 2, must be left out for the rest to be in time order). One comment an
    hour off (a wrong zone) used to make a CSV listed by time a "page", and its rebuilt replies
    all answered the article; the dev set's five Reddit threads listed depth first leave out
    12-129 of their 32-202 comments."""
    if thread.source_format in PAGE_ORDER_FORMATS:
        return True
    known = [t for t in (seconds(p.posted_at) for p in thread.comments) if t is not None]
    return len(known) - _in_order(known) > max(1, len(known) // 20)


def _in_order(times: list[float]) -> int:
    """How many of ``times`` stay in order when the fewest are left out (the longest
    non-decreasing run, not necessarily adjacent)."""
    tails: list[float] = []
    for t in times:
        i = bisect_right(tails, t)
        tails[i : i + 1] = [t]
    return len(tails)


def reconstruct_parents(
    posts: Sequence[Post],
    spam: Sequence[bool] | None = None,
    beam_width: int = BEAM_WIDTH,
    page_order: bool = True,
    language: str | None = None,
) -> list[int | None]:
    """The parent (an index into ``posts``) of every post: ``None`` for the article at 0.

    ``posts`` are the article then the comments in page order (depth first, siblings by time),
    or by time with ``page_order=False``; ``spam`` marks spam comments (they go under the
    article and make poor parents); ``language`` is the thread's (ISO 639-1; ``None``: read as
    English), which decides what counts as a shared content word.
    """
    return reconstruct_parents_scored(posts, spam, beam_width, page_order, language)[0]


def reconstruct_parents_scored(
    posts: Sequence[Post],
    spam: Sequence[bool] | None = None,
    beam_width: int = BEAM_WIDTH,
    page_order: bool = True,
    language: str | None = None,
) -> tuple[list[int | None], list[float | None]]:
    """``reconstruct_parents`` plus, per post, how sure the choice was: the softmax share of the
    chosen parent among the places the winning path offered (``None``: not scored)."""
    if not posts:
        return [], []
    cues = ReplyCues(posts, spam if spam is not None else [False] * len(posts), language)
    if not page_order:
        return _in_time_order(cues), [None] * len(posts)
    # A greedy pass is enough to estimate the thread's share of top-level comments (within 0.02
    # of the beam's on a 10k page) at less than half the beam's time.
    adapt_article(cues, _decode(cues, 1)[0])
    return _decode(cues, beam_width)


def _decode(cues: ReplyCues, beam_width: int) -> tuple[list[int | None], list[float | None]]:
    """The beam search over a page's comments (see the module's docstring)."""
    posts = cues.posts
    times = cues.times
    pending = Pending(times)
    root = _Level(0, None, 0)
    fresh = 0  # path keys: equal paths (same parent path, same comment) merge
    # A beam entry: (score, path end, link); link is a cons list (comment, parent, previous link).
    # Entries are ranked by score plus the look-ahead penalty; the penalty is never added to the
    # score, so an out-of-order comment that really comes is paid for once.
    beam: list[tuple[float, _Level, tuple | None]] = [(0.0, root, None)]
    ooo: dict[int, tuple[int, float]] = {}
    for c in range(1, len(posts)):
        tc = times[c]
        pending.remove(tc)
        # (parent path key, comment or 0: the path stays) -> (score, rank, level, link, its reply)
        grown: dict[tuple[int, int], tuple[float, float, _Level, tuple, _Level | None]] = {}
        for score, top, link in beam:
            options = _options(top, tc, times)
            values = _scores(cues, c, top, options)
            costs = [_break_cost(late) for _, late, _ in options]
            fallback = None
            if all(cost < 0 for cost in costs):
                # Nothing on the path fits its time: the comment may also go by its cues alone.
                if c not in ooo:
                    ooo[c] = _out_of_order(cues, c)
                fallback, cue_score = ooo[c]
                values.append(cue_score)
                costs.append(W["out_of_order"])
            # Each choice scores as a log-probability among the choices this path offers; breaking
            # the time order costs on top, so a path where every choice breaks it still pays.
            top_v = max(values)
            log_z = top_v + math.log(sum(math.exp(v - top_v) for v in values))
            for i, (level, _late, child) in enumerate(options):
                s = score + values[i] - log_z + costs[i]
                old = grown.get((level.key, c))
                if old is None or s > old[0]:
                    ahead = W["out_of_order"] * _stranded(level, c, times, pending)
                    link_c = (c, level.post, link, math.exp(values[i] - log_z))
                    grown[(level.key, c)] = (s, s + ahead, level, link_c, child)
            if fallback is not None:
                s = score + values[-1] - log_z + costs[-1]
                old = grown.get((top.key, 0))
                if old is None or s > old[0]:
                    share = math.exp(values[-1] - log_z)
                    grown[(top.key, 0)] = (s, s, top, (c, fallback, link, share), None)
        ranked = sorted(grown.items(), key=lambda item: (-item[1][1], item[0]))[:beam_width]
        beam = []
        for (_, pushed), (s, _, level, link, child) in ranked:
            if pushed:
                fresh += 1
                level = _Level(c, level, fresh, child.then() if child is not None else ())
            beam.append((s, level, link))
    best_entry = max(beam, key=lambda entry: entry[0])  # ties: the first, in rank order
    parents: list[int | None] = [None] * len(posts)
    shares: list[float | None] = [None] * len(posts)
    link = best_entry[2]
    while link is not None:
        c, parent, link, share = link
        parents[c] = parent
        shares[c] = round(share, 4)
    return parents, shares


def prepare_thread(thread: Thread) -> Thread:
    """``thread`` ready to store: its reply tree rebuilt if the source lost it, spam marked.

    Each rebuilt parent carries the probability that it is right (``parent_confidence``, the
    decoder's share read through ``ingest.parent_confidence``). Spam keeps its place in the tree
    (under the article, normally). Posts the source marks as spam stay spam; the marks of an
    argmap JSON import (a thread with ``claims``) are taken as they are, without detection.
    """
    # The language is told once, here: the rebuild, the extractor and the store all read it.
    language = thread.language or language_of(thread.title, (p.text for p in thread.posts))
    flags = [p.is_spam for p in thread.posts]  # what the source says (a bot account, say) stays
    # A thread that carries its extraction is an argmap JSON import: its flags are final (a
    # moderator may have set them against these heuristics).
    margins: list[float | None] = [p.spam_margin for p in thread.posts]
    if thread.claims is None:
        scored = spam_scored(thread.posts, known(language))
        flags = [given or found for given, (found, _) in zip(flags, scored, strict=True)]
        margins = [m for _, m in scored]
    posts = [
        p.model_copy(update={"is_spam": flag, "spam_margin": margin})
        for p, flag, margin in zip(thread.posts, flags, margins, strict=True)
    ]
    reply_tree = thread.reply_tree
    if reply_tree == "missing":
        parents, shares = reconstruct_parents_scored(
            thread.posts, flags, page_order=in_page_order(thread), language=known(language)
        )
        for post, parent, share in zip(posts, parents, shares, strict=True):
            post.parent_id = posts[parent].id if parent is not None else None
            post.parent_confidence = calibrated(share) if share is not None else None
        reply_tree = "reconstructed"
    return thread.model_copy(
        update={"posts": posts, "reply_tree": reply_tree, "language": language}
    )


def parent_choices(thread: Thread) -> dict[str, list[tuple[str, float]]]:
    """For each comment of a thread whose tree was rebuilt, the posts it could answer with the
    heuristic's probability for each (the chosen one is the post's ``parent_id``).

    On a page (depth first): the places ``reconstruct_parents`` weighs, along the branch that ends
    at the previous comment, nearest first. By time: the earlier posts it weighs, likeliest first.
    Empty for a thread whose source gave the tree.
    """
    posts = thread.posts
    if thread.reply_tree != "reconstructed" or len(posts) < 2:
        return {}
    index = {p.id: i for i, p in enumerate(posts)}
    parent = [index.get(p.parent_id or "") for p in posts]
    cues = ReplyCues(posts, [p.is_spam for p in posts], known(thread.language))
    page = in_page_order(thread)
    replies: dict[int | None, list[int]] = {}  # each post's replies, in page order
    for i in range(1, len(posts)):
        replies.setdefault(parent[i], []).append(i)
    if page:  # the rebuild's article prior, as near as the tree it chose tells
        adapt_article(cues, parent)
    out: dict[str, list[tuple[str, float]]] = {}
    for c in range(1, len(posts)):
        scored: dict[int, float] = {}
        if page:
            chain = [c - 1] if c > 1 else []
            p = parent[c - 1] if c > 1 else None
            while p is not None and p != 0 and p not in chain:
                chain.append(p)
                p = parent[p]
            top = _Level(0, None, 0)
            for q in reversed(chain):
                i, before = bisect_left(replies[parent[q]], q), replies[parent[q]]
                top = _Level(q, top, 0, tuple(before[max(0, i - SIBLINGS_KEPT) : i]))
            options = _options(top, cues.times[c], cues.times)
            for (level, late, _), v in zip(options, _scores(cues, c, top, options), strict=True):
                scored[level.post] = v + _break_cost(late)
        else:
            near = {0, *range(max(1, c - RECENT_BY_AUTHOR), c)}
            best = cues.best_words(c, sorted(near))
            for p in near:
                pops = 0 if p == c - 1 else 1
                grand = parent[p] if p else None
                scored[p] = cues.pair(c, p) + step_score(cues, c, p, grand, pops)
                scored[p] += best_bonus(best, p)
        chosen = parent[c]
        if chosen is not None and chosen not in scored:  # placed by its cues alone, off the path
            scored[chosen] = cues.pair(c, chosen) + W["out_of_order"]
        top_v = max(scored.values())
        weights = {p: math.exp(v - top_v) for p, v in scored.items()}
        total = sum(weights.values())
        ranked = list(scored) if page else sorted(scored, key=lambda p: -weights[p])
        out[posts[c].id] = [(posts[p].id, weights[p] / total) for p in ranked]
    return out
