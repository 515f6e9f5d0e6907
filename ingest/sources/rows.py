"""One comment per row, shared by the ``csv`` and ``jsonl`` sources.

Columns (names are case-insensitive):

| column | required | meaning |
| --- | --- | --- |
| ``id`` | yes | the comment's id in the source (unique in the file) |
| ``author`` | yes | its author's display name |
| ``text`` | yes | its text |
| ``posted_at`` | no | ISO 8601 (``2024-03-01T12:00:00Z``) or Unix seconds; no zone means UTC |
| ``parent_id`` | no | the ``id`` of the row it answers; empty for the post and top-level comments |
| ``title``, ``url`` | no | the thread's title and address (read from the first row that has them) |

The first row is the post the comments answer (the article); the rest are comments in document
order. Without a ``parent_id`` column (or with it empty on every comment) the reply tree is
``missing`` and thread reconstruction rebuilds it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from argmap.ingest.sources.reply_loops import first_in_loop
from pydantic import BaseModel, ValidationError, field_validator

from argmap.core.errors import SourceError
from argmap.core.ids import post_id, stable_id
from argmap.core.models import Post, Thread

log = logging.getLogger(__name__)

REQUIRED = ("id", "author", "text")
OPTIONAL = ("posted_at", "parent_id", "title", "url")
COLUMNS = REQUIRED + OPTIONAL
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def parse_timestamp(value: Any) -> datetime | None:
    """A UTC datetime from ISO 8601 text or Unix seconds; ``None`` for empty; ``ValueError`` else."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, tz=UTC)
    text = str(value).strip()
    if not text:
        return None
    if _NUMBER.match(text):
        return datetime.fromtimestamp(float(text), tz=UTC)
    stamp = datetime.fromisoformat(text)  # 3.11 reads "Z", "2024-03-01 12:00" and offsets
    return stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)


def _scalar(value: Any) -> Any:
    """``value`` if it is text or a number; a JSON object or list would be stored as its Python
    repr (``{'x': 1}``), so it is an error instead."""
    if isinstance(value, dict | list):
        kind = "an object" if isinstance(value, dict) else "a list"
        raise ValueError(f"is {kind}, not text; give a string")
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # an id written as 12.0 is 12
    return str(value).strip()


class Row(BaseModel):
    """One comment as a source row gives it, validated."""

    id: str
    author: str
    text: str
    posted_at: datetime | None = None
    parent_id: str = ""
    title: str = ""
    url: str = ""

    @field_validator("id", "author", "parent_id", "title", "url", mode="before")
    @classmethod
    def _strip(cls, value: Any) -> str:
        return _cell(_scalar(value))

    @field_validator("text", mode="before")
    @classmethod
    def _text(cls, value: Any) -> str:
        return "" if value is None else str(_scalar(value))

    @field_validator("posted_at", mode="before")
    @classmethod
    def _stamp(cls, value: Any) -> datetime | None:
        try:
            return parse_timestamp(value)
        except (ValueError, OverflowError, OSError):
            # JavaScript and many exports count milliseconds: 13 digits overflow the calendar.
            ms = _NUMBER.match(str(value).strip()) and abs(float(value)) >= 1e11
            hint = " (Unix milliseconds? divide by 1000)" if ms else ""
            raise ValueError(f"{value!r} is not an ISO 8601 time or Unix seconds{hint}") from None

    @field_validator("id")
    @classmethod
    def _has_id(cls, value: str) -> str:
        if not value:
            raise ValueError("is empty")
        return value


def normalise_columns(names: Iterable[Any]) -> list[str]:
    """Column names as argmap reads them: stripped, lower-cased, spaces and hyphens as ``_``
    (a spreadsheet's "Posted At" or "parent-id" is ``posted_at`` / ``parent_id``)."""
    return [re.sub(r"[\s-]+", "_", _cell(n).lower()) for n in names]


def warn_unread(names: Iterable[str], origin: str) -> None:
    """Say which named columns argmap does not read: a time under ``date`` would be lost
    without a word."""
    unread = sorted({n for n in names if n and n not in COLUMNS})
    if unread:
        log.warning(
            "%s: columns not read: %s (argmap reads %s)",
            origin,
            ", ".join(unread),
            ", ".join(COLUMNS),
        )


def missing_columns(names: Iterable[str]) -> list[str]:
    """The required columns ``names`` lacks."""
    have = set(names)
    return [c for c in REQUIRED if c not in have]


