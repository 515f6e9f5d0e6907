"""A price the user states for a model argmap's table does not know (``ARGMAP_PRICE_INPUT``,
``ARGMAP_PRICE_CACHED_INPUT``, ``ARGMAP_PRICE_OUTPUT``, USD per million tokens): it prices the
online requests, the batch path at half, the summary, ``--dry-run`` and ``--max-cost``, and a
local model priced 0 runs under ``--max-cost``.

The real openai SDK over a real socket to the scripted local server (``llm_server``), the CLI as
a separate process against the real FalkorDB server; no client is patched.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from argmap.graph.store import Store
from argmap.ingest.batch import ingest_batch
from llm_server import ChatRequest, ChatServer
from llm_threads import extractor, make_thread

from argmap.core.config import LLMConfig, Price

LOCAL = "my-local-llama"  # a model argmap's price table does not know
STATED = Price(input=1.0, cached_input=0.25, output=4.0)
TREE = Path(__file__).parent / "fixtures" / "sources" / "comments.csv"


def billed(requests: list[ChatRequest], price: Price = STATED) -> float:
    """What the server's reported usage costs at ``price``."""
    return sum(
        (
            (r.usage[0] - r.cached_tokens) * price.input
            + r.cached_tokens * price.cached_input
            + r.usage[1] * price.output
        )
        / 1_000_000
        for r in requests
    )


def test_a_stated_price_prices_each_request(server: ChatServer, tmp_path: Path) -> None:
    results = list(
        extractor(server, tmp_path, model=LOCAL, price=STATED).extract(make_thread(), {})
    )
    assert all(r.error is None for r in results)
    assert any(r.cached_tokens for r in server.requests)  # the cached rate is exercised too
    assert sum(r.cost_usd for r in results) == pytest.approx(billed(server.requests))
    assert billed(server.requests) > 0


def test_a_local_model_priced_0_runs_under_max_cost(server: ChatServer, tmp_path: Path) -> None:
    free = Price(input=0, cached_input=0, output=0)
    thread = make_thread()
    ext = extractor(server, tmp_path, model=LOCAL, price=free, max_cost=0.0)
    results = list(ext.extract(thread, {}))
    assert [r.error for r in results] == [None] * len(results)
    assert len(results) == sum(not p.is_spam for p in thread.posts)
    assert sum(r.cost_usd for r in results) == 0


def test_the_batch_path_bills_half_the_stated_price(
    server: ChatServer, store: Store, tmp_path: Path
) -> None:
    llm = LLMConfig(
        base_url=server.base_url,
        max_retries=0,
        model=LOCAL,
        price=STATED,
        cache_path=tmp_path / "cache.sqlite3",
        batch_path=tmp_path / "batches.sqlite3",
    )
    spent = 0.0
    for _ in range(12):  # a round per level of the tree, each collected by the next run
        report = ingest_batch(TREE, store, llm)
        assert report.summary.priced
        spent += report.summary.cost_usd
        if any("every post is extracted" in line for line in report.lines):
            break
    assert server.requests and spent == pytest.approx(billed(server.requests) / 2)


