"""``argmap query ...`` and ``argmap cypher`` (debate analysis; see graph/queries.py).

Each command prints a rich table, or with ``--json`` a JSON list of objects (one per row).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from argmap.cli.common import (
    DbOption,
    GraphOption,
    console,
    note,
    require_store,
    store_from_options,
    terminal_safe,
)
from argmap.cli.help_style import ArgmapCommand, ArgmapSubgroup
from argmap.cli.query_output import emit_json, print_table, short
from argmap.core.errors import ArgmapError
from argmap.core.wording import plural
from argmap.graph import console as cypher_console
from argmap.graph import queries, semantics, summary_reads
from argmap.graph.catalog import EMPTY_STORE, check_thread_ids, holds_a_thread
from argmap.graph.chains import find_chains
from argmap.graph.store import Store

app = typer.Typer(
    cls=ArgmapSubgroup,
    help="Named queries over the argument graph (add --json for JSON).",
    no_args_is_help=True,
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print a JSON list of objects.")]
ThreadOption = Annotated[
    list[str] | None,
    typer.Option(
        "--thread", metavar="ID", help="Only this thread (repeatable; `argmap threads` lists ids)."
    ),
]


def _print_rows(
    rows: Sequence[Any],
    as_json: bool,
    title: str,
    columns: Sequence[str],
    cells: Callable[[Any], Sequence[Any]],
) -> None:
    """``rows`` as JSON with ``--json``, else as a table of ``cells(row)`` under ``title``."""
    if as_json:
        return emit_json(rows)
    print_table(title, columns, [cells(r) for r in rows])


def _threads(store: Store, thread: list[str] | None) -> list[str] | None:
    """The ``--thread`` ids, checked: an id the store lacks is an error, not an empty answer."""
    return check_thread_ids(store, thread)


@app.command(cls=ArgmapCommand)
def chains(
    from_claim: Annotated[
        str | None,
        typer.Option("--from", help="Chains this claim starts, down to what it finally attacks."),
    ] = None,
    to_claim: Annotated[
        str | None, typer.Option("--to", help="Chains that end at this claim.")
    ] = None,
    min_length: Annotated[
        int, typer.Option("--min-length", min=1, help="Fewest rebuttals in a chain.")
    ] = 1,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Most chains to list.")] = 20,
    thread: ThreadOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
    graph: GraphOption = None,
) -> None:
    """Rebuttal chains, longest first: each claim rebuts the next; no claim repeats."""
    with store_from_options(db, graph, existing=True) as store:
        # With --thread, the chains the dashboard's Chains page shows for those threads
        # (find_chains checks the ids, as the other queries do).
        result = find_chains(store, from_claim, to_claim, min_length, limit, thread_ids=thread)
        if result.truncated:
            note("the chain search stopped at its budget: longer chains may exist")
        if as_json:
            return emit_json(result.chains)
        info = queries.claim_info(store, [c for ch in result.chains for c in ch.claims])
        title = "Rebuttal chains (each claim rebuts the next)"
        table = Table(title=title, title_justify="left", show_lines=True, min_width=len(title))
        table.add_column("#", justify="right")
        table.add_column("length", justify="right")
        table.add_column("chain", overflow="fold")
        for n, ch in enumerate(result.chains, start=1):
            steps = []
            for i, cid in enumerate(ch.claims):
                c = info.get(cid)
                who = f"{c.author}: " if c and c.author else ""
                steps.append(f"{'↳ ' if i else ''}{cid}  {who}{short(c.text if c else '', 60)}")
            table.add_row(str(n), str(ch.length), Text(terminal_safe("\n".join(steps))))
        console().print(table)
        if not result.chains:
            print("(no chains)")


@app.command(cls=ArgmapCommand)
def contested(
    limit: Annotated[int, typer.Option("--limit", min=1)] = 20,
    thread: ThreadOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
    graph: GraphOption = None,
) -> None:
    """Claims by number of direct rebuttals (then supports)."""
    with store_from_options(db, graph, existing=True) as store:
        # The whole graph's first rows come from the ingest's summary while it is fresh
        # (graph.summary_reads: the same rows as live, seconds fewer at 100k comments).
        rows = summary_reads.contested(store, limit, _threads(store, thread))
        _print_rows(
            rows,
            as_json,
            "Most contested claims",
            ["rebuttals", "supports", "claim_id", "author", "text"],
            lambda r: (r.rebuttals, r.supports, r.claim_id, r.author, short(r.text)),
        )


@app.command(cls=ArgmapCommand)
def unanswered(
    limit: Annotated[int | None, typer.Option("--limit", min=1)] = None,
    thread: ThreadOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
    graph: GraphOption = None,
) -> None:
    """Objections still standing: claims that rebut another claim and that nothing rebuts."""
    with store_from_options(db, graph, existing=True) as store:
        rows = summary_reads.unanswered(store, limit, _threads(store, thread))
        _print_rows(
            rows,
            as_json,
            "Unanswered objections",
            # "targets", as in the JSON: a column named "rebuts" was taken for a count (right
            # aligned, never wrapped), which cut the ids of an objection to several claims.
            ["claim_id", "author", "text", "targets"],
            lambda r: (r.claim_id, r.author, short(r.text), "\n".join(r.targets)),
        )


@app.command(cls=ArgmapCommand)
def grounded(
    label: Annotated[str | None, typer.Option("--label", help="Only IN, OUT or UNDEC.")] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="Most rows to list.")] = None,
    thread: ThreadOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
    graph: GraphOption = None,
) -> None:
    """Dung's grounded labelling over the rebuttal graph: IN, OUT or UNDEC for every claim."""
    with store_from_options(db, graph, existing=True) as store:
        wanted = label.upper() if label else None
        if wanted not in (None, "IN", "OUT", "UNDEC"):
            raise ArgmapError(f"unknown label {label!r}: use IN, OUT or UNDEC")
        every = queries.grounded(store, thread_ids=_threads(store, thread))
        rows = [r for r in every if wanted is None or r.label == wanted][:limit]
        if as_json:
            return emit_json(rows)
        info = queries.claim_info(store, [r.claim_id for r in rows])
        counts = {lab: sum(r.label == lab for r in every) for lab in ("IN", "OUT", "UNDEC")}
        print_table(
            "Grounded labelling: " + ", ".join(f"{n} {lab}" for lab, n in counts.items()),
            ["label", "claim_id", "author", "text"],
            [
                (
                    r.label,
                    r.claim_id,
                    info[r.claim_id].author if r.claim_id in info else None,
                    short(info[r.claim_id].text if r.claim_id in info else ""),
                )
                for r in rows
            ],
        )