def make_row(values: Mapping[str, Any], where: str) -> Row:
    """A validated row, or a one-line ``SourceError`` naming ``where`` and the first bad field."""
    try:
        return Row.model_validate({k: v for k, v in values.items() if k in COLUMNS})
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "row"
        message = err["msg"].removeprefix("Value error, ")
        raise SourceError(f"{where}: {field}: {message}") from None


def _parents(rows: list[Row], origin: str) -> dict[str, str]:
    """Row id -> parent row id; unknown parents go to the article; cycles are errors."""
    ids = {r.id for r in rows}
    article = rows[0].id
    parents: dict[str, str] = {}
    dangling: list[str] = []
    selfish: list[str] = []
    for row in rows[1:]:
        parent = row.parent_id or article
        if parent == row.id:
            selfish.append(row.id)
            parent = article
        elif parent not in ids:
            dangling.append(row.id)
            parent = article
        parents[row.id] = parent
    if dangling:
        log.warning(
            "%s: %s",
            origin,
            _rows(dangling, "name", "a parent_id that is no row of the file"),
        )
    if selfish:
        log.warning(
            "%s: %s",
            origin,
            _rows(selfish, "name", "itself as parent_id"),
        )
    looped = first_in_loop(parents)  # the article is no key: every chain should end there
    if looped is not None:
        raise SourceError(
            f"{origin}: parent_id values form a loop (row id {looped!r}); fix the file"
        )
    return parents


def build_thread(rows: list[Row], origin: str, fmt: str, has_parent_column: bool) -> Thread:
    """The thread of ``rows``: the first is the article, the rest its comments in order."""
    if not rows:
        raise SourceError(f"{origin}: no rows after the header; give one comment per row")
    seen: set[str] = set()
    for n, row in enumerate(rows, start=1):
        if row.id in seen:
            raise SourceError(f"{origin}: row {n}: id {row.id!r} is used twice; ids must be unique")
        seen.add(row.id)
    article_row = rows[0]
    if article_row.parent_id:
        raise SourceError(
            f"{origin}: row 1 has a parent_id; the first row must be the post the comments answer"
        )
    title = next((r.title for r in rows if r.title), "") or _first_line(article_row.text) or origin
    url = next((r.url for r in rows if r.url), "") or None
    # The article's author and time are in the id too: two files that only share a title and a
    # first-row id ("1") are different threads, not one thread with both files' comments.
    thread_id = stable_id(
        "t",
        "rows",
        url or title,
        article_row.id,
        article_row.author,
        article_row.posted_at.isoformat() if article_row.posted_at else "",
    )
    tree = has_parent_column and any(r.parent_id for r in rows[1:])
    parents = _parents(rows, origin) if tree else {}
    post_ids = {r.id: post_id(thread_id, r.id) for r in rows}
    posts = [
        Post(
            id=post_ids[r.id],
            thread_id=thread_id,
            kind="article" if i == 0 else "comment",
            author=r.author or "Anonymous",
            posted_at=r.posted_at,
            position=i,
            text=r.text,
            parent_id=post_ids[parents[r.id]] if r.id in parents else None,
        )
        for i, r in enumerate(rows)
    ]
    return Thread(
        id=thread_id,
        title=title,
        url=url,
        source_format=fmt,
        published_at=article_row.posted_at,
        posts=posts,
        reply_tree="source" if tree else "missing",
        older_ids=_older_ids(thread_id, post_ids, url or title, article_row.id),
    )


def _older_ids(
    thread_id: str, post_ids: dict[str, str], key: str, article_key: str
) -> dict[str, str]:
    """The ids argmap gave this thread and its posts before the article's author and time
    joined the thread's key (2026-12-05): a store it wrote holds the thread under these."""
    older = stable_id("t", "rows", key, article_key)
    return {thread_id: older} | {pid: post_id(older, row) for row, pid in post_ids.items()}


def _first_line(text: str, limit: int = 100) -> str:
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _rows(ids: list[str], verb: str, rest: str) -> str:
    """ "row 'c1' names ..." or "3 rows name ... ('c1', 'c2', 'c3')": which rows, in one line."""
    if len(ids) == 1:
        return f"row {ids[0]!r} {verb}s {rest}; it answers the post now"
    shown = ", ".join(repr(i) for i in ids[:3]) + (
        f" and {len(ids) - 3} more" if len(ids) > 3 else ""
    )
    rest = rest.replace("itself", "themselves")
    return f"{len(ids)} rows {verb} {rest} ({shown}); they answer the post now"
