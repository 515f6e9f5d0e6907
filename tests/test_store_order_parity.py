"""The same graph on Neo4j and FalkorDB lists the same rows in the same order, ties included.

Two threads with the same debate tie on every count and place (each article's claims at
position 0, drawing the same rebuttals); they are written in opposite orders to the two stores,
so a tie left to the database's internal ids comes out in a different order on each. Every
order a page or ``argmap query --json`` shows must be defined by the data (``test_neo4j_parity``
compares the sample, written in the same order to both).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from argmap.graph import queries, summary_reads
from argmap.graph.store import Store
from argmap.graph.summary import refresh_summary
from dashboard_pages import open_page
from streamlit.testing.v1 import AppTest
from test_overview import debate, load

pytestmark = pytest.mark.neo4j

# What the pages read (``dashboard.reads``): live, and from the writer's summary.
READS: dict[str, Callable[[Store], Any]] = {
    "thread_list": summary_reads.thread_list,
    "counts": summary_reads.counts,
    "activity": summary_reads.activity,
    "active_debaters": summary_reads.active_debaters,
    "extraction_info": summary_reads.extraction_info,
    "people": summary_reads.people,
    "claim_choices": summary_reads.claim_choices,
    "rebuttal_choices": summary_reads.rebuttal_choices,
    "theses": summary_reads.theses,
    "contested": summary_reads.contested,
    "unanswered": summary_reads.unanswered,
    "interactions": summary_reads.interactions,
    "most_rebutted": lambda s: summary_reads.most_rebutted(s, None),
    "chains": lambda s: queries.chains(s, limit=None),
    "search": lambda s: queries.search(s, "parties", limit=None),
}
COMMANDS = [
    ["theses"],
    ["contested"],
    ["unanswered"],
    ["interactions"],
    ["chains", "--limit", "100"],
    ["search", "parties"],
]


def _dump(rows: Any) -> Any:
    if isinstance(rows, list | tuple):
        return [_dump(r) for r in rows]
    return rows.model_dump() if hasattr(rows, "model_dump") else rows


@pytest.fixture
def both(store: Store, neo4j_store: Store) -> tuple[Store, Store]:
    """Threads "one" then "two" on FalkorDB, "two" then "one" on Neo4j."""
    load(store, "one")
    load(store, "two")
    load(neo4j_store, "two")
    load(neo4j_store, "one")
    return store, neo4j_store


def _run(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], args: list[str]) -> str:
    """``argmap ARGS`` against the store ``env`` names; its standard output."""
    from typer.testing import CliRunner

    from argmap.cli import app

    with monkeypatch.context() as m:
        for var in ("ARGMAP_GRAPH", "NEO4J_URI", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
            m.delenv(var, raising=False)
        for var, value in env.items():
            m.setenv(var, value)
        result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return result.stdout


def _cli(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], args: list[str]) -> Any:
    return json.loads(_run(monkeypatch, env, ["query", *args, "--json"]))


def test_every_page_read_and_query_lists_the_same_rows_in_the_same_order(
    both: tuple[Store, Store],
    monkeypatch: pytest.MonkeyPatch,
    argmap_env: Path,
    graph_name: str,
    neo4j_server: Any,
) -> None:
    falkordb, neo4j = both
    embedded = {"ARGMAP_DB": str(argmap_env), "ARGMAP_GRAPH": graph_name}
    # A review decision or two, the same on both: a rebuttal rejected, a comment marked spam.
    one, _, one_relations = debate("one")
    two, _, _ = debate("two")
    decisions = [
        ["review", "reject", one_relations[0].source, one_relations[0].target],
        ["review", "spam", two.posts[2].id],
    ]
    for env in (embedded, neo4j_server.env()):
        for args in decisions:
            _run(monkeypatch, env, [*args, "--reviewer", "Eve"])
    for when in ("live", "from the summary"):
        for name, read in READS.items():
            want = _dump(read(falkordb))
            assert want, f"{name} is empty: the comparison would prove nothing"
            assert _dump(read(neo4j)) == want, f"{name}, {when}"
        refresh_summary(falkordb)
        refresh_summary(neo4j)
    # The tie the pickers broke by internal ids: the two articles' first claims, each left with
    # one rebuttal (one by the rejection, the other by the spam).
    choices = summary_reads.claim_choices(falkordb)
    tied = [c for c in choices if c.text == "Parties must grow"]
    assert len(tied) == 2 and tied[0].rebuttals == tied[1].rebuttals and tied[0].id < tied[1].id

    for args in COMMANDS:
        want = _cli(monkeypatch, embedded, args)
        assert want, args
        assert _cli(monkeypatch, neo4j_server.env(), args) == want, args


PAGES = [None, "graph", "chains", "search", "export", "review"]


def page_content(at: AppTest) -> dict[str, list[Any]]:
    """What a page shows: its text, figures, tables, pickers, HTML and network frame (the
    captions about the store left out: they differ by design)."""
    shown: dict[str, list[Any]] = {}
    about_the_store = ("Store:", "Run it with `ARGMAP_DB`")
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning"):
        shown[kind] = [
            e.value for e in at.get(kind) if not str(e.value).startswith(about_the_store)
        ]
    shown["metric"] = [(m.label, m.value) for m in at.metric]
    shown["tables"] = [df.value.to_dict("split") for df in at.dataframe]
    shown["static tables"] = [t.value.to_dict("split") for t in at.table]
    shown["pickers"] = [(b.key, list(b.options), b.value) for b in at.selectbox]
    shown["multi"] = [(b.key, list(b.options), b.value) for b in at.multiselect]
    shown["html"] = [e.proto.body for e in at.get("html")]
    shown["frames"] = [e.proto.srcdoc for e in at.main if getattr(e, "type", None) == "iframe"]
    return shown


def test_every_page_and_the_claim_behind_each_picker_entry_are_the_same_on_both_stores(
    both: tuple[Store, Store],
    monkeypatch: pytest.MonkeyPatch,
    argmap_env: Path,
    neo4j_server: Any,
) -> None:
    def pages() -> dict[str | None, dict[str, list[Any]]]:
        shown = {}
        for page in PAGES:
            at = open_page(page)
            if page == "search":
                at.text_input(key="s_query").input("parties").run()
            shown[page] = page_content(at)
        return shown

    def picked() -> list[str]:
        """The claim behind each of the Graph page's first picker entries (two read the same:
        one per thread's article)."""
        at = open_page("graph")
        box = at.sidebar.selectbox(key="g_focus")
        assert len(box.options) > 10
        ids = []
        for i in range(2, 6):  # (after "Whole graph" and "The most rebutted claim")
            box.select_index(i).run()
            box = at.sidebar.selectbox(key="g_focus")
            ids.append(box.value)
        return ids

    on_falkordb = pages(), picked()
    monkeypatch.delenv("ARGMAP_GRAPH", raising=False)
    for var, value in neo4j_server.env().items():
        monkeypatch.setenv(var, value)
    on_neo4j = pages(), picked()
    assert on_falkordb[0][None]["metric"] and on_falkordb[0]["graph"]["frames"]
    for page in PAGES:
        assert on_neo4j[0][page] == on_falkordb[0][page], page
    assert on_neo4j[1] == on_falkordb[1]
