"""LLM extraction throughput against a local chat-completions server that answers in 300 ms.

Runs the ``llm`` extractor (the real openai SDK over loopback HTTP to ``tests/llm_server.py``)
over the bundled sample at several concurrency levels and prints one JSON object:

- ``sample``: the sample's reconstructed reply tree, where a reply waits for its parent, so
  deep chains limit how much runs at once;
- ``flat``: the same posts all replying to the article: the scheduler and SDK alone;
- ``prompt_tokens_per_post``: prompt tokens per request on the sample, as the server counted
  them (~4 characters a token, the same rule as ``--dry-run``; no tokenizer is available
  offline), next to the dry-run estimate; ``cached_prompt_tokens_per_post`` of them reported as
  served from the server's prefix cache (``usage.prompt_tokens_details.cached_tokens``, as
  OpenAI's automatic prompt caching: repeated prefixes from 1,024 tokens, in steps of 128), and
  ``uncached_prompt_tokens_per_post_after_first``: the full-rate tokens per request after the
  thread's first (the figure the prompt layout is designed to keep low). Measured on the first
  (lowest) concurrency, one request at a time.

    python bench/llm_throughput.py [--latency 0.3] [--concurrency 1 8 32] [--tokens-only]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from argmap.ingest.extract.llm import make_llm_extractor  # noqa: E402
from argmap.ingest.extract.llm_estimate import estimate_thread  # noqa: E402
from argmap.ingest.sources import load_threads  # noqa: E402
from llm_server import ChatServer  # noqa: E402

from argmap.core.config import LLMConfig  # noqa: E402
from argmap.core.models import Thread  # noqa: E402
from argmap.core.resources import sample_thread  # noqa: E402


def run(thread: Thread, concurrency: int, latency: float) -> dict:
    """Extract ``thread`` once against a fresh server; requests/s and what the server saw."""
    with ChatServer(latency=latency) as server:
        ext = make_llm_extractor(
            LLMConfig(base_url=server.base_url, max_retries=0, concurrency=concurrency)
        )
        started = time.perf_counter()
        results = list(ext.extract(thread, {}))
        seconds = time.perf_counter() - started
        errors = sum(r.error is not None for r in results)
        answered = len(server.answered())
        ok = server.answered()
        later = sorted(ok, key=lambda r: r.seq_in)[1:]
        return {
            "tokens": {
                "prompt_tokens_per_post": round(sum(r.usage[0] for r in ok) / len(ok), 1),
                "cached_prompt_tokens_per_post": round(
                    sum(r.cached_tokens for r in ok) / len(ok), 1
                ),
                "uncached_prompt_tokens_per_post_after_first": round(
                    sum(r.usage[0] - r.cached_tokens for r in later) / max(len(later), 1), 1
                ),
                "completion_tokens_per_post": round(sum(r.usage[1] for r in ok) / len(ok), 1),
            },
            "concurrency": concurrency,
            "requests": answered,
            "seconds": round(seconds, 3),
            "requests_per_s": round(answered / seconds, 2),
            "max_in_flight": server.max_in_flight,
            "errors": errors,
            "prompt_tokens": sum(r.prompt_tokens for r in results),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.3)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--tokens-only", action="store_true", help="one run, no throughput")
    args = parser.parse_args()
    if args.tokens_only:
        args.concurrency = args.concurrency[:1]

    (sample,) = load_threads(sample_thread())
    article = sample.article.id
    flat = sample.model_copy(
        update={
            "posts": [
                p.model_copy(update={"parent_id": None if p.id == article else article})
                for p in sample.posts
            ]
        }
    )
    tree_runs = [run(sample, n, args.latency) for n in args.concurrency]
    flat_runs = [] if args.tokens_only else [run(flat, n, args.latency) for n in args.concurrency]
    measured = tree_runs[0]
    tokens = measured.pop("tokens")
    for other in tree_runs[1:] + flat_runs:
        other.pop("tokens")
    estimate = estimate_thread(sample, {}, "gpt-4o-mini")
    depth = {}
    parents = {p.id: p.parent_id for p in sample.posts}
    for p in sample.posts:
        d, up = 0, parents[p.id]
        while up:
            d, up = d + 1, parents[up]
        depth[p.id] = d
    print(
        json.dumps(
            {
                "benchmark": "llm_throughput",
                "server_latency_s": args.latency,
                "posts_to_extract": measured["requests"],
                "max_reply_depth": max(depth.values()),
                **tokens,
                "dry_run_prompt_tokens_per_post": round(estimate.prompt_tokens_per_post, 1),
                "dry_run_uncached_prompt_tokens_per_post_after_first": round(
                    getattr(estimate, "uncached_tokens_per_post", estimate.prompt_tokens_per_post),
                    1,
                ),
                "dry_run_cost_usd_gpt_4o_mini": round(estimate.cost_usd or 0.0, 4),
                "sample": tree_runs,
                "flat": flat_runs,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
