"""Review times are written as every other time argmap stores (``+00:00``, docs/sources.md
"Times"), and the ``Z`` form older stores hold is read back in that one form."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argmap.graph.export_json import export_json
from argmap.graph.review_history import history
from argmap.graph.store import Store
from argmap.ingest.pipeline import ingest
from review_session import Session, review_sample

ISO_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d")


@pytest.fixture
def reviewed(store: Store, sample_path: Path) -> tuple[Store, Session]:
    ingest(sample_path, store, extractor="offline")
    return store, review_sample(store)


def _times(value: Any) -> Iterator[str]:
    """Every time in an export, including those inside the reviews' before/after states."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _times(item)
    elif isinstance(value, list):
        for item in value:
            yield from _times(item)
    elif isinstance(value, str):
        if ISO_TIME.match(value):
            yield value
        elif value.startswith("{"):
            yield from _times(json.loads(value))


def _forms(times: list[str]) -> set[str]:
    return {"Z" if t.endswith("Z") else t[-6:] if t[-6] in "+-" else "naive" for t in times}


def test_an_export_of_a_reviewed_store_writes_every_time_one_way(reviewed) -> None:
    store, session = reviewed
    doc = export_json(store)
    review_times = [r["at"] for r in doc["reviews"]]
    review_times += [r["reviewed_at"] for r in doc["relations"] if "reviewed_at" in r]

    assert len(doc["reviews"]) == len(session.reviews)
    assert review_times and all(re.search(r"\.\d{6}\+00:00$", t) for t in review_times)
    assert _forms(list(_times(doc))) == {"+00:00"}


def test_review_times_an_older_store_wrote_with_z_are_exported_in_the_one_form(
    reviewed,
) -> None:
    store, session = reviewed
    before = export_json(store)
    key = session.reviews[0].key
    order = [r.id for r in history(store, key)]
    # What argmap before 2026-12-07 stored: the same instants, written with "Z".
    store.run("MATCH (r:Review) SET r.at = replace(r.at, '+00:00', 'Z')")
    store.run(
        "MATCH ()-[e]->() WHERE e.reviewed_at IS NOT NULL "
        "SET e.reviewed_at = replace(e.reviewed_at, '+00:00', 'Z')"
    )
    assert store.run_read("MATCH (r:Review) WHERE r.at ENDS WITH 'Z' RETURN count(r) AS n")[0]["n"]

    after = export_json(store)

    exported = [r["at"] for r in after["reviews"]]
    exported += [r["reviewed_at"] for r in after["relations"] if "reviewed_at" in r]
    assert _forms(exported) == {"+00:00"}
    assert [r["at"] for r in after["reviews"]] == [r["at"] for r in before["reviews"]]
    assert [r.get("reviewed_at") for r in after["relations"]] == [
        r.get("reviewed_at") for r in before["relations"]
    ]
    assert [r.id for r in history(store, key)] == order
