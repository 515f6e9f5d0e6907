"""How long a big picture takes to draw: the dashboard Export page's PNG at its 500-claim cap.

Ingests the bundled sample (offline extractor) into a fresh embedded store under a temp dir,
selects the whole graph as the Export page does with its "Claims in a picture" input at its
maximum (500; minimum confidence 0, the Graph page's default), with and without claims that
have no relation, and times each picture format end to end (``render_image``, the code behind
the download buttons and the preview), median of ``--repeat`` runs. Beside the seconds, which
swing with the machine's load, it gives the process's CPU seconds (less swayed by other jobs)
and counts what does not swing: how many times the text was measured
(``RendererAgg.get_text_width_height_descent``, about a millisecond each) while the picture was
laid out and drawn (no file written), and what the picture holds (claims and relations drawn,
PNG size, the claim ids its metadata lists). One JSON object.

    python bench/picture_speed.py                    # PNG, SVG, PDF, 3 runs each
    python bench/picture_speed.py --formats png --repeat 1

Not on a synthetic graph (``bench/synthetic.py``): a 300-comment one's 500-claim picture
crashed the process now and then (igraph 1.0.0's ``layout_sugiyama`` on a graph of several
parts, since laid out one part at a time: ``graph.picture_layout``); the bench measures the
sample, whose pictures users meet first.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from argmap.graph.embedded_stop import stop_server  # noqa: E402
from argmap.graph.store import Store, open_store  # noqa: E402
from argmap.graph.subgraph import Selection, Subgraph  # noqa: E402

from argmap.core.resources import sample_thread  # noqa: E402

CAP = 500  # dashboard.filters.MAX_NODES: the most the Export page's picture input allows
VARIANTS = {
    "whole_graph_500_all_claims": {"connected_only": False},
    "whole_graph_500_connected": {"connected_only": True},
}


def _measure_calls(sg: Subgraph) -> int:
    """Text measurements made while laying out and drawing ``sg`` (no file written)."""
    from argmap.graph.export_image import draw
    from matplotlib.backends.backend_agg import RendererAgg

    real = RendererAgg.get_text_width_height_descent
    calls = 0

    def counted(self: RendererAgg, *args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        return real(self, *args, **kwargs)

    RendererAgg.get_text_width_height_descent = counted  # type: ignore[method-assign]
    try:
        draw(sg)
    finally:
        RendererAgg.get_text_width_height_descent = real  # type: ignore[method-assign]
    return calls


def measure(store: Store, formats: list[str], repeat: int, **options: Any) -> dict[str, Any]:
    """Seconds per format for the whole graph at the 500-claim cap (plus ``options``)."""
    from argmap.graph.export_image import picture_subgraph, render_image
    from PIL import Image

    sel = Selection(min_confidence=0.0, max_nodes=CAP, **options)
    t = time.perf_counter()
    sg = picture_subgraph(store, sel)
    out: dict[str, Any] = {
        "claims_drawn": len(sg.nodes),
        "relations_drawn": len(sg.edges),
        "select_s": round(time.perf_counter() - t, 3),
        "text_measurements": _measure_calls(sg),
    }
    for fmt in formats:
        runs, cpu = [], []
        for _ in range(repeat):
            t, c = time.perf_counter(), time.process_time()
            data = render_image(sg, fmt)
            runs.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        out[f"{fmt}_s"] = round(statistics.median(runs), 2)
        out[f"{fmt}_cpu_s"] = round(statistics.median(cpu), 2)
        out[f"{fmt}_runs_s"] = [round(r, 2) for r in runs]
        out[f"{fmt}_bytes"] = len(data)
        if fmt == "png":
            with Image.open(io.BytesIO(data)) as img:
                out["png_px"] = list(img.size)
                out["png_claims_listed"] = len(img.text["Claims"].split())
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--formats", nargs="+", default=["png", "svg", "pdf"])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    load = [round(x, 2) for x in os.getloadavg()]
    with tempfile.TemporaryDirectory(prefix="argmap-bench-") as tmp:
        store = open_store(tmp, "bench")
        try:
            from argmap.ingest.pipeline import ingest

            ingest(sample_thread(), store, extractor="offline")
            runs = {
                name: measure(store, args.formats, args.repeat, **opts)
                for name, opts in VARIANTS.items()
            }
        finally:
            store.close()
            stop_server(Path(tmp))
    print(
        json.dumps(
            {
                "bench": "picture_speed",
                "python": platform.python_version(),
                "graph": "the bundled sample, offline extractor",
                "load_avg_at_start": load,
                "load_avg_at_end": [round(x, 2) for x in os.getloadavg()],
                **runs,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
