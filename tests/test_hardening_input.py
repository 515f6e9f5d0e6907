"""Issue 18: one line for every bad input, nothing silently changed (lone surrogates, times out
of range, duplicate ids, an object as author, positions past 64 bits, a picture too big to
draw). Each test failed before its fix (the reproduction is in its docstring)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from argmap.graph.store import Store
from argmap.ingest.pipeline import ingest
from hardening_data import ROWS, _count, _jsonl, _write_rows, runner

from argmap.cli import app
from argmap.core.errors import SourceError

# --- 6 and 10. one line for bad input, nothing silently changed -------------------------------


def test_a_lone_surrogate_is_one_line_and_writes_nothing(
    argmap_env: Path, store: Store, tmp_path: Path
) -> None:
    """Was: a traceback (UnicodeEncodeError) and an empty Thread left in the store."""
    rows = [dict(r) for r in ROWS]
    rows[1]["text"] = "broken \ud800 text"
    path = _jsonl(tmp_path / "t.jsonl", rows)
    result = runner.invoke(app, ["ingest", str(path)])
    assert result.exit_code == 1
    assert "lone surrogate" in result.stderr and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1
    assert _count(store, "Thread") == 0 and _count(store, "Post") == 0


def _reddit(created: float, duplicate: bool = False) -> str:
    comment = {
        "kind": "t1",
        "data": {
            "id": "c1",
            "name": "t1_c1",
            "author": "a",
            "body": "Hi there.",
            "created_utc": created,
            "parent_id": "t3_p",
            "replies": "",
        },
    }
    children = [comment, comment] if duplicate else [comment]
    return json.dumps([
        {"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {
            "id": "p", "name": "t3_p", "title": "T", "author": "op", "selftext": "Post.", "created_utc": 1.7e9}}]}},
        {"kind": "Listing", "data": {"children": children}},
    ])  # fmt: skip


def _hn(created: float, duplicate: bool = False) -> str:
    child = {
        "id": 2,
        "author": "b",
        "text": "<p>Reply.</p>",
        "created_at_i": created,
        "parent_id": 1,
        "children": [],
    }
    return json.dumps({"id": 1, "story_id": 1, "author": "a", "title": "T", "text": "Post.",
                       "created_at_i": 1.7e9, "children": [child, child] if duplicate else [child]})  # fmt: skip


@pytest.mark.parametrize("name,text", [("r.json", _reddit(1e300)), ("h.json", _hn(1e20))])
def test_out_of_range_times_are_a_warning_not_an_overflow(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, name: str, text: str
) -> None:
    from argmap.ingest.sources import load_threads

    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="argmap"):
        threads = load_threads(path)
    assert threads[0].comments[0].posted_at is None
    assert "out of range" in caplog.text


@pytest.mark.parametrize(
    "name,text", [("r.json", _reddit(1.7e9, True)), ("h.json", _hn(1.7e9, True))]
)
def test_duplicate_ids_are_dropped_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, name: str, text: str
) -> None:
    from argmap.ingest.sources import load_threads

    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="argmap"):
        threads = load_threads(path)
    assert len(threads[0].comments) == 1 and "more than once" in caplog.text


def test_a_json_object_as_author_is_refused(tmp_path: Path) -> None:
    """Was: stored as the text "{'x': 1}"."""
    from argmap.ingest.sources import load_threads

    rows = [dict(r) for r in ROWS]
    rows[1]["author"] = {"x": 1}  # type: ignore[assignment]  # the bad input under test
    with pytest.raises(SourceError, match=r"author: is an object, not text"):
        load_threads(_jsonl(tmp_path / "t.jsonl", rows))


def test_a_position_past_64_bits_is_refused(store: Store, tmp_path: Path) -> None:
    """Was: a position of 10**30 stored as 2**63-1."""
    doc = {
        "format": "argmap-json", "version": 1,
        "threads": [{"id": "t1", "title": "T", "url": None, "source_format": "csv", "published_at": None}],
        "posts": [{"id": "p1", "thread_id": "t1", "kind": "article", "author": "a", "posted_at": None,
                   "position": 10**30, "parent_id": None, "is_spam": False, "text": "x"}],
        "claims": [], "relations": [],
    }  # fmt: skip
    path = tmp_path / "big.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(SourceError, match="64-bit"):
        ingest(path, store)
    assert _count(store, "Post") == 0


def test_a_picture_of_a_hundred_thousand_claims_is_refused_at_once(
    argmap_env: Path, store: Store, tmp_path: Path
) -> None:
    """Was: MemoryError after 95 s."""
    ingest(_write_rows(tmp_path / "t.csv", ROWS), store, extractor="offline")
    result = runner.invoke(
        app, ["export", "-f", "png", "--max-nodes", "100000", "-o", str(tmp_path / "x.png")]
    )
    assert result.exit_code == 1 and "at most 1000 claims" in result.stderr
    assert not (tmp_path / "x.png").exists()
