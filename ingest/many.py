"""Several sources in one ingest: files, URLs and folders of saved pages, one after another.

Each source goes in as ``pipeline.ingest`` (or, with ``batch``, ``batch.ingest_batch``) takes it
alone, so a page of a post's comments joins the pages before it and a re-run resumes. A folder
stands for its files in name order: hidden files, Python files (``__init__.py``) and subfolders
(a browser's ``page_files/``, ``__pycache__/``) are left out, and a file that is no thread
(empty, a PDF, of no format argmap reads) is skipped with one line, not a failure, unless none
of the folder's files could be read. A source that cannot be used is one line and the others
still go in; the graph's derived data is refreshed once, at the end.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from argmap.graph.counts import counts
from argmap.graph.store import Store
from argmap.graph.summary import refresh_summary
from argmap.ingest.extract import Extractor, get_extractor
from argmap.ingest.pipeline import IngestSummary, Progress, ingest
from argmap.ingest.sources.fetch import DEFAULT_TIMEOUT, is_url
from pydantic import BaseModel, ConfigDict, Field

from argmap.core.config import LLMConfig
from argmap.core.errors import ArgmapError, UnknownFormat

if TYPE_CHECKING:
    from argmap.ingest.extract.llm import LLMExtractor
    from argmap.ingest.extract.llm_estimate import Estimate


class SourceOutcome(BaseModel):
    """What became of one source (a file, a URL, or one file of a folder)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    source: str
    summary: IngestSummary | None = None  # set when it went in
    error: str | None = None  # set when it could not be used (one line)
    skipped: bool = False  # a folder's file of no format argmap reads: not a failure
    lines: list[str] = []  # with ``batch``: what happened to its batches
    notes: list[str] = []  # what reading it said (a file that was not UTF-8: as what it was read)
    held_back: int = 0  # with ``batch``: posts --max-cost kept from being submitted
    # The error as raised: a lone source's caller re-raises it, so one file fails as it always
    # did (its own line and kind, a lost server's without the file's name in front).
    raised: ArgmapError | None = Field(default=None, exclude=True, repr=False)


class SourcesReport(BaseModel):
    """Every source's outcome, and the totals over the threads they touched."""

    outcomes: list[SourceOutcome] = []
    total: IngestSummary = IngestSummary()
    # Set when --max-cost stopped the run (llm_budget.Budget.stop_line): the limit and what the
    # run spent; the posts left are pending, for a rerun with a fresh budget.
    stopped: str | None = None

    @property
    def failed(self) -> list[SourceOutcome]:
        """The sources that could not be used (skipped files are not among them)."""
        return [o for o in self.outcomes if o.error is not None and not o.skipped]

    @property
    def ingested(self) -> list[SourceOutcome]:
        return [o for o in self.outcomes if o.summary is not None]


# Python's own files (the bundled sample's folder is a package: its __init__.py) are code, not
# saved threads: a note for each would only puzzle. Left out without a word, as hidden files are.
CODE_SUFFIXES = (".py", ".pyc")


def folder_files(folder: Path) -> list[Path]:
    """The files a folder stands for: its own files in name order, hidden ones and Python files
    left out."""
    return sorted(
        (
            p
            for p in folder.iterdir()
            if not p.name.startswith(".") and not p.name.endswith(CODE_SUFFIXES) and p.is_file()
        ),
        key=lambda p: p.name,
    )


def _one_line(source: str, exc: ArgmapError) -> str:
    # Most messages name their file already; those that do not ("unknown format: ...") get it.
    message = str(exc)
    return message if message.startswith(source) else f"{source}: {message}"


def ingest_sources(
    sources: Sequence[str | Path],
    store: Store,
    fmt: str = "auto",
    extractor: str | Extractor = "auto",
    progress: Progress | None = None,
    llm: LLMConfig | None = None,
    fetch_timeout: float = DEFAULT_TIMEOUT,
    reextract: bool = False,
    batch: bool = False,
    on_source: Callable[[SourceOutcome], None] | None = None,
    encoding: str | None = None,
) -> SourcesReport:
    """Ingest every source into ``store`` in the order given (a folder: its files by name),
    each as ``pipeline.ingest`` would; ``on_source`` hears of each as it finishes.

    A source that cannot be used is recorded with its one-line error and the others still go
    in; nothing already ingested is lost. ``batch``: through ``ingest_batch`` (needs ``llm``
    with its ``batch_path``). ``encoding``: every file's, where it has no byte-order mark.
    """
    started = time.perf_counter()
    ext = None if batch else _extractor(extractor, llm)
    batch_ext: list[LLMExtractor] = []  # the batch run's extractor, made at its first source

    def one(source: str) -> SourceOutcome:
        if batch:
            from argmap.ingest.batch import ingest_batch
            from argmap.ingest.extract.llm import make_llm_extractor

            if not batch_ext:  # one extractor for every source: one --max-cost for the run
                batch_ext.append(make_llm_extractor(llm or LLMConfig()))
            got = ingest_batch(
                source, store, llm or LLMConfig(), fmt, fetch_timeout, batch_ext[0], encoding
            )
            return SourceOutcome(
                source=source,
                summary=got.summary,
                lines=got.lines,
                held_back=got.held_back,
                notes=got.summary.notes,
            )
        assert ext is not None
        summary = ingest(
            source,
            store,
            fmt,
            ext,
            progress,
            llm,
            fetch_timeout,
            reextract,
            refresh=False,
            encoding=encoding,
        )
        return SourceOutcome(source=source, summary=summary, notes=summary.notes)

    report = SourcesReport()
    try:
        report.outcomes = each_source(sources, one, on_source)
    finally:
        if any(o.summary is not None for o in report.outcomes) and not batch:
            refresh_summary(store)  # once, for every reader (graph.summary); a batch run did
    report.total = _total(store, report, ext)
    # The llm extractor's budget (not in the Extractor protocol: the others spend nothing).
    budget = getattr(ext if ext is not None else next(iter(batch_ext), None), "budget", None)
    report.stopped = budget.stop_line() if budget is not None else None
    report.total.seconds = round(time.perf_counter() - started, 3)
    return report


