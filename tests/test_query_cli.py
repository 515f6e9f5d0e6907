"""``argmap query ...`` and ``argmap cypher`` end to end: the CLI over a real store."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from argmap.graph import queries
from argmap.graph.store import Store
from argument_graphs import write_debate
from typer.testing import CliRunner

from argmap.cli import app

# Thesis t; e objects, x/y/z argue in a cycle, y also answers w; s supports t; u <-> v.
REBUTS = [
    ("e", "t"),
    ("x", "e"),
    ("y", "x"),
    ("z", "y"),
    ("x", "z"),
    ("y", "w"),
    ("u", "v"),
    ("v", "u"),
]
TEXTS = {
    "t": "Joining the ISO helps open standards.",
    "e": "Open standards do not need the ISO.",
    "w": "The vote was fair [citation needed].",
}
AUTHORS = {"e": "Eve", "x": "Xavier", "y": "Yolanda", "z": "Zed", "w": "Walt", "s": "Sam"}


@pytest.fixture
def cli_store(
    any_store: Store, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[Store]:
    """A debate in the store, and argmap's settings pointing the CLI at it."""
    write_debate(
        any_store, rebuts=REBUTS, supports=[("s", "t")], theses=["t"], texts=TEXTS, authors=AUTHORS
    )
    if any_store.dialect == "neo4j":  # the session server's URI and login
        for var, value in request.getfixturevalue("neo4j_server").env().items():
            monkeypatch.setenv(var, value)
    else:
        monkeypatch.setenv("ARGMAP_DB", any_store.target)
        monkeypatch.setenv("ARGMAP_GRAPH", getattr(any_store, "graph_name", "argmap"))
    yield any_store


def _run(*args: str):
    return CliRunner().invoke(app, list(args))


def _json(*args: str) -> list[dict]:
    result = _run(*args, "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert isinstance(data, list) and all(isinstance(row, dict) for row in data)
    return data


def _dump(rows) -> list[dict]:
    return [r.model_dump() for r in rows]


def test_every_query_prints_the_library_rows_as_json(cli_store: Store) -> None:
    s = cli_store
    assert _json("query", "chains", "--from", "e") == _dump(queries.chains(s, from_claim="e"))
    assert _json("query", "chains", "--to", "t", "--min-length", "3", "--limit", "1") == _dump(
        queries.chains(s, to_claim="t", min_length=3, limit=1)
    )
    assert _json("query", "contested") == _dump(queries.contested(s))
    assert _json("query", "unanswered") == _dump(queries.unanswered(s))
    assert _json("query", "grounded") == _dump(queries.grounded(s))
    assert _json("query", "grounded", "--label", "undec") == _dump(queries.grounded(s, "UNDEC"))
    assert _json("query", "interactions") == _dump(queries.interactions(s))
    assert _json("query", "search", "open standards") == _dump(queries.search(s, "open standards"))
    assert _json("query", "theses") == _dump(queries.theses(s))
    assert _json("query", "preferred") == _dump(queries.extension_rows(queries.preferred(s)))


def test_json_answers_match_the_debate(cli_store: Store) -> None:
    # x -> z -> y -> x is a cycle: from x, one chain leaves it through y to w, one goes to t.
    assert _json("query", "chains", "--from", "x") == [
        {"length": 3, "claims": ["x", "z", "y", "w"]},
        {"length": 2, "claims": ["x", "e", "t"]},
    ]
    chains = _json("query", "chains", "--to", "t")
    assert chains[0] == {"length": 4, "claims": ["z", "y", "x", "e", "t"]}
    assert all(c["claims"][-1] == "t" for c in chains)
    contested = _json("query", "contested")
    assert contested[0]["claim_id"] == "t" and contested[0]["supports"] == 1
    assert set(contested[0]) == {"claim_id", "rebuttals", "supports", "text", "author", "post_id"}
    assert _json("query", "unanswered") == []  # every objection here is answered
    # Only s is unattacked; the odd cycle x, y, z leaves everything it reaches undecided.
    labels = {r["claim_id"]: r["label"] for r in _json("query", "grounded")}
    assert labels == {c: "IN" if c == "s" else "UNDEC" for c in "tesxyzwuv"}
    assert _json("query", "preferred") == [
        {"extension": 1, "size": 2, "claims": ["s", "u"]},
        {"extension": 2, "size": 2, "claims": ["s", "v"]},
    ]
    hits = _json("query", "search", "ISO")
    assert [h["claim_id"] for h in hits] == ["t", "e"]  # ISO is 1 of 6 words in t, 1 of 7 in e
    assert set(hits[0]) == {"claim_id", "text", "post_id", "author", "score"}
    assert _json("query", "theses") == [
        {
            "claim_id": "t",
            "text": TEXTS["t"],
            "author": "The Author",
            "thread_id": "t1",
            "start": 0,
            "rebuttals": 1,
            "supports": 1,
        }
    ]
    assert {"source": "Eve", "target": "The Author", "rebuts": 1, "supports": 0} in _json(
        "query", "interactions"
    )


def test_tables_for_people(cli_store: Store) -> None:
    result = _run("query", "contested")
    assert result.exit_code == 0
    assert "Most contested claims" in result.stdout and "rebuttals" in result.stdout
    assert "Joining the ISO helps" in result.stdout
    chains = _run("query", "chains", "--to", "t")
    assert chains.exit_code == 0 and "↳" in chains.stdout and "Eve" in chains.stdout
    grounded = _run("query", "grounded")
    assert "UNDEC" in grounded.stdout and "IN" in grounded.stdout
    assert "(no rows)" in _run("query", "unanswered").stdout


def test_a_table_title_stays_on_one_line_however_narrow_the_table(cli_store: Store) -> None:
    none = _run("query", "chains", "--from", "w")  # w rebuts nothing: an empty, narrow table
    assert none.exit_code == 0 and "(no chains)" in none.stdout
    assert none.stdout.splitlines()[0].strip() == "Rebuttal chains (each claim rebuts the next)"
    preferred = _run("query", "preferred")
    assert preferred.stdout.splitlines()[0].strip() == (
        "Preferred extensions (each holds the 1 claim of the grounded extension, plus:)"
    )


def test_cypher_reads_with_params_and_limits(cli_store: Store) -> None:
    rows = _json(
        "cypher",
        "MATCH (c:Claim) WHERE c.id IN $ids RETURN c.id AS id ORDER BY id",
        "--param",
        'ids=["e","t","nope"]',
    )
    assert rows == [{"id": "e"}, {"id": "t"}]
    cut = _run("cypher", "MATCH (c:Claim) RETURN c.id AS id ORDER BY id", "--limit", "2", "--json")
    assert cut.exit_code == 0 and len(json.loads(cut.stdout)) == 2
    assert "first 2 rows" in cut.stderr
    table = _run(
        "cypher", "MATCH (c:Claim {id: $id}) RETURN c.id AS id, c.text AS text", "-p", "id=w"
    )
    assert table.exit_code == 0 and "1 row" in table.stdout
    assert "The vote was fair [citation needed]." in table.stdout  # printed as text, not markup


def test_cypher_refuses_a_write_in_one_line_and_changes_nothing(cli_store: Store) -> None:
    before = cli_store.run_read("MATCH (n) RETURN count(n) AS n")[0]["n"]
    result = _run("cypher", "MATCH (c:Claim) DETACH DELETE c")
    assert result.exit_code != 0
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("argmap: error: refused")
    assert cli_store.run_read("MATCH (n) RETURN count(n) AS n")[0]["n"] == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("query", "chains", "--from", "nope"), "no claim with id 'nope'"),
        (("query", "chains", "--from", "e", "--to", "t"), "not both"),
        (("query", "grounded", "--label", "maybe"), "unknown label"),
        (("query", "preferred", "--thread", "t9"), "no thread 't9' in this store"),
        (("query", "search", "?!"), "at least one word"),
        (("cypher", "MATCH (n RETURN n"), "query failed"),
        (("cypher", "RETURN 1", "--param", "oops"), "name=value"),
    ],
)
def test_bad_input_is_one_line(cli_store: Store, args: tuple[str, ...], message: str) -> None:
    result = _run(*args)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and message in result.stderr


