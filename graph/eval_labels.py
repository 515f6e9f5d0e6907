"""Hand labels for ``argmap eval``: one row per comment, as CSV or JSON Lines.

| column | meaning |
| --- | --- |
| ``position`` or ``id`` | the comment: its place in the thread (article 0, comments 1..n in document order) or its id: the one in your source file (a CSV/JSONL ``id``, a Reddit id with or without ``t1_``, a Hacker News item id, a WordPress ``comment-N``) or its post id in the graph (one of the two is required) |
| ``parent`` | the post it answers, the same way (``0`` = the article, also ``-1``, ``root``, ``article``, ``top``); empty = not labelled (also read as ``parent_position`` or ``parent_id``, which say which of the two it is) |
| ``is_spam`` | ``1``/``0`` (``true``/``false``, ``yes``/``no``); empty = not labelled (also ``spam``) |
| ``stance`` | what the comment does to its parent: ``rebuts``, ``supports`` or ``none``; empty = not labelled (``con``/``pro``, ``rebut``/``support``, ``attack``, ``disagree``/``agree``, ``-1``/``1``/``0`` too) |
| ``relations`` | instead of ``stance``: the comment's relations to any posts, ``rebuts:12; supports:0`` (type, colon, post); ``none`` for no relation |

Other columns (an annotator's ``confidence``, a ``reason``...) are kept out of the figures. A
JSONL row is an object with the same keys (``parent``, ``position`` may be numbers). A row that
cannot be read is one ``LabelError`` line naming the file, the line and what to write instead.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from argmap.core.errors import ArgmapError

Stance = Literal["rebuts", "supports", "none"]

_KEY = ("position", "id", "comment", "comment_id")
_PARENT = ("parent", "parent_position", "parent_id")
# How label files say "answers the article" besides 0 (a top-level comment).
_TOP_LEVEL = frozenset({"-1", "root", "article", "top", "top-level", "toplevel"})
_ID_COLUMNS = frozenset({"id", "comment_id", "parent_id"})  # an id there even if it is all digits
_SPAM = ("is_spam", "spam")
_STANCES: dict[str, Stance] = {
    "rebuts": "rebuts",
    "rebut": "rebuts",
    "con": "rebuts",
    "against": "rebuts",
    "attack": "rebuts",
    "attacks": "rebuts",
    "disagree": "rebuts",
    "disagrees": "rebuts",
    "oppose": "rebuts",
    "opposes": "rebuts",
    "-1": "rebuts",
    "supports": "supports",
    "support": "supports",
    "pro": "supports",
    "for": "supports",
    "agree": "supports",
    "agrees": "supports",
    "favor": "supports",
    "favour": "supports",
    "1": "supports",
    "+1": "supports",
    "none": "none",
    "neutral": "none",
    "neither": "none",
    "0": "none",
}
_TRUE = frozenset({"1", "true", "yes", "y", "spam"})
_FALSE = frozenset({"0", "false", "no", "n", "ham", "genuine"})


class LabelError(ArgmapError):
    """A label file that cannot be read: the message names the file, the line and the fix."""


class Label(BaseModel):
    """One labelled comment; ``None`` fields were not labelled."""

    line: int
    comment: str  # a position ("12") or an id (the source's or the graph's)
    parent: str | None = None
    # Named by an id column: digits are an id first (a Hacker News item), a position only if no
    # post has that id. Otherwise digits are a position.
    comment_is_id: bool = False
    parent_is_id: bool = False
    is_spam: bool | None = None
    stance: Stance | None = None
    relations: list[tuple[Literal["rebuts", "supports"], str]] | None = None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _first(row: dict[str, str], names: tuple[str, ...]) -> str:
    return next((row[n] for n in names if row.get(n)), "")


def _column(row: dict[str, str], names: tuple[str, ...]) -> str:
    return next((n for n in names if row.get(n)), "")


def _relations(value: str, where: str) -> list[tuple[Literal["rebuts", "supports"], str]]:
    if value.casefold() in ("none", "-"):
        return []
    out: list[tuple[Literal["rebuts", "supports"], str]] = []
    for part in value.replace(",", ";").split(";"):
        if not part.strip():
            continue
        kind, sep, target = part.partition(":")
        stance = _STANCES.get(kind.strip().casefold())
        if not sep or not target.strip() or stance not in ("rebuts", "supports"):
            raise LabelError(
                f"{where}: relations {value!r}: write 'rebuts:POST; supports:POST' "
                "(POST a position or a post id)"
            )
        out.append((stance, target.strip()))
    return out


def _label(raw: dict[str, Any], where: str, line: int) -> Label:
    row = {str(k).strip().casefold(): _text(v) for k, v in raw.items() if k is not None}
    comment = _first(row, _KEY)
    if not comment:
        raise LabelError(f"{where}: no comment: give a 'position' (1..n) or an 'id' column")
    spam_text = _first(row, _SPAM).casefold()
    if spam_text and spam_text not in _TRUE | _FALSE:
        raise LabelError(f"{where}: is_spam {spam_text!r}: write 1 or 0 (or leave it empty)")
    stance_text = row.get("stance", "").casefold()
    if stance_text and stance_text not in _STANCES:
        raise LabelError(
            f"{where}: stance {stance_text!r}: write rebuts, supports or none (or leave it empty)"
        )
    relations = row.get("relations", "")
    parent = _first(row, _PARENT) or None
    if parent is not None and parent.casefold() in _TOP_LEVEL:
        parent = "0"
    return Label(
        line=line,
        comment=comment,
        parent=parent,
        comment_is_id=_column(row, _KEY) in _ID_COLUMNS,
        parent_is_id=_column(row, _PARENT) in _ID_COLUMNS,
        is_spam=(spam_text in _TRUE) if spam_text else None,
        stance=_STANCES[stance_text] if stance_text else None,
        relations=_relations(relations, where) if relations else None,
    )


def parse_labels(text: str, origin: str) -> list[Label]:
    """Labels from CSV text (a header row) or JSON Lines (a line starting with ``{``)."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise LabelError(
            f"{origin}: the label file is empty; see 'argmap eval --help' for the format"
        )
    labels: list[Label] = []
    if text.lstrip().startswith("{"):
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                raise LabelError(
                    f"{origin}:{n}: not JSON ({exc.msg}); one object per line"
                ) from None
            if not isinstance(raw, dict):
                raise LabelError(f"{origin}:{n}: not a JSON object; one object per line")
            labels.append(_label(raw, f"{origin}:{n}", n))
    else:
        reader = csv.DictReader(io.StringIO(text))
        header = {(h or "").strip().casefold() for h in reader.fieldnames or []}
        if not header & set(_KEY):
            raise LabelError(
                f"{origin}: no 'position' or 'id' column in the header; the first row names the "
                "columns (position,parent,is_spam,stance)"
            )
        for raw in reader:
            at = reader.line_num
            labels.append(_label(raw, f"{origin}:{at}", at))
    seen: dict[str, int] = {}
    for label in labels:
        if label.comment in seen:
            raise LabelError(
                f"{origin}:{label.line}: comment {label.comment} is labelled twice (first on line "
                f"{seen[label.comment]}); keep one row per comment"
            )
        seen[label.comment] = label.line
    return labels


def load_labels(path: Path) -> list[Label]:
    """The labels in ``path`` (CSV or JSONL); ``LabelError`` with one line if unusable."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LabelError(f"{path}: no such label file; check the path") from None
    except IsADirectoryError:
        raise LabelError(f"{path}: is a directory; give a CSV or JSONL label file") from None
    except UnicodeDecodeError:
        raise LabelError(f"{path}: is not UTF-8 text; save the labels as UTF-8") from None
    return parse_labels(text, str(path))
