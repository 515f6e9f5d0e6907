"""``argmap eval``: labels read from CSV and JSONL, figures computed by hand on small threads, the
sample scored from the store and from an export, one-line errors; and, when the dev set is there,
its threads rendered and scored (skipped, saying why, when it is not)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from argmap.graph.eval_labels import LabelError, parse_labels
from argmap.graph.evaluation import evaluate
from argmap.graph.export_json import export_json
from argmap.graph.store import Store
from typer.testing import CliRunner

from argmap.cli import app

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "data" / "sample_gold.csv"
STANCE = ROOT / "tests" / "data" / "sample_stance.csv"
INDEPENDENT_TREE = ROOT / "tests" / "data" / "sample_gold_independent.csv"
INDEPENDENT_STANCE = ROOT / "tests" / "data" / "sample_stance_independent.csv"
runner = CliRunner()


def _graph(parents: list[int | None], spam: set[int], relations: list[tuple[int, int, str]]):
    """A small argmap JSON graph: post i has one claim "c{i}"; relations go between posts."""
    posts = [
        {
            "id": f"p{i}",
            "thread_id": "t",
            "kind": "comment" if i else "article",
            "author": f"A{i % 3}",
            "position": i,
            "parent_id": f"p{p}" if p is not None else None,
            "is_spam": i in spam,
        }
        for i, p in enumerate(parents)
    ]
    claims = [{"id": f"c{i}", "post_id": f"p{i}"} for i in range(len(parents))]
    rels = [
        {"source": f"c{s}", "target": f"c{t}", "type": kind, "confidence": 0.5}
        for s, t, kind in relations
    ]
    return {
        "format": "argmap-json",
        "version": 1,
        "threads": [{"id": "t", "title": "small"}],
        "posts": posts,
        "claims": claims,
        "relations": rels,
    }


LABELS = """position,parent,is_spam,stance,confidence
1,0,0,none,high
2,1,0,rebuts,high
3,2,0,supports,low
4,0,1,,high
5,3,0,rebuts,
"""


def test_figures_on_a_small_thread_match_a_count_by_hand() -> None:
    # Found: 3 answers 1 (labelled 2), 5 answers 4 (labelled 3); 4 and 5 flagged (5 is genuine).
    graph = _graph(
        [None, 0, 1, 1, 0, 4], {4, 5}, [(2, 1, "rebuts"), (3, 1, "rebuts"), (5, 4, "rebuts")]
    )
    report = evaluate(graph, parse_labels(LABELS, "labels.csv"))
    assert report.parents.labelled == 5 and report.parents.correct == 3
    assert report.parents.accuracy == 0.6
    # Labelled parents 0,1,2,0,3: the post just before for 1 (the article), 2 and 3; the article
    # for 1 and 4.
    assert report.parents.reply_to_previous == 0.6 and report.parents.reply_to_article == 0.4
    spam = report.spam
    assert (spam.score.tp, spam.score.fp, spam.score.fn) == (1, 1, 0)
    assert spam.genuine == 4 and spam.false_positive_rate == 0.25
    # Rebuts: 2->1 right; 3->1 and 5->4 wrong; 5->3 missed. Supports: 3->2 missed.
    assert (report.rebuts.tp, report.rebuts.fp, report.rebuts.fn) == (1, 2, 1)
    assert report.rebuts.precision == round(1 / 3, 4) and report.rebuts.recall == 0.5
    assert report.rebuts.f1 == 0.4
    assert (report.supports.tp, report.supports.fn) == (0, 1)
    # Stance towards the labelled parent: 2 agrees; 3 and 5 have no relation to theirs.
    assert report.stance.labelled == 3 and report.stance.agree == 1
    assert report.stance.with_relation == 1 and report.stance.always_rebuts == round(2 / 3, 4)
    # Every labelled comment rebutting its labelled parent: 2->1 and 5->3 right, 1->0, 3->2 wrong.
    assert (report.rebuts_baseline.tp, report.rebuts_baseline.fp) == (2, 2)
    kinds = sorted((d.comment, d.kind) for d in report.disagreements)
    assert kinds == [
        (3, "parent"),
        (3, "rebuts"),
        (3, "supports"),
        (5, "parent"),
        (5, "rebuts"),
        (5, "rebuts"),
        (5, "spam"),
    ]


def test_a_pair_typed_the_other_way_is_one_disagreement_naming_the_post_on_both_sides() -> None:
    graph = _graph([None, 0, 1], set(), [(2, 1, "rebuts")])
    report = evaluate(graph, parse_labels("position,parent,stance\n2,1,supports\n", "l.csv"))
    assert (report.rebuts.fp, report.supports.fn) == (1, 1)  # it counts for both types
    [d] = report.disagreements
    assert (d.comment, d.kind, d.expected, d.found) == (
        2,
        "rebuts",
        "supports 1 (A1)",
        "rebuts 1 (A1)",
    )


def test_a_graph_of_several_threads_asks_for_one_by_id_and_title() -> None:
    graph = _graph([None, 0], set(), [])
    graph["threads"].append({"id": "t2", "title": "Library Sunday closing"})
    with pytest.raises(LabelError) as got:
        evaluate(graph, parse_labels("position,parent\n1,0\n", "l.csv"))
    assert str(got.value) == (
        "the graph holds 2 threads: pick one with --thread ID "
        "(t ('small'), t2 ('Library Sunday closing'))"
    )


def _two_threads() -> dict:
    """``_graph``'s thread "t" ('small': 1 answers the article, 2 answers 1) and a second,
    "t2" ('Bridge', at https://example.org/bridge: its one comment answers the article)."""
    graph = _graph([None, 0, 1], set(), [])
    graph["threads"].append({"id": "t2", "title": "Bridge", "url": "https://example.org/bridge"})
    for i, parent in ((0, None), (1, 0)):
        graph["posts"].append(
            {
                "id": f"q{i}",
                "thread_id": "t2",
                "kind": "comment" if i else "article",
                "author": "B",
                "position": i,
                "parent_id": f"q{parent}" if parent is not None else None,
                "is_spam": False,
            }
        )
    return graph


def test_a_thread_column_picks_the_thread_and_leaves_other_threads_rows_to_their_turn() -> None:
    graph = _two_threads()
    labels = parse_labels(
        "thread,position,parent\nsmall,1,0\nsmall,2,1\nhttps://example.org/bridge,1,0\n",
        "l.csv",
    )
    # Comment 1 of each thread is labelled once: no "labelled twice".
    with pytest.raises(LabelError, match=r"^l\.csv:2: the labels are for 2 threads \(t, t2\)"):
        evaluate(graph, labels)
    small = evaluate(graph, labels, thread="t")
    assert (small.labels, small.parents.labelled, small.parents.correct) == (2, 2, 2)
    bridge = evaluate(graph, labels, thread="t2")
    assert (bridge.thread_id, bridge.labels, bridge.parents.correct) == ("t2", 1, 1)
    # One thread named (by title, in any case): it is picked, no --thread needed.
    one = evaluate(graph, parse_labels("Thread ID,position,parent\nBRIDGE,1,0\n", "l.csv"))
    assert one.thread_id == "t2"


def test_labels_naming_a_thread_the_graph_lacks_are_refused_naming_what_it_holds() -> None:
    labels = parse_labels("thread,position,parent\nFerry at night,1,0\n", "l.csv")
    with pytest.raises(LabelError) as got:
        evaluate(_two_threads(), labels)
    assert str(got.value) == (
        "l.csv:2: thread 'Ferry at night' is not in the graph (it holds t ('small'), "
        "t2 ('Bridge')): are the labels for another store? (--db, or --export FILE)"
    )
    with pytest.raises(LabelError, match=r"^l\.csv:2: no row of the labels is for thread t2"):
        evaluate(_two_threads(), parse_labels("thread,position,parent\nsmall,1,0\n", "l.csv"), "t2")


def test_hidden_candidates_count_only_when_asked_and_only_where_no_relation_decides() -> None:
    graph = _graph([None, 0, 1, 1], set(), [(2, 1, "rebuts")])
    graph["candidates"] = [
        {"source": "c2", "target": "c1", "type": "supports", "confidence": 0.1},  # decided already
        {"source": "c3", "target": "c1", "type": "rebuts", "confidence": 0.1},
    ]
    labels = parse_labels("position,parent,stance\n2,1,rebuts\n3,1,rebuts\n", "labels.csv")
    plain = evaluate(graph, labels)
    assert not plain.candidates and plain.stance.agree == 1 and plain.stance.with_relation == 1
    hidden = evaluate(graph, labels, candidates=True)
    assert hidden.candidates and hidden.stance.agree == 2 and hidden.stance.with_relation == 2
    assert (hidden.rebuts.tp, hidden.rebuts.fp, hidden.supports.fp) == (2, 0, 0)


def test_the_sample_stance_labels_score_with_and_without_candidates(sample_env: Store) -> None:
    result = runner.invoke(app, ["eval", str(STANCE), "--json"])
    assert result.exit_code == 0, result.output
    plain = json.loads(result.stdout)
    result = runner.invoke(app, ["eval", str(STANCE), "--json", "--candidates"])
    assert result.exit_code == 0, result.output
    hidden = json.loads(result.stdout)
    # Every genuine comment is labelled; 148 towards their parent, 6 towards another post.
    assert plain["relation_labels"] == 172 and plain["stance"]["labelled"] == 148
    assert hidden["candidates"] and not plain["candidates"]
    assert hidden["stance"]["with_relation"] > plain["stance"]["with_relation"]
    assert hidden["rebuts"]["tp"] >= plain["rebuts"]["tp"]
    result = runner.invoke(app, ["eval", str(STANCE), "--candidates", "--limit", "0"])
    assert (
        "hidden candidates counted" in result.stdout
        and "stance towards the parent" in result.stdout
    )


def test_the_independent_stance_labels_sit_on_the_independent_tree() -> None:
    """The third annotator labelled stance on the second annotator's parents: same parents, same
    spam, every genuine comment labelled once, and close to our own labels where the parents agree
    (two annotators, not a copy: they differ on some rows)."""
    tree = {x.comment: x for x in parse_labels(INDEPENDENT_TREE.read_text(), "tree.csv")}
    stance = parse_labels(INDEPENDENT_STANCE.read_text(), "stance.csv")
    ours = {x.comment: x for x in parse_labels(STANCE.read_text(), "ours.csv")}
    assert [x.comment for x in stance] == [str(i) for i in range(1, 188)]
    assert all(x.parent == tree[x.comment].parent for x in stance)
    assert all(x.is_spam == tree[x.comment].is_spam for x in stance)
    genuine = [x for x in stance if not x.is_spam]
    assert len(genuine) == 172
    assert all((x.stance is None) != (x.relations is None) for x in genuine)
    pairs = [
        (x.stance, ours[x.comment].stance)
        for x in genuine
        if x.stance and ours[x.comment].stance and x.parent == ours[x.comment].parent
    ]
    agree = sum(a == b for a, b in pairs) / len(pairs)
    assert 0.8 <= agree < 1.0


def test_jsonl_ids_and_relations_columns_read_like_csv_positions() -> None:
    graph = _graph([None, 0, 1, 1], set(), [(2, 1, "rebuts"), (3, 0, "supports")])
    rows = [
        {"id": "p2", "parent": "p1", "relations": "rebuts:1"},
        # A JSON list of relations, as strings or as argmap JSON's type and target.
        {
            "id": "p3",
            "parent": 1,
            "relations": ["supports:0", {"type": "rebuts", "target": "p2"}],
            "is_spam": False,
        },
        {"id": "p9", "parent": 0},
    ]
    text = "\n".join(json.dumps(r) for r in rows) + "\n"
    report = evaluate(graph, parse_labels(text, "labels.jsonl"))
    assert report.unmatched == ["p9"]
    assert report.parents.correct == 2 and report.spam.labelled == 1
    assert (report.rebuts.tp, report.rebuts.fn) == (1, 1)  # 3 rebutting 2 is missed
    assert (report.supports.tp, report.supports.fp) == (1, 0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("author,parent\nA,0\n", "no 'position' or 'id' column"),
        ("position,is_spam\n1,maybe\n", "labels.csv:2: is_spam 'maybe'"),
        ("position,stance\n1,maybe\n", "stance 'maybe'"),
        # The line the row starts on, though a quoted cell runs over two.
        ('position,reason,stance\n3,"two\nlines",bad\n', "labels.csv:2: stance 'bad'"),
        ("position,relations\n1,rebuts 3\n", "relations 'rebuts 3'"),
        ("position,relations\n1,rebuts:3 supports:0\n", "relations 'rebuts:3 supports:0'"),
        ("position,parent\n1,0\n1,2\n", "labelled twice"),  # (word for word: counted once)
        ('{"position": 1}\n{oops\n', "labels.csv:2: not JSON"),
        ("", "empty"),
    ],
)
def test_bad_label_files_are_one_clear_error(text: str, message: str) -> None:
    with pytest.raises(LabelError, match=r"^labels\.csv") as got:
        parse_labels(text, "labels.csv")
    assert message in str(got.value) and "\n" not in str(got.value)


