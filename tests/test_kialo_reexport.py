"""A Kialo claim keeps its identity when a later export of the debate renumbers it.

``tests/data/kialo_library_reexport.txt`` is ``kialo_library.txt`` exported again weeks later:
a new claim ("Volunteers ...") is inserted first among the thesis's claims, so every other
claim and its subtree shifts (1.1. -> 1.2., 1.2.1. -> 1.3.1., ...); "The agreement ended ..."
moved from Pro of the budget claim to Con of the cost claim; "Weekday hours ..." was deleted.
"""

from __future__ import annotations

import json
from pathlib import Path

from argmap.graph import review_actions as act
from argmap.graph.store import Store
from argmap.ingest.pipeline import ingest
from argmap.ingest.sources import kialo_text, load_threads
from typer.testing import CliRunner

from argmap.cli import app

DATA = Path(__file__).resolve().parent / "data"
FIRST = DATA / "kialo_library.txt"
LATER = DATA / "kialo_library_reexport.txt"
runner = CliRunner()

# Short names for the debate's claims, by the first words of their text.
NAMES = {
    "The library should close": "thesis",
    "Volunteers from the Friends": "volunteers",  # new in the later export
    "Sunday is the only day": "only-day",
    "Weekday hours end at five": "weekday",  # deleted in the later export
    "Parents could use the Saturday": "saturday",
    "Sunday openings cost": "cost",
    "The budget figure counts": "budget",
    "The agreement ended Sunday": "agreement",  # moved: Pro of budget -> Con of cost
}
UNCHANGED = {"thesis", "only-day", "saturday", "cost", "budget", "agreement"}
# What the store holds after the later export: its Pro/Con (the cross-link included), the
# deleted claim's Pro kept with it, and not the relation a reviewer rejected (cost -> thesis).
LATER_RELATIONS = {
    ("volunteers", "rebuts", "thesis"),
    ("only-day", "rebuts", "thesis"),
    ("budget", "rebuts", "only-day"),
    ("saturday", "rebuts", "only-day"),
    ("budget", "rebuts", "cost"),
    ("agreement", "rebuts", "cost"),
    ("weekday", "supports", "only-day"),
}
LATER_PARENTS = {
    "thesis": None,
    "volunteers": "thesis",
    "only-day": "thesis",
    "weekday": "only-day",
    "saturday": "only-day",
    "cost": "thesis",
    "budget": "cost",
    "agreement": "cost",
}


def _name(text: str) -> str:
    [name] = [n for start, n in NAMES.items() if text.startswith(start)]
    return name


def _ids(store: Store) -> dict[str, tuple[str, str]]:
    """Each claim's (post id, claim id) by name."""
    rows = store.run_read(
        "MATCH (p:Post)-[:MAKES]->(c:Claim) RETURN p.text AS text, p.id AS post, c.id AS claim"
    )
    out = {_name(r["text"]): (r["post"], r["claim"]) for r in rows}
    assert len(out) == len(rows), "a claim is in the store twice"
    return out


def _parents(store: Store) -> dict[str, str | None]:
    rows = store.run_read(
        "MATCH (p:Post) OPTIONAL MATCH (p)-[:REPLIES_TO]->(q:Post) "
        "RETURN p.text AS text, q.text AS parent"
    )
    return {_name(r["text"]): r["parent"] and _name(r["parent"]) for r in rows}


def _relations(store: Store, kind: str = "REBUTS|SUPPORTS") -> set[tuple[str, str, str]]:
    rows = store.run_read(
        f"MATCH (a:Post)-[:MAKES]->(:Claim)-[r:{kind}]->(:Claim)<-[:MAKES]-(b:Post) "
        "RETURN a.text AS source, coalesce(r.type, type(r)) AS type, b.text AS target"
    )
    return {(_name(r["source"]), r["type"].lower(), _name(r["target"])) for r in rows}


def test_the_same_claim_gets_the_same_ids_in_either_export() -> None:
    [first], [later] = load_threads(FIRST), load_threads(LATER)
    assert first.id == later.id
    ids = {_name(p.text): p.id for p in first.posts}
    later_ids = {_name(p.text): p.id for p in later.posts}
    assert {n: later_ids[n] for n in UNCHANGED} == {n: ids[n] for n in UNCHANGED}
    assert later_ids["volunteers"] not in ids.values()
    claims = {c.post_id: c.id for c in first.claims or []}
    later_claims = {c.post_id: c.id for c in later.claims or []}
    assert {later_claims[ids[n]] for n in UNCHANGED} == {claims[ids[n]] for n in UNCHANGED}


