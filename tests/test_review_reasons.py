"""Why an item is up for review, in words an organizer understands: what the machine decided,
how sure it was (the number, and what it means) and what the reviewer is asked to check. The
machine's terse note stays for power users: in ``--json`` and under the page's explanation."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from argmap.graph.review_reasons import parent_reason, relation_reason, spam_reason
from argmap.graph.store import Store, open_store
from argmap.ingest.pipeline import ingest
from dashboard_pages import assert_clean, open_page, serve_with_edits, texts
from markdown_runs import finds, unwrapped
from test_dashboard_review_messages import BEACON, hostile_file
from typer.testing import CliRunner

from argmap.cli import app

runner = CliRunner()

# What last round's audit found on the page: notes meant for the code's authors.
DEBUG_WORDING = ("spam score +", "spam score -", "from the line")


def test_a_relation_says_how_sure_the_machine_was_and_how_often_that_was_right() -> None:
    said = relation_reason(
        "rebuts", 0.21, 0.66, "no explicit stance cue; faint cue 'agree'", "offline"
    )
    assert "The machine was 21% sure of this (confidence 0.21 of 1)" in said
    assert "about 66% of its relations this sure were right" in said
    assert "No words in the reply say outright that it agrees or disagrees" in said
    assert "Check: does the answering claim really argue against the claim it answers?" in said


def test_the_machines_notes_are_read_out_in_plain_words() -> None:
    said = relation_reason(
        "rebuts",
        0.21,
        0.66,
        "no explicit stance cue; faint cue 'I agree' + negation near 'members' → rebuts",
        "offline",
    )
    assert (
        "so the machine went by weaker hints: words that lean one way but too weakly to decide "
        'alone: "I agree"; a "not" near "members".'
    ) in said
    cued = relation_reason(
        "rebuts",
        0.7,
        0.81,
        "reply opens with 'I disagree'; negates the target's wording; overlaps on 'iso'",
        "offline",
    )
    assert (
        'The machine went by: the reply opens with "I disagree"; it denies the words of the '
        'claim it answers; both use the words "iso".'
    ) in cued


def test_a_note_the_reading_does_not_know_is_kept_as_written() -> None:
    said = relation_reason(
        "rebuts", 0.3, 0.69, "no explicit stance cue; a new kind of hint → rebuts", "offline"
    )
    assert "went by weaker hints: a new kind of hint." in said


def test_an_llm_relation_states_only_its_own_confidence() -> None:
    said = relation_reason("supports", 0.8, None, "It backs the claim up.", "llm")
    assert "The machine was 80% sure" in said and "this sure were right" not in said
    assert "really back up the claim it answers?" in said


@pytest.mark.parametrize(
    "is_spam, margin, words",
    [
        (
            False,
            -0.0,
            "not spam, and it was a coin toss: its spam score sits right at the line "
            "(0.00 short of the line",
        ),
        (False, -0.6, "not spam, and it was a close call"),
        (True, 1.5, "says spam, and it was fairly clear, but not certain (1.50 past the line"),
    ],
)
def test_a_spam_flag_says_how_near_the_line_it_was(
    is_spam: bool, margin: float, words: str
) -> None:
    said = spam_reason(is_spam, margin)
    assert words in said
    assert "Check: is this comment spam" in said
    assert not any(w in said for w in DEBUG_WORDING)


def test_a_rebuilt_parent_says_the_page_did_not_tell_and_how_likely_it_is_right() -> None:
    said = parent_reason(0.62)
    assert "the machine worked it out; it is 62% likely to be right" in said
    assert "Check: is this the comment it answers?" in said


def test_review_list_prints_each_items_reason_in_plain_words(sample_env: Store) -> None:
    for kind, words in (
        ("relation", "% sure of this (confidence "),
        ("parent", "likely to be right"),
        ("spam", "the line where a comment counts as spam"),
    ):
        listed = runner.invoke(app, ["review", "list", "--kind", kind, "--limit", "2"])
        assert listed.exit_code == 0, listed.output
        lines = listed.output.splitlines()
        items = [line for line in lines if not line.startswith("       ")]
        why = [line.strip() for line in lines if line.startswith("       why: ")]
        assert len(items) == len(why) == 2, listed.output
        assert all(words in w and "Check:" in w for w in why), why
        notes = [line for line in lines if line.startswith("       notes: ")]
        assert len(notes) == (2 if kind == "relation" else 0), listed.output


def test_review_list_json_keeps_the_terse_note_beside_the_plain_words(sample_env: Store) -> None:
    listed = runner.invoke(app, ["review", "list", "--kind", "spam", "--limit", "1", "--json"])
    assert listed.exit_code == 0, listed.output
    (item,) = json.loads(listed.output)
    assert item["reason"].startswith("spam score ") and item["reason"].endswith(" from the line")
    assert "counts as spam" in item["explanation"]


@pytest.mark.parametrize(
    "kind, words",
    [
        ("relation", "% sure of this (confidence "),
        ("parent", "likely to be right"),
        ("spam", "the line where a comment counts as spam"),
    ],
)
def test_the_review_page_explains_the_item_and_asks_what_to_check(
    sample_env: Store, kind: str, words: str
) -> None:
    at = open_page("review")
    at.multiselect(key="rv_kinds").set_value([kind]).run()
    assert_clean(at)
    said = re.sub(r"\\(.)", r"\1", texts(at))  # as read: Markdown's escapes undone
    assert words in said and "Check:" in said, said
    assert not any(w in said for w in DEBUG_WORDING), said
    if kind == "relation":  # the rationale, for whoever checks the machine's workings
        assert "The machine's notes:" in said


def test_comment_words_in_a_reason_show_as_text_never_as_markup(
    monkeypatch: pytest.MonkeyPatch, falkordb_dir: Path, graph_name: str, tmp_path: Path
) -> None:
    store = open_store(str(falkordb_dir), graph_name)
    try:
        # A claim id of plain letters: only the rationale quotes the image.
        rationale = f"reply opens with '{BEACON}'"
        ingest(hostile_file(tmp_path / "t.json", attacker="c_r", rationale=rationale), store)
        serve_with_edits(monkeypatch, falkordb_dir, graph_name)
        monkeypatch.delenv("ARGMAP_DASHBOARD_ALLOW_EDITS")  # read-only: no name asked
        at = open_page("review")
        at.multiselect(key="rv_kinds").set_value(["relation"]).run()
        assert_clean(at)
        said = [str(m.value) for m in [*at.markdown, *at.caption] if "beacon" in str(m.value)]
        # The plain reading and the machine's notes, each with the image escaped.
        assert len(said) == 2 and any("the reply opens with" in s for s in said), said
        # md()'s one-character ":color[x]" spans (which stop links) aside, no markup is open,
        # and nothing in it would be made a link or a picture.
        assert not [s for s in said if re.search(r"(?<!\\)[\[\]<]", unwrapped(s))], said
        assert not [s for s in said if finds(s)], said
    finally:
        store.clear()
        store.close()
