"""How likely a rebuilt parent is to be right, from the decoder's share for it.

The decoder (``ingest.thread``) chooses each parent by the whole page, and records the chosen
place's softmax share among the places its path offered. That share is not a probability: the
beam often keeps a locally weaker place because the comments after it fit better, and on the
tuning threads parents given under 10% were right 69% of the time. What users and the Review
queue see (``parent_confidence``) is the share read through ``KNOTS``: isotonic regression of
"the parent is right" on the share's tenths, fitted on 1,806 labelled comments of the tuning
threads (the sample, the dev set's tune split and four more real Reddit threads, all as flattened
pages), one knot at each tenth's middle (``bench/parent_calibration.py``,
``bench/parent_calibration.json``).
"""

from __future__ import annotations

from argmap.core.calibration import Knots, interpolate

# (raw share, share of parents right at it); linear in between, flat beyond the ends.
KNOTS: Knots = (
    (0.05, 0.621),
    (0.15, 0.621),
    (0.25, 0.621),
    (0.35, 0.621),
    (0.45, 0.737),
    (0.55, 0.737),
    (0.65, 0.833),
    (0.75, 0.909),
    (0.85, 0.976),
    (0.95, 0.976),
)


def calibrated(share: float) -> float:
    """The probability that a rebuilt parent is right, given the decoder's ``share`` (0..1)."""
    return interpolate(KNOTS, share)
