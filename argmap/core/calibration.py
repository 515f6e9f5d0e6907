"""Calibration tables: a measured rate read off a few (score, rate) knots.

argmap turns scores that only rank (the reply-tree decoder's share, the offline extractor's
relation confidence) into how often such an item was right on labelled threads. Each map is a
short table fitted in ``bench/`` and read here the same way: linear between knots, flat beyond
the ends.
"""

from __future__ import annotations

from bisect import bisect_right

Knots = tuple[tuple[float, float], ...]  # (score, rate), by score


def interpolate(knots: Knots, score: float) -> float:
    """The rate at ``score``: linear between the two knots around it, the end knot's beyond."""
    xs = [x for x, _ in knots]
    if score <= xs[0]:
        return knots[0][1]
    if score >= xs[-1]:
        return knots[-1][1]
    i = bisect_right(xs, score)
    (x0, y0), (x1, y1) = knots[i - 1], knots[i]
    return round(y0 + (y1 - y0) * (score - x0) / (x1 - x0), 4)
