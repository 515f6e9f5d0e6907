"""``argmap eval`` on what a scholar's file and store really hold: a row pasted twice, a thread
without a title, and ids of another thread's comments scored against the wrong thread."""

from __future__ import annotations

from pathlib import Path

import pytest
from argmap.graph.eval_labels import LabelError, parse_labels
from argmap.graph.eval_text import report_lines
from argmap.graph.evaluation import EvalReport, evaluate
from argmap.graph.store import Store
from argmap.ingest.pipeline import ingest
from test_eval import _graph
from typer.testing import CliRunner

from argmap.cli import app

runner = CliRunner()


def test_a_row_repeated_word_for_word_is_counted_once() -> None:
    """Was: refused, "comment 2 is labelled twice (first on line 3)"."""
    text = "position,parent,stance,reason\n1,0,none,a\n2,1,rebuts,b\n2,1,rebuts,pasted again\n"
    labels = parse_labels(text, "labels.csv")
    assert [(x.comment, x.line) for x in labels] == [("1", 2), ("2", 3)]
    report = evaluate(_graph([None, 0, 1], set(), [(2, 1, "rebuts")]), labels)
    assert report.labels == 2 and report.rebuts.tp == 1


def test_two_rows_saying_different_things_of_one_comment_stay_refused() -> None:
    with pytest.raises(LabelError) as refused:
        parse_labels("position,parent,stance\n2,1,rebuts\n2,1,supports\n", "labels.csv")
    assert str(refused.value) == (
        "labels.csv:3: comment 2 is labelled twice (first on line 2); keep one row per comment"
    )


@pytest.mark.parametrize(
    "text",
    [
        "position,parent,stance\n1,0,none\n2,1,rebuts\n02,01,rebuts\n",
        "position,id,parent,stance\n1,,0,none\n2,,1,rebuts\n,p2,1,rebuts\n",
        "position,relations\n1,none\n2,rebuts:1\n02,rebuts:01\n",
    ],
    ids=["3 and 03", "a position and its id", "relations spelt two ways"],
)
def test_one_comment_spelt_two_ways_saying_the_same_is_counted_once(text: str) -> None:
    """Was: refused, "labels.csv:4: 02 is comment 2, labelled already as 2 on line 3"."""
    labels = parse_labels(text, "labels.csv")
    report = evaluate(_graph([None, 0, 1], set(), [(2, 1, "rebuts")]), labels)
    assert report.labels == 2 and report.relation_labels == 2
    assert report.rebuts.tp == 1 and report.rebuts.fn == 0


def test_one_comment_spelt_two_ways_saying_different_things_stays_refused() -> None:
    labels = parse_labels("position,parent,stance\n2,1,rebuts\n02,1,supports\n", "labels.csv")
    with pytest.raises(LabelError) as refused:
        evaluate(_graph([None, 0, 1], set(), [(2, 1, "rebuts")]), labels)
    assert str(refused.value) == (
        "labels.csv:3: 02 is comment 2, labelled already as 2 on line 2; keep one row per comment"
    )


def test_a_thread_without_a_title_is_named_by_its_id_alone() -> None:
    """Was: "thread t_x:  (3 comments, ...", a colon and a gap where the title goes."""
    untitled = EvalReport(thread_id="t_x", title="", comments=3, labels=2)
    assert report_lines(untitled)[0] == "thread t_x (3 comments, spam included; 2 labelled)"
    titled = untitled.model_copy(update={"title": "Cafés"})
    assert report_lines(titled)[0] == "thread t_x: Cafés (3 comments, spam included; 2 labelled)"
    # Was: "(1 comments, spam included; ...".
    one = untitled.model_copy(update={"comments": 1, "labels": 1})
    assert report_lines(one)[0] == "thread t_x (1 comment, spam included; 1 labelled)"


def _thread(name: str, title: str) -> str:
    return (
        "id,author,parent_id,title,text\n"
        f'{name}1,Ann,,{title},"{title} should open on Sundays, as most shops do."\n'
        f'{name}2,Bob,{name}1,,"I disagree: nobody comes on Sundays."\n'
        f'{name}3,Cy,{name}2,,"But the market brings people in every Sunday."\n'
    )


def test_ids_of_another_threads_comments_are_refused_naming_the_stores_threads(
    argmap_env: Path, store: Store, tmp_path: Path
) -> None:
    """Was: "none of the 2 labelled comments is in thread t_...: check the positions or ids, or
    pick the thread with --thread", naming neither thread."""
    for name, title in (("lib", "The library"), ("pool", "The pool")):
        (tmp_path / f"{name}.csv").write_text(_thread(name, title))
        ingest(tmp_path / f"{name}.csv", store, extractor="offline")
    [library, pool] = sorted(
        store.run_read("MATCH (t:Thread) RETURN t.id AS id, t.title AS title ORDER BY t.title"),
        key=lambda t: t["title"],
    )
    labels = tmp_path / "labels.csv"
    labels.write_text("id,parent,stance\npool2,pool1,rebuts\npool3,pool2,supports\n")
    result = runner.invoke(app, ["eval", str(labels), "--thread", library["id"]])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"argmap: error: none of the 2 labelled comments is in thread {library['id']} ('The "
        f"library'); the graph also holds {pool['id']} ('The pool'): pick the one they label "
        "with --thread ID; or check the positions and ids"
    ]
    assert runner.invoke(app, ["eval", str(labels), "--thread", pool["id"]]).exit_code == 0


def test_ids_naming_nothing_in_the_graphs_only_thread_ask_whether_it_is_the_right_store() -> None:
    with pytest.raises(LabelError) as refused:
        evaluate(_graph([None, 0], set(), []), parse_labels("id,parent\nc7,0\n", "x"))
    assert str(refused.value) == (
        "none of the 1 labelled comments is in thread t ('small'); it is the graph's only "
        "thread: are they for another store? (--db, or --export FILE); or check the positions "
        "and ids"
    )
