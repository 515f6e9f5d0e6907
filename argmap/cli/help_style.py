"""How ``--help`` shows options: ``--limit N``, ``--db STORE``, flags with nothing after them.

Typer 0.2x prints each parameter's Python type as a placeholder (``--json <bool>``, ``<str>``,
``<list[str]>``), which makes flags look as if they took a value. An option's ``metavar``
replaces the placeholder, so every command and group here fills in the metavars Typer left
empty (flags get none at all), and an argument's type column is dropped (its name is shown).
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

try:  # Typer 0.2x raises the click it vendors; older Typer, click's own
    from typer._click.exceptions import UsageError
except ImportError:  # pragma: no cover - Typer before it vendored click
    from click.exceptions import UsageError  # type: ignore[assignment]

# Python types (as Typer names them) -> what help shows after an option that takes a value.
_METAVARS = {"int": "N", "float": "NUMBER", "str": "TEXT", "Path": "PATH", "bool": ""}
# Typer before 0.29 has no bare_type(): click's type names stand in for the Python ones.
_CLICK_TYPES = {
    "integer": "int",
    "integer range": "int",
    "float": "float",
    "float range": "float",
    "text": "str",
    "path": "Path",
    "boolean": "bool",
}


def _no_type(ctx: Any) -> None:
    return None


def _type_name(option: Any) -> str:
    """The option's value type as Typer names it (``int``, ``Path``), list[...] unwrapped."""
    if hasattr(option, "bare_type"):
        return str(option.bare_type()).removeprefix("list[").removesuffix("]")
    return _CLICK_TYPES.get(option.type.name, "")


def tidy(params: list[Any]) -> list[Any]:
    """Give every option a metavar (none for flags) and hide arguments' type placeholders."""
    for p in params:
        if isinstance(p, TyperOption) and p.metavar is None:
            if p.is_flag or p.count:
                p.metavar = ""
            else:
                p.metavar = _METAVARS.get(_type_name(p), "VALUE")
        elif isinstance(p, TyperArgument):
            if p.metavar is None and p.name:
                p.metavar = p.name.upper() + ("..." if p.nargs != 1 else "")
            setattr(p, "display_type_rich", _no_type)  # noqa: B010 - per instance, on purpose
            _one_ellipsis(p)
    return params


def _one_ellipsis(argument: Any) -> None:
    """The usage line shows ``{SOURCE...}`` once: Typer 0.2x adds its own ``...`` after a
    metavar that has one (``argmap ingest [OPTIONS] {SOURCE...}...``)."""
    shown = getattr(argument, "_usage_display_name", None)  # Typer 0.2x only
    if shown is None or getattr(shown, "_argmap", False):
        return

    def usage_name() -> str:
        return str(shown()).replace("...}...", "...}").replace("...]...", "...]")

    usage_name._argmap = True  # type: ignore[attr-defined]  # tidy() runs on every --help
    setattr(argument, "_usage_display_name", usage_name)  # noqa: B010 - per instance


def _named(ctx: Any, parse: Any, args: list[str]) -> Any:
    """``parse(ctx, args)``; a usage error the parser raised without its command (``--format``
    with no value) gets it, so its line names that command's help, not ``argmap --help``."""
    try:
        return parse(ctx, args)
    except UsageError as exc:
        if exc.ctx is None:
            exc.ctx = ctx
        raise


class ArgmapCommand(TyperCommand):
    """A command whose help shows metavars instead of Python types."""

    def get_params(self, ctx: typer.Context) -> list[Any]:  # type: ignore[override]  # click's Context, narrowed
        return tidy(super().get_params(ctx))

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]  # click's Context, narrowed
        return _named(ctx, super().parse_args, args)


class ArgmapSubgroup(TyperGroup):
    """A command group (``db``, ``query``) whose own help, and its commands', is tidied too."""

    def get_params(self, ctx: typer.Context) -> list[Any]:  # type: ignore[override]  # click's Context, narrowed
        return tidy(super().get_params(ctx))

    def get_command(self, ctx: typer.Context, cmd_name: str) -> Any:  # type: ignore[override]  # click's Context, narrowed
        return adopt(super().get_command(ctx, cmd_name))

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]  # click's Context, narrowed
        return _named(ctx, super().parse_args, args)


def adopt(cmd: Any) -> Any:
    """Give a command or group Typer built the tidy help, whoever registered it.

    Its class becomes our subclass, which adds behaviour and no state, so every command gets
    it without each module having to pass ``cls=``.
    """
    if type(cmd) is TyperCommand:
        cmd.__class__ = ArgmapCommand
    elif type(cmd) is TyperGroup:
        cmd.__class__ = ArgmapSubgroup
    return cmd
