"""How clean a drawn picture is: edge crossings and edges running through boxes.

Measured on the geometry actually drawn (each edge as the polyline matplotlib strokes, each box
as its rectangle), so the bench (``bench/picture_layout.py``) and the tests judge the picture a
reader sees, not the layout's intentions. Plain segment geometry: no library offers these two
counts for polylines and rectangles, and they are a few lines.
"""

from __future__ import annotations

from itertools import combinations

Point = tuple[float, float]
Rect = tuple[float, float, float, float]  # x0, y0, x1, y1


def _orient(a: Point, b: Point, c: Point) -> float:
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])


def _cross(p: Point, q: Point, r: Point, s: Point, eps: float = 1e-6) -> bool:
    """Whether segments pq and rs cross at a point inside both (touching ends do not count)."""
    d1, d2 = _orient(p, q, r), _orient(p, q, s)
    d3, d4 = _orient(r, s, p), _orient(r, s, q)
    return (d1 > eps and d2 < -eps or d1 < -eps and d2 > eps) and (
        d3 > eps and d4 < -eps or d3 < -eps and d4 > eps
    )


def _segments(line: list[Point]) -> list[tuple[Point, Point]]:
    return list(zip(line[:-1], line[1:], strict=True))


def crossings(routes: list[list[Point]]) -> int:
    """Points where two different edges' polylines cross (each crossing counted once)."""
    segs = [_segments(r) for r in routes]
    boxes = [
        (min(x for x, _ in r), min(y for _, y in r), max(x for x, _ in r), max(y for _, y in r))
        for r in routes
    ]
    count = 0
    for i, j in combinations(range(len(routes)), 2):
        a, b = boxes[i], boxes[j]
        if a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1]:
            continue
        count += sum(_cross(p, q, r, s) for p, q in segs[i] for r, s in segs[j])
    return count


def _enters(p: Point, q: Point, rect: Rect, samples: int = 40) -> bool:
    x0, y0, x1, y1 = rect
    for k in range(samples + 1):
        x = p[0] + (q[0] - p[0]) * k / samples
        y = p[1] + (q[1] - p[1]) * k / samples
        if x0 < x < x1 and y0 < y < y1:
            return True
    return False


def box_overlaps(
    routes: list[list[Point]],
    ends: list[tuple[str, str]],
    rects: dict[str, Rect],
    margin: float = 2.0,
) -> int:
    """(edge, box) pairs where the edge runs through a box other than its own two ends' boxes
    (each box shrunk by ``margin`` points, so an edge grazing a border does not count)."""
    inner = {
        cid: (x0 + margin, y0 + margin, x1 - margin, y1 - margin)
        for cid, (x0, y0, x1, y1) in rects.items()
    }
    count = 0
    for line, (source, target) in zip(routes, ends, strict=True):
        for cid, rect in inner.items():
            if cid in (source, target):
                continue
            if any(_enters(p, q, rect) for p, q in _segments(line)):
                count += 1
    return count


def drawn_routes(arrows: list) -> list[list[Point]]:
    """Each arrow patch's shaft as the polyline matplotlib strokes (curves flattened; the
    arrowhead, a separate polygon, left out), in data coordinates. Draw the figure first."""
    out = []
    for arrow in arrows:
        path = arrow.get_path()
        shaft = path.to_polygons(closed_only=False)[0]
        out.append([(float(x), float(y)) for x, y in shaft])
    return out


def patch_rects(patches: dict) -> dict[str, Rect]:
    """Each box patch's rectangle (data coordinates)."""
    return {
        cid: (p.get_x(), p.get_y(), p.get_x() + p.get_width(), p.get_y() + p.get_height())
        for cid, p in patches.items()
    }