def estimate_sources(
    sources: Sequence[str | Path],
    store: Store | None,
    on_source: Callable[[SourceOutcome], None] | None = None,
    **options: Any,
) -> tuple[Estimate, list[SourceOutcome]]:
    """``--dry-run`` over several sources: one estimate of them all (``options`` as
    ``estimate_ingest`` takes them), and each source's outcome; nothing is sent or written."""
    from argmap.ingest.extract.llm_estimate import Estimate, estimate_ingest

    est = Estimate(
        model=options.get("model", "gpt-4o-mini"),
        batch=options.get("batch", False),
        max_cost=options.pop("max_cost", None),  # one budget for every source (llm_budget)
        concurrency=options.pop("concurrency", 1),
    )

    def one(source: str) -> SourceOutcome:
        notes: list[str] = []
        estimate_ingest(source, store, into=est, notes=notes, **options)
        return SourceOutcome(source=source, notes=notes)

    return est, each_source(sources, one, on_source)


def each_source(
    sources: Sequence[str | Path],
    run: Callable[[str], SourceOutcome],
    on_source: Callable[[SourceOutcome], None] | None = None,
) -> list[SourceOutcome]:
    """``run`` on every source in order, a folder's files by name; a source ``run`` cannot use
    (an ``ArgmapError``) is its outcome's one-line error, and the next one still runs."""
    out: list[SourceOutcome] = []

    def record(outcome: SourceOutcome) -> SourceOutcome:
        out.append(outcome)
        if on_source is not None:
            on_source(outcome)
        return outcome

    for source in sources:
        name = str(source)
        if is_url(name) or not Path(name).is_dir():
            record(_attempt(name, run, in_folder=False))
            continue
        files = folder_files(Path(name))
        results = [record(_attempt(str(f), run, in_folder=True)) for f in files]
        if not any(o.error is None for o in results):
            if not files:
                left_out = any(p.is_file() for p in Path(name).iterdir())
                held = "only hidden or Python files" if left_out else "no files"
                why = f"the folder holds {held}; give a folder of saved threads"
            else:
                which = (
                    "its one file is not"
                    if len(files) == 1
                    else f"none of its {len(files)} files is"
                )
                # --format helps a text file no detector took, not an empty file or a PDF.
                text = any(
                    isinstance(o.raised, UnknownFormat) and o.raised.what == UnknownFormat.NO_FORMAT
                    for o in results
                )
                hint = " (or name the format with --format)" if text else ""
                why = f"{which} a thread argmap could read; check the folder{hint}"
            record(SourceOutcome(source=name, error=f"{name}: {why}"))
    return out


def _attempt(source: str, run: Callable[[str], SourceOutcome], in_folder: bool) -> SourceOutcome:
    try:
        return run(source)
    except UnknownFormat as exc:
        # In a folder, a file of another kind (notes, a picture) is not a failure of the run.
        if in_folder:
            return SourceOutcome(
                source=source, error=f"{source}: skipped, {exc.what}", skipped=True, raised=exc
            )
        return _failed(source, exc)
    except ArgmapError as exc:
        return _failed(source, exc)


def _failed(source: str, exc: ArgmapError) -> SourceOutcome:
    # The notes reading it made before the error (sources.load_threads adds them to it).
    notes = list(getattr(exc, "__notes__", ()))
    return SourceOutcome(source=source, error=_one_line(source, exc), notes=notes, raised=exc)


def _extractor(extractor: str | Extractor, llm: LLMConfig | None) -> Extractor:
    return get_extractor(extractor, llm) if isinstance(extractor, str) else extractor


# What the store says at the end (a thread several sources touch, a post's comment pages, is
# counted once, as it now stands) and what the run times itself; every other number adds up over
# the sources' runs (derived, so a counter added to IngestSummary later is not left out).
_STORE_FIELDS = frozenset(
    {"posts", "articles", "comments", "spam", "claims", "relations", "seconds"}
)
_RUN_FIELDS = tuple(
    name
    for name, field in IngestSummary.model_fields.items()
    if field.annotation in (int, float) and name not in _STORE_FIELDS
)


def _total(store: Store, report: SourcesReport, ext: Extractor | None) -> IngestSummary:
    parts = [o.summary for o in report.ingested if o.summary is not None]
    first = next((p for p in parts if p.extractor != "imported"), parts[0] if parts else None)
    total = IngestSummary.of(ext) if first is None and ext is not None else IngestSummary()
    if first is not None:
        total.extractor, total.model, total.priced = first.extractor, first.model, first.priced
    for part in parts:
        for name in _RUN_FIELDS:
            setattr(total, name, getattr(total, name) + getattr(part, name))
        total.errors += part.errors
        total.kept_from_other.update(part.kept_from_other)
        total.threads += [t for t in part.threads if t not in total.threads]
    if total.threads:
        stored = counts(store, total.threads)
        total.articles = stored.threads
        total.comments = stored.comments
        total.spam = stored.spam
        total.posts = stored.posts + stored.spam
        total.claims = stored.claims
        total.relations = stored.rebuttals + stored.supports
    return total
