"""``argmap ingest``."""

from __future__ import annotations

import sys
from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from argmap.cli.common import (
    DbOption,
    ExtractorOption,
    GraphOption,
    dropped_if_left_empty,
    existing_store,
    fail,
    note,
    settings,
    store_from_options,
    terminal_safe,
    warnings_to_stderr,
)
from argmap.cli.temp_folder import tmpdir_note
from argmap.core.errors import SourceError, UnknownFormat
from argmap.core.text_encoding import checked_encoding
from argmap.core.wording import comments_left, plural
from argmap.graph.overview import UNSURE_BELOW, TreeTrust, tree_trust
from argmap.graph.store import Store
from argmap.ingest.extract import get_extractor
from argmap.ingest.many import SourceOutcome, estimate_sources, ingest_sources
from argmap.ingest.pipeline import IngestSummary
from argmap.ingest.sources.fetch import is_url


def kept_note(kept_from_other: dict[str, int], extractor: str) -> str | None:
    """The line saying which posts keep an earlier run's extraction by another extractor."""
    if not kept_from_other:
        return None
    posts = sum(kept_from_other.values())
    return (
        f"{posts} posts kept the extraction of an earlier run ({', '.join(sorted(kept_from_other))});"
        f" add --re-extract to extract them again with {extractor}"
    )


def summary_line(s: IngestSummary) -> str:
    """The one-line summary printed at the end of an ingest."""
    # Comments counted as the Overview and a picture's credit line count them.
    line = (
        f"{plural(s.articles, 'article')}, {comments_left(s.comments, s.spam)}, "
        f"{plural(s.claims, 'claim')}, {plural(s.relations, 'relation')} "
        f"in {s.seconds:.1f}s [extractor: {s.extractor}{'/' + s.model if s.model else ''}]"
    )
    earlier = s.posts - s.spam - s.to_extract
    if earlier > 0 and s.threads and s.extractor != "imported":
        # A re-run (resumed, or after review moved replies) says what it redid, of the posts the
        # line counted (the spam left out): "of 1 article and 171 comments, ... 172 as ...".
        line += (
            f"; of {plural(s.articles, 'article')} and {plural(s.comments, 'comment')}, "
            f"{s.extracted_now} extracted now, {earlier} as an earlier run left them"
        )
    if s.dropped_claims or s.dropped_relations:
        line += f"; dropped {s.dropped_claims} ungrounded claims, {s.dropped_relations} relations"
    if s.prompt_tokens or s.completion_tokens:
        cost = f"${s.cost_usd:.4f}" if s.priced else "cost unknown"
        line += (
            f"; tokens {s.prompt_tokens} in ({s.prompt_tokens - s.cached_prompt_tokens} uncached, "
            f"{s.cached_prompt_tokens} cached) / {s.completion_tokens} out, {cost}"
        )
    if s.cached:
        line += f"; {s.cached} answers from the LLM cache"
    if s.reparented:
        line += f"; the model moved {s.reparented} replies to another parent"
    if s.reply_to_fallbacks:
        line += f"; {s.reply_to_fallbacks} reply_to ids not offered (rebuilt parent kept)"
    return line


def trust_line(trust: TreeTrust) -> str | None:
    """The line saying how far to trust a reply tree rebuilt from a flattened page (none when
    the source gave every parent)."""
    if not trust.rebuilt or trust.expected_right is None:
        return None
    line = (
        f"reply tree rebuilt from the page for {plural(trust.rebuilt, 'comment')}: about "
        f"{trust.expected_right:.0%} of their parents expected right"
    )
    if trust.unsure:
        line += (
            f"; {trust.unsure} under {UNSURE_BELOW:.0%} sure, least sure first: "
            "argmap review list --kind parent"
        )
    return line


def note_trust(store: Store, thread_ids: list[str]) -> None:
    """Print ``trust_line`` for the threads just ingested, if their tree was rebuilt."""
    trust = trust_line(tree_trust(store, thread_ids))
    if trust:
        note(trust)


