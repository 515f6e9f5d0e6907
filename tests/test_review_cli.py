"""``argmap review ...`` and ``argmap eval --against-reviews`` as a scholar scripts a pass."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli import app

runner = CliRunner()


@pytest.fixture
def sample_in_cli(argmap_env: Path, sample_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("ARGMAP_REVIEWER", raising=False)
    result = runner.invoke(app, ["ingest", str(sample_path), "-e", "offline", "-q"])
    assert result.exit_code == 0, result.output
    return argmap_env


def test_a_scripted_review_pass(sample_in_cli: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    listed = runner.invoke(app, ["review", "list", "--kind", "relation", "--limit", "3", "--json"])
    assert listed.exit_code == 0, listed.output
    items = json.loads(listed.output)
    assert len(items) == 3 and all(i["kind"] == "relation" for i in items)
    first, second = items[0], items[1]

    nobody = runner.invoke(app, ["review", "accept", first["source"], first["target"]])
    assert nobody.exit_code == 1 and "ARGMAP_REVIEWER" in nobody.output

    monkeypatch.setenv("ARGMAP_REVIEWER", "Ann")
    ok = runner.invoke(app, ["review", "accept", first["source"], first["target"]])
    assert ok.exit_code == 0 and "accept" in ok.output and "by Ann" in ok.output
    stale = runner.invoke(
        app, ["review", "reject", first["source"], first["target"], "--expect-version", "0"]
    )
    assert stale.exit_code == 1 and "changed since you loaded it" in stale.output
    rejected = runner.invoke(
        app, ["review", "reject", second["source"], second["target"], "--reviewer", "Bob"]
    )
    assert rejected.exit_code == 0, rejected.output
    review_id = rejected.output.split("(review ")[1].split(";")[0]

    scored = runner.invoke(app, ["eval", "--against-reviews", "--json"])
    assert scored.exit_code == 0, scored.output
    (offline,) = [r for r in json.loads(scored.output) if r["kind"] == "relation"]
    assert (offline["accepted"], offline["rejected"], offline["precision"]) == (1, 1, 0.5)

    undone = runner.invoke(app, ["review", "undo", review_id])
    assert undone.exit_code == 0 and "undid reject" in undone.output
    history = runner.invoke(app, ["review", "history", f"{second['source']}>{second['target']}"])
    assert "Bob" in history.output and "undone by Ann" in history.output
    again = json.loads(runner.invoke(app, ["eval", "--against-reviews", "--json"]).output)
    assert [r for r in again if r["kind"] == "relation"][0]["rejected"] == 0


def test_eval_needs_labels_or_reviews(sample_in_cli: Path) -> None:
    result = runner.invoke(app, ["eval"])
    assert result.exit_code == 1 and "--against-reviews" in result.output


def test_moving_a_reply_says_when_its_relations_follow(
    sample_in_cli: Path, sample_path: Path
) -> None:
    listed = runner.invoke(app, ["review", "list", "--kind", "parent", "--limit", "1", "--json"])
    (item,) = json.loads(listed.output)
    confirmed = runner.invoke(
        app, ["review", "set-parent", item["source"], item["target"], "--reviewer", "Ann"]
    )
    assert confirmed.exit_code == 0, confirmed.output
    assert "next `argmap ingest`" not in confirmed.output  # the same parent: nothing to redo
    article = runner.invoke(app, ["export", "-f", "json", "-o", "-"])
    posts = json.loads(article.output)["posts"]
    top = next(p["id"] for p in posts if p["kind"] == "article")
    moved = runner.invoke(app, ["review", "set-parent", item["source"], top, "--reviewer", "Ann"])
    assert moved.exit_code == 0, moved.output
    assert "until `argmap review extract`" in moved.output
    again = runner.invoke(app, ["review", "extract", "-e", "offline"])
    assert (
        again.exit_code == 0
        and "; of 1 article and 172 comments, 1 extracted now, 172 as an earlier" in again.output
    )
    assert "nothing pending" in runner.invoke(app, ["review", "extract"]).output
    # A source re-ingested extracts nothing more.
    ingested = runner.invoke(app, ["ingest", str(sample_path), "-e", "offline"])
    assert "comments, 0 extracted now, 173 as an earlier run left them" in ingested.output


def test_a_moved_kialo_claim_waits_for_its_file(argmap_env: Path) -> None:
    # A Kialo export states its own Pro/Con: no extractor guesses them, the file is read again.
    debate = Path(__file__).parent / "data" / "kialo_library.txt"
    assert runner.invoke(app, ["ingest", str(debate), "-q"]).exit_code == 0
    posts = json.loads(runner.invoke(app, ["export", "-f", "json", "-o", "-"]).output)["posts"]
    article = next(p["id"] for p in posts if p["kind"] == "article")
    deep = next(p["id"] for p in posts if p["parent_id"] not in (None, article))
    moved = runner.invoke(app, ["review", "set-parent", deep, article, "--reviewer", "Ann"])
    assert moved.exit_code == 0, moved.output
    waiting = runner.invoke(app, ["review", "extract", "-e", "offline"])
    assert waiting.exit_code == 0
    assert "1 post waits in threads whose file states its relations" in waiting.output
    assert runner.invoke(app, ["ingest", str(debate), "-q"]).exit_code == 0
    assert "nothing pending" in runner.invoke(app, ["review", "extract"]).output


def test_a_decision_from_the_shell_never_silently_replaces_another_reviewers(
    sample_in_cli: Path,
) -> None:
    # Ann decided on the page (or in her shell); Bob, in his, names the same relation a moment
    # later. Replacing Ann's decision unseen was last-writer-wins: Bob is told whose decision
    # stands, and replaces it only by saying so (--expect-version, the version the line gives).
    item = json.loads(
        runner.invoke(app, ["review", "list", "--kind", "relation", "--json"]).output
    )[0]
    pair = [item["source"], item["target"]]
    ann = runner.invoke(app, ["review", "accept", *pair, "--reviewer", "Ann"])
    assert ann.exit_code == 0, ann.output
    bob = runner.invoke(app, ["review", "reject", *pair, "--reviewer", "Bob"])
    assert bob.exit_code == 1
    (line,) = bob.output.strip().splitlines()
    assert "decided by Ann" in line and "(accept, review r_" in line
    assert "--expect-version 1" in line and " UTC " in line
    scored = json.loads(runner.invoke(app, ["eval", "--against-reviews", "--json"]).output)
    assert [(r["accepted"], r["rejected"]) for r in scored if r["kind"] == "relation"] == [(1, 0)]

    # Ann may change her own mind; Bob replaces hers knowingly; Ann's undo of her decision is
    # then refused (it would erase Bob's), naming his.
    replaced = runner.invoke(
        app, ["review", "reject", *pair, "--reviewer", "Bob", "--expect-version", "1"]
    )
    assert replaced.exit_code == 0, replaced.output
    ann_id = ann.output.split("(review ")[1].split(";")[0]
    late_undo = runner.invoke(app, ["review", "undo", ann_id, "--reviewer", "Ann"])
    assert late_undo.exit_code == 1 and "reject by Bob" in late_undo.output
    history = runner.invoke(app, ["review", "history", ">".join(pair)]).output
    assert [row.split()[1] for row in history.strip().splitlines()] == ["Ann", "Bob"]

    # The same on a post: Ann marks a comment spam, Bob's "not spam" is refused the same way.
    post = json.loads(runner.invoke(app, ["review", "list", "--kind", "parent", "--json"]).output)[
        0
    ]["source"]
    assert runner.invoke(app, ["review", "spam", post, "--reviewer", "Ann"]).exit_code == 0
    bob_post = runner.invoke(app, ["review", "not-spam", post, "--reviewer", "Bob"])
    assert bob_post.exit_code == 1 and "decided by Ann" in bob_post.output
    again = runner.invoke(app, ["review", "not-spam", post, "--reviewer", "Ann"])
    assert again.exit_code == 0, again.output
