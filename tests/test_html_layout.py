"""The interactive page's layout: a much-rebutted claim stays readable.

vis-network's hierarchical layout puts every rebuttal of a claim in one row, which fits a window
only at a zoom where labels vanish. The page wraps rows instead (at most ``per_row`` claims a
row), at fixed positions, and opens at a zoom where text is drawn at a readable size. Checked on
the data the page carries and, in headless Chromium, on the boxes vis-network actually draws.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argmap.graph.export_html import MIN_SCALE, render_html
from argmap.graph.html_layout import ROW_CHOICES, box_size
from argmap.graph.store import Store
from argmap.graph.subgraph import Selection, select_subgraph
from argmap.graph.writes import write_extractions, write_thread

from argmap.core.ids import claim_id
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
        claim = Claim(
            id=claim_id(post.id, 0, len(text)),
            post_id=post.id,
            text=text,
            quote=text,
            start=0,
            end=len(text),
            extractor="test",
        )
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


def test_focus_rows_wrap_at_the_row_limit_with_fixed_positions(store: Store) -> None:
    hub, rebuttals, replies = write_star(store)
    sg = select_subgraph(store, Selection(claim=hub.id, hops=2))
    assert len(sg.nodes) == 1 + len(rebuttals) + len(replies)
    data = page_data(render_html(sg))
    assert data["options"]["physics"]["enabled"] is False
    assert data["options"]["layout"]["hierarchical"]["enabled"] is False
    assert all(n["fixed"] and {"x", "y"} <= n.keys() for n in data["nodes"])
    assert sorted(lay["per_row"] for lay in data["layouts"]) == list(ROW_CHOICES)
    sizes = {n["id"]: box_size(n["label"]) for n in data["nodes"]}
    answers = defaultdict(set)  # claim -> the claims answering it
    for e in sg.edges:
        answers[e.target].add(e.source)
    for lay in data["layouts"]:
        pos = lay["pos"]
        rows = defaultdict(list)  # a row's boxes share their top edge
        for cid, (_, y) in pos.items():
            rows[round(y - sizes[cid][1] / 2)].append(cid)
        assert max(len(r) for r in rows.values()) <= lay["per_row"]
        tops = sorted(rows)
        assert rows[tops[0]] == [hub.id]  # the focus alone on top
        # Every reply sits in a row under the claim it answers, at most a few rows down.
        for k, n in REPLIES.items():
            assert len(answers[rebuttals[k].id]) == n
            parent_row = tops.index(round(pos[rebuttals[k].id][1] - sizes[rebuttals[k].id][1] / 2))
            for reply in answers[rebuttals[k].id]:
                reply_row = tops.index(round(pos[reply][1] - sizes[reply][1] / 2))
                assert 0 < reply_row - parent_row <= 2, (k, parent_row, reply_row)
        # No two boxes overlap, and every edge's path runs clear of the boxes it does not join.
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
            path = [pos[e.source], *lay["via"][str(i)], pos[e.target]]
            for cid, (x0, y0, x1, y1) in boxes.items():
                if cid in (e.source, e.target):
                    continue
                for (px, py), (qx, qy) in zip(path, path[1:], strict=False):
                    for t in range(41):
                        x, y = px + (qx - px) * t / 40, py + (qy - py) * t / 40
                        assert not (x0 + 1 < x < x1 - 1 and y0 + 1 < y < y1 - 1), (
                            e.source,
                            e.target,
                            cid,
                        )


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [(1100, 630), (1400, 900)])
def test_focus_page_opens_readable_in_chromium(store: Store, tmp_path: Path, viewport) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("headless Chromium not found at /usr/bin/chromium")
    hub, rebuttals, replies = write_star(store)
    sg = select_subgraph(store, Selection(claim=hub.id, hops=2))
    path = tmp_path / "star.html"
    path.write_text(render_html(sg), encoding="utf-8")
    ids = [n.id for n in sg.nodes]
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
                  const top = net.canvasToDOM({x: boxes[ids[0]].left, y: boxes[ids[0]].top});
                  return {boxes, scale: net.getScale(), perRow: window.argmapLayout(),
                          width: r.clientWidth, height: r.clientHeight, focusTop: top,
                          fixed: ids.every(id => net.body.nodes[id].options.fixed.x && net.body.nodes[id].options.fixed.y),
                          physics: net.physics.options.enabled,
                          threshold: net.body.nodes[ids[0]].options.scaling.label.drawThreshold}; }""",
                ids,
            )
        finally:
            browser.close()
    # Labels are drawn, and at a readable size: not the hierarchical layout's ~0.2 zoom.
    assert got["scale"] >= MIN_SCALE and 14 * got["scale"] >= got["threshold"]
    assert got["fixed"] and got["physics"] is False
    assert 4 <= got["perRow"] <= 6 if got["width"] >= 900 else got["perRow"] >= 2
    # The boxes vis-network drew: none overlaps, no row holds more than the chosen limit.
    boxes = got["boxes"]
    rows = defaultdict(int)
    for b in boxes.values():
        rows[round(b["top"])] += 1
    assert max(rows.values()) <= got["perRow"] < len(rebuttals)
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            A, B = boxes[a], boxes[b]
            assert not (
                A["left"] < B["right"]
                and B["left"] < A["right"]
                and A["top"] < B["bottom"]
                and B["top"] < A["bottom"]
            ), (a, b)
    # The first view opens on the focus claim, at the top of the frame.
    assert ids[0] == hub.id
    assert (
        0 <= got["focusTop"]["y"] <= got["height"] / 3 and 0 <= got["focusTop"]["x"] < got["width"]
    )
