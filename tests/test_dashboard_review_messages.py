"""The Review page's messages name claims by id, and an argmap JSON file may give a claim any id:
one written as Markdown (an image on another site) must show as text, never load the image.

Streamlit's AppTest on a real store; the messages are checked as the Markdown the page sends
to the browser (an alert's body is rendered as Markdown there).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from argmap.graph.store import Store, open_store
from argmap.ingest.pipeline import ingest
from dashboard_pages import assert_clean, open_page, serve_with_edits
from markdown_runs import finds, shown, unwrapped

BEACON = "![seen](http://evil.example/beacon.png)"
ATTACKER = f"c_{BEACON}"
TARGET = "c_target"
ARTICLE = "The library will close on Sundays to save money."
REPLY = "I disagree: that is not true, Sunday is the only day many parents can come."


def hostile_file(
    path: Path, attacker: str = ATTACKER, rationale: str = "reply opens with 'I disagree'"
) -> Path:
    """An argmap JSON v1 thread of one relation, ``attacker`` (the reply's claim id: by
    default a Markdown image) rebutting the article, with ``rationale`` for the machine's notes."""
    post = {"thread_id": "t_1", "posted_at": "2024-05-02T09:00:00Z", "is_spam": False}
    claim = {"extractor": "offline"}
    doc = {
        "format": "argmap-json",
        "version": 1,
        "threads": [{"id": "t_1", "title": "Sundays", "source_format": "csv"}],
        "posts": [
            {**post, "id": "p_1", "kind": "article", "author": "Council", "position": 0}
            | {"parent_id": None, "text": ARTICLE},
            {**post, "id": "p_2", "kind": "comment", "author": "Ines", "position": 1}
            | {"parent_id": "p_1", "text": REPLY},
        ],
        "claims": [
            {**claim, "id": TARGET, "post_id": "p_1", "text": ARTICLE, "quote": ARTICLE}
            | {"start": 0, "end": len(ARTICLE)},
            {**claim, "id": attacker, "post_id": "p_2", "text": REPLY, "quote": REPLY}
            | {"start": 0, "end": len(REPLY)},
        ],
        "relations": [
            {"source": attacker, "target": TARGET, "type": "rebuts", "confidence": 0.4}
            | {"rationale": rationale, "extractor": "offline"}
        ],
    }
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.fixture
def hostile_review(
    monkeypatch: pytest.MonkeyPatch, falkordb_dir: Path, graph_name: str, tmp_path: Path
) -> Iterator[Store]:
    store = open_store(str(falkordb_dir), graph_name)
    ingest(hostile_file(tmp_path / "graph.json"), store)
    serve_with_edits(monkeypatch, falkordb_dir, graph_name)
    yield store
    store.clear()
    store.close()


def alerts(at) -> list[str]:
    return [str(a.value) for kind in (at.success, at.warning, at.error) for a in kind]


def assert_inert(said: list[str]) -> None:
    """The id is in the message, escaped: no image, no link syntax left for Markdown to read,
    no address for it to link (its "http" starts with a bare span: ``render.message``)."""
    assert any("evil.example/beacon.png" in s for s in said), said
    # A "[" or "<" not escaped by a backslash would open a link, an image or HTML.
    assert not [s for s in said if re.search(r"(?<!\\)[\[\]<]", unwrapped(s))], said
    assert any(r"!\[seen\](http://evil.example/beacon.png)" in unwrapped(s) for s in said), said
    assert any(BEACON in shown(s) for s in said), said  # what a reader sees: the id itself
    assert not [finds(s) for s in said if finds(s)], said


def test_undoing_a_decision_on_a_hostile_id_shows_the_id_as_text(hostile_review: Store) -> None:
    at = open_page("review")
    at.text_input(key="rv_name_in").input("Ann")
    next(b for b in at.button if b.label == "Start reviewing").click().run()
    at.multiselect(key="rv_kinds").set_value(["relation"]).run()
    at.button(key="rv_accept").click().run()
    assert_clean(at)
    at.button(key="rv_undo").click().run()
    assert_clean(at)
    said = alerts(at)
    assert any(s.startswith("Undone: accept of relation:") for s in said), said
    assert_inert(said)


def test_drawing_a_relation_from_a_hostile_id_shows_the_id_as_text(hostile_review: Store) -> None:
    at = open_page("review")
    at.text_input(key="rv_name_in").input("Ann")
    next(b for b in at.button if b.label == "Start reviewing").click().run()
    at.text_input(key="rv_add_src").input(ATTACKER)
    at.text_input(key="rv_add_dst").input(TARGET)
    at.button(key="rv_add").click().run()  # it exists already: the refusal names both ids
    assert not at.exception
    said = alerts(at)
    assert any("already rebuts" in s for s in said), said
    assert_inert(said)
