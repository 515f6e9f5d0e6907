"""Hand labels for ``argmap eval``: one row per comment, as CSV or JSON Lines.

| column | meaning |
| --- | --- |
| ``position`` or ``id`` (``comment_id``; ``comment`` in a file with none of these) | the comment: its place in the thread (article 0, comments 1..n in document order; a whole number) or its id: the one in your source file (a CSV/JSONL ``id``, a Reddit id with or without ``t1_``, a Hacker News item id, a WordPress ``comment-N``) or its post id in the graph (one of the two is required) |
| ``parent`` | the post it answers, the same way (``0`` = the article, also ``-1``, ``root``, ``article``, ``top``); empty or ``?`` = not labelled (also read as ``reply_to`` / ``in_reply_to``, or as ``parent_position`` or ``parent_id``, which say which of the two it is) |
| ``is_spam`` | ``1``/``0`` (``true``/``false``, ``yes``/``no``); empty = not labelled (also ``spam``) |
| ``stance`` | what the comment does to its parent: ``rebuts``, ``supports`` or ``none``; empty = not labelled (``con``/``pro``, ``rebut``/``support``, ``attack``, ``disagree``/``agree``, ``-1``/``1``/``0`` too) |
| ``relations`` | instead of ``stance``: the comment's relations to any posts, ``rebuts:12; supports:0`` (type, colon, post); ``none`` for no relation |
| ``thread`` (``thread_id``, ``thread_url``, ``thread_title``) | optional: the thread the row labels, by id, URL or title; rows of other threads are left to their own ``--thread`` |

Other columns (an annotator's ``confidence``, a ``reason``...) are kept out of the figures; a file
with none of ``parent``, ``is_spam``, ``stance``, ``relations`` is refused. Column names are read
without case, and spaces or hyphens in them as ``_`` (``Parent ID`` is ``parent_id``). The CSV may
be comma-, semicolon- or tab-separated (the header row, or Excel's ``sep=;`` line above it, tells
which; blank lines above the header are skipped), decoded as a thread file is
(``argmap.core.text_encoding``: UTF-8, UTF-16 with a BOM, else Windows-1252, with a note); rows
with every cell empty are skipped, and ``3.0`` is read as ``3`` (a spreadsheet's or pandas'
numbers). A JSONL row is an object with the
same keys (``parent``, ``position`` may be numbers, ``is_spam`` true/false, ``null`` is empty); a
JSON array of such objects is read the same. A row that cannot be read is one ``LabelError`` line
naming the file, the line and what to write instead; so is a file that holds no labels (a header
alone), a spreadsheet workbook, an argmap export, or one JSON object wrapping the list. JSON
objects written with ``indent=`` (one after another, over several lines) are read as JSON Lines.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any, Literal

from argmap.graph.eval_label_words import FALSE, STANCES, TOP_LEVEL, TRUE, Stance
from pydantic import BaseModel

from argmap.core.errors import ArgmapError
from argmap.core.file_kinds import OLE, ZIP
from argmap.core.text_encoding import UTF16_BOMS, UndecodableText, decode_text

# ``comment`` names the comment only in a file with none of the others (else it is its text).
_KEY = ("position", "id", "comment_id", "comment")
_PARENT = ("parent", "parent_position", "parent_id", "reply_to", "in_reply_to")
_SCORED = frozenset({*_PARENT, "is_spam", "spam", "stance", "relations"})
# Which thread a row labels (optional): its id, URL or title; eval checks it, or picks by it.
_THREAD = ("thread", "thread_id", "thread_url", "thread_title")
_ID_COLUMNS = frozenset({"id", "comment_id", "parent_id"})  # an id there even if it is all digits
# These say neither: digits in them are read the way the comment column reads its own.
_NEUTRAL_PARENTS = frozenset({"parent", "reply_to", "in_reply_to"})
_UNLABELLED = frozenset({"", "?"})
_SEP_LINE = re.compile(r"sep=([,;\t|])", re.IGNORECASE)  # Excel's first line: the separator
_WHOLE = re.compile(r"^[-+]?\d+\.0*$")  # 3.0: a spreadsheet's or pandas' integer
_SPAM = ("is_spam", "spam")
# Zip (.xlsx, .ods, .numbers) and OLE (.xls): what "Save" in a spreadsheet writes, not CSV.
_WORKBOOKS = (ZIP, OLE)


class LabelError(ArgmapError):
    """A label file that cannot be read: the message names the file, the line and the fix."""


class Label(BaseModel):
    """One labelled comment; ``None`` fields were not labelled."""

    line: int
    where: str = ""  # "labels.csv:12", for an error naming the row
    comment: str  # a position ("12") or an id (the source's or the graph's)
    parent: str | None = None
    parent_blank: bool = False  # a parent cell left empty (a JSON null), not a key left out
    # Named by an id column: digits are an id first (a Hacker News item), a position only if no
    # post has that id. Otherwise digits are a position.
    comment_is_id: bool = False
    parent_is_id: bool = False
    is_spam: bool | None = None
    stance: Stance | None = None
    relations: list[tuple[Literal["rebuts", "supports"], str]] | None = None
    thread: str | None = None  # the thread it labels, if the file says (id, URL or title)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, list):  # JSON relations: ["rebuts:3", ...] or [{"type", "target"}, ...]
        return "; ".join(
            f"{v.get('type', '')}:{_text(v.get('target'))}" if isinstance(v, dict) else _text(v)
            for v in value
        )
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if _WHOLE.match(text):
        text = text.split(".")[0].lstrip("+")
    return "" if text in _UNLABELLED else text


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
        target = "0" if target.strip().casefold() in TOP_LEVEL else target.strip()
        stance = STANCES.get(kind.strip().casefold())
        # "rebuts:3 supports:0" (no separator) would name a post "3 supports:0".
        malformed = not target or ":" in target or len(target.split()) > 1
        if not sep or malformed or stance not in ("rebuts", "supports"):
            raise LabelError(
                f"{where}: relations {value!r}: write 'rebuts:POST; supports:POST' "
                "(POST a position or a post id)"
            )
        out.append((stance, target))
    return out


def _name(column: Any) -> str:
    """A column name as the tables above spell it: ``Parent ID`` and ``parent-id`` are ``parent_id``."""
    return re.sub(r"[\s\-]+", "_", str(column).strip().casefold())


def _label(raw: dict[str, Any], where: str, line: int) -> Label | None:
    row = {_name(k): _text(v) for k, v in raw.items() if k is not None}
    if not any(row.values()):
        return None  # a spreadsheet's empty row (",,,,")
    keys = _KEY[:-1] if any(k in row for k in _KEY[:-1]) else _KEY
    comment = _first(row, keys)
    if not comment:
        raise LabelError(f"{where}: no comment: give a 'position' (1..n) or an 'id' column")
    spam_text = _first(row, _SPAM).casefold()
    if spam_text and spam_text not in TRUE | FALSE:
        raise LabelError(f"{where}: is_spam {spam_text!r}: write 1 or 0 (or leave it empty)")
    stance_text = row.get("stance", "").casefold()
    if stance_text and stance_text not in STANCES:
        raise LabelError(
            f"{where}: stance {stance_text!r}: write rebuts, supports or none (or leave it empty)"
        )
    relations = row.get("relations", "")
    parent = _first(row, _PARENT) or None
    if parent is not None and parent.casefold() in TOP_LEVEL:
        parent = "0"
    comment_is_id = _column(row, keys) in _ID_COLUMNS
    if _column(row, keys) == "position" and not comment.isdigit():
        # "-3", "1.5", "one": read as an id it would name nothing, and the row would be lost.
        raise LabelError(
            f"{where}: position {comment!r}: write the comment's place in the thread, 1..n "
            "(the article is 0); a comment named by an id goes in an 'id' column"
        )
    parent_column = _column(row, _PARENT)
    return Label(
        line=line,
        where=where,
        comment=comment,
        parent=parent,
        # "?" says "not labelled" outright; only an empty cell may have meant the article.
        parent_blank=parent is None
        and any(k in row for k in _PARENT)
        and not any(_name(k) in _PARENT and str(v).strip() == "?" for k, v in raw.items()),
        comment_is_id=comment_is_id,
        parent_is_id=parent_column in _ID_COLUMNS
        or (parent_column in _NEUTRAL_PARENTS and comment_is_id),
        is_spam=(spam_text in TRUE) if spam_text else None,
        stance=STANCES[stance_text] if stance_text else None,
        relations=_relations(relations, where) if relations else None,
        thread=_first(row, _THREAD) or None,
    )


def _json_rows(text: str, origin: str) -> list[tuple[dict[str, Any], str, int]]:
    """JSON Lines (one object a line) or a JSON array of objects: (row, where, line)."""
    if text.lstrip().startswith("["):
        try:
            items = json.loads(text)
        except json.JSONDecodeError as exc:
            raise LabelError(
                f"{origin}:{exc.lineno}: not JSON ({exc.msg}); a JSON array of objects, or one "
                "object per line"
            ) from None
        if not isinstance(items, list):
            raise LabelError(f"{origin}: not a JSON array of objects")
        numbered = [(item, f"{origin}: item {n}", n) for n, item in enumerate(items, start=1)]
    else:
        numbered = []
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                numbered.append((json.loads(line), f"{origin}:{n}", n))
            except json.JSONDecodeError as exc:
                # Objects written with indent= span lines: read them as the stream they are.
                numbered = _json_stream(text, origin) or []
                if not numbered:
                    raise LabelError(
                        f"{origin}:{n}: not JSON ({exc.msg}); one object per line"
                    ) from None
                break
    for item, where, _ in numbered:
        if not isinstance(item, dict):
            raise LabelError(f"{where}: not a JSON object; one object per line")
    if len(numbered) == 1:
        _check_not_a_wrapper(numbered[0][0], origin)
    return numbered


def _json_stream(text: str, origin: str) -> list[tuple[Any, str, int]] | None:
    """Whole JSON values one after another, however they are spread over lines; ``None`` if the
    text is not that."""
    decoder = json.JSONDecoder()
    out: list[tuple[Any, str, int]] = []
    at = 0
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if at == len(text):
            return out
        try:
            item, end = decoder.raw_decode(text, at)
        except json.JSONDecodeError:
            return None
        line = text.count("\n", 0, at) + 1
        out.append((item, f"{origin}:{line}", line))
        at = end


def _check_not_a_wrapper(item: dict[str, Any], origin: str) -> None:
    """One JSON object that is not a label: an argmap export, or labels wrapped in an object."""
    if item.get("format") == "argmap-json":
        raise LabelError(
            f"{origin}: is an argmap JSON export (a graph), not labels: give it as --export "
            f"{origin}, and a CSV or JSONL file of your labels as LABELS"
        )
    wrapped = [k for k, v in item.items() if k != "relations" and _objects(v)]
    if wrapped:
        raise LabelError(
            f"{origin}: one JSON object holding a list of objects under {wrapped[0]!r}: write the "
            "labels one object per line (JSON Lines), or as that list alone (a JSON array)"
        )


def _objects(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _delimiter(header_line: str) -> str:
    """The separator that makes the header name a comment column: comma, semicolon or tab."""
    for sep in (",", ";", "\t"):
        if {_name(c) for c in next(csv.reader([header_line], delimiter=sep))} & set(_KEY):
            return sep
    return ","


def _csv_rows(text: str, origin: str) -> list[tuple[dict[str, Any], str, int]]:
    # Blank lines above the header, and Excel's "sep=;" line, say nothing about the labels; the
    # rows keep their line numbers in the file.
    lines = text.splitlines(keepends=True)
    skip = next((n for n, line in enumerate(lines) if line.strip()), len(lines))
    sep = _SEP_LINE.fullmatch(lines[skip].rstrip("\r\n")) if skip < len(lines) else None
    skip += sep is not None
    body = "".join(lines[skip:])
    delimiter = sep.group(1) if sep else _delimiter(body.splitlines()[0] if body else "")
    reader = csv.DictReader(io.StringIO(body), delimiter=delimiter)
    header = {_name(h or "") for h in reader.fieldnames or []}
    if not header & set(_KEY):
        first = body.splitlines()[0] if body else ""
        shown = first if len(first) <= 60 else first[:57] + "..."
        raise LabelError(
            f"{origin}:{skip + 1}: no 'position' or 'id' column in the header ({shown!r}); the "
            "first row names the columns (position,parent,is_spam,stance), separated by commas, "
            "semicolons or tabs"
        )
    rows = []
    start = skip + reader.line_num + 1
    for raw in reader:
        # The line a row starts on: a quoted cell may span lines.
        rows.append((raw, f"{origin}:{start}", start))
        start = skip + reader.line_num + 1
    return rows


def parse_labels(text: str, origin: str) -> list[Label]:
    """Labels from CSV text (a header row; comma, semicolon or tab), JSON Lines (a line starting
    with ``{``) or a JSON array of objects."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise LabelError(
            f"{origin}: the label file is empty; see 'argmap eval --help' for the format"
        )
    start = text.lstrip()[:1]
    rows = _json_rows(text, origin) if start in "{[" else _csv_rows(text, origin)
    columns = {_name(k) for raw, _, _ in rows for k, v in raw.items() if k is not None}
    if rows and not columns & _SCORED:
        shown = ", ".join(sorted(columns))
        raise LabelError(
            f"{origin}: nothing to score: name a column parent, is_spam, stance or relations "
            f"(the file has {shown})"
        )
    labels = [x for raw, where, n in rows if (x := _label(raw, where, n)) is not None]
    if not labels:
        # Scored, it would print a thread's name and no figure, as if all were well.
        raise LabelError(
            f"{origin}: no labels in it, only "
            + ("an empty JSON array" if start == "[" else "a header row")
            + ": add one row per comment (position,parent,is_spam,stance)"
        )
    return _once(labels)


