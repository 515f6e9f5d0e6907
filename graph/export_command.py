"""The ``argmap export`` command line that writes the same file as a :class:`Selection`.

The dashboard's Export page shows it under its downloads, so a picture or a table can be made
again from a script or a footnote: the page's defaults are not the command's (its confidence
slider starts at 0, the command leaves out guesses below 0.31 unless told), so every filter the
selection sets is spelled out. ``argmap export`` reads these arguments back into the same
selection (``tests/test_export_command.py`` checks the round trip).
"""

from __future__ import annotations

import shlex
from datetime import date, datetime

from argmap.graph.exports import get_format
from argmap.graph.subgraph_models import RELATION_TYPES, Selection, SelectionError

# Characters of code a phone's screen (390 px wide) shows on a line: the Export page breaks its
# command lines between arguments to fit it (the browser would break them at any hyphen).
PHONE_COLUMNS = 36


def _when(value: date | datetime) -> str:
    # A date stays a date (all day); a time keeps its offset: the CLI parses both forms.
    return value.isoformat()


def export_arguments(
    fmt: str,
    selection: Selection,
    output: str | None = None,
    *,
    spreadsheet_safe: bool = False,
    db: str | None = None,
    graph: str | None = None,
) -> list[str]:
    """The arguments after ``argmap export`` that write ``selection`` as ``fmt`` to ``output``.

    ``db`` and ``graph`` are given only when they are not the defaults; never pass a URI with
    credentials in it. Raises ``SelectionError`` for a selection no command line can state
    (no relation type at all, spam included).
    """
    groups = _argument_groups(
        fmt, selection, output, spreadsheet_safe=spreadsheet_safe, db=db, graph=graph
    )
    return [arg for group in groups for arg in group]


def _argument_groups(
    fmt: str,
    selection: Selection,
    output: str | None = None,
    *,
    spreadsheet_safe: bool = False,
    db: str | None = None,
    graph: str | None = None,
) -> list[list[str]]:
    """``export_arguments`` in groups: each option with its value (a value may start with a
    dash, so only the builder knows where one argument ends)."""
    spec = get_format(fmt)
    if not selection.relation_types:
        raise SelectionError("no relation type is picked: the command line cannot leave out both")
    if selection.include_spam:
        raise SelectionError("spam is included: the command line always leaves it out")
    args: list[list[str]] = [["-f", spec.name]]
    if output is not None:
        args.append(["-o", output])
    if selection.claim is not None:
        # Without a claim the hops mean nothing, so they are left out there.
        args += [["--claim", selection.claim], ["--hops", str(selection.hops)]]
    for tid in selection.thread_ids or ():
        args.append(["--thread", tid])
    for person in selection.people or ():
        args.append(["--person", person])
    if set(selection.relation_types) != set(RELATION_TYPES):
        for rel in dict.fromkeys(selection.relation_types):
            args.append(["--relation", rel])
    if selection.since is not None:
        args.append(["--since", _when(selection.since)])
    if selection.until is not None:
        args.append(["--until", _when(selection.until)])
    if selection.min_confidence is not None:
        # repr: the shortest text that reads back as the same float (0.15000000000000002 is not
        # 0.15, and a relation of exactly 0.15 is kept by one and not the other).
        args.append(["--min-confidence", repr(float(selection.min_confidence))])
    if selection.connected_only is not None:
        args.append(["--connected-only" if selection.connected_only else "--all-claims"])
    if selection.max_nodes is not None:
        args.append(["--max-nodes", str(selection.max_nodes)])
    if spreadsheet_safe:
        args.append(["--spreadsheet-safe"])
    if db is not None:
        args.append(["--db", db])
    if graph is not None:
        args.append(["--graph", graph])
    return args


def export_command(
    fmt: str,
    selection: Selection,
    output: str | None = None,
    *,
    spreadsheet_safe: bool = False,
    db: str | None = None,
    graph: str | None = None,
    width: int | None = None,
) -> str:
    """``export_arguments`` as one shell line, ``argmap export ...``, every argument quoted
    for a POSIX shell (names with spaces, quotes or ``$`` stay one word, and nothing runs).

    With ``width``, the line is broken between arguments, never inside one, into lines of at
    most ``width`` characters, each but the last ending in `` \\``: a shell joins them back
    into the one command. The width counts a line's indent and its `` \\``. An option stays on
    the line of its value unless the two do not fit one line; then the value starts the next.
    An argument that cannot fit a line even alone (indent, argument, `` \\``) has a line to
    itself, the one line wider than ``width``, and keeps its `` \\`` there: a shell needs it
    at the end of that line, and a viewer shows the line whole and lets it scroll sideways
    (the Export page does), where wrapping it would leave the `` \\`` alone on a row.
    """
    groups = _argument_groups(
        fmt, selection, output, spreadsheet_safe=spreadsheet_safe, db=db, graph=graph
    )
    words = [shlex.join(group) for group in [["argmap", "export"], *groups]]
    if width is None:
        return " ".join(words)
    lines = [words[0]]
    for piece in _pieces(groups, width):
        if len(f"{lines[-1]} {piece}{CONTINUED}") <= width:  # the " \\" that may follow, too
            lines[-1] += " " + piece
        else:
            lines.append(INDENT + piece)  # indented: read as the line above's continuation
    return f"{CONTINUED}\n".join(lines)


# A continuation line: the indent, what it holds, and (but on the last line) " \\".
INDENT = "  "
CONTINUED = " \\"


def _pieces(groups: list[list[str]], width: int) -> list[str]:
    """What a line may hold, in order: an option with its value (quoted), or, where the two
    would not fit a continuation line, each on its own."""
    pieces = []
    for group in groups:
        joined = shlex.join(group)
        fits = len(f"{INDENT}{joined}{CONTINUED}") <= width
        pieces += [joined] if fits else [shlex.quote(w) for w in group]
    return pieces