@app.command(cls=ArgmapCommand)
def preferred(
    max_claims: Annotated[
        int, typer.Option("--max-claims", min=1, help="Most undecided claims to solve for.")
    ] = semantics.MAX_PREFERRED_ARGUMENTS,
    max_extensions: Annotated[
        int, typer.Option("--max-extensions", min=1)
    ] = semantics.MAX_PREFERRED_EXTENSIONS,
    thread: ThreadOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
    graph: GraphOption = None,
) -> None:
    """Preferred extensions (maximal admissible sets of claims), computed with pygarg."""
    with store_from_options(db, graph, existing=True) as store:
        result = queries.preferred(store, max_claims, max_extensions, thread_ids=thread)
        if result.truncated:
            note(f"listing the first {max_extensions} preferred extensions; there are more")
        rows = queries.extension_rows(result)
        if as_json:
            return emit_json(rows)
        grounded_set = set(result.grounded)
        print_table(
            f"Preferred extensions (each holds the {plural(len(grounded_set), 'claim')} of the "
            "grounded extension, plus:)",
            ["#", "size", "claims beyond the grounded extension"],
            [
                (
                    r.extension,
                    r.size,
                    ", ".join(c for c in r.claims if c not in grounded_set) or "—",
                )
                for r in rows
            ],
        )


