"""The ``argmap`` command line. Commands are thin: they parse options and call the library."""

from __future__ import annotations

import typer

from ingest.cli import dashboard_cmd, db_cmd, export_cmd, ingest_cmd, query_cmd

app = typer.Typer(
    name="argmap",
    help="Turn a comment thread into an argument graph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("ingest")(ingest_cmd.ingest)
app.command("export")(export_cmd.export)
app.command("demo")(dashboard_cmd.demo)
app.command("dashboard")(dashboard_cmd.dashboard)
app.command("cypher")(query_cmd.cypher)
app.add_typer(db_cmd.app, name="db")
app.add_typer(query_cmd.app, name="query")


def main() -> None:
    """Console-script entry point."""
    app()
