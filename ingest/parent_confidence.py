"""How likely a rebuilt parent is to be right, from the decoder's share for it.

The decoder (``ingest.thread``) chooses each parent by the whole page, and records the chosen
place's softmax share among the places its path offered. That share is not a probability: the
beam often keeps a locally weaker place because the comments after it fit better, and on the
tuning threads parents given under 10% were right 69% of the time. What users and the Review
queue see (``parent_confidence``) is the share read through ``KNOTS``: isotonic regression of
"the parent is right" on the share, fitted on 1,806 labelled comments of the tuning threads (the
sample, the dev set's tune split and four more real Reddit threads, all as flattened pages) and
read at shares 0, 0.1, ..., 1 (``bench/parent_calibration.py``, ``bench/parent_calibration.json``).
"""

from __future__ import annotations

from bisect import bisect_right

# (raw share, share of parents right at it); linear in between, never decreasing.
KNOTS: tuple[tuple[float, float], ...] = (
    (0.0, 0.5),
    (0.1, 0.61),
    (0.2, 0.61),
    (0.3, 0.61),
    (0.4, 0.733),
    (0.5, 0.74),
    (0.6, 0.757),
    (0.7, 0.866),
    (0.8, 0.945),
    (0.9, 0.976),
    (1.0, 1.0),
)


def calibrated(share: float) -> float:
    """The probability that a rebuilt parent is right, given the decoder's ``share`` (0..1)."""
    share = min(1.0, max(0.0, share))
    i = min(bisect_right([x for x, _ in KNOTS], share), len(KNOTS) - 1)
    (x0, y0), (x1, y1) = KNOTS[i - 1], KNOTS[i]
    return round(y0 + (y1 - y0) * (share - x0) / (x1 - x0), 4)