def cli(base_url: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "argmap", "ingest", str(TREE), "-e", "llm", "-q", *args],
        env={**os.environ, "OPENAI_BASE_URL": base_url, "ARGMAP_MODEL": LOCAL, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_cli_reads_the_price_from_the_settings(llm_env: Path, server: ChatServer) -> None:
    unpriced = cli(server.base_url, "--max-cost", "1")
    assert unpriced.returncode == 1 and server.requests == []
    assert unpriced.stderr.strip().splitlines() == [
        f"argmap: error: --max-cost needs a price for model '{LOCAL}': set ARGMAP_PRICE_INPUT "
        "and ARGMAP_PRICE_OUTPUT (USD per million tokens; 0 for a local model)"
    ]
    assert "cost unknown (no price for this model: set" in cli(server.base_url, "--dry-run").stdout

    price = {"ARGMAP_PRICE_INPUT": "1", "ARGMAP_PRICE_CACHED_INPUT": "0.25"}
    price["ARGMAP_PRICE_OUTPUT"] = "4"
    dry = cli(server.base_url, "--dry-run", **price)
    assert dry.returncode == 0 and re.search(r"about \$0\.\d{4}; nothing was sent", dry.stdout)

    at_half = cli(server.base_url, "--dry-run", "--batch", **price).stdout
    assert "dry run [my-local-llama, Batch API at half price]: " in at_half
    full, half = (float(out.split("about $")[1].split(";")[0]) for out in (dry.stdout, at_half))
    assert half == pytest.approx(full / 2, abs=0.0001)

    run = cli(server.base_url, "--max-cost", "1", **price)
    assert run.returncode == 0, run.stderr
    cost = float(run.stdout.split("$")[-1].split()[0].rstrip(";"))
    assert cost == pytest.approx(billed(server.requests), abs=0.00005)  # printed to 4 places


def test_a_local_model_priced_0_runs_under_max_cost_from_the_cli(
    llm_env: Path, server: ChatServer
) -> None:
    free = {"ARGMAP_PRICE_INPUT": "0", "ARGMAP_PRICE_OUTPUT": "0"}
    run = cli(server.base_url, "--max-cost", "0", **free)
    assert run.returncode == 0, run.stderr
    assert re.search(r"/ [1-9]\d* out, \$0\.0000", run.stdout), run.stdout  # tokens, at $0
    assert server.requests


@pytest.mark.parametrize(
    ("env", "says"),
    [
        (
            {"ARGMAP_PRICE_OUTPUT": "4"},
            "ARGMAP_PRICE_OUTPUT set but not ARGMAP_PRICE_INPUT: set ARGMAP_PRICE_INPUT and "
            "ARGMAP_PRICE_OUTPUT (USD per million tokens; 0 for a local model) or unset them all",
        ),
        (
            {"ARGMAP_PRICE_CACHED_INPUT": "0.1"},
            "ARGMAP_PRICE_CACHED_INPUT set but not ARGMAP_PRICE_INPUT and ARGMAP_PRICE_OUTPUT:",
        ),
        ({"ARGMAP_PRICE_INPUT": "-1", "ARGMAP_PRICE_OUTPUT": "4"}, "ARGMAP_PRICE_INPUT='-1' in"),
        ({"ARGMAP_PRICE_INPUT": "1", "ARGMAP_PRICE_OUTPUT": "ten"}, "ARGMAP_PRICE_OUTPUT='ten'"),
        ({"ARGMAP_PRICE_INPUT": "nan", "ARGMAP_PRICE_OUTPUT": "1"}, "finite number"),
    ],
)
def test_a_price_that_cannot_be_used_is_one_line_before_anything_runs(
    llm_env: Path, server: ChatServer, env: dict[str, str], says: str
) -> None:
    bad = cli(server.base_url, **env)
    assert bad.returncode == 1
    [line] = bad.stderr.strip().splitlines()
    assert line.startswith("argmap: error: ") and says in line, line
    assert server.requests == []


def test_an_offline_ingest_runs_whatever_the_price_settings_say(
    llm_env: Path, server: ChatServer
) -> None:
    half = {**os.environ, "ARGMAP_PRICE_INPUT": "1"}  # ARGMAP_PRICE_OUTPUT forgotten
    half.pop("OPENAI_BASE_URL", None)

    def ingest(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "argmap", "ingest", str(TREE), "-q", *args],
            env={**half, **env},
            capture_output=True,
            text=True,
            timeout=300,
        )

    auto = ingest()  # no endpoint: the offline extractor, which has no price to care about
    assert auto.returncode == 0, auto.stderr
    assert "claims" in auto.stdout
    chosen = ingest("-e", "offline", "--re-extract", OPENAI_BASE_URL=server.base_url)
    assert chosen.returncode == 0, chosen.stderr
    assert server.requests == []
    # The LLM path, and the dry run that prices it, still refuse in one line.
    for llm in (ingest(OPENAI_BASE_URL=server.base_url), ingest("--dry-run")):
        assert llm.returncode == 1
        [line] = llm.stderr.strip().splitlines()
        assert line.startswith("argmap: error: ARGMAP_PRICE_INPUT set but not ARGMAP_PRICE_OUTPUT")
    assert server.requests == []
