"""``argmap dashboard`` and ``argmap demo``."""

from __future__ import annotations

import os
import signal
import sys
from contextlib import suppress
from importlib.resources import files
from pathlib import Path
from typing import Annotated

import typer

from argmap.cli.common import (
    DbOption,
    GraphOption,
    check_embedded_exists,
    fail,
    note,
    register_store,
    store_from_options,
    terminal_safe,
)
from argmap.cli.common import settings as get_settings
from argmap.cli.ingest_cmd import note_trust, summary_line
from argmap.cli.serve import DashboardRecord, busy_port_message, port_is_free, run_child
from argmap.cli.streamlit_secrets import secrets_files_args
from argmap.core.resources import sample_thread
from argmap.graph.embedded import is_running
from argmap.graph.store import is_neo4j_target
from argmap.ingest.pipeline import ingest as run_ingest

APP = Path(str(files("argmap.dashboard").joinpath("app.py")))
# Serves APP behind a Host/Origin gate that also keeps /_stcore/metrics shut (dashboard/serve.py).
LAUNCHER = Path(str(files("argmap.dashboard").joinpath("serve.py")))


PortOption = Annotated[
    int | None,
    typer.Option(
        "--port",
        metavar="PORT",
        help="Port to serve on. \\[default: 8501; env: ARGMAP_DASHBOARD_PORT]",
        min=1,
        max=65535,
    ),
]


def _address(host: str | None, port: int | None) -> tuple[str, int]:
    settings = get_settings()
    return host or settings.dashboard_host, port or settings.dashboard_port


def _check_port(host: str, port: int) -> None:
    if not port_is_free(host, port):
        raise fail(busy_port_message(get_settings().state_dir, host, port))


def dashboard(
    port: PortOption = None,
    host: Annotated[
        str | None,
        typer.Option(
            "--host",
            metavar="HOST",
            help="Bind address; localhost unless you say otherwise. "
            "\\[default: 127.0.0.1; env: ARGMAP_DASHBOARD_HOST]",
        ),
    ] = None,
    db: DbOption = None,
    graph: GraphOption = None,
    allow_edits: Annotated[
        bool,
        typer.Option(
            "--allow-edits",
            help="Let the Review page save decisions (read-only without it). \\[env: ARGMAP_DASHBOARD_ALLOW_EDITS]",
        ),
    ] = False,
    metrics: Annotated[
        bool,
        typer.Option(
            "--metrics",
            help="Serve Streamlit's /_stcore/metrics (closed without it). \\[env: ARGMAP_DASHBOARD_METRICS]",
        ),
    ] = False,
) -> None:
    """Serve the Streamlit dashboard (bound to localhost by default; read-only unless --allow-edits)."""
    settings = get_settings()
    bind, number = _address(host, port)
    _check_port(bind, number)
    # A store or graph the user named must exist: a typo is an error here, not an empty
    # dashboard that creates what it names (and a server for it). The default store may be
    # empty: the pages say how to fill it (a first run, a fresh container).
    target = settings.store_config(db, graph)
    if not is_neo4j_target(target.target):
        if db or graph or {"db", "graph"} & settings.model_fields_set:
            check_embedded_exists(target.target, target.graph)
        unnoted = register_store(settings.state_dir, target.target)  # for `argmap db list`
        if unnoted:
            note(unnoted)
    env = dict(os.environ)
    if allow_edits:
        env["ARGMAP_DASHBOARD_ALLOW_EDITS"] = "1"
    if metrics:
        env["ARGMAP_DASHBOARD_METRICS"] = "1"
    if db:
        env["ARGMAP_DB"] = db
    if graph:
        env["ARGMAP_GRAPH"] = graph
    cmd = [
        sys.executable,
        # -P: the working directory stays off sys.path, so a checkout's argmap/ folder (or any
        # local streamlit.py) cannot shadow the installed package the dashboard imports.
        "-P",
        "-m",
        "streamlit",
        "run",
        str(LAUNCHER),
        "--server.address",
        bind,
        "--server.port",
        str(number),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "minimal",  # no "Deploy" button: this is a local tool
        # DNS rebinding: the launcher refuses other Host names and Origins on every request,
        # Streamlit again on the websocket, the app again before drawing (dashboard/guard.py).
        *[arg for name in settings.allowed_hosts(host) for arg in ("--server.allowedHosts", name)],
        "--server.enableCORS",
        "true",
        "--server.enableXsrfProtection",
        "true",
        # Tracebacks (source paths) stay in the server log; pages show one line with an id.
        "--client.showErrorDetails",
        "none",
        # HOME a file: Streamlit's lookup of ~/.streamlit/secrets.toml failed every request.
        *secrets_files_args(LAUNCHER),
    ]
    env["ARGMAP_DASHBOARD_HOST"] = bind
    print(f"argmap dashboard on http://{bind}:{number}", flush=True)
    record = DashboardRecord(
        port=number,
        host=bind,
        pid=os.getpid(),
        child=0,
        store=db or settings.db,
        graph=graph or settings.graph,
    )
    code, stopped_by = run_child(cmd, env, settings.state_dir, record)
    if stopped_by is not None:
        with suppress(OSError):  # SIGHUP: the terminal may be gone
            print(stopped_line(stopped_by, target.target), file=sys.stderr, flush=True)
    raise typer.Exit(code)


HOW: dict[int, str] = {
    signal.SIGINT: "Ctrl-C",
    signal.SIGTERM: "SIGTERM",
    signal.SIGHUP: "the terminal closed",
}


def stopped_line(signum: int, target: str) -> str:
    """The one line after a signal stopped the dashboard: what stopped it, and that the store is
    kept (an embedded store's server runs on for the next command, as every command leaves it)."""
    line = f"argmap: dashboard stopped ({HOW.get(signum, f'signal {signum}')}); "
    if is_neo4j_target(target):
        from argmap.graph.neo4j_store import display_target  # the driver: only when needed

        return line + f"the store at {terminal_safe(display_target(target))} is kept"
    where = Path(target).expanduser().resolve()
    line += f"the store at {terminal_safe(str(where))} is kept"
    if is_running(where):
        line += ", its server running for the next command (argmap db stop ends it)"
    return line


def demo(
    port: PortOption = None,
    db: DbOption = None,
    graph: GraphOption = None,
    no_dashboard: Annotated[bool, typer.Option("--no-dashboard", help="Only ingest.")] = False,
) -> None:
    """Ingest the bundled sample thread offline, then serve the dashboard (open the address it prints)."""
    if not no_dashboard:
        _check_port(*_address(None, port))  # before ingesting: say it now, not after
    with store_from_options(db, graph) as store:
        summary = run_ingest(sample_thread(), store, extractor="offline")
        print(summary_line(summary), flush=True)
        note_trust(store, summary.threads)
    if not no_dashboard:
        dashboard(port=port, host=None, db=db, graph=graph, allow_edits=False)
