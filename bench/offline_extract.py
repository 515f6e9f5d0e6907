"""The offline extractor alone (no store): how fast, and how many claims and relations it finds.

On the bundled sample thread and on a synthetic thread (``synthetic.generate``, its true claims and
relations ignored: the extractor sees only the text and the reply tree). Printed as one JSON
object, per thread:

- ``seconds``: the median of ``--repeat`` full extractions, and ``comments_per_s``;
- ``claims``, ``rebuts``, ``supports``; ``replies``, ``replies_with_claims`` and
  ``replies_with_relation`` (non-spam comments);
- ``cued`` / ``uncued``: relations typed by explicit stance cues, and those typed from weaker
  evidence (their rationale starts with ``weak_stance.UNCUED``), with their confidence range;
- ``confidence_histogram``: relations per confidence bucket of 0.1 (the bucket's lower bound).

    python bench/offline_extract.py [--repeat 5] [--synthetic 10000] [--synthetic-repeat 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(BENCH)]

from argmap.ingest.extract import PostResult  # noqa: E402
from argmap.ingest.extract.offline import OfflineExtractor  # noqa: E402
from argmap.ingest.extract.weak_stance import UNCUED  # noqa: E402
from argmap.ingest.sources import load_threads  # noqa: E402
from synthetic import SyntheticSpec, generate, to_models  # noqa: E402

from argmap.core.models import Thread  # noqa: E402
from argmap.core.resources import sample_thread  # noqa: E402

SAMPLE = sample_thread()


def measure(thread: Thread, repeat: int) -> dict[str, Any]:
    """Extract ``thread`` ``repeat`` times; the median time and the figures of the (identical) runs."""
    times: list[float] = []
    results: list[PostResult] = []
    for _ in range(repeat):
        start = time.perf_counter()
        results = list(OfflineExtractor().extract(thread, {}))
        times.append(time.perf_counter() - start)
    kinds = {p.id: p.kind for p in thread.posts}
    replies = [r for r in results if kinds[r.post_id] == "comment"]
    relations = [rel for r in results for rel in r.relations]
    uncued = [rel.confidence for rel in relations if rel.rationale.startswith(UNCUED)]
    cued = [rel.confidence for rel in relations if not rel.rationale.startswith(UNCUED)]
    seconds = statistics.median(times)
    histogram = Counter(f"{round(rel.confidence * 100) // 10 / 10:.1f}" for rel in relations)
    return {
        "comments": len(thread.posts) - 1,
        "seconds": round(seconds, 3),
        "comments_per_s": round((len(thread.posts) - 1) / seconds) if seconds else None,
        "claims": sum(len(r.claims) for r in results),
        "rebuts": sum(rel.type == "rebuts" for rel in relations),
        "supports": sum(rel.type == "supports" for rel in relations),
        "replies": len(replies),
        "replies_with_claims": sum(bool(r.claims) for r in replies),
        "replies_with_relation": sum(bool(r.relations) for r in replies),
        "cued": _summary(cued),
        "uncued": _summary(uncued),
        "confidence_histogram": dict(sorted(histogram.items())),
    }


def _summary(confidences: list[float]) -> dict[str, Any]:
    if not confidences:
        return {"n": 0}
    return {
        "n": len(confidences),
        "min": min(confidences),
        "median": statistics.median(confidences),
        "max": max(confidences),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs on the sample (median taken)")
    parser.add_argument("--synthetic", type=int, default=10000, help="synthetic comments (0: skip)")
    parser.add_argument("--synthetic-repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    [sample] = load_threads(SAMPLE)
    out: dict[str, Any] = {"sample": measure(sample, args.repeat)}
    if args.synthetic:
        thread, _, _ = to_models(generate(SyntheticSpec(comments=args.synthetic, seed=args.seed)))
        out[f"synthetic_{args.synthetic}"] = measure(thread, args.synthetic_repeat)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
