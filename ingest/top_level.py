"""How often a thread's comments answer the post itself: the rebuild's article prior, per thread.

``W["article"]`` (``ingest.reply_cues``) was set on threads where about a fifth of the comments
answer the post. Threads differ a lot (12-49% on the real Reddit threads measured), and a fixed
prior pulls every rebuilt tree towards one share. So the rebuild
first estimates the thread's own share with a quick greedy pass and shifts the article prior by
its log-odds against the reference (an empirical-Bayes step), then rebuilds
(``ingest.thread.reconstruct_parents_scored``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from argmap.ingest.reply_cues import ReplyCues

# Set on the dev set's tune split and further real Reddit threads kept outside the repository, the
# sample checked (bench/README.md, issue 16's sixth session).
TOP_LEVEL_REFERENCE = 0.2  # the tune split's share of comments answering the article (0.19)
TOP_LEVEL_ADAPT = 1.0
TOP_LEVEL_PSEUDO = 50.0
TOP_LEVEL_MIN_COMMENTS = 20  # fewer say too little (a share's standard error is 0.09 at 20)


def article_bias(parents: Sequence[int | None], spam: Sequence[bool]) -> float:
    """How far this thread's article prior moves from ``W["article"]``: the log-odds of the
    share of its (non-spam) comments a rebuild put under the article, against
    ``TOP_LEVEL_REFERENCE``, the share the prior was set at. ``TOP_LEVEL_PSEUDO`` comments at
    the reference share temper a small thread's estimate; a thread under
    ``TOP_LEVEL_MIN_COMMENTS`` keeps the prior."""
    comments = [c for c in range(1, len(parents)) if not spam[c]]
    if len(comments) < TOP_LEVEL_MIN_COMMENTS:
        return 0.0
    top = sum(parents[c] == 0 for c in comments) + TOP_LEVEL_PSEUDO * TOP_LEVEL_REFERENCE
    share = top / (len(comments) + TOP_LEVEL_PSEUDO)
    ref = TOP_LEVEL_REFERENCE
    return TOP_LEVEL_ADAPT * (math.log(share / (1 - share)) - math.log(ref / (1 - ref)))


def adapt_article(cues: ReplyCues, parents: Sequence[int | None]) -> bool:
    """Shift ``cues``' article prior to the thread's (``article_bias`` of the tree ``parents``)
    if it moves by 0.1 or more (less changes no choice); whether it did."""
    bias = article_bias(parents, cues.spam)
    if abs(bias) < 0.1:
        return False
    cues.shift_article(bias)
    return True