def test_an_objection_to_several_claims_keeps_every_id_whole_in_the_table(
    argmap_env: object, store: Store
) -> None:
    # Rendering only (the rows are the store's, checked on both stores above): FalkorDB is enough.
    # Argmap-sized ids, and output as piped (80 columns): the table must still show them whole.
    objection, targets = "c_171e3b8e398a0cd0", ["c_359416cfd5be35b9", "c_8e85738cf45e9273"]
    targets.append("c_996cbaa693820926")
    write_debate(
        store,
        rebuts=[(objection, t) for t in targets],
        theses=targets,
        authors={objection: "RedPleb"},
        texts={objection: "You really have this persistent axe to grind, don’t you"},
    )
    result = _run("query", "unanswered")
    assert result.exit_code == 0, result.stderr
    for claim_id in [objection, *targets]:
        assert claim_id in result.stdout
    assert "RedPleb" in result.stdout and "axe to grind" in result.stdout


@pytest.mark.parametrize("columns", ["50", "40"])
def test_a_narrow_terminal_keeps_author_and_text_of_the_most_contested_claims(
    argmap_env: object, store: Store, columns: str
) -> None:
    # Was: at 50 columns the counts and the id took the whole width; author and text got none.
    thesis, objection = "c_359416cfd5be35b9", "c_171e3b8e398a0cd0"
    texts = {
        thesis: "The persistent axe to grind is a public good.",
        objection: "You really have this persistent axe to grind, don’t you",
    }
    write_debate(
        store,
        rebuts=[(objection, thesis), ("c_8e85738cf45e9273", objection)],
        theses=[thesis],
        authors={objection: "RedPleb"},
        texts=texts,
    )
    result = CliRunner().invoke(app, ["query", "contested"], env={"COLUMNS": columns})
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert thesis in out and objection in out
    assert "The Author" in out and "RedPleb" in out
    words = set(out.split())  # whole words, not a few letters a line
    assert {w for text in texts.values() for w in text.split()} <= words
    assert all(len(line) <= int(columns) for line in out.splitlines())