def _once(labels: list[Label]) -> list[Label]:
    """``labels`` with a row repeated word for word (a paste twice over) counted once; two rows
    saying different things of one comment are refused: which one is meant?"""
    seen: dict[tuple[str, str], Label] = {}
    kept = []
    for label in labels:
        key = ((label.thread or "").casefold(), label.comment)  # comment 3 of each thread named
        first = seen.setdefault(key, label)
        if first is label:
            kept.append(label)
        elif _said(first) != _said(label):
            raise LabelError(
                f"{label.where}: comment {label.comment} is labelled twice (first on line "
                f"{first.line}); keep one row per comment"
            )
    return kept


def _said(label: Label) -> dict[str, Any]:
    return label.model_dump(exclude={"line", "where"})


def _decode(data: bytes, path: Path, encoding: str | None, notes: list[str] | None) -> str:
    """The label file's text, by the rule thread files follow (``argmap.core.text_encoding``)."""
    if data.startswith(_WORKBOOKS):
        raise LabelError(
            f"{path}: is a spreadsheet workbook (.xlsx, .ods or .xls), not CSV: save the sheet as "
            "CSV (UTF-8) from the spreadsheet and give that file"
        )
    if b"\x00" in data and not data.startswith(UTF16_BOMS):
        raise LabelError(f"{path}: is not a text file; give a CSV or JSONL label file")
    try:
        text, note = decode_text(data, str(path), encoding)
    except UndecodableText as exc:
        raise LabelError(str(exc)) from None
    if note is not None and notes is not None:
        notes.append(note)
    return text


def load_labels(
    path: Path, encoding: str | None = None, notes: list[str] | None = None
) -> list[Label]:
    """The labels in ``path`` (CSV, JSONL or a JSON array); ``LabelError`` with one line if
    unusable. Decoded as a thread file is (``encoding`` for a file without a byte-order mark);
    when it was not UTF-8, the line saying how it was read is added to ``notes``."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise LabelError(f"{path}: no such label file; check the path") from None
    except IsADirectoryError:
        raise LabelError(f"{path}: is a directory; give a CSV or JSONL label file") from None
    said: list[str] = []
    text = _decode(data, path, encoding, said)
    if notes is not None:
        notes.extend(said)
    try:
        return parse_labels(text, str(path))
    except LabelError as exc:
        # A header quoted as 'Ïîçèöèÿ' (cp1251 read as Windows-1252) is explained by the note.
        for line in said:
            exc.add_note(line)
        raise
