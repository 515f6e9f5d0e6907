"""``argmap db status|stop|reset``."""

from __future__ import annotations

from typing import Annotated

import typer

from argmap.cli.common import DbOption, GraphOption, fail, store_from_options
from argmap.cli.common import settings as get_settings
from argmap.graph.embedded import (
    loading_percent,
    server_paths,
    server_pid,
    server_state,
    stop_server,
)
from argmap.graph.store import is_neo4j_target

app = typer.Typer(help="Manage the store (the embedded FalkorDB server).", no_args_is_help=True)


def _target(db: str | None) -> str:
    return db or get_settings().db


@app.command()
def status(db: DbOption = None, graph: GraphOption = None) -> None:
    """Say where the store is, whether it runs, and what it holds."""
    target = _target(db)
    if not is_neo4j_target(target):
        paths = server_paths(target)
        state = server_state(target)
        if state is None:
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
    with store_from_options(target, graph) as store:
        rows = store.run_read(
            "MATCH (n) RETURN labels(n)[0] AS label, count(n) AS n ORDER BY label"
        )
        counts = ", ".join(f"{r['n']} {r['label']}" for r in rows) or "empty"
        print(f"{store.target}: {counts}")


@app.command()
def stop(db: DbOption = None) -> None:
    """Save and stop the embedded server (the data stays in its directory)."""
    target = _target(db)
    if is_neo4j_target(target):
        raise fail("argmap does not manage a Neo4j server; stop it where it runs")
    print("stopped" if stop_server(target) else "not running")


@app.command()
def reset(
    db: DbOption = None,
    graph: GraphOption = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask.")] = False,
) -> None:
    """Delete everything in the graph."""
    target = _target(db)
    if not yes:
        typer.confirm(f"Delete every node in {target}?", abort=True)
    with store_from_options(target, graph) as store:
        store.clear()
        print(f"{target}: emptied")