def ingest(
    sources: Annotated[
        list[str],
        typer.Argument(
            metavar="SOURCE...",
            help="Thread files, http(s) URLs or argmap JSON exports, one or more; a folder "
            "stands for its files in name order (hidden files, Python files and subfolders left out).",
        ),
    ],
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="auto (detect), wordpress-text, wordpress-html, wordpress-wxr, reddit-json, hn-json, kialo, csv, jsonl or argmap-json.",
        ),
    ] = "auto",
    extractor: ExtractorOption = "auto",
    stance_model: Annotated[
        str | None,
        typer.Option(
            "--stance-model",
            help="none, or nli: an NLI model types the offline extractor's hidden guesses "
            "(pip install 'argmap\\[nli]'; env ARGMAP_STANCE_MODEL).",
        ),
    ] = None,
    db: DbOption = None,
    graph: GraphOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    model: Annotated[
        str | None,
        typer.Option("--model", "-m", help="LLM model (env ARGMAP_MODEL; default gpt-4o-mini)."),
    ] = None,
    concurrency: Annotated[
        int | None,
        typer.Option(
            "--concurrency",
            "-j",
            min=1,
            help="Most LLM requests in flight at once (env ARGMAP_CONCURRENCY; default 4, 1 for "
            "a server on this machine or network).",
        ),
    ] = None,
    max_cost: Annotated[
        float | None,
        typer.Option(
            "--max-cost",
            min=0,
            help="The LLM budget in USD of the whole command, every source and thread: stop "
            "before the spend would exceed it (env ARGMAP_MAX_COST).",
        ),
    ] = None,
    batch: Annotated[
        bool,
        typer.Option(
            "--batch",
            help="Extract through the OpenAI Batch API (half price, within 24 h): each run "
            "collects finished batches and submits the next round.",
        ),
    ] = False,
    reextract: Annotated[
        bool,
        typer.Option(
            "--re-extract",
            help="Extract every post again (e.g. with another extractor); review decisions stay.",
        ),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="Estimate LLM requests, tokens and cost; send and write nothing."
        ),
    ] = False,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding",
            metavar="NAME",
            help="The encoding of every file or fetched page without a byte-order mark "
            "(cp1252, latin-1, cp1251 ...; not for Reddit or Hacker News URLs); by default a "
            "file is UTF-8, else the charset a saved page declares, else Windows-1252 (Excel's "
            "CSV), with a note; a page is in the charset its server names.",
        ),
    ] = None,
) -> None:
    """Ingest threads: parse each source, rebuild replies, extract claims and relations into the store."""
    codec = checked_encoding(encoding) if encoding is not None else None
    options = settings()
    overrides = {"model": model, "concurrency": concurrency, "max_cost": max_cost}
    config = options.llm_config(db).model_copy(
        update={k: v for k, v in overrides.items() if v is not None}
    )
    if any(is_url(s) for s in sources):  # a page is kept in a temporary file while read
        moved = tmpdir_note()
        if moved:
            note(moved)
    # One file or URL reads as it always did; several, or a folder, get a line each and a total.
    many = len(sources) > 1 or any(not is_url(s) and Path(s).is_dir() for s in sources)
    say = (partial(_say_each, folder=sources[0] if len(sources) == 1 else None)) if many else None
    if dry_run:  # writes nothing: a store or graph that does not exist yet is not created
        from argmap.ingest.extract.llm_estimate import estimate_line

        if config.price_problem:  # the dry run prices an LLM ingest: it needs the whole price
            raise fail(config.price_problem)

        with warnings_to_stderr(), existing_store(db, graph) as known:
            est, outcomes = estimate_sources(
                sources,
                known,
                on_source=say,
                fmt=format,
                model=config.model,
                reextract=reextract,
                price=config.price,
                cache_path=config.cache_path,
                batch=batch,
                max_cost=config.max_cost,
                concurrency=config.requests_at_once,
                encoding=codec,
            )
        _none_went_in(outcomes, many, len(sources))
        if not many:
            _say_notes(outcomes[0])
        print(estimate_line(est))
        kept = kept_note(est.kept_from_other, "llm")
        if kept:
            note(kept)
        _any_failed(outcomes, dry_run=True)
        return
    with (
        warnings_to_stderr(),
        dropped_if_left_empty(db, graph),
        store_from_options(db, graph) as store,
    ):
        show = not quiet and sys.stderr.isatty() and not batch
        with Progress(
            TextColumn("extracting"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            transient=True,
            disable=not show,
        ) as bar:
            task = bar.add_task("extract", total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            report = ingest_sources(
                sources,
                store,
                fmt=format,
                extractor=(
                    extractor
                    if batch
                    else get_extractor(extractor, config, stance_model or options.stance_model)
                ),
                progress=progress,
                llm=config,
                fetch_timeout=options.fetch_timeout,
                reextract=reextract,
                batch=batch,
                on_source=say,
                encoding=codec,
            )
        _none_went_in(report.outcomes, many, len(sources))
        # One source says what it read, as it always has (a thread re-fetched without a comment
        # counts the comments it holds); several say the total the store holds for them.
        summary = report.total if many else (report.outcomes[0].summary or report.total)
        if not many:
            _say_notes(report.outcomes[0])
            for line in report.outcomes[0].lines:  # --batch: what happened to its batches
                print(line)
            _say_threads(summary)
        total = many or len(summary.parts) > 1
        print(f"total: {summary_line(summary)}" if total else summary_line(summary))
        if batch:
            _any_failed(report.outcomes)
            held = sum(o.held_back for o in report.outcomes)
            if report.stopped and held:  # as an online run: a budget stop that left posts fails
                it = "it" if held == 1 else "them"
                raise fail(
                    f"{report.stopped}; {plural(held, 'post')} not submitted; run the same "
                    f"command again to submit {it} with a fresh budget"
                )
            return
        kept = kept_note(summary.kept_from_other, summary.extractor)
        if kept:
            note(kept)
        if summary.pending:
            left = f"{summary.pending} of {summary.to_extract} posts not extracted; re-run to retry"
            stop = fail(
                # Stopped by --max-cost: what the run spent, what waits; a rerun has a fresh one.
                f"{report.stopped}; {left} with a fresh budget"
                if report.stopped
                else f"{left} (first error: {summary.errors[0]})"
            )
            _any_failed(report.outcomes)
            raise stop
        _any_failed(report.outcomes)
        # After the failure checks: a failed run's lines on stderr are the errors alone.
        note_trust(store, summary.threads)


def _say_each(outcome: SourceOutcome, folder: str | None = None) -> None:
    """One source's line as it finishes: its summary, or why it was skipped or failed.

    ``folder``, the one source named when it is a folder: its own line (none of its files could
    be read) is left to ``_none_went_in``, which stops the command with it.
    """
    if outcome.skipped:
        note(outcome.error or "")
    elif outcome.error is not None:
        if outcome.source != folder:
            _say_notes(outcome)  # a file read as Windows-1252: the note explains its error
            fail(outcome.error)  # printed now; the run goes on with the other sources
    else:
        _say_notes(outcome)
        for line in outcome.lines:
            print(terminal_safe(line))
        if outcome.summary is not None:  # (a dry run's sources add to its one estimate)
            _say_threads(outcome.summary, f"{terminal_safe(outcome.source)}: ")
            print(f"{terminal_safe(outcome.source)}: {summary_line(outcome.summary)}")


def _say_notes(outcome: SourceOutcome) -> None:
    """What reading a source said (a file that was not UTF-8: as what it was read), as notes."""
    for line in outcome.notes:
        note(line)


def _say_threads(summary: IngestSummary, prefix: str = "") -> None:
    """A line for each thread of a source that holds several (a WordPress export's posts)."""
    for part in summary.parts:
        print(f"{prefix}{terminal_safe(part.title or '')}: {summary_line(part)}")


def _none_went_in(outcomes: list[SourceOutcome], many: bool, given: int) -> None:
    """Stop with the error when nothing could be used (a fresh graph is then dropped again);
    ``given`` is how many sources the command named (a folder is one, whatever it holds)."""
    if any(o.error is None for o in outcomes):
        return
    if not many:  # the one source's own error, as a single ingest has always raised it
        first = outcomes[0]
        if isinstance(first.raised, UnknownFormat):  # its line names the file; the error did not
            named = SourceError(first.error or "")
            for line in first.notes:  # said by the top level, before the error
                named.add_note(line)
            raise named from first.raised
        raise first.raised or SourceError(first.error or "")
    if given == 1:  # one folder: its own line, why none of its files went in, is the error
        raise SourceError(outcomes[-1].error or "nothing could be ingested")
    raise SourceError(f"none of the {given} sources could be ingested (each said why above)")


def _any_failed(outcomes: list[SourceOutcome], dry_run: bool = False) -> None:
    """Exit non-zero, with one line, when some sources could not be used (others went in, or
    with ``dry_run`` into the estimate: nothing went in)."""
    tried = [o for o in outcomes if not o.skipped]
    failed = [o for o in tried if o.error is not None]
    if failed:
        others = "the estimate is of the others" if dry_run else "the others went in"
        raise fail(
            f"{len(failed)} of {plural(len(tried), 'source')} could not be ingested (each "
            f"said why above); {others}: fix those and re-run the same command"
        )
