"""``--max-cost`` is the budget of the whole command: every thread of every source, online and
with ``--batch``, and the dry run's comparison with it. Two threads that each stay under the limit
cannot pass it together: the run stops before the request that could, keeps what it extracted,
says what it spent and what is left, and a rerun goes on with a fresh budget.

Through the real openai SDK, over a real socket, to the scripted local server
(``llm_server.ChatServer``) and its Batch API; the real FalkorDB server.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from argmap.graph.store import Store
from argmap.graph.writes import extracted_claims
from argmap.ingest.extract.llm_budget import worst_case
from argmap.ingest.extract.llm_estimate import estimate_ingest, estimate_thread
from argmap.ingest.extract.pricing import price_for
from argmap.ingest.many import estimate_sources, ingest_sources
from argmap.ingest.sources import load_threads
from llm_server import ChatServer
from llm_threads import extractor, make_thread
from test_comment_pages import PAGES, READING_ORDER
from test_llm_cli import ingest

from argmap.core.config import LLMConfig

MODEL = "gpt-4o-mini"
SHORT = "Parties must grow to matter. Small groups fail to reach workers."
LONG = (
    "Parties must grow to matter, and soon. Small groups fail to reach the workers they need, "
    "however well they organise."
)


def two_posts(tmp_path: Path) -> tuple[Path, Path]:
    """Two sources of one post each (the longer second), as a folder of saved threads holds."""
    paths = []
    for name, text in (("a-short.csv", SHORT), ("b-long.csv", LONG)):
        path = tmp_path / name
        path.write_text(f'id,author,text,title\np1,Ann,"{text}",{name}\n')
        paths.append(path)
    return paths[0], paths[1]


def limit_for(*sources: Path, batch: bool = False) -> float:
    """The worst case of the dearest source's one request, rounded up: each source alone fits
    under it, but not the second after the first's answer has cost anything at all."""
    worst = max(
        worst_case(price_for(MODEL), estimate_ingest(s).max_prompt_tokens, batch=batch)
        for s in sources
    )
    return math.ceil(worst * 1e8) / 1e8


def test_two_threads_each_under_the_limit_cannot_pass_it_together(
    server: ChatServer, tmp_path: Path
) -> None:
    short, long = make_thread([("Ann", None, SHORT)], "ta"), make_thread([("Bo", None, LONG)], "tb")
    price = price_for(MODEL)
    limit = max(
        worst_case(price, estimate_thread(t, {}, MODEL).max_prompt_tokens) for t in (short, long)
    )
    ext = extractor(server, tmp_path, max_cost=limit)  # one run's extractor, both threads
    (first,) = ext.extract(short, {})
    assert first.error is None and first.cost_usd > 0
    (second,) = ext.extract(long, {})
    assert second.error is not None
    assert second.error.startswith(f"stopped before exceeding --max-cost ${limit:g}")
    assert len(server.requests) == 1

    # Another run has a budget of its own: the long thread alone fits under the same limit.
    (again,) = extractor(server, tmp_path, max_cost=limit).extract(long, {})
    assert again.error is None
    assert len(server.requests) == 2


def test_the_command_stops_with_what_it_spent_and_a_rerun_goes_on(
    llm_env: Path, server: ChatServer, tmp_path: Path
) -> None:
    short, long = two_posts(tmp_path)
    limit = f"{limit_for(short, long):.8f}"
    capped = ingest(short, server.base_url, str(long), "--max-cost", limit)
    assert capped.returncode == 1 and "Traceback" not in capped.stderr
    assert len(server.requests) == 1  # the long post was not sent
    spent = re.search(r"^" + re.escape(str(short)) + r": .*, \$(\d+\.\d{4})$", capped.stdout, re.M)
    assert spent is not None, capped.stdout
    assert capped.stderr.splitlines()[-1] == (
        f"argmap: error: stopped before exceeding --max-cost ${float(limit):g}: "
        f"${spent.group(1)} spent; 1 of 2 posts not extracted; re-run to retry with a fresh budget"
    )

    rerun = ingest(short, server.base_url, str(long), "--max-cost", limit)
    assert rerun.returncode == 0, rerun.stderr
    assert len(server.requests) == 2  # the short post kept, the long one asked once


