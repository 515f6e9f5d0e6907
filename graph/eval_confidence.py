"""Whether rebuilt parents' confidence means what it says: bands and a Brier score.

A rebuilt parent carries ``parent_confidence``, meant as the probability that it is right. Against
hand labels, the parents in each band of stated confidence should be right about as often as
they claim; the Brier score (the mean squared gap between the stated confidence and 1 for a right
parent, 0 for a wrong one; lower is better) sums that up, beside its trivial baseline: one
constant confidence for every parent, the best constant there is (the share actually right).
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel

BANDS = ((0.9, 1.0), (0.7, 0.9), (0.5, 0.7), (0.0, 0.5))


class ConfidenceBand(BaseModel):
    """The labelled rebuilt parents whose stated confidence is in ``[low, high)`` (1.0 included)."""

    low: float
    high: float
    comments: int
    mean_confidence: float
    right: float  # the share of them whose parent is the labelled one


class ParentCalibration(BaseModel):
    """How honest rebuilt parents' stated confidence was against the labels."""

    scored: int  # labelled comments whose parent was rebuilt (it carries a confidence)
    brier: float
    brier_baseline: float  # one constant confidence for all: the share right
    bands: list[ConfidenceBand]


def calibration(points: Sequence[tuple[float, bool]]) -> ParentCalibration | None:
    """Bands and Brier score for ``(stated confidence, parent right)`` pairs; ``None`` for none."""
    if not points:
        return None
    n = len(points)
    accuracy = sum(right for _, right in points) / n
    bands = []
    for low, high in BANDS:
        inside = [(c, r) for c, r in points if low <= c < high or (high == 1.0 and c == 1.0)]
        if inside:
            bands.append(
                ConfidenceBand(
                    low=low,
                    high=high,
                    comments=len(inside),
                    mean_confidence=round(sum(c for c, _ in inside) / len(inside), 4),
                    right=round(sum(r for _, r in inside) / len(inside), 4),
                )
            )
    return ParentCalibration(
        scored=n,
        brier=round(sum((c - r) ** 2 for c, r in points) / n, 4),
        brier_baseline=round(sum((accuracy - r) ** 2 for _, r in points) / n, 4),
        bands=bands,
    )
