"""The interactive page's layout: a much-rebutted claim stays readable.

The page uses the picture's layout (left to right: the focus, its answers, theirs) at fixed
positions, fills its window and opens on the focus claim at a readable zoom. Checked on the
data the page carries and, in headless Chromium, on the boxes vis-network actually draws.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argmap.graph.export_html import MIN_SCALE, page_subgraph, render_html
from argmap.graph.exports import export
from argmap.graph.html_layout import box_size
from argmap.graph.store import Store
from argmap.graph.subgraph import Selection
from argmap.graph.writes import write_extractions, write_thread
from export_data import whole_claim

from argmap.core.models import Claim, Post, Relation, Thread

REBUTTALS = 17
REPLIES = {0: 3, 4: 2, 9: 1, 16: 2}  # rebuttal index -> how many answer it (hop 2)
START = datetime(2013, 6, 24, 9, 0, tzinfo=UTC)


def write_star(store: Store) -> tuple[Claim, list[Claim], list[Claim]]:
    """A claim with REBUTTALS rebuttals (every third a support), some of them answered in turn."""
    tid = "t_star"
    posts: list[Post] = []
    claims: list[Claim] = []

    def post_claim(author: str, sentence: str, parent: str | None) -> Claim:
        i = len(posts)
        text = f"{sentence} (comment {i})"
        post = Post(
            id=f"{tid}_p{i}",
            thread_id=tid,
            kind="comment" if i else "article",
            author=author,
            posted_at=START + timedelta(hours=i),
            position=i,
            text=text,
            parent_id=parent,
        )
        posts.append(post)
        claim = whole_claim(post.id, text)
        claims.append(claim)
        return claim

    hub = post_claim(
        "Ann", "Party-building efforts have perpetuated the separation they claim to end.", None
    )
    rebuttals = [
        post_claim(
            f"Person {k}",
            ("No: " + "the record says otherwise, " * (1 + k % 4)).strip(" ,") + ".",
            posts[0].id,
        )
        for k in range(REBUTTALS)
    ]
    replies = [
        post_claim(
            f"Replier {k}.{j}",
            f"Reply {j} to rebuttal {k}: that misreads the article.",
            posts[1 + k].id,
        )
        for k, n in REPLIES.items()
        for j in range(n)
    ]
    rels = [
        Relation(
            source=c.id,
            target=hub.id,
            type="supports" if k % 3 == 2 else "rebuts",
            confidence=0.4 + 0.05 * (k % 10),
            extractor="test",
        )
        for k, c in enumerate(rebuttals)
    ]
    it = iter(replies)
    rels += [
        Relation(
            source=next(it).id,
            target=rebuttals[k].id,
            type="rebuts",
            confidence=0.8,
            extractor="test",
        )
        for k, n in REPLIES.items()
        for _ in range(n)
    ]
    thread = Thread(
        id=tid,
        title="A much-rebutted claim",
        url=None,
        source_format="wordpress-text",
        published_at=START,
        posts=posts,
        reply_tree="source",
    )
    write_thread(store, thread)
    write_extractions(store, [p.id for p in posts], claims, rels, "test")
    return hub, rebuttals, replies


def page_data(page: str) -> dict:
    match = re.search(r"var DATA = (\{.*?\});\n", page, re.S)
    assert match, "no DATA in the page"
    return json.loads(match.group(1))


def _bezier(p, q, steps: int = 24):
    """Points along the curve vis-network draws between ``p`` and ``q`` (cubicBezier,
    forceDirection horizontal, roundness 0.5: both control points at the middle x)."""
    mx = (p[0] + q[0]) / 2
    c1, c2 = (mx, p[1]), (mx, q[1])
    for k in range(steps + 1):
        t = k / steps
        u = 1 - t
        yield (
            u**3 * p[0] + 3 * u * u * t * c1[0] + 3 * u * t * t * c2[0] + t**3 * q[0],
            u**3 * p[1] + 3 * u * u * t * c1[1] + 3 * u * t * t * c2[1] + t**3 * q[1],
        )


def test_focus_page_is_laid_out_left_to_right_with_edges_in_the_gaps(store: Store) -> None:
    hub, rebuttals, replies = write_star(store)
    sg = page_subgraph(store, Selection(claim=hub.id, hops=2))
    assert len(sg.nodes) == 1 + len(rebuttals) + len(replies)  # the page has room for all
    data = page_data(render_html(sg))
    assert data["options"]["physics"]["enabled"] is False
    assert data["options"]["layout"]["hierarchical"]["enabled"] is False
    assert all(n["fixed"] and {"x", "y"} <= n.keys() for n in data["nodes"])
    assert data["focus"] == hub.id
    pos = data["layout"]["pos"]
    sizes = {n["id"]: box_size(n["label"]) for n in data["nodes"]}
    # The focus first, its answers in the next column, the replies to those in the one after.
    assert all(pos[hub.id][0] < pos[r.id][0] for r in rebuttals)
    assert len({pos[r.id][0] for r in rebuttals}) == 1
    for e in sg.edges:
        if e.source in {r.id for r in replies}:
            assert pos[e.source][0] > pos[e.target][0]
    boxes = {
        cid: (
            x - sizes[cid][0] / 2,
            y - sizes[cid][1] / 2,
            x + sizes[cid][0] / 2,
            y + sizes[cid][1] / 2,
        )
        for cid, (x, y) in pos.items()
    }
    ids = list(boxes)
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) = boxes[a], boxes[b]
            assert not (ax0 < bx1 and bx0 < ax1 and ay0 < by1 and by0 < ay1), (a, b)
    for i, e in enumerate(sg.edges):
        path = [pos[e.source], *data["layout"]["via"][str(i)], pos[e.target]]
        for cid, (x0, y0, x1, y1) in boxes.items():
            if cid in (e.source, e.target):
                continue
            for p, q in zip(path, path[1:], strict=False):
                for x, y in _bezier(p, q):
                    assert not (x0 + 1 < x < x1 - 1 and y0 + 1 < y < y1 - 1), (
                        e.source,
                        e.target,
                        cid,
                    )


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [(1100, 630), (1400, 900)])
def test_focus_page_fills_the_window_and_opens_on_the_focus(
    store: Store, tmp_path: Path, viewport
) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("headless Chromium not found at /usr/bin/chromium")
    hub, rebuttals, replies = write_star(store)
    path = export(store, "html", Selection(claim=hub.id, hops=2), tmp_path / "star.html")
    ids = [hub.id, *(c.id for c in rebuttals + replies)]
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(chromium), args=["--headless", "--no-sandbox"]
        )
        try:
            page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
            page.goto(path.as_uri())
            page.wait_for_function("window.argmapNetwork !== undefined")
            got = page.evaluate(
                """ids => { const net = window.argmapNetwork, r = document.getElementById('network');
                  const boxes = {}; ids.forEach(id => { boxes[id] = net.getBoundingBox(id); });
                  const f = boxes[ids[0]];
                  return {boxes, scale: net.getScale(),
                          width: r.clientWidth, height: r.clientHeight,
                          bottom: r.getBoundingClientRect().bottom,
                          focusTopLeft: net.canvasToDOM({x: f.left, y: f.top}),
                          focusBottomRight: net.canvasToDOM({x: f.right, y: f.bottom}),
                          fixed: ids.every(id => net.body.nodes[id].options.fixed.x && net.body.nodes[id].options.fixed.y),
                          physics: net.physics.options.enabled,
                          threshold: net.body.nodes[ids[0]].options.scaling.label.drawThreshold}; }""",
                ids,
            )
        finally:
            browser.close()
    # The map fills the window under the caption, down to its bottom edge.
    assert abs(got["bottom"] - viewport[1]) <= 2 and got["height"] >= viewport[1] * 0.5
    # Labels are drawn, and at a readable size.
    assert got["scale"] >= MIN_SCALE and 14 * got["scale"] >= got["threshold"]
    assert got["fixed"] and got["physics"] is False
    boxes = got["boxes"]
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            A, B = boxes[a], boxes[b]
            assert not (
                A["left"] < B["right"]
                and B["left"] < A["right"]
                and A["top"] < B["bottom"]
                and B["top"] < A["bottom"]
            ), (a, b)
    # The first view opens on the focus claim: all of it inside the frame.
    tl, br = got["focusTopLeft"], got["focusBottomRight"]
    assert 0 <= tl["x"] and br["x"] <= got["width"] and 0 <= tl["y"] and br["y"] <= got["height"]
