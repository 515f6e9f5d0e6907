"""``argmap eval LABELS``: score the stored graph (or an exported file) against hand labels."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from argmap.cli.common import DbOption, GraphOption, note, store_from_options
from argmap.core.text_encoding import checked_encoding
from argmap.graph.catalog import thread_summaries
from argmap.graph.eval_labels import LabelError, load_labels
from argmap.graph.eval_text import report_lines
from argmap.graph.evaluation import evaluate
from argmap.graph.export_json import export_json
from argmap.graph.review_score import review_score_lines, score_reviews

HELP = """Score the graph against hand labels: parents, spam, rebuts/supports, with baselines.

Prints precision, recall and F1, each with its trivial baseline, and the disagreements.

LABELS is CSV (a header row; commas, semicolons or tabs) or JSON Lines (or a JSON array), one
comment per row: position (1..n, or id: the source's or the graph's id), parent (0 = the article),
is_spam (1/0), stance (rebuts/supports/none towards the parent) or relations ('rebuts:12;
supports:0'); optionally thread (its id, URL or title), which picks the thread and refuses labels
meant for another. Empty cells and ? are not scored. See the README, "argmap eval", and docs/evaluation.md.

--against-reviews scores the machine on what people checked with `argmap review` instead:
precision (accepted of checked) per kind, extractor and model."""


def _read_export(path: Path) -> dict[str, Any]:
    """An argmap JSON v1 file written by ``argmap export --format json``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LabelError(f"{path}: no such export file; check the path") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise LabelError(
            f"{path}: not an argmap JSON export; write one with 'argmap export -f json -o FILE'"
        ) from None
    if not isinstance(data, dict) or data.get("format") != "argmap-json":
        raise LabelError(
            f"{path}: not an argmap JSON export; write one with 'argmap export -f json -o FILE'"
        )
    return data


def eval_labels(
    labels: Annotated[
        Path | None, typer.Argument(help="CSV or JSONL labels, one comment per row.")
    ] = None,
    against_reviews: Annotated[
        bool,
        typer.Option(
            "--against-reviews",
            help="Score the machine on what people reviewed (argmap review), not on a labels file.",
        ),
    ] = False,
    export: Annotated[
        Path | None,
        typer.Option("--export", help="Score this argmap JSON export instead of the store."),
    ] = None,
    thread: Annotated[
        str | None, typer.Option("--thread", help="The thread id (needed when there are several).")
    ] = None,
    min_confidence: Annotated[
        float,
        typer.Option("--min-confidence", help="Count only relations this sure.", min=0.0, max=1.0),
    ] = 0.0,
    candidates: Annotated[
        bool,
        typer.Option(
            "--candidates",
            help="Also count the hidden low-confidence candidates (a reply's stance where its "
            "words show no evidence) for pairs no stored relation decides.",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    limit: Annotated[
        int, typer.Option("--limit", help="Disagreements to list (-1: all).", min=-1)
    ] = 20,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding",
            metavar="NAME",
            help="The label file's encoding if it has no byte-order mark (cp1252, latin-1 ...); "
            "by default UTF-8, else Windows-1252 (Excel's CSV), with a note.",
        ),
    ] = None,
    db: DbOption = None,
    graph: GraphOption = None,
) -> None:
    codec = checked_encoding(encoding) if encoding is not None else None
    if against_reviews:
        with store_from_options(db, graph, existing=True) as store:
            scores = [s.row() for s in score_reviews(store, [thread] if thread else None)]
        if as_json:
            print(json.dumps(scores, indent=2))
        else:
            print("\n".join(review_score_lines(scores)))
        return
    if labels is None:
        raise LabelError("give a LABELS file, or --against-reviews to score what people reviewed")
    held: list[dict[str, Any]] | None = None  # the store's threads, when it is scored by --thread
    notes: list[str] = []
    rows = load_labels(labels, codec, notes)
    for line in notes:  # said before the figures: they rest on how the file was read
        note(line)
    if export is not None:
        data = _read_export(export)
    else:
        with store_from_options(db, graph, existing=True) as store:
            data = export_json(store, [thread] if thread else None)
            if thread is not None:
                # The export holds only the thread asked for: the store's, for a line naming them.
                held = [{"id": r.id, "title": r.title} for r in thread_summaries(store)]
                if not data.get("threads"):
                    known = ", ".join(r["id"] for r in held) or "none"
                    raise LabelError(
                        f"no thread {thread!r} in the store; it holds {known} ('argmap threads')"
                    )
    report = evaluate(data, rows, thread, min_confidence, candidates, held)
    if as_json:
        print(report.model_dump_json(indent=2))
    else:
        print("\n".join(report_lines(report, limit)))


# One line a paragraph: the help keeps a docstring's line breaks, which broke its lines in two at
# a terminal's width ("… or JSON Lines (or a / JSON array), one" then "comment per row: …").
eval_labels.__doc__ = "\n\n".join(" ".join(part.split()) for part in HELP.split("\n\n"))