@app.command(cls=ArgmapCommand)
def interactions(
    include_self: Annotated[
        bool, typer.Option("--include-self", help="Also people answering themselves.")
    ] = False,
    limit: Annotated[int | None, typer.Option("--limit", min=1)] = None,
    thread: ThreadOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
    graph: GraphOption = None,
) -> None:
    """Who rebuts and supports whom, by person."""
    with store_from_options(db, graph, existing=True) as store:
        rows = summary_reads.interactions(store, include_self, _threads(store, thread), limit=limit)
        _print_rows(
            rows,
            as_json,
            "Who rebuts and supports whom",
            ["source", "target", "rebuts", "supports"],
            lambda r: (r.source, r.target, r.rebuts, r.supports),
        )


@app.command(cls=ArgmapCommand)
def search(
    words: Annotated[
        list[str],
        typer.Argument(
            metavar="WORDS...", help="Words every matching claim contains (no quotes needed)."
        ),
    ],
    limit: Annotated[int, typer.Option("--limit", min=1)] = 20,
    thread: ThreadOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
    graph: GraphOption = None,
) -> None:
    """Full-text search over claims, best match first."""
    text = " ".join(words)
    with store_from_options(db, graph, existing=True) as store:
        rows = queries.search(store, text, limit, thread_ids=_threads(store, thread))
        _print_rows(
            rows,
            as_json,
            f"Claims matching {text!r}",
            ["score", "claim_id", "author", "text"],
            lambda r: (f"{r.score:.3f}", r.claim_id, r.author, short(r.text)),
        )


@app.command(cls=ArgmapCommand)
def theses(
    thread: ThreadOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
    graph: GraphOption = None,
) -> None:
    """The article's claims, with how many rebuttals and supports each drew."""
    with store_from_options(db, graph, existing=True) as store:
        rows = summary_reads.theses(store, _threads(store, thread))
        _print_rows(
            rows,
            as_json,
            "The article's claims, most rebutted first",
            ["rebuttals", "supports", "claim_id", "text"],
            lambda r: (r.rebuttals, r.supports, r.claim_id, short(r.text)),
        )


def cypher(
    query: Annotated[str, typer.Argument(metavar="QUERY", help="A read-only openCypher query.")],
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            "-p",
            help="Query parameter name=value (value as JSON, else text); repeatable.",
        ),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", min=1, help="Most rows to print.")
    ] = cypher_console.DEFAULT_ROW_LIMIT,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.001, help="Time limit in seconds.")
    ] = cypher_console.DEFAULT_TIMEOUT_MS / 1000,
    as_json: JsonOption = False,
    db: DbOption = None,
    graph: GraphOption = None,
) -> None:
    """Run a read-only Cypher query (writes are refused), with a row limit and a time limit."""
    params = cypher_console.parse_params(param)  # a bad -p is said whatever the store
    # A mistyped store or graph is an error (the query could not run where it was meant to), and
    # is not created; an existing graph that holds no thread is only noted below.
    require_store(db, graph)
    with store_from_options(db, graph) as store:
        if not holds_a_thread(store):
            note(EMPTY_STORE)  # said, and the query still runs (RETURN 1 needs no thread)
        result = cypher_console.run_console(
            store,
            query,
            params,
            row_limit=limit,
            timeout_ms=max(1, int(timeout * 1000)),
        )
        if result.truncated:
            note(f"showing the first {plural(limit, 'row')}; raise --limit to see more")
        if as_json:
            return emit_json(result.rows)

        def cell(v: Any) -> str:
            return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, default=str)

        print_table(
            f"{plural(len(result.rows), 'row')} in {result.elapsed_ms:.0f} ms",
            result.columns,
            [[cell(row.get(c)) for c in result.columns] for row in result.rows],
        )
