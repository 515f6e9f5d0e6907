"""One long one-paragraph comment through the offline ingest: seconds against its size.

A comment of N sentences in one line, under a one-line article, as JSONL, ingested offline into
a fresh embedded store; prints one JSON object with the seconds for each size and the ratio of
each to the smallest per byte, which stays near 1 while the cost grows linearly (the sentence
splitter once rescanned the line at every full stop: 528 KB took 190 s).

    python bench/long_comment.py [--sizes 2000,8000,32000]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from argmap.graph.embedded import ensure_server  # noqa: E402
from argmap.graph.embedded_stop import stop_server  # noqa: E402
from argmap.graph.store import open_store  # noqa: E402
from argmap.ingest.pipeline import ingest  # noqa: E402

SENTENCE = "The library should stay open on Sundays because families need it. "


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,8000,32000", help="sentences per comment")
    args = parser.parse_args(argv)
    runs = []
    with tempfile.TemporaryDirectory(prefix="argmap-bench-") as tmp:
        ensure_server(tmp)
        try:
            for n in (int(x) for x in args.sizes.split(",")):
                path = Path(tmp) / f"long{n}.jsonl"
                rows = [
                    {"id": "a", "author": "A", "text": "The council closes the library."},
                    {"id": "c", "author": "B", "text": SENTENCE * n, "parent_id": "a"},
                ]
                path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
                store = open_store(tmp, f"long{n}")
                started = time.perf_counter()
                ingest(path, store, extractor="offline")
                seconds = time.perf_counter() - started
                store.close()
                runs.append(
                    {"sentences": n, "bytes": path.stat().st_size, "seconds": round(seconds, 2)}
                )
        finally:
            stop_server(tmp)
    base = runs[0]["seconds"] / runs[0]["bytes"]
    for r in runs:
        r["per_byte_vs_smallest"] = round(r["seconds"] / r["bytes"] / base, 2)
    print(json.dumps({"runs": runs}, indent=1))


if __name__ == "__main__":
    main()
