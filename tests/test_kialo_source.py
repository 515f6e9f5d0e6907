"""``kialo``: a Kialo discussion export read as a source, its Pro/Con given by the file.

The fixture (``tests/data/kialo_library.txt``) is our own made-up debate: a multi-line claim, a
cross-link to a claim further down, a markdown link with escaped parentheses, escaped brackets.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from argmap.graph.store import Store
from argmap.ingest.pipeline import ingest
from argmap.ingest.sources import detect_format, load_threads
from argmap.ingest.sources.kialo_text import readable
from typer.testing import CliRunner

from argmap.cli import app
from argmap.core.models import Thread

ROOT = Path(__file__).resolve().parent.parent
DEBATE = ROOT / "tests" / "data" / "kialo_library.txt"
runner = CliRunner()

THESIS = "The library should close on Sundays."
# (index, the first words of its text, the index of the post it answers)
POSTS = [
    ("1.", "The library should close", None),
    ("1.1.", "Sunday is the only day", "1."),
    ("1.1.1.", "Weekday hours end at five", "1.1."),
    ("1.1.3.", "Parents could use the Saturday", "1.1."),
    ("1.2.", "Sunday openings cost twice", "1."),
    ("1.2.1.", "The budget figure counts", "1.2."),
    ("1.2.1.1.", "The agreement ended Sunday", "1.2.1."),
]
# (source, type, target): each Pro/Con; the cross-link 1.1.2. puts 1.2.1. against 1.1. too.
RELATIONS = {
    ("1.1.", "rebuts", "1."),
    ("1.1.1.", "supports", "1.1."),
    ("1.2.1.", "rebuts", "1.1."),
    ("1.1.3.", "rebuts", "1.1."),
    ("1.2.", "supports", "1."),
    ("1.2.1.", "rebuts", "1.2."),
    ("1.2.1.1.", "supports", "1.2.1."),
}


def _key(text: str) -> str:
    """The index of the fixture post whose text starts with a POSTS prefix."""
    [index] = [i for i, start, _ in POSTS if text.startswith(start)]
    return index


def _graph(store: Store) -> tuple[list[tuple[str, str | None]], set[tuple[str, str, str]]]:
    """What the store holds: (post, parent) by position, and relations between fixture posts."""
    posts = store.run_read(
        "MATCH (p:Post) OPTIONAL MATCH (p)-[:REPLIES_TO]->(q:Post) "
        "RETURN p.text AS text, q.text AS parent ORDER BY p.position"
    )
    rels = store.run_read(
        "MATCH (a:Post)-[:MAKES]->(:Claim)-[r:REBUTS|SUPPORTS]->(:Claim)<-[:MAKES]-(b:Post) "
        "RETURN a.text AS source, type(r) AS type, b.text AS target"
    )
    return (
        [(_key(r["text"]), r["parent"] and _key(r["parent"])) for r in posts],
        {(_key(r["source"]), r["type"].lower(), _key(r["target"])) for r in rels},
    )


def _parse(text: str) -> list[Thread]:
    from argmap.ingest.sources import kialo_text

    return kialo_text.parse(text, "debate.txt")


def _one_line_error(args: list[str]) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("argmap: error: "), result.stderr
    return lines[0]


def test_auto_detection_picks_kialo_and_nothing_else_claims_it() -> None:
    from argmap.ingest.sources import FORMAT_MODULES, format_module

    text = DEBATE.read_text(encoding="utf-8")
    assert detect_format(text) == "kialo"
    assert [n for n in FORMAT_MODULES if format_module(n).detect(text)] == ["kialo"]


def test_the_thread_has_the_source_tree_one_quoting_claim_per_post_and_no_spam() -> None:
    [thread] = load_threads(DEBATE)
    assert (thread.title, thread.source_format, thread.reply_tree) == (
        "Should the town close the library on Sundays?",
        "kialo",
        "source",
    )
    assert thread.article.text == THESIS and thread.article.kind == "article"
    assert [p.position for p in thread.posts] == list(range(len(POSTS)))
    by_id = {p.id: p for p in thread.posts}
    assert [
        (_key(p.text), p.parent_id and _key(by_id[p.parent_id].text)) for p in thread.posts
    ] == [(i, parent) for i, _, parent in POSTS]
    assert {p.author for p in thread.posts} == {"Kialo contributor"}
    assert not any(p.is_spam for p in thread.posts) and all(
        p.posted_at is None for p in thread.posts
    )
    assert thread.claims is not None and len(thread.claims) == len(thread.posts)
    for post, claim in zip(thread.posts, thread.claims, strict=True):
        assert claim.post_id == post.id and claim.extractor == "kialo"
        assert post.text[claim.start : claim.end] == claim.quote == post.text


def test_multi_line_claim_keeps_its_lines_and_reads_clean_as_a_claim() -> None:
    [thread] = load_threads(DEBATE)
    saturday = next(p for p in thread.posts if p.text.startswith("Parents could use"))
    assert saturday.text.splitlines()[1:] == [
        "The Saturday slot is half empty today (see the [usage report]"
        "(https://example.org/library/usage_\\(2023\\)) for the figures).",
        "1.5 visits a week per family would fit into it.",
    ]
    claims = {c.post_id: c for c in thread.claims or []}
    assert "(see the usage report for the figures)" in claims[saturday.id].text
    budget = next(p for p in thread.posts if p.text.startswith("The budget figure"))
    assert budget.text.endswith("\\[per the 2024 agreement\\].")
    assert claims[budget.id].text.endswith("[per the 2024 agreement].")


def test_readable_unescapes_and_drops_link_addresses() -> None:
    assert readable("a [b](https://x.org/y_\\(z\\)) c") == "a b c"
    assert readable("a [b](https://x.org/y_(z)) \\(c\\)") == "a b (c)"
    assert readable("no markup: 1.5 [x] (y)") == "no markup: 1.5 [x] (y)"


def test_relations_are_the_pro_and_con_of_the_file_cross_link_included() -> None:
    [thread] = load_threads(DEBATE)
    text_of = {c.id: _key(thread.post(c.post_id).text) for c in thread.claims or []}
    rels = thread.relations or []
    assert {(text_of[r.source], r.type, text_of[r.target]) for r in rels} == RELATIONS
    assert len(rels) == len(RELATIONS)
    assert {(r.confidence, r.extractor) for r in rels} == {(1.0, "kialo")}
    rationales = {r.rationale for r in rels}
    assert "Kialo: Pro of 1.2.1." in rationales
    assert "Kialo: Con of 1.1. (cross-link 1.1.2. -> 1.2.1.)" in rationales


def test_ingest_stores_exactly_the_debate_and_again_changes_nothing(any_store: Store) -> None:
    summary = ingest(DEBATE, any_store)
    assert (summary.posts, summary.spam, summary.claims, summary.relations) == (7, 0, 7, 7)
    posts, rels = _graph(any_store)
    assert posts == [(i, parent) for i, _, parent in POSTS]
    assert rels == RELATIONS
    counts = "MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS n, count(r) AS r"
    before = any_store.run_read(counts)
    again = ingest(DEBATE, any_store)
    assert (again.posts, again.claims, again.relations) == (7, 7, 7)
    assert any_store.run_read(counts) == before


def test_crlf_export_lands_on_the_same_nodes(tmp_path: Path) -> None:
    crlf = tmp_path / "debate-crlf.txt"
    crlf.write_bytes(DEBATE.read_bytes().replace(b"\n", b"\r\n"))
    assert b"\r\n" in crlf.read_bytes()
    [lf], [cr] = load_threads(DEBATE), load_threads(crlf)
    assert cr.model_dump() == lf.model_dump()
    assert not any("\r" in p.text for p in cr.posts)


def test_cli_ingest_then_chains_and_json_export(argmap_env: Path, store: Store) -> None:
    result = runner.invoke(app, ["ingest", str(DEBATE), "-q"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("1 article, 6 comments, 7 claims, 7 relations")
    chains = runner.invoke(app, ["query", "chains", "--json"])
    assert chains.exit_code == 0, chains.output
    claim_text = {
        r["id"]: r["text"]
        for r in store.run_read("MATCH (c:Claim) RETURN c.id AS id, c.text AS text")
    }
    # The longest rebuttal chains run two deep; one runs through the cross-link (1.2.1. -> 1.1.).
    rows = [[_key(claim_text[c]) for c in row["claims"]] for row in json.loads(chains.stdout)]
    assert ["1.2.1.", "1.1.", "1."] in rows and max(len(r) for r in rows) == 3
    exported = runner.invoke(app, ["export", "-f", "json"])
    assert exported.exit_code == 0, exported.output
    doc = json.loads(exported.stdout)
    assert {
        (
            c["extractor"],
            c["quote"] == next(p["text"] for p in doc["posts"] if p["id"] == c["post_id"]),
        )
        for c in doc["claims"]
    } == {("kialo", True)}


def test_eval_scores_labels_written_from_the_export(
    argmap_env: Path, tmp_path: Path, store: Store
) -> None:
    ingest(DEBATE, store)
    # Labels in eval's own CSV, from the fixture's tree (position of each post and its parent).
    position = {i: n for n, (i, _, _) in enumerate(POSTS)}
    stance = {(s, t): kind for s, kind, t in RELATIONS}
    rows = ["position,parent,stance"] + [
        f"{position[i]},{position[parent]},{stance[(i, parent)]}" for i, _, parent in POSTS[1:]
    ]
    labels = tmp_path / "labels.csv"
    labels.write_text("\n".join(rows) + "\n")
    result = runner.invoke(app, ["eval", str(labels), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["parents"]["labelled"], report["parents"]["correct"]) == (6, 6)
    assert (report["stance"]["labelled"], report["stance"]["agree"]) == (6, 6)
    assert (report["supports"]["tp"], report["supports"]["fp"], report["supports"]["fn"]) == (
        3,
        0,
        0,
    )
    # The cross-link (1.2.1. rebuts 1.1.) is a relation the parent-stance labels do not name.
    assert (report["rebuts"]["tp"], report["rebuts"]["fp"], report["rebuts"]["fn"]) == (3, 1, 0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "Discussion Title: T\n\n1. A thesis.\n1.2 Pro: no final dot.\n",
            "line 4: broken index line",
        ),
        (
            "Discussion Title: T\n\n1. A thesis.\n1.1. Maybe: neither.\n",
            "line 4: broken index line",
        ),
        (
            "Discussion Title: T\n\n1. A thesis.\n1.1. Pro: fine.\n1.3.1. Con: lost.\n",
            "line 5: claim 1.3.1. has no parent",
        ),
        ("Discussion Title: T\n\n1.1. Pro: before any thesis.\n", "line 3: no thesis"),
        ("Discussion Title: T\n\n", "line 1: no thesis"),
        (
            "Discussion Title: T\n1. A.\n1.1. Pro: x.\n1.1. Con: y.\n",
            "line 4: index 1.1. appears twice (first at line 3)",
        ),
    ],
)
def test_broken_exports_are_one_line_naming_the_line_and_write_nothing(
    argmap_env: Path, store: Store, tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "debate.txt"
    path.write_text(text)
    line = _one_line_error(["ingest", str(path), "-q"])
    assert message in line and "retry" in line
    assert store.run_read("MATCH (n) RETURN count(n) AS n")[0]["n"] == 0


def test_a_link_to_a_missing_claim_is_a_warning_not_a_crash(
    argmap_env: Path, store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "debate.txt"
    path.write_text(
        "Discussion Title: T\n\n1. A thesis.\n1.1. Pro: A reason.\n1.2. Con: -> See 1.9.\n"
    )
    result = runner.invoke(app, ["ingest", str(path), "-q"])
    assert result.exit_code == 0, result.output
    warnings = [w for w in result.stderr.splitlines() if "1.9." in w]
    assert len(warnings) == 1 and "line 5" in warnings[0]
    assert result.stdout.startswith("1 article, 1 comment, 2 claims, 1 relation ")


def test_several_theses_become_one_thread_each(store: Store, tmp_path: Path) -> None:
    text = (
        "Discussion Title: Which day?\n\n1. Close on Sundays.\n1.1. Con: Parents need it.\n"
        "2. Close on Mondays.\n2.1. Pro: Fewest visits.\n2.1.1. Con: -> See 1.1.\n"
    )
    threads = _parse(text)
    assert [(t.title, t.article.text, len(t.posts)) for t in threads] == [
        ("Which day? (thesis 1)", "Close on Sundays.", 2),
        ("Which day? (thesis 2)", "Close on Mondays.", 2),
    ]
    # The cross-link across theses is kept with the later thread (both its claims exist then).
    assert [len(t.relations or []) for t in threads] == [1, 2]
    path = tmp_path / "debate.txt"
    path.write_text(text)
    summary = ingest(path, store)
    assert (len(summary.threads), summary.posts, summary.claims) == (2, 4, 4)
    assert store.run_read("MATCH ()-[r:REBUTS|SUPPORTS]->() RETURN count(r) AS n")[0]["n"] == 3
    crossing = store.run_read(
        "MATCH (a:Post)-[:MAKES]->(:Claim)-[r:REBUTS]->(:Claim)<-[:MAKES]-(b:Post) "
        "WHERE a.thread_id <> b.thread_id RETURN a.text AS source, b.text AS target"
    )
    assert crossing == [{"source": "Parents need it.", "target": "Fewest visits."}]


def test_a_numbered_list_inside_a_claim_is_not_a_thesis() -> None:
    [thread] = _parse(
        "Discussion Title: T\n\n1. A thesis.\n1.1. Pro: Two reasons:\n1. cheap\n2. quick\n"
    )
    assert thread.posts[1].text == "Two reasons:\n1. cheap\n2. quick"


# An independent reading of the dev set's Kialo exports: a few lines of regex, nothing shared
# with the reader.
_INDEXED = re.compile(r"^((?:\d+\.)+) (?:(Pro|Con): )?(.*)$")


def _devset() -> Path:
    sys.path.insert(0, str(ROOT / "bench"))
    import devset

    root = devset.devset_dir()
    if root is None:
        pytest.skip("no dev set: $ARGMAP_DEVSET (or else ../shared/devset) is not a folder")
    return root


def test_devset_kialo_exports_ingest_as_an_independent_parse_reads_them(store: Store) -> None:
    files = sorted(_devset().glob("kialo_*.txt"))
    if not files:
        pytest.skip("the dev set has no kialo_*.txt export")
    see = re.compile(r"^-> See ((?:\d+\.)*\d+)\.?$")
    for path in files:
        lines = path.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n")
        found = [m.groups() for m in map(_INDEXED.match, lines) if m]
        claims = {i: (stance, text.strip()) for i, stance, text in found}
        summary = ingest(path, store)
        [tid] = summary.threads
        posts = store.run_read(
            "MATCH (p:Post {thread_id: $tid}) OPTIONAL MATCH (p)-[:REPLIES_TO]->(q:Post) "
            "RETURN p.text AS text, p.kind AS kind, p.is_spam AS spam, q.text AS parent",
            {"tid": tid},
        )
        rels = store.run_read(
            "MATCH (a:Post {thread_id: $tid})-[:MAKES]->(:Claim)-[r:REBUTS|SUPPORTS]->(:Claim)"
            "<-[:MAKES]-(b:Post) RETURN a.text AS source, toLower(type(r)) AS type, "
            "b.text AS target, r.extractor AS extractor",
            {"tid": tid},
        )
        got = {(r["source"], r["type"], r["target"]) for r in rels}
        parent_of = {r["text"]: r["parent"] for r in posts if r["kind"] == "comment"}
        for index, (stance, text) in claims.items():
            if stance is None:
                assert [r["text"] for r in posts if r["kind"] == "article"] == [text], path.name
                continue
            parent = claims[index[: index[:-1].rfind(".") + 1]][1]
            kind = "supports" if stance == "Pro" else "rebuts"
            link = see.match(text)
            source = claims[link.group(1) + "."][1] if link else text
            assert (source, kind, parent) in got, (path.name, index)
            if not link:
                assert parent_of[text] == parent, (path.name, index)
        own = sum(1 for s, t in claims.values() if s and not see.match(t))
        assert len(parent_of) == own and len(got) == len(claims) - 1, path.name
        assert {r["extractor"] for r in rels} == {"kialo"}, path.name
        assert not any(r["spam"] for r in posts), path.name


def test_every_dashboard_page_reads_a_kialo_store(argmap_env: Path, store: Store) -> None:
    """No times and one author name: the pages still draw, and say the debate's words."""
    from dashboard_pages import open_page, texts

    ingest(DEBATE, store)
    for page in ("overview", "graph", "chains", "search", "export"):
        at = open_page(None if page == "overview" else page)  # fails on any exception element
        if page == "overview":
            assert "Should the town close the library on Sundays?" in texts(at)


def test_naming_kialo_for_another_file_is_one_line(argmap_env: Path, sample_path: Path) -> None:
    line = _one_line_error(["ingest", str(sample_path), "--format", "kialo", "-q"])
    assert "line 1: expected 'Discussion Title: ...'" in line and "--format" in line


def test_a_thesis_is_never_read_as_a_cross_link() -> None:
    [thread] = _parse("Discussion Title: T\n\n1. -> See 1.1.\n1.1. Pro: A reason.\n")
    assert [p.text for p in thread.posts] == ["-> See 1.1.", "A reason."]
    assert [r.rationale for r in thread.relations or []] == ["Kialo: Pro of 1."]
