"""``argmap review ...``: people correct the machine's graph, from the shell or a script.

The reviewer is ``--reviewer NAME`` or ``ARGMAP_REVIEWER``. Every decision prints its review id;
``argmap review undo ID`` takes it back. The library is ``argmap.graph.review_*``.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from argmap.cli.common import (
    DbOption,
    ExtractorOption,
    GraphOption,
    fail,
    settings,
    store_from_options,
    warnings_to_stderr,
)
from argmap.cli.ingest_cmd import summary_line
from argmap.core.errors import ReviewConflict, ReviewError
from argmap.core.json_v1 import ReviewRow
from argmap.core.wording import plural
from argmap.graph import review_actions as actions
from argmap.graph.review_history import history as item_history
from argmap.graph.review_history import item_key, minute, standing_decision
from argmap.graph.review_history import undo as undo_review
from argmap.graph.review_machine import check_not_re_extracted
from argmap.graph.review_queue import KINDS, review_queue
from argmap.graph.review_state import claim_key, post_key, relation_key, versions
from argmap.graph.store import Store
from argmap.graph.summary import is_fresh
from argmap.graph.summary_refresh import REVIEW_REFRESH_MAX_CLAIMS, claim_count
from argmap.graph.writes import pending_posts
from argmap.ingest.extract import get_extractor
from argmap.ingest.from_store import extract_pending

app = typer.Typer(
    help="Review the graph: accept, reject or correct what the machine drew.",
    no_args_is_help=True,
)

ReviewerOption = Annotated[
    str | None,
    typer.Option("--reviewer", help="Your name, kept with the decision. \\[env: ARGMAP_REVIEWER]"),
]
NoteOption = Annotated[str | None, typer.Option("--note", help="Why (kept with the decision).")]
ExpectOption = Annotated[
    int | None,
    typer.Option(
        "--expect-version",
        help="Refuse if the item changed since you saw this version (`review list` shows it).",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _who(reviewer: str | None) -> str:
    name = reviewer or settings().reviewer
    if not name or not name.strip():
        raise ReviewError("who is reviewing? pass --reviewer NAME or set ARGMAP_REVIEWER")
    return name


def _expected(store: Store, key: str, who: str, expect_version: int | None) -> int:
    """The item's version to save on: the one given, else the current one, unless another
    reviewer's decision stands on the item. Replacing that unseen was last-writer-wins: the
    other reviewer was never told, so it takes --expect-version (they may be on the page now)."""
    if expect_version is not None:
        check_not_re_extracted(store, key, expect_version)  # says what the machine says now
        return expect_version
    current = versions(store, [key])[key]
    theirs = standing_decision(store, key)
    if theirs is not None and theirs.reviewer != " ".join(who.split()):
        raise ReviewConflict(
            f"{key} was decided by {theirs.reviewer} at {minute(theirs.at)} ({theirs.action}, "
            f"review {theirs.id}): nothing saved; to keep theirs do nothing, to replace it run "
            f"this again with --expect-version {current}"
        )
    return current


def _done(store: Store, review: ReviewRow) -> None:
    print(
        f"{review.action} {review.key} by {review.reviewer} (review {review.id}; "
        f"undo: argmap review undo {review.id})"
    )
    _note_if_stale(store)


def _note_if_stale(store: Store) -> None:
    """Say so when the edit left the summary stale (a graph above the threshold).

    Not refreshed here: each `argmap review` is a process of its own, so a script of N edits
    would pay N refreshes of seconds each (12 s at 167k claims) where one `argmap db refresh`
    after the last edit does the same, and readers are right either way (they compute live).
    """
    if is_fresh(store):
        return
    print(
        f"note: the summary is stale ({claim_count(store):,} claims, above the "
        f"{REVIEW_REFRESH_MAX_CLAIMS:,} an edit refreshes at once), so pages compute live "
        "(slower) until a dashboard started with --allow-edits refreshes it on its next page "
        "view, or you run `argmap db refresh` once after your edits",
        file=sys.stderr,
    )


@app.command("list")
def list_items(
    thread: Annotated[
        list[str] | None, typer.Option("--thread", help="Only this thread (repeatable).")
    ] = None,
    kind: Annotated[
        list[str] | None,
        typer.Option(
            "--kind",
            help=f"Only {', '.join(KINDS)} (repeatable). Default: all but candidate, the hidden "
            "guesses (accept, flip or reject one like a relation).",
        ),
    ] = None,
    person: Annotated[
        str | None, typer.Option("--person", help="Only items involving this author.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1)] = 30,
    all_items: Annotated[bool, typer.Option("--all", help="Also items already reviewed.")] = False,
    as_json: JsonOption = False,
    db: DbOption = None,
    graph: GraphOption = None,
) -> None:
    """What the machine was least sure of, least certain first."""
    for k in kind or []:
        if k not in KINDS:
            raise ReviewError(f"unknown kind {k!r}: use {', '.join(KINDS)}")
    with store_from_options(db, graph, existing=True) as store:
        items = review_queue(store, thread, kind, person, limit, include_reviewed=all_items)
    if as_json:
        print(json.dumps([i.model_dump() for i in items], ensure_ascii=False, indent=1))
        return
    for i in items:
        ends = f"{i.source} {i.target}" if i.kind in ("relation", "candidate") else i.source or ""
        print(
            f"{i.certainty:5.2f}  {i.kind:9}  {ends}  v{i.version}  {' '.join(i.label.split())[:90]}"
        )
        # Indented, so a script that reads the item lines skips it (``--json`` is for scripts).
        print(f"       why: {i.explanation}")
        if i.reason and i.kind in ("relation", "candidate"):  # the rationale, kept whole
            print(f"       notes: {' '.join(i.reason.split())}")


@app.command()
def accept(
    source: str,
    target: str,
    reviewer: ReviewerOption = None,
    note: NoteOption = None,
    expect_version: ExpectOption = None,
    db: DbOption = None,
    graph: GraphOption = None,
) -> None:
    """The relation SOURCE -> TARGET is right (a hidden guess: it becomes a relation)."""
    with store_from_options(db, graph, existing=True) as store:
        who = _who(reviewer)
        version = _expected(store, relation_key(source, target), who, expect_version)
        _done(store, actions.accept(store, source, target, who, version, note))


@app.command()
def reject(
    source: str,
    target: str,
    reviewer: ReviewerOption = None,
    note: NoteOption = None,
    expect_version: ExpectOption = None,
    db: DbOption = None,
    graph: GraphOption = None,
) -> None:
    """The relation (or hidden guess) SOURCE -> TARGET is wrong: it leaves the graph and does not
    come back."""
    with store_from_options(db, graph, existing=True) as store:
        who = _who(reviewer)
        version = _expected(store, relation_key(source, target), who, expect_version)
        _done(store, actions.reject(store, source, target, who, version, note))


@app.command()
def flip(
    source: str,
    target: str,
    reviewer: ReviewerOption = None,
    note: NoteOption = None,
    expect_version: ExpectOption = None,
    db: DbOption = None,
    graph: GraphOption = None,
) -> None:
    """Rebuts becomes supports, or supports becomes rebuts."""
    with store_from_options(db, graph, existing=True) as store:
        who = _who(reviewer)
        version = _expected(store, relation_key(source, target), who, expect_version)
        _done(store, actions.flip(store, source, target, who, version, note))


@app.command()
def retarget(
    source: str,
    target: str,
    new_target: str,
    reviewer: ReviewerOption = None,
    note: NoteOption = None,
    expect_version: ExpectOption = None,
    db: DbOption = None,
    graph: GraphOption = None,
) -> None:
    """SOURCE answers NEW_TARGET, not TARGET."""
    with store_from_options(db, graph, existing=True) as store:
        who = _who(reviewer)
        version = _expected(store, relation_key(source, target), who, expect_version)
        _done(store, actions.retarget(store, source, target, new_target, who, version, note))


@app.command()
def add(
    source: str,
    target: str,
    rel_type: Annotated[str, typer.Option("--type", help="rebuts or supports")] = "rebuts",
    reviewer: ReviewerOption = None,
    note: NoteOption = None,
    db: DbOption = None,
    graph: GraphOption = None,
) -> None:
    """Draw a relation the machine missed."""
    with store_from_options(db, graph, existing=True) as store:
        _done(
            store, actions.add_relation(store, source, target, rel_type, _who(reviewer), None, note)
        )


@app.command("set-parent")
def set_parent(
    post: str,
    parent: str,
    reviewer: ReviewerOption = None,
    note: NoteOption = None,
    expect_version: ExpectOption = None,
    db: DbOption = None,
    graph: GraphOption = None,
) -> None:
    """POST replies to PARENT (a re-ingest keeps it, and relates POST's claims to PARENT's)."""
    with store_from_options(db, graph, existing=True) as store:
        who = _who(reviewer)
        version = _expected(store, post_key(post), who, expect_version)
        review = actions.set_parent(store, post, parent, who, version, note)
        _done(store, review)
        before, after = (json.loads(state)["posts"][0] for state in (review.before, review.after))
        if before.get("parent_id") != after.get("parent_id"):
            print("its relations answer the old parent until `argmap review extract`")


@app.command()
def spam(
    post: str,
    reviewer: ReviewerOption = None,
    note: NoteOption = None,
    expect_version: ExpectOption = None,
    db: DbOption = None,
    graph: GraphOption = None,
) -> None:
    """POST is spam (its claims' relations leave the graph with it)."""
    with store_from_options(db, graph, existing=True) as store:
        who = _who(reviewer)
        version = _expected(store, post_key(post), who, expect_version)
        _done(store, actions.mark_spam(store, post, True, who, version, note))


@app.command("not-spam")
def not_spam(
    post: str,
    reviewer: ReviewerOption = None,
    note: NoteOption = None,
    expect_version: ExpectOption = None,
    db: DbOption = None,
    graph: GraphOption = None,
) -> None:
    """POST is not spam (`argmap review extract` extracts it)."""
    with store_from_options(db, graph, existing=True) as store:
        who = _who(reviewer)
        version = _expected(store, post_key(post), who, expect_version)
        _done(store, actions.mark_spam(store, post, False, who, version, note))


@app.command()
def edit(
    claim: str,
    text: Annotated[str | None, typer.Option("--text", help="A new paraphrase.")] = None,
    quote: Annotated[
        str | None, typer.Option("--quote", help="New words from the post (re-grounded).")
    ] = None,
    reviewer: ReviewerOption = None,
    note: NoteOption = None,
    expect_version: ExpectOption = None,
    db: DbOption = None,
    graph: GraphOption = None,
) -> None:
    """Edit a claim's paraphrase, or re-choose its quote from the post's own words."""
    with store_from_options(db, graph, existing=True) as store:
        who = _who(reviewer)
        version = _expected(store, claim_key(claim), who, expect_version)
        _done(store, actions.edit_claim(store, claim, who, text, quote, version, note))


@app.command()
def extract(
    extractor: ExtractorOption = "auto",
    thread: Annotated[
        list[str] | None, typer.Option("--thread", help="Only this thread (repeatable).")
    ] = None,
    db: DbOption = None,
    graph: GraphOption = None,
) -> None:
    """Extract what your review left pending (moved replies, posts marked not spam) from the
    store's own copy of the thread: no source file needed."""
    options = settings()
    ext = get_extractor(extractor, options.llm_config(db), options.stance_model)
    with warnings_to_stderr(), store_from_options(db, graph, existing=True) as store:
        summary = extract_pending(store, ext, thread or None)
        left = sum(pending_posts(store, thread or None).values())
        if summary.threads:
            _note_if_stale(store)
    if not summary.threads:
        print(
            f"{plural(left, 'post')} {'waits' if left == 1 else 'wait'} in threads whose file "
            "states its relations (Kialo): "
            "ingest that file again"
            if left
            else "nothing pending: every genuine post is extracted"
        )
        return
    print(summary_line(summary))
    if summary.pending:
        raise fail(
            f"{summary.pending} of {summary.to_extract} posts not extracted; re-run to retry "
            f"(first error: {summary.errors[0]})"
        )


@app.command()
def undo(
    review_id: str, reviewer: ReviewerOption = None, db: DbOption = None, graph: GraphOption = None
) -> None:
    """Take a decision back: its items return to what they were before it."""
    with store_from_options(db, graph, existing=True) as store:
        r = undo_review(store, review_id, _who(reviewer))
        print(f"undid {r.action} {r.key} (review {r.id}, by {r.reviewer})")
        _note_if_stale(store)


@app.command()
def history(
    item: Annotated[str, typer.Argument(help="SOURCE>TARGET, a claim id or a post id.")],
    as_json: JsonOption = False,
    db: DbOption = None,
    graph: GraphOption = None,
) -> None:
    """Every decision on one item, oldest first."""
    with store_from_options(db, graph, existing=True) as store:
        rows = item_history(store, item_key(store, item))
    if as_json:
        print(json.dumps([r.model_dump() for r in rows], ensure_ascii=False, indent=1))
        return
    if not rows:
        print("no review yet", file=sys.stderr)
    for r in rows:
        undone = f"  [undone by {r.undone_by} {r.undone_at}]" if r.undone else ""
        print(f"{r.at}  {r.reviewer:16}  {r.action:10}  {r.id}{undone}")