def test_labels_that_name_no_comment_of_the_thread_are_an_error() -> None:
    with pytest.raises(LabelError, match="none of the 1 labelled comments"):
        evaluate(_graph([None, 0], set(), []), parse_labels("id,parent\nc7,0\n", "x"))
    # A place past the thread's last comment: the file numbers some other thread's comments.
    with pytest.raises(LabelError, match=r"^x:2: position 7 is past the last comment of thread t"):
        evaluate(_graph([None, 0], set(), []), parse_labels("position,parent\n7,0\n", "x"))


def test_the_sample_scored_from_the_store_and_from_its_export_agree(
    sample_env: Store, tmp_path: Path
) -> None:
    result = runner.invoke(app, ["eval", str(GOLD), "--json"])
    assert result.exit_code == 0, result.output
    stored = json.loads(result.stdout)
    export = tmp_path / "sample.json"
    export.write_text(json.dumps(export_json(sample_env), default=str), encoding="utf-8")
    result = runner.invoke(app, ["eval", str(GOLD), "--export", str(export), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == stored
    # The sample's own labels: every comment labelled, the rebuild well above both baselines,
    # every spam comment caught and no genuine one flagged.
    parents = stored["parents"]
    assert parents["labelled"] == stored["comments"] == 187
    assert parents["accuracy"] > parents["reply_to_previous"] + 0.2
    assert parents["accuracy"] > parents["reply_to_article"] + 0.2
    assert stored["spam"]["score"]["recall"] == 1.0 and stored["spam"]["score"]["fp"] == 0
    wrong = [d for d in stored["disagreements"] if d["kind"] == "parent"]
    assert len(wrong) == parents["labelled"] - parents["correct"]
    # The text report says the same, a line per figure with its baseline.
    result = runner.invoke(app, ["eval", str(GOLD), "--limit", "3"])
    assert result.exit_code == 0, result.output
    assert (
        f"({parents['correct']} of 187)" in result.stdout and "reply-to-previous" in result.stdout
    )
    assert "more (--limit -1" in result.stdout


def test_cli_errors_are_one_line(sample_env: Store, tmp_path: Path) -> None:
    for args, message in (
        ([str(tmp_path / "none.csv")], "no such label file"),
        ([str(GOLD), "--export", str(GOLD)], "not an argmap JSON export"),
        ([str(GOLD), "--thread", "nope"], "no thread 'nope' in the store; it holds t_"),
    ):
        result = runner.invoke(app, ["eval", *args])
        assert result.exit_code == 1
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("argmap: error: ") and message in lines[0]


def test_the_help_reads_as_paragraphs_at_a_terminals_width() -> None:
    result = runner.invoke(app, ["eval", "--help"], env={"COLUMNS": "80", "TERM": "dumb"})
    assert result.exit_code == 0, result.output
    text = result.stdout.split("Arguments")[0].splitlines()
    assert "LABELS is CSV" in result.stdout
    # A line cut short is one the docstring broke, not the terminal: only a paragraph's last.
    pairs = zip(text, text[1:], strict=False)
    cut = [a.strip() for a, b in pairs if a.strip() and b.strip() and len(a.rstrip()) < 60]
    assert cut == [], cut


def _devset() -> Path:
    sys.path.insert(0, str(ROOT / "bench"))
    import devset

    root = devset.devset_dir()
    if root is None:
        pytest.skip(
            "no dev set: /work/shared/devset (../shared/devset) absent and ARGMAP_DEVSET unset"
        )
    return root


def test_devset_threads_render_as_pages_the_parser_reads_with_their_true_labels() -> None:
    root = _devset()
    import devset
    from devset_eval import devset_figures

    for name in devset.TUNE + devset.REPORT:
        tree = devset.load_tree(root / name)
        rows = devset.labels(tree)
        assert [r["position"] for r in rows] == list(range(1, len(rows) + 1))
        assert all(r["parent"] < r["position"] for r in rows)  # depth first: parents come first
        figures = devset_figures(root / name, "tune", keep=False)
        page = figures.get("wordpress_text") or figures["csv"]
        assert page["comments"] == len(rows)
        if "wordpress_text" in figures:
            p = page["parents"]
            assert p["labelled"] == len(rows) and p["accuracy"] > p["reply_to_article"]


def test_a_flat_reddit_comment_list_renders_as_a_page_with_its_true_tree(tmp_path: Path) -> None:
    # The bench's format for further real threads kept outside the repository
    # (``devset_eval.py --extra-tune`` / ``--heldout``, ``bench/praw_threads.py``); our own words.
    sys.path.insert(0, str(ROOT / "bench"))
    from devset import labels, load_tree
    from devset_eval import devset_figures

    def c(cid: str, parent: str, minute: int, text: str) -> dict:
        return {
            "id": cid,
            "parent_id": parent,
            "author": f"u_{cid}",
            "created_utc": 1.7e9 + 60 * minute,
            "body": text,
        }

    thread = {
        "title": "Should the ferry run at night?",
        "author": "op",
        "created_utc": 1.7e9,
        "body": "",
        "comments": [
            c("t1_a", "t3_p", 5, "Yes, the night shift at the hospital needs it."),
            c("t1_b", "t1_a", 9, "Nurses already get a taxi allowance."),
            c("t1_c", "t1_gone", 11, "This answers a comment the file does not hold."),
            c("t1_d", "t1_c", 12, "And this answers that one."),
            c("t1_e", "t3_p", 20, "Only on weekends &amp; holidays."),
        ],
    }
    path = tmp_path / "reddit_test_flat.json"
    path.write_text(json.dumps(thread), encoding="utf-8")
    tree = load_tree(path)
    # The orphan and its reply are left out; HTML entities are Reddit's escaping, undone.
    assert [(r["position"], r["parent"]) for r in labels(tree)] == [(1, 0), (2, 1), (3, 0)]
    assert tree.top[1].text == "Only on weekends & holidays."
    figures = devset_figures(path, "tune-extra", keep=False)
    assert figures["wordpress_text"]["parents"]["labelled"] == 3
