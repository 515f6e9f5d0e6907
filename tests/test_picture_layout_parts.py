"""The layered layout holds on any shape of graph a selection can give: several conversations,
lone claims, loops of rebuttals. Two igraph faults it must not pass on to a picture: 1.0.0
crashes the process (or returns coordinates of 10^300) on a graph of several parts, and its
Sugiyama layout (0.11 too) sometimes puts two claims of one column in the same place."""

from __future__ import annotations

import random
import subprocess
import sys
import textwrap

from argmap.graph.picture_layout import Layout, layered_layout


def random_graph(seed: int) -> tuple[list[str], list[tuple[str, str]], dict]:
    """A forest of answers with lone claims and a few extra relations (some closing loops)."""
    rnd = random.Random(seed)
    n = rnd.randint(2, 60)
    ids = [f"c{i}" for i in range(n)]
    edges = [(ids[v], ids[rnd.randrange(v)]) for v in range(1, n) if rnd.random() < 0.6]
    for _ in range(rnd.randint(0, 3)):
        a, b = rnd.randrange(n), rnd.randrange(n)
        if a != b:
            edges.append((ids[a], ids[b]))
    sizes = {c: (100.0, 20.0 + 30.0 * rnd.random()) for c in ids}
    return ids, edges, sizes


def overlapping(layout: Layout) -> list[tuple[str, str]]:
    """Pairs of claims whose boxes overlap."""
    boxes = {
        c: (
            x - layout.sizes[c][0] / 2,
            y - layout.sizes[c][1] / 2,
            x + layout.sizes[c][0] / 2,
            y + layout.sizes[c][1] / 2,
        )
        for c, (x, y) in layout.centres.items()
    }
    ids = sorted(boxes)
    return [
        (a, b)
        for i, a in enumerate(ids)
        for b in ids[i + 1 :]
        if boxes[a][0] < boxes[b][2]
        and boxes[b][0] < boxes[a][2]
        and boxes[a][1] < boxes[b][3]
        and boxes[b][1] < boxes[a][3]
    ]


def test_two_hundred_shapes_lay_out_without_overlap_or_crash() -> None:
    # In a child process: a crash inside igraph's C code would otherwise end the test run.
    script = textwrap.dedent(
        """
        from test_picture_layout_parts import overlapping, random_graph
        from argmap.graph.picture_layout import layered_layout
        for seed in range(200):
            ids, edges, sizes = random_graph(seed)
            layout = layered_layout(ids, edges, sizes, 40.0, 10.0, first=ids[seed % len(ids)])
            assert set(layout.centres) == set(ids), seed
            assert layout.width < 1e6 and layout.height < 1e6, (seed, layout.width)
            assert not overlapping(layout), (seed, overlapping(layout))
            assert len(layout.routes) == len(edges) and all(layout.routes), seed
        print("laid out 200")
        """
    )
    tests_dir = str(__import__("pathlib").Path(__file__).parent)
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tests_dir, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:] or f"exit {done.returncode}"
    assert done.stdout.strip() == "laid out 200"


def test_claims_igraph_puts_in_one_place_are_drawn_apart() -> None:
    # A 60-claim shape where igraph's Sugiyama gives two claims of one column the same place.
    ids, edges, sizes = random_graph(22)
    layout = layered_layout(ids, edges, sizes, 40.0, 10.0)
    assert overlapping(layout) == []
    # Every edge still leaves its source and enters its target.
    for (s, t), route in zip(edges, layout.routes, strict=True):
        assert abs(route[0][0] - layout.centres[s][0]) == sizes[s][0] / 2
        assert abs(route[-1][0] - layout.centres[t][0]) == sizes[t][0] / 2


def test_a_claim_with_five_hundred_answers_makes_only_its_own_row_tall() -> None:
    # Its box is made tall enough to keep 500 arrowheads apart. Every slot was made that tall:
    # the 500-claim picture of it was 35,000 inches high and drawing it ran out of memory.
    answers = [f"a{i}" for i in range(500)]
    sizes = {a: (100.0, 40.0) for a in answers}
    sizes["focus"] = (100.0, 8.0 * len(answers))
    layout = layered_layout(
        ["focus", *answers], [(a, "focus") for a in answers], sizes, 40.0, 10.0, first="focus"
    )
    assert not overlapping(layout)
    assert layout.height <= len(answers) * (40.0 + 10.0) + sizes["focus"][1] + 10.0


def test_shapes_with_a_few_very_tall_claims_lay_out_without_overlap() -> None:
    for seed in range(60):
        ids, edges, sizes = random_graph(seed)
        rnd = random.Random(seed)
        for cid in rnd.sample(ids, k=max(1, len(ids) // 10)):
            sizes[cid] = (100.0, rnd.choice([120.0, 400.0, 1600.0]))
        layout = layered_layout(ids, edges, sizes, 40.0, 10.0, first=ids[seed % len(ids)])
        assert not overlapping(layout), (seed, overlapping(layout))
        # No taller than every claim stacked in one column, gaps included.
        assert layout.height <= sum(h + 10.0 for _, h in sizes.values()) * 2, seed
