"""The dashboard on a big thread: first load of each page and the clicks after it, via AppTest.

Builds a synthetic thread (``bench/synthetic.py``, default 100k comments) into an embedded store
(or reuses ``--data-dir`` when it already holds it), then drives the real Streamlit app with
``streamlit.testing.v1.AppTest``, as a user would: open each page with every cache empty (its
first load), then click through its filters. The store is in the state ``argmap ingest`` leaves
it in: its summary (``graph.summary``) computed for the current revision. Prints one JSON object: per page the first load and
the median / max of the interactions after it, in ms.

    python bench/dashboard.py                         # 100k comments (~1.5 min to build)
    python bench/dashboard.py --comments 10000 --data-dir /tmp/argmap-dash
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
from argmap.graph.summary import is_fresh, refresh_summary  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from bench.queries import _counts, build, synthetic_store_dir  # noqa: E402
from bench.synthetic import SyntheticSpec  # noqa: E402

APP = ROOT / "dashboard" / "app.py"
GRAPH = "bench"
TIMEOUT = 600


def _ms(fn: Callable[[], Any]) -> float:
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


def _check(at: AppTest, what: str) -> None:
    problems = [e.message for e in at.exception] + [e.value for e in at.error]
    if problems:
        raise SystemExit(f"{what}: the page failed: {problems[0]}")


def _summary(first: float, clicks: list[tuple[str, float]]) -> dict[str, Any]:
    times = [t for _, t in clicks]
    return {
        "first_load_ms": round(first),
        "interactions": len(times),
        "interaction_median_ms": round(statistics.median(times)) if times else None,
        "interaction_max_ms": round(max(times)) if times else None,
        "each_ms": {name: round(t) for name, t in clicks},
    }


def _page(page: str | None, clicks: list[tuple[str, Callable[[AppTest], Any]]]) -> dict[str, Any]:
    """Open ``page`` with empty caches (its first load), then time each click's rerun."""
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    if page is None:
        first = _ms(at.run)
    else:
        at.run()  # the default page, then switch: only the switch is this page's first load
        st.cache_data.clear()
        st.cache_resource.clear()
        at.switch_page(f"views/{page}.py")
        first = _ms(at.run)
    _check(at, f"{page or 'overview'} first load")
    timed = []
    for name, click in clicks:
        click(at)
        timed.append((name, _ms(at.run)))
        _check(at, f"{page or 'overview'}: {name}")
    return _summary(first, timed)


def _focus_choices(at: AppTest, n: int) -> list[str]:
    options = [o for o in at.sidebar.selectbox(key="g_focus").options if not o.startswith("__")]
    return options[2 : 2 + n]


def run_pages() -> dict[str, Any]:
    overview = [
        (
            "granularity day",
            lambda at: at.button_group(key="activity_granularity").set_value("day"),
        ),
        (
            "granularity year",
            lambda at: at.button_group(key="activity_granularity").set_value("year"),
        ),
        (
            "granularity month",
            lambda at: at.button_group(key="activity_granularity").set_value("month"),
        ),
        (
            "granularity day again",
            lambda at: at.button_group(key="activity_granularity").set_value("day"),
        ),
        ("rerun", lambda at: None),
        (
            "granularity month again",
            lambda at: at.button_group(key="activity_granularity").set_value("month"),
        ),
    ]
    graph = [
        ("hops 1", lambda at: at.sidebar.slider(key="g_hops").set_value(1)),
        ("hops 3", lambda at: at.sidebar.slider(key="g_hops").set_value(3)),
        ("hops 2 again", lambda at: at.sidebar.slider(key="g_hops").set_value(2)),
        ("rebuts only", lambda at: at.sidebar.button_group(key="g_types").set_value(["rebuts"])),
        (
            "both relations",
            lambda at: at.sidebar.button_group(key="g_types").set_value(["rebuts", "supports"]),
        ),
        ("confidence 0.5", lambda at: at.sidebar.slider(key="g_conf").set_value(0.5)),
        ("confidence 0", lambda at: at.sidebar.slider(key="g_conf").set_value(0.0)),
        ("cap 50", lambda at: at.sidebar.slider(key="g_max").set_value(50)),
        ("cap 150", lambda at: at.sidebar.slider(key="g_max").set_value(150)),
        ("whole graph", lambda at: at.sidebar.selectbox(key="g_focus").set_value("__whole__")),
        (
            "most rebutted again",
            lambda at: at.sidebar.selectbox(key="g_focus").set_value("most-rebutted"),
        ),
        (
            "read another claim",
            lambda at: at.selectbox(key="g_source").set_value(
                at.selectbox(key="g_source").options[-1]
            ),
        ),
    ]
    chains = [
        (
            "pick a claim",
            lambda at: at.selectbox(key="c_claim").set_value(
                at.selectbox(key="c_claim").options[1]
            ),
        ),
        ("chains it starts", lambda at: at.radio(key="c_direction").set_value("starts")),
        ("chains answering it", lambda at: at.radio(key="c_direction").set_value("answers")),
        (
            "another claim",
            lambda at: at.selectbox(key="c_claim").set_value(
                at.selectbox(key="c_claim").options[2]
            ),
        ),
        ("longest again", lambda at: at.selectbox(key="c_claim").set_value("__longest__")),
    ]
    search = [
        ("search two words", lambda at: at.text_input(key="s_query").input("vendor archiving")),
        (
            "read the last result",
            lambda at: at.selectbox(key="s_source").set_value(
                at.selectbox(key="s_source").options[-1]
            ),
        ),
        ("search one word", lambda at: at.text_input(key="s_query").input("ballot")),
        (
            "search two words again",
            lambda at: at.text_input(key="s_query").input("vendor archiving"),
        ),
    ]
    export = [
        ("picture cap 20", lambda at: at.number_input(key="x_picture_cap").set_value(20)),
        ("picture cap 40", lambda at: at.number_input(key="x_picture_cap").set_value(40)),
        ("rerun", lambda at: None),
    ]
    return {
        "overview": _page(None, overview),
        "graph": _page("graph", graph),
        "chains": _page("chains", chains),
        "search": _page("search", search),
        "export": _page("export", export),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data-dir", type=Path, help="reuse this store directory (kept running)")
    parser.add_argument("--graph", default=GRAPH, help="graph name inside the store")
    args = parser.parse_args(argv)
    spec = SyntheticSpec(comments=args.comments, seed=args.seed)
    with synthetic_store_dir(args.data_dir, args.graph) as (store, data_dir):
        build_s = build(store, spec)
        # The state a user has right after `argmap ingest`: its last step refreshes the
        # graph's summary (graph.summary); a reused store already holding it is left alone.
        summary_s = refresh_summary(store).seconds if not is_fresh(store) else None
        sizes = _counts(store)
        os.environ.update({"ARGMAP_DB": str(data_dir), "ARGMAP_GRAPH": args.graph})
        for var in ("NEO4J_URI", "OPENAI_API_KEY", "OPENAI_BASE_URL"):
            os.environ.pop(var, None)
        pages = run_pages()
    medians = [p["interaction_median_ms"] for p in pages.values() if p["interactions"]]
    print(
        json.dumps(
            {
                "store": "falkordb-embedded",
                "comments": args.comments,
                "seed": args.seed,
                **sizes,
                "build_seconds": round(build_s, 1),
                "summary_refresh_seconds": summary_s,
                "python": platform.python_version(),
                "load_average": [round(x, 2) for x in os.getloadavg()],
                "worst_first_load_ms": max(p["first_load_ms"] for p in pages.values()),
                "worst_interaction_median_ms": max(medians),
                "pages": pages,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
