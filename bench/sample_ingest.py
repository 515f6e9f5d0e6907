"""``argmap ingest`` of the bundled sample, end to end, as the README quotes it.

Ingests ``data/examples/joining-the-iso-2013.txt`` with the offline extractor into a fresh graph
of a fresh embedded store ``--repeat`` times (the server is started once, before the first
run) and prints one JSON object: the seconds of each run as ``IngestSummary.seconds`` reports
them (what ``argmap ingest`` prints), their min / median / max, and the load average, because
on a shared machine the spread is the honest figure.

    python bench/sample_ingest.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from argmap.graph.embedded import ensure_server  # noqa: E402
from argmap.graph.embedded_stop import stop_server  # noqa: E402
from argmap.graph.store import open_store  # noqa: E402
from argmap.ingest.pipeline import ingest  # noqa: E402

from argmap.core.resources import sample_thread  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    runs = []
    with tempfile.TemporaryDirectory(prefix="argmap-bench-") as tmp:
        ensure_server(tmp)
        try:
            for i in range(args.repeat):
                store = open_store(tmp, f"sample_{i}")
                try:
                    summary = ingest(sample_thread(), store, extractor="offline")
                finally:
                    store.close()
                runs.append(summary.seconds)
                last = summary
        finally:
            stop_server(tmp)
    print(
        json.dumps(
            {
                "thread": sample_thread().name,
                "posts": last.posts,
                "claims": last.claims,
                "relations": last.relations,
                "python": platform.python_version(),
                "load_average": [round(x, 2) for x in os.getloadavg()],
                "seconds": [round(s, 2) for s in runs],
                "min_s": round(min(runs), 2),
                "median_s": round(statistics.median(runs), 2),
                "max_s": round(max(runs), 2),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
