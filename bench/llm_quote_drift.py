"""How grounding treats the quotes real language models return (``tests/quote_drift_cases.py``).

Each case is a three-post thread (article, parent, comment) extracted by the ``llm`` extractor:
the real openai SDK over loopback HTTP to ``tests/llm_server.py``, which answers the comment
with the case's quote. Prints one JSON object:

- ``honest``: quotes whose words are the post's, drifted (ellipsis, final period, capital,
  HTML entities, markdown escapes, NFD accents, line breaks, added quotation marks, a repeated
  sentence): ``kept_exact`` (stored as the expected source text at the expected offsets, and
  ``post.text[start:end]`` is the stored quote), ``kept_elsewhere`` (stored, at other offsets),
  ``dropped``;
- ``wrong``: paraphrases and another post's words: ``dropped``, ``kept`` (wrongly);
- ``by_kind``: the same per kind of drift; ``misses``: the cases not handled as expected;
- ``sample``: the whole sample through the same path with the server's stock model (it quotes
  each post's first sentences): claims kept, claims dropped, and the positions of the posts
  that lost one (comments that open with an earlier post's words in quotation marks).

    python bench/llm_quote_drift.py [--out bench/llm_quote_drift.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from argmap.ingest.extract.llm import make_llm_extractor  # noqa: E402
from argmap.ingest.sources import load_threads  # noqa: E402
from llm_server import ChatServer  # noqa: E402
from quote_drift_cases import Case, drift_cases  # noqa: E402
from quote_drift_server import case_thread, scripted  # noqa: E402

from argmap.core.config import LLMConfig  # noqa: E402
from argmap.core.models import Claim  # noqa: E402
from argmap.core.resources import sample_thread  # noqa: E402


def outcome(case: Case, claims: list[Claim], text: str) -> str:
    """``kept_exact``, ``kept_elsewhere`` or ``dropped`` for the case's claim among ``claims``."""
    mine = [c for c in claims if c.text == case.name]
    if not mine:
        return "dropped"
    c = mine[0]
    exact = text[c.start : c.end] == c.quote == case.expect
    if exact and case.expect_start is not None:
        exact = c.start == case.expect_start
    return "kept_exact" if exact else "kept_elsewhere"


def run() -> dict:
    """Every case through the extractor; the counts and the misses."""
    (sample,) = load_threads(sample_thread())
    cases = drift_cases(sample)
    results: list[tuple[Case, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, case in enumerate(cases):
            with ChatServer(answer=scripted({case.text: case})) as server:
                ext = make_llm_extractor(
                    LLMConfig(
                        base_url=server.base_url,
                        max_retries=0,
                        cache_path=Path(tmp) / f"cache{i}.sqlite3",
                    )
                )
                thread = case_thread(case, f"q{i}")
                got = {r.post_id: r for r in ext.extract(thread, {})}
                comment = thread.posts[2]
                result = got[comment.id]
                assert result.error is None, result.error
                results.append((case, outcome(case, result.claims, comment.text)))
    summary: dict = {
        "cases": len(cases),
        "sample_cases": sum(c.sample for c in cases),
        "honest": Counter(),
        "wrong": Counter(),
        "by_kind": {},
        "misses": [],
    }
    for case, got in results:
        if case.verdict == "honest":
            summary["honest"][got] += 1
            ok = got == "kept_exact"
        else:
            summary["wrong"]["dropped" if got == "dropped" else "kept"] += 1
            ok = got == "dropped"
        kind = summary["by_kind"].setdefault(case.kind, {"cases": 0, "as_expected": 0})
        kind["cases"] += 1
        kind["as_expected"] += int(ok)
        if not ok:
            summary["misses"].append(f"{case.kind}: {case.name} -> {got}")
    summary["honest"] = {
        k: summary["honest"][k] for k in ("kept_exact", "kept_elsewhere", "dropped")
    }
    summary["wrong"] = {k: summary["wrong"][k] for k in ("dropped", "kept")}
    return summary


def sample_run() -> dict:
    """The sample, each post's first sentences quoted (``llm_server.sample_answer``)."""
    (thread,) = load_threads(sample_thread())
    with ChatServer() as server, tempfile.TemporaryDirectory() as tmp:
        config = LLMConfig(
            base_url=server.base_url,
            max_retries=0,
            concurrency=8,
            cache_path=Path(tmp) / "cache.sqlite3",
        )
        results = list(make_llm_extractor(config).extract(thread, {}))
    position = {p.id: p.position for p in thread.posts}
    return {
        "claims": sum(len(r.claims) for r in results),
        "dropped_claims": sum(r.dropped_claims for r in results),
        "posts_with_drops": sorted(position[r.post_id] for r in results if r.dropped_claims),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="also write the JSON to this file")
    args = parser.parse_args()
    text = json.dumps({**run(), "sample": sample_run()}, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