def test_repeated_texts_are_two_claims_that_keep_their_ids_when_renumbered() -> None:
    def export(before: str) -> str:
        return (
            "Discussion Title: Repeats\n\n1. A thesis.\n"
            f"{before}"
            "1.{a}. Pro: Yes.\n1.{b}. Con: Yes.\n1.{b}.1. Pro:  Yes,\n   indeed.\n"
        )

    first = export("").format(a=1, b=2)
    later = export("1.1. Con: A new first claim.\n").format(a=2, b=3)
    [a], [b] = kialo_text.parse(first, "a.txt"), kialo_text.parse(later, "b.txt")
    old = {(p.text, p.position): p.id for p in a.posts}
    assert len(set(old.values())) == len(a.posts) == 4  # the two "Yes." are two posts
    kept = [p.id for p in b.posts if p.text != "A new first claim."]
    assert kept == [p.id for p in a.posts]


def test_reingesting_a_renumbered_export_keeps_claims_and_review_decisions(
    any_store: Store,
) -> None:
    ingest(FIRST, any_store)
    before = _ids(any_store)
    cost, thesis, budget = before["cost"][1], before["thesis"][1], before["budget"][1]
    act.reject(any_store, cost, thesis, "Ines", note="a cost is not a reason to close")
    act.accept(any_store, budget, cost, "Ines")

    summary = ingest(LATER, any_store)

    after = _ids(any_store)
    assert {n: after[n] for n in UNCHANGED} == {n: before[n] for n in UNCHANGED}
    # The deleted claim stays, as a comment missing from a re-fetched thread does.
    assert after["weekday"] == before["weekday"]
    assert set(after) == set(NAMES.values())
    assert _parents(any_store) == LATER_PARENTS
    assert _relations(any_store) == LATER_RELATIONS
    # Both decisions still hold between the same two claims.
    assert _relations(any_store, "REJECTED") == {("cost", "supports", "thesis")}
    accepted = any_store.run_read(
        "MATCH (:Claim {id: $a})-[r:REBUTS]->(:Claim {id: $b}) RETURN r.status AS status",
        {"a": budget, "b": cost},
    )
    assert [r["status"] for r in accepted] == ["accepted"]
    assert (summary.posts, summary.claims) == (7, 8)

    counts = "MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS n, count(r) AS r"
    settled = any_store.run_read(counts)
    ingest(LATER, any_store)
    assert any_store.run_read(counts) == settled
    assert _relations(any_store) == LATER_RELATIONS


def test_cli_reingest_of_a_renumbered_export_keeps_a_rejection(
    argmap_env: Path, store: Store
) -> None:
    first = runner.invoke(app, ["ingest", str(FIRST), "-q"])
    assert first.exit_code == 0, first.output
    before = _ids(store)
    cost, thesis = before["cost"][1], before["thesis"][1]
    rejected = runner.invoke(app, ["review", "reject", cost, thesis, "--reviewer", "Ines"])
    assert rejected.exit_code == 0, rejected.output

    later = runner.invoke(app, ["ingest", str(LATER), "-q"])
    assert later.exit_code == 0, later.output
    assert later.stdout.startswith("1 article, 6 comments, 8 claims, 7 relations"), later.stdout

    exported = runner.invoke(app, ["export", "-f", "json"])
    assert exported.exit_code == 0, exported.output
    doc = json.loads(exported.stdout)
    name_of_post = {p["id"]: _name(p["text"]) for p in doc["posts"]}
    name_of_claim = {c["id"]: name_of_post[c["post_id"]] for c in doc["claims"]}
    assert {
        (name_of_claim[r["source"]], name_of_claim[r["target"]]) for r in doc["rejected_relations"]
    } == {("cost", "thesis")}
    parents = {
        name_of_post[p["id"]]: p["parent_id"] and name_of_post[p["parent_id"]] for p in doc["posts"]
    }
    assert parents == LATER_PARENTS
    assert {
        (name_of_claim[r["source"]], r["type"], name_of_claim[r["target"]])
        for r in doc["relations"]
    } == LATER_RELATIONS


