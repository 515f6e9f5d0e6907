"""``argmap db status|list|stop|reset|refresh``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from argmap.cli.common import (
    DbOption,
    GraphOption,
    confirm_delete,
    fail,
    file_not_store,
    note,
    store_from_options,
    unreadable_state,
)
from argmap.cli.common import settings as get_settings
from argmap.cli.help_style import ArgmapCommand, ArgmapSubgroup
from argmap.core.wording import plural
from argmap.graph.convert_progress import Conversion, conversion_in_progress
from argmap.graph.embedded import (
    loading_percent,
    server_paths,
    server_pid,
    server_state,
)
from argmap.graph.revision import bump_revision
from argmap.graph.servers import graph_sizes, running_servers, stop_all, stop_one
from argmap.graph.store import is_neo4j_target
from argmap.graph.summary import refresh_summary

app = typer.Typer(
    cls=ArgmapSubgroup,
    help="Manage the store (the embedded FalkorDB server).",
    no_args_is_help=True,
)


def _target(db: str | None) -> str:
    return db or get_settings().db


def _graph(graph: str | None) -> str:
    return graph or get_settings().graph


def _graphs_line(sizes: dict[str, int]) -> str:
    return ", ".join(f"{name} ({plural(n, 'node')})" for name, n in sizes.items()) or "none"


def _neo4j_where(shown: str) -> str:
    """``Neo4j at URI, database 'name'`` (or its home database), for status lines."""
    database = get_settings().neo4j_database
    return f"Neo4j at {shown}, " + (f"database {database!r}" if database else "its home database")


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e5 else f"{n / 1e3:.0f} kB"


def _converting(conversion: Conversion) -> str:
    return (
        "being converted from a store written by an argmap before 2026-12-05, "
        f"{conversion.describe()}; it starts when that ends"
    )


@app.command(cls=ArgmapCommand)
def status(db: DbOption = None, graph: GraphOption = None) -> None:
    """Say where the store is, whether it runs, its graphs, and what the graph in use holds."""
    target = _target(db)
    name = _graph(graph)
    if not is_neo4j_target(target):
        if Path(target).expanduser().is_file():  # was "not running", as if it were a store
            raise fail(file_not_store(Path(target).expanduser()))
        paths = server_paths(target)
        state = server_state(target)
        conversion = conversion_in_progress(target) if state is None else None
        if conversion is not None:
            print(f"embedded FalkorDB in {paths.data_dir}: {_converting(conversion)}")
            return
        if state is None:
            if not paths.data_dir.is_dir():  # "not running" read as a store that is stopped
                print(
                    f"embedded FalkorDB in {paths.data_dir}: no store there yet "
                    "(argmap demo, or argmap ingest FILE, makes it)"
                )
                return
            print(f"embedded FalkorDB in {paths.data_dir}: not running")
            return
        if state == "loading":
            percent = loading_percent(target) or 0.0
            print(
                f"embedded FalkorDB in {paths.data_dir}: loading {percent:.0f}% "
                f"(pid {server_pid(target)}); its data is readable when it reaches 100%"
            )
            return
        print(
            f"embedded FalkorDB in {paths.data_dir}: running (pid {server_pid(target)}, socket {paths.socket})"
        )
        print(f"graphs: {_graphs_line(graph_sizes(target))}")
    with store_from_options(target, graph) as store:
        rows = store.run_read(
            "MATCH (n) WHERE NOT n:Meta RETURN labels(n)[0] AS label, count(n) AS n ORDER BY label"
        )
        counts = ", ".join(f"{r['n']} {r['label']}" for r in rows) or "empty"
        where = f"graph {name!r}" if not is_neo4j_target(target) else _neo4j_where(store.target)
        print(f"{where}: {counts}")


@app.command("list", cls=ArgmapCommand)
def list_servers() -> None:
    """List every embedded server argmap started that is still running: store, pid, graphs, size."""
    state_dir = get_settings().state_dir
    if problem := unreadable_state(state_dir):
        note(problem)
    servers = running_servers(state_dir)
    if not servers:
        print("no embedded server running")
        return
    for s in servers:
        if s.orphaned:
            print(
                f"{s.data_dir}  pid {s.pid}  its folder was deleted while it ran (its data went "
                "with it): argmap db stop --all stops it"
            )
            continue
        print(
            f"{s.data_dir}  pid {s.pid}  {_size(s.disk_bytes)} on disk  "
            f"graphs: {_graphs_line(s.graphs)}"
        )


@app.command(cls=ArgmapCommand)
def stop(
    db: DbOption = None,
    all_servers: Annotated[
        bool, typer.Option("--all", help="Stop every embedded server argmap started.")
    ] = False,
) -> None:
    """Save and stop the embedded server (the data stays in its directory)."""
    if all_servers:
        state_dir = get_settings().state_dir
        if problem := unreadable_state(state_dir):
            note(problem)
        stopped = stop_all(state_dir)
        for d in stopped:
            print(f"stopped {d}")
        if not stopped:
            print("no embedded server running")
        return
    target = _target(db)
    if is_neo4j_target(target):
        raise fail("argmap does not manage a Neo4j server; stop it where it runs")
    if stop_one(target):
        print("stopped")
        return
    conversion = conversion_in_progress(target)
    if conversion is not None:
        # Ending it would only make the next open start it over; it ends by itself.
        raise fail(
            f"the store in {server_paths(target).data_dir} is not running yet: it is "
            f"{_converting(conversion)}; nothing stopped: wait for it (ending pid "
            f"{conversion.pid} makes the next command convert it again from the start)"
        )
    print("not running")


@app.command(cls=ArgmapCommand)
def reset(
    db: DbOption = None,
    graph: GraphOption = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask.")] = False,
) -> None:
    """Delete everything in the graph in use (other graphs in the store are kept)."""
    target = _target(db)
    name = _graph(graph)
    where = f"graph {name!r} in {target}"
    if is_neo4j_target(target):
        from argmap.graph.neo4j_store import display_target  # the driver: only for Neo4j

        # One Neo4j database is one graph: clearing it deletes whatever else it holds too.
        where = _neo4j_where(display_target(target)) + " (the whole database, not only argmap's)"
    if not yes:
        confirm_delete(f"Delete every node of {where}?")
    with store_from_options(target, graph) as store:
        store.clear()
        bump_revision(store)  # a dashboard reading this graph must not show it from its cache
        print(f"{where}: emptied")
        if not is_neo4j_target(target):
            others = {g: n for g, n in graph_sizes(target).items() if g != name}
            if others:
                print(f"kept the store's other graphs: {_graphs_line(others)}")


@app.command(cls=ArgmapCommand)
def refresh(db: DbOption = None, graph: GraphOption = None) -> None:
    """Recompute the graph's summary (the Overview's numbers, the pickers, grounded labels,
    the longest chains) for its current revision, as an ingest does at its end; for a store
    written before summaries existed, or left stale by a review edit on a big graph."""
    target = _target(db)
    with store_from_options(target, graph) as store:
        done = refresh_summary(store)
        where = f"graph {_graph(graph)!r}" if not is_neo4j_target(target) else store.target
        print(f"{where}: summary refreshed at revision {done.revision} in {done.seconds:.1f} s")
