"""Every place that states how many comments a thread has counts them one way: the comments
argmap analyses, with the spam it left out named apart. The sample's page says 187 comments,
15 of them spam; argmap says "172 comments (15 spam left out)" on the Overview, in a picture's
and a page's credit line (the dashboard's Graph page and exports alike), in the ingest summary
and in ``argmap threads``. Expected numbers come from independent Cypher on the store.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from argmap.graph import summary_reads
from argmap.graph.catalog import thread_summaries
from argmap.graph.export_text import credit_line
from argmap.graph.exports import export
from argmap.graph.store import Store
from argmap.graph.subgraph import Selection, select_subgraph
from argmap.graph.summary import SUMMARY_ID, is_fresh
from dashboard_pages import assert_clean, iframe_srcdoc, open_page
from typer.testing import CliRunner

from argmap.cli import app
from argmap.core.wording import plural

runner = CliRunner()


def counted(store: Store) -> tuple[int, int]:
    """(comments not marked spam, posts marked spam), read straight from the store."""

    def one(query: str) -> int:
        return int(store.run_read(query)[0]["n"])

    return (
        one(
            "MATCH (p:Post {kind: 'comment'}) WHERE NOT coalesce(p.is_spam, false) "
            "RETURN count(p) AS n"
        ),
        one("MATCH (p:Post) WHERE p.is_spam = true RETURN count(p) AS n"),
    )


def test_the_overview_and_every_credit_line_count_the_same(
    any_sample_env: Store, tmp_path: Path
) -> None:
    store = any_sample_env
    comments, spam = counted(store)
    assert (comments, spam) == (172, 15)  # 187 on the sample's own page
    phrase = f"{comments} comments ({spam} spam left out), "

    at = open_page()
    metrics = {m.label: int(m.value) for m in at.metric}
    assert metrics["Comments"] == comments and metrics["Spam left out"] == spam
    assert "Posts" not in metrics  # the article-and-comments count is gone from the headline

    # What `argmap threads` lists, on this store too.
    [listed] = thread_summaries(store)
    assert (listed.comments, listed.spam, listed.posts) == (comments, spam, comments + spam + 1)

    # The credit line of a picture and of the standalone page: the same count.
    for fmt in ("svg", "html"):
        path = export(store, fmt, Selection(), tmp_path / f"whole.{fmt}")
        text = html.unescape(path.read_text(encoding="utf-8"))
        assert phrase in text, fmt
        assert "187 comments" not in text, fmt
    export(store, "png", Selection(), tmp_path / "whole.png")

    # The Graph page's frame carries the same credit line.
    graph = open_page("graph")
    assert_clean(graph)
    assert phrase in html.unescape(iframe_srcdoc(graph))


def test_the_ingest_summary_and_argmap_threads_count_the_same(
    argmap_env: Path, store: Store, sample_path: Path
) -> None:
    result = runner.invoke(app, ["ingest", str(sample_path), "-q"])
    assert result.exit_code == 0, result.output
    comments, spam = counted(store)
    assert result.stdout.startswith(f"1 article, {comments} comments ({spam} spam left out), ")

    listed = runner.invoke(app, ["threads", "--json"])
    assert listed.exit_code == 0, listed.output
    [row] = json.loads(listed.stdout)
    assert (row["comments"], row["spam"], row["posts"]) == (comments, spam, comments + spam + 1)
    table = runner.invoke(app, ["threads"])
    assert table.exit_code == 0 and "comments" in table.stdout and "spam" in table.stdout
    assert "2013-06-24" in table.stdout  # the day it was published, in UTC


def test_a_reingest_after_a_reviewer_marks_spam_counts_as_the_overview_does(
    argmap_env: Path, store: Store, sample_path: Path
) -> None:
    """Marking a comment spam takes its claims out of the debate; ingesting the thread again
    (which keeps the review) must not count them back into the summary line."""
    from argmap.graph import counts
    from argmap.graph import review_actions as act

    first = runner.invoke(app, ["ingest", str(sample_path), "-q"])
    assert first.exit_code == 0, first.output
    [post] = store.run_read(
        "MATCH (p:Post {kind: 'comment'})-[:MAKES]->(:Claim)-[r:REBUTS|SUPPORTS]-() "
        "WITH p, count(r) AS relations ORDER BY relations DESC, p.id LIMIT 1 "
        "MATCH (p)-[:MAKES]->(c:Claim) RETURN p.id AS id, count(c) AS claims"
    )
    assert post["claims"] >= 2
    act.mark_spam(store, post["id"], True, "Ann")

    again = runner.invoke(app, ["ingest", str(sample_path), "-q"])
    assert again.exit_code == 0, again.output
    seen = counts.counts(store)
    comments, spam = counted(store)
    assert (seen.comments, seen.spam) == (comments, spam) == (171, 16)
    assert again.stdout.startswith(
        f"1 article, {comments} comments ({spam} spam left out), "
        f"{plural(seen.claims, 'claim')}, {plural(seen.rebuttals + seen.supports, 'relation')} "
    )
    # What it redid is said of the posts the line counts: the spam post is not among them.
    assert f"; of 1 article and {comments} comments, 0 extracted now, {comments + 1} as an " in (
        again.stdout
    )
    # The claims are still stored (an undo brings them back), and the first line counted them.
    assert f", {seen.claims + post['claims']} claims, " in first.stdout


def test_a_summary_stored_before_spam_was_counted_apart_is_read_live(
    store: Store, sample_path: Path
) -> None:
    """A store upgraded in place keeps its summary until the next write: its thread counts,
    stored with spam counted in, must not reach a credit line."""
    from argmap.ingest.pipeline import ingest

    ingest(sample_path, store, extractor="offline")
    assert is_fresh(store)
    [info] = summary_reads.thread_infos(store).values()
    old = info.model_dump(exclude={"spam"}) | {"comments": info.comments + (info.spam or 0)}
    store.run(
        "MATCH (s:Meta {id: $id}) SET s.thread_infos = $v",
        {"id": SUMMARY_ID, "v": json.dumps([old])},
    )
    assert is_fresh(store) and summary_reads.thread_infos(store) == {}
    sg = select_subgraph(store, Selection(max_nodes=12), threads=summary_reads.thread_infos(store))
    comments, spam = counted(store)
    assert f"{comments} comments ({spam} spam left out), " in credit_line(sg)


def test_the_credit_line_without_spam_names_none() -> None:
    """A thread with no spam says just how many comments (no "(0 spam left out)")."""
    from argmap.graph.subgraph import Subgraph, ThreadInfo

    sg = Subgraph(
        selection=Selection(),
        nodes=[],
        edges=[],
        posts=[],
        threads=[ThreadInfo(id="t", comments=6, spam=0)],
        total_nodes=0,
    )
    assert "6 comments, 0 shown" in credit_line(sg)
    assert "spam" not in credit_line(sg)
