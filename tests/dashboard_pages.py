"""What the dashboard's AppTest modules share: running a page on a real store and reading it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from markdown_runs import shown
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"
TIMEOUT = 180  # seconds per script run: a first run opens the store and imports matplotlib


def serve_with_edits(monkeypatch: pytest.MonkeyPatch, db: Path, graph: str) -> None:
    """Point the dashboard at ``graph`` of the embedded store ``db``, edits allowed, with no
    LLM or Neo4j settings leaking in from the environment."""
    monkeypatch.setenv("ARGMAP_DB", str(db))
    monkeypatch.setenv("ARGMAP_GRAPH", graph)
    monkeypatch.setenv("ARGMAP_DASHBOARD_ALLOW_EDITS", "1")
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "NEO4J_URI"):
        monkeypatch.delenv(var, raising=False)


def open_page(page: str | None = None) -> AppTest:
    """Run the app (on ``views/<page>.py`` if given) and fail on any exception element."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    if page:
        at.switch_page(f"views/{page}.py").run()
    assert_clean(at)
    return at


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def texts(at: AppTest) -> str:
    """Everything the page says in text elements (titles, markdown, captions, alerts)."""
    parts = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "warning",
        "error",
        "text",
    ):
        parts.extend(str(e.value) for e in at.get(kind))
    return "\n".join(parts)


def shown_post(at: AppTest) -> str:
    """The HTML of the post the page shows (a post is the HTML element with ``dir="auto"``;
    the Graph page's map as text, also HTML, comes before it)."""
    posts = [e.proto.body for e in at.get("html") if 'dir="auto"' in e.proto.body]
    assert len(posts) == 1, f"{len(posts)} posts shown"
    return posts[0]


def iframe_srcdoc(at: AppTest) -> str:
    frames = [e for e in at.main if getattr(e, "type", None) == "iframe"]
    assert len(frames) == 1, "the Graph page draws exactly one network frame"
    return frames[0].proto.srcdoc


def frame_data(srcdoc: str) -> dict:
    """The nodes and edges the pyvis page draws (the JSON in its script)."""
    match = re.search(r"var DATA = (\{.*?\});\n", srcdoc, re.S)
    assert match, "no DATA in the network page"
    return json.loads(match.group(1))


def table(at: AppTest, columns: set[str]):
    """The first table shown with (at least) these columns, as the reader sees it: a data grid
    (``st.dataframe``) as it is, a static table's Markdown cells as they read (``shown``)."""
    for df in at.dataframe:
        if columns <= set(df.value.columns):
            return df.value
    for static in at.table:
        if columns <= set(static.value.columns):
            return static.value.map(lambda v: shown(v) if isinstance(v, str) else v)
    raise AssertionError(f"no table with columns {sorted(columns)}")


# A small German thread (written for these tests): the offline extractor draws its replies as
# hidden guesses, so the Review page shows two of its posts side by side.
GERMAN = [
    {
        "id": "a",
        "author": "Anna Becker",
        "title": "Soll die Stadtbibliothek schließen?",
        "text": "Die Schließung der Stadtbibliothek ist ein Fehler. Die Bibliothek ist ein Ort "
        "für alle Menschen in der Stadt. Ohne sie verlieren die Kinder einen Platz zum Lernen.",
    },
    {
        "id": "c1",
        "parent_id": "a",
        "author": "Bernd Vogel",
        "text": "Nein, die Schließung ist kein Fehler. Die Stadt hat kein Geld mehr, und die "
        "Bibliothek wird kaum noch genutzt.",
    },
    {
        "id": "c2",
        "parent_id": "c1",
        "author": "Clara Wolf",
        "text": "Das stimmt nicht. Die Bibliothek wird jeden Tag von vielen Schülern genutzt, das "
        "sehe ich selbst.",
    },
]


def german_thread(folder: Path) -> Path:
    """``GERMAN`` as a JSON Lines thread file in ``folder`` (``argmap ingest`` reads it)."""
    path = folder / "bibliothek.jsonl"
    path.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in GERMAN) + "\n")
    return path