def test_a_batch_run_submits_no_more_than_the_limit_over_its_sources(
    server: ChatServer, store: Store, tmp_path: Path
) -> None:
    short, long = two_posts(tmp_path)
    llm = LLMConfig(
        base_url=server.base_url,
        max_retries=0,
        cache_path=tmp_path / "cache.sqlite3",
        batch_path=tmp_path / "batches.sqlite3",
        # Room for one worst case, not for both (the two posts are of about the same length).
        max_cost=limit_for(short, long, batch=True) * 1.5,
    )
    first = ingest_sources([short, long], store, batch=True, llm=llm)
    assert list(server.batches.batches) == ["batch_1"]
    (held,) = first.outcomes[1].lines
    assert held.endswith(
        f": 1 post not submitted, stopped before exceeding --max-cost ${llm.max_cost:g} "
        f"(${limit_for(short, batch=True):.4f} spent or held for requests in flight, 0 prompt "
        "tokens so far of which 0 cached; the next post could cost up to "
        f"${limit_for(long, batch=True):.4f}); run the same command again to submit them"
    ), held

    # The next run (a fresh budget) collects the first batch and submits the held-back post.
    server.batches.polls = 0
    ingest_sources([short, long], store, batch=True, llm=llm)
    assert len(server.batches.batches) == 2
    (long_thread,) = load_threads(long)
    ingest_sources([short, long], store, batch=True, llm=llm)
    assert set(extracted_claims(store, long_thread.id)) == {long_thread.article.id}


def test_the_dry_run_compares_the_whole_run_with_the_limit(
    llm_env: Path, server: ChatServer, tmp_path: Path
) -> None:
    short, long = two_posts(tmp_path)
    limit = f"{limit_for(short, long):.8f}"
    dry = ingest(short, server.base_url, str(long), "--dry-run", "--max-cost", limit)
    assert dry.returncode == 0, dry.stderr
    assert (
        f"; --max-cost ${float(limit):g} would stop the run after about 1 of 2 requests (each in "
        "flight held at its worst case until answered), the rest left for a rerun; nothing was sent"
    ) in dry.stdout
    roomy = ingest(short, server.base_url, str(long), "--dry-run", "--max-cost", "1")
    assert ", within --max-cost $1; nothing was sent or written" in roomy.stdout
    assert server.requests == []


def test_a_dry_run_over_a_posts_comment_pages_counts_its_article_once() -> None:
    est, outcomes = estimate_sources([PAGES[1], PAGES[2]], None, model=MODEL)
    assert all(o.error is None for o in outcomes)
    # The article and the six comments of both pages: one request each, as a run sends them.
    assert (est.posts, est.requests) == (len(READING_ORDER), len(READING_ORDER))


def test_a_batch_run_the_budget_stopped_exits_non_zero_as_an_online_run_does(
    llm_env: Path, server: ChatServer, tmp_path: Path, monkeypatch
) -> None:
    short, long = two_posts(tmp_path)
    monkeypatch.setenv("ARGMAP_LLM_BATCHES", str(tmp_path / "batches.sqlite3"))
    limit = f"{limit_for(short, long, batch=True) * 1.5:.8f}"
    capped = ingest(short, server.base_url, str(long), "--batch", "--max-cost", limit)
    assert capped.returncode == 1, capped.stdout
    assert "Traceback" not in capped.stderr and "submitted batch batch_1" in capped.stdout
    assert capped.stderr.splitlines()[-1] == (
        f"argmap: error: stopped before exceeding --max-cost ${float(limit):g}: "
        f"${limit_for(short, batch=True):.4f} spent; 1 post not submitted; run the same command "
        "again to submit it with a fresh budget"
    )

    # The rerun collects the first batch and submits the held-back post: nothing stops it.
    server.batches.polls = 0
    rerun = ingest(short, server.base_url, str(long), "--batch", "--max-cost", limit)
    assert rerun.returncode == 0, rerun.stderr
    assert len(server.batches.batches) == 2