def test_a_moved_claims_old_relation_stays_where_a_person_accepted_it(store: Store) -> None:
    ingest(FIRST, store)
    before = _ids(store)
    act.accept(store, before["agreement"][1], before["budget"][1], "Ines")
    ingest(LATER, store)
    # The export takes the Pro back, but a machine write never overrides a person's decision.
    kept = {("agreement", "supports", "budget"), ("cost", "supports", "thesis")}
    assert _relations(store) == LATER_RELATIONS | kept
    assert _parents(store)["agreement"] == "cost"


def test_an_edited_claim_is_new_and_the_old_one_stays_as_a_csv_row_left_out_does(
    store: Store, tmp_path: Path
) -> None:
    rows = tmp_path / "comments.csv"
    header = "id,author,parent_id,text,title\np1,Council,,The library will close.,Sundays\n"
    rows.write_text(header + "c1,Ines,p1,It hurts parents.,\nc2,Tomas,c1,Evenings work.,\n")
    ingest(rows, store)
    rows.write_text(header + "c1,Ines,p1,It hurts parents.,\n")
    ingest(rows, store)
    csv_texts = "MATCH (p:Post {thread_id: $tid}) RETURN p.text AS text"
    [csv_thread] = load_threads(rows)
    kept = {r["text"] for r in store.run_read(csv_texts, {"tid": csv_thread.id})}
    assert "Evenings work." in kept  # the rule for posts missing from a re-ingested source

    old = "Sunday openings cost twice the staff budget of a weekday."
    new = old.replace("twice", "three times")
    edited = tmp_path / "debate.txt"
    edited.write_text(FIRST.read_text().replace(old, new))
    ingest(FIRST, store)
    ingest(edited, store)
    posts = store.run_read(
        "MATCH (p:Post) WHERE p.text STARTS WITH 'Sunday openings' "
        "OPTIONAL MATCH (c:Post)-[:REPLIES_TO]->(p) RETURN p.text AS text, collect(c.text) AS kids"
    )
    kids = {r["text"]: [_name(k) for k in r["kids"]] for r in posts}
    # The old claim stays, with the Pro/Con it had; its reply now answers the edited claim.
    assert kids == {old: [], new: ["budget"]}
    rels = store.run_read(
        "MATCH (a:Post)-[:MAKES]->(:Claim)-[r:REBUTS|SUPPORTS]->(:Claim)<-[:MAKES]-(b:Post) "
        "WHERE a.text STARTS WITH 'Sunday openings' OR b.text STARTS WITH 'Sunday openings' "
        "RETURN a.text AS source, type(r) AS type, b.text AS target"
    )
    # The old claim keeps its Pro; the budget claim's Con moved to the edited one.
    assert {(r["source"], r["type"], _name(r["target"])) for r in rels if r["source"] in kids} == {
        (old, "SUPPORTS", "thesis"),
        (new, "SUPPORTS", "thesis"),
    }
    assert [(_name(r["source"]), r["target"]) for r in rels if r["source"] not in kids] == [
        ("budget", new)
    ]


def test_theses_reordered_keep_their_threads_and_claims(store: Store, tmp_path: Path) -> None:
    first = (
        "Discussion Title: Which day?\n\n1. Close on Sundays.\n1.1. Con: Parents need it.\n"
        "2. Close on Mondays.\n2.1. Pro: Fewest visits.\n2.1.1. Con: -> See 1.1.\n"
    )
    later = (
        "Discussion Title: Which day?\n\n1. Close on Mondays.\n1.1. Pro: Fewest visits.\n"
        "1.1.1. Con: -> See 2.1.\n2. Close on Sundays.\n2.1. Con: Parents need it.\n"
    )
    a, b = kialo_text.parse(first, "a.txt"), kialo_text.parse(later, "b.txt")
    assert {t.article.text: t.id for t in a} == {t.article.text: t.id for t in b}
    assert {p.text: p.id for t in a for p in t.posts} == {p.text: p.id for t in b for p in t.posts}
    path = tmp_path / "debate.txt"
    path.write_text(first)
    ingest(path, store)
    path.write_text(later)
    ingest(path, store)
    counts = store.run_read(
        "MATCH (t:Thread) WITH count(t) AS threads MATCH (p:Post) WITH threads, count(p) AS posts "
        "MATCH ()-[r:REBUTS|SUPPORTS]->() RETURN threads, posts, count(r) AS relations"
    )
    assert counts == [{"threads": 2, "posts": 4, "relations": 3}]
