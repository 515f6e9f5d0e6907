"""First open of a store an older argmap wrote: every claim gets the stemmed search copy.

A synthetic thread of ``--comments`` comments (``synthetic.generate``, English text) is written
into a fresh graph of each store, then made to look as argmap before stemming left it: copies
under ``search_text_v2`` (unstemmed), the claims' index on them, no thread language. Timed:
the first ``ensure_schema`` (what opening the store does: it tells the threads' languages and
writes ``search_text_v3`` for every claim), then a second one (nothing left to do), then a
search for a word in another form than the claims hold it (``archive``: they say
"archiving").

    python bench/search_backfill.py [--comments 30000] [--stores falkordb,neo4j]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

from argmap.graph import queries  # noqa: E402
from argmap.graph.schema import await_falkordb_index, ensure_schema  # noqa: E402
from argmap.graph.search_words import SEARCH_PROPERTY, search_text  # noqa: E402
from argmap.graph.store import Store  # noqa: E402
from stores import BenchStores, parse_stores  # noqa: E402
from synthetic import SyntheticSpec, generate  # noqa: E402
from synthetic_store import write_to_store  # noqa: E402


def as_before_stemming(store: Store) -> int:
    """Turn the store into one argmap before ``search_text_v3`` wrote; return its claims."""
    rows = store.run_read("MATCH (c:Claim) RETURN c.id AS id, c.text AS text")
    old = [{"id": r["id"], "s": search_text(r["text"])} for r in rows]
    for i in range(0, len(old), 1000):
        store.run(
            "UNWIND $rows AS r MATCH (c:Claim {id: r.id}) "
            f"SET c.search_text_v2 = r.s REMOVE c.{SEARCH_PROPERTY}",
            {"rows": old[i : i + 1000]},
        )
    store.run("MATCH (t:Thread) REMOVE t.language")
    if store.dialect == "neo4j":
        store.run("DROP INDEX claim_search IF EXISTS")
        store.run("CREATE FULLTEXT INDEX claim_search FOR (n:Claim) ON EACH [n.search_text_v2]")
        store.run("CALL db.awaitIndexes(120)")
    else:
        store.run("CALL db.idx.fulltext.drop('Claim')")
        store.run("CALL db.idx.fulltext.createNodeIndex('Claim', 'search_text_v2')")
        await_falkordb_index(store, "Claim", "search_text_v2")
    return len(old)


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return round(time.perf_counter() - started, 2)


def run(store: Store, comments: int) -> dict:
    write_to_store(store, generate(SyntheticSpec(comments=comments, seed=7, thread_id="big")))
    claims = as_before_stemming(store)
    first = timed(lambda: ensure_schema(store))
    again = timed(lambda: ensure_schema(store))
    left = store.run_read(
        f"MATCH (c:Claim) WHERE c.{SEARCH_PROPERTY} IS NULL RETURN count(c) AS n"
    )[0]["n"]
    language = store.run_read("MATCH (t:Thread) RETURN t.language AS l")[0]["l"]
    started = time.perf_counter()
    hits = len(queries.search(store, "archive", limit=None))  # the claims say "archiving"
    search_s = round(time.perf_counter() - started, 3)
    return {
        "claims": claims,
        "thread_language": language,
        "first_open_s": first,
        "next_open_s": again,
        "claims_left_without_copy": left,
        "search_archive_s": search_s,
        "search_archive_hits": hits,
        "search_archiving_hits": len(queries.search(store, "archiving", limit=None)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=30000)
    parser.add_argument("--stores", type=parse_stores, default=["falkordb"])
    parser.add_argument("--out", type=Path, default=BENCH / "search_backfill.json")
    args = parser.parse_args()
    stores = BenchStores(args.stores)
    try:
        results = {}
        for name in args.stores:
            store = stores.fresh(name, "search_backfill")
            results[name] = {**stores.info[name], **run(store, args.comments)}
            store.clear()
            store.close()
    finally:
        stores.close()
    out = {
        "comments": args.comments,
        "cpus": os.cpu_count(),
        "load_avg": os.getloadavg()[0],
        "stores": results,
    }
    args.out.write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
