"""`argmap eval` finds a labelled comment by the id it has in the user's own source file.

A scholar who labels a CSV export, a saved Reddit thread or a Hacker News item names comments by
the ids those files give them (`c2`, `k1alic` or `t1_k1alic`, `40100011`), not by argmap's post
ids; an `id` / `parent_id` column holding digits names an id (a Hacker News item), and `position`
still names a place in the thread."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from argmap.graph.eval_labels import parse_labels
from argmap.graph.evaluation import evaluate
from argmap.graph.store import Store
from argmap.ingest.sources import load_threads
from typer.testing import CliRunner

from argmap.cli import app

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
runner = CliRunner()


def graph_of(path: Path, fmt: str) -> dict[str, Any]:
    """The thread in ``path`` as an argmap JSON graph with its source's reply tree, no claims."""
    [thread] = load_threads(path, fmt)
    keep = ("id", "thread_id", "kind", "author", "position", "parent_id", "is_spam")
    return {
        "format": "argmap-json",
        "version": 1,
        "threads": [{"id": thread.id, "title": thread.title}],
        "posts": [p.model_dump(include=set(keep)) for p in thread.posts],
        "claims": [],
        "relations": [],
    }


def scored(path: Path, fmt: str, labels: str) -> tuple[int, int, list[str]]:
    report = evaluate(graph_of(path, fmt), parse_labels(labels, "labels.csv"))
    return report.parents.labelled, report.parents.correct, report.unmatched


@pytest.mark.parametrize(
    ("fixture", "fmt", "labels"),
    [
        # CSV ids; the article is the file's first row.
        ("comments.csv", "csv", "id,parent_id\nc1,p1\nc2,c1\n"),
        # Reddit: bare ids, fullnames, and the post (t3_) as the parent of a top-level comment.
        (
            "reddit_thread.json",
            "reddit-json",
            "id,parent_id\nk1alic,t3_1ab2cd\nk2bobb,t1_k1alic\nt1_k3alic,k2bobb\nk5caro,k4gone\n"
            "k8dave,1ab2cd\n",
        ),
        # Hacker News item ids are digits: in an id column they are ids, not positions.
        (
            "hn_item.json",
            "hn-json",
            "id,parent_id\n40100011,40100000\n40100023,40100011\n40100029,40100011\n"
            "40100015,40100000\n",
        ),
    ],
)
def test_labels_name_comments_by_their_source_ids(fixture: str, fmt: str, labels: str) -> None:
    rows = labels.count("\n") - 1
    # The source gives the tree, so every labelled parent is the stored one: nothing unmatched.
    assert scored(FIXTURES / fixture, fmt, labels) == (rows, rows, [])


def test_a_wordpress_comment_is_found_by_its_comment_number(tmp_path: Path) -> None:
    page = FIXTURES / "wordpress_page.html"
    for key in ("1201", "comment-1201"):
        labels = f"id,parent\n{key},0\n"
        labelled, _correct, unmatched = scored(page, "wordpress-html", labels)
        assert (labelled, unmatched) == (1, [])
    [thread] = load_threads(page, "wordpress-html")
    graph = graph_of(page, "wordpress-html")
    by_id = evaluate(graph, parse_labels("id,parent\n1201,0\n", "l.csv"))
    by_place = evaluate(graph, parse_labels("position,parent\n1,0\n", "l.csv"))
    assert by_id.parents == by_place.parents  # comment-1201 is the page's first comment
    assert thread.posts[1].position == 1


def test_digits_mean_an_id_in_an_id_column_and_a_place_in_a_position_column(
    tmp_path: Path,
) -> None:
    thread = tmp_path / "numbered.csv"
    thread.write_text(
        "id,author,parent_id,text,title\n"
        "10,Editor,,The bridge should be rebuilt in stone.,Bridge\n"
        "11,Ann,,Stone costs twice what steel does.,\n"
        "12,Ben,11,Stone lasts three times as long.,\n"
        "13,Cas,11,Steel rusts by the river.,\n",
        encoding="utf-8",
    )
    # Ids 12 and 13 are positions 2 and 3; as positions "12" and "13" would name nothing.
    assert scored(thread, "csv", "id,parent_id\n12,11\n13,11\n") == (2, 2, [])
    assert scored(thread, "csv", "position,parent\n2,1\n3,1\n") == (2, 2, [])
    # A wrong label stays wrong: 13 did not answer 12.
    assert scored(thread, "csv", "id,parent_id\n13,12\n") == (1, 0, [])
    # An id column with digits no post has falls back to the place in the thread, as before.
    assert scored(thread, "csv", "id,parent_id\n2,1\n") == (1, 1, [])


def test_argmap_eval_scores_a_stored_csv_thread_labelled_by_its_own_ids(
    argmap_env: Path, store: Store, tmp_path: Path
) -> None:
    ingested = runner.invoke(app, ["ingest", str(FIXTURES / "comments.csv"), "-e", "offline"])
    assert ingested.exit_code == 0, ingested.output
    labels = tmp_path / "labels.csv"
    labels.write_text("id,parent_id,stance\nc1,p1,rebuts\nc2,c1,rebuts\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", str(labels), "--json"])
    assert result.exit_code == 0, result.output
    assert '"labelled": 2' in result.output and '"correct": 2' in result.output
    assert '"unmatched": []' in result.output


def test_top_level_spellings_mean_the_article_and_unknown_parents_are_named(
    tmp_path: Path,
) -> None:
    from argmap.graph.eval_text import report_lines

    thread = FIXTURES / "comments.csv"
    for top in ("0", "-1", "root", "Article", "top-level", "p1"):
        assert scored(thread, "csv", f"id,parent\nc1,{top}\n") == (1, 1, []), top
    report = evaluate(graph_of(thread, "csv"), parse_labels("id,parent\nc2,zz9\n", "l.csv"))
    assert report.parents.labelled == 0 and report.unmatched_parents == ["zz9"]
    assert any(
        "zz9" in line and "parents not in the thread" in line for line in report_lines(report)
    )


def test_stance_words_annotators_use_are_read() -> None:
    labels = parse_labels(
        "position,stance\n1,attack\n2,Disagrees\n3,agree\n4,favour\n5,oppose\n", "l.csv"
    )
    assert [x.stance for x in labels] == ["rebuts", "rebuts", "supports", "supports", "rebuts"]


def test_a_plain_parent_column_reads_digits_the_way_the_comment_column_does(
    tmp_path: Path,
) -> None:
    # The file's own ids count from 1 with the article first, so id k is position k-1: a
    # `parent` beside an `id` column names ids too, or every parent would be off by one.
    thread = tmp_path / "numbered.csv"
    thread.write_text(
        "id,author,parent_id,text,title\n"
        "1,Editor,,The bridge should be rebuilt in stone.,Bridge\n"
        "2,Ann,,Stone costs twice what steel does.,\n"
        "3,Ben,2,Stone lasts three times as long.,\n"
        "4,Cas,3,Steel rusts by the river.,\n",
        encoding="utf-8",
    )
    assert scored(thread, "csv", "id,parent\n3,2\n4,3\n") == (2, 2, [])
    report = evaluate(graph_of(thread, "csv"), parse_labels("id,relations\n4,rebuts:3\n", "l"))
    [missed] = report.disagreements  # no claims were extracted: the labelled rebuttal is missed
    assert missed.expected == "rebuts 2 (Ben)"
