"""``reddit-json``: a thread saved from Reddit's ``.json`` endpoint (hand-written fixture)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from argmap.ingest.sources import reddit_json

from argmap.core.errors import SourceError
from argmap.core.ids import stable_id
from argmap.core.models import Thread

FIXTURE = Path(__file__).parent / "fixtures" / "sources" / "reddit_thread.json"


def parse(text: str) -> Thread:
    [thread] = reddit_json.parse(text, "thread.json")
    return thread


def tree(thread: Thread) -> list[tuple[str, str | None]]:
    """(author, parent's author) in document order: the reply tree as a reader checks it."""
    by_id = {p.id: p for p in thread.posts}
    return [(p.author, by_id[p.parent_id].author if p.parent_id else None) for p in thread.posts]


def one_line_error(text: str) -> str:
    with pytest.raises(SourceError) as caught:
        parse(text)
    message = str(caught.value)
    assert "\n" not in message and message.startswith("thread.json: ")
    return message


def test_reply_tree_is_the_source_tree_exactly() -> None:
    thread = parse(FIXTURE.read_text())
    name = {
        p.id: n
        for n, p in zip(
            [
                "t3_1ab2cd",
                "t1_k0auto",
                "t1_k1alic",
                "t1_k2bobb",
                "t1_k3alic",
                "t1_k4gone",
                "t1_k5caro",
                "t1_k7remi",
                "t1_k8dave",
            ],
            thread.posts,
            strict=True,
        )
    }
    parents = [(name[p.id], name.get(p.parent_id)) for p in thread.posts]
    assert parents == [
        ("t3_1ab2cd", None),
        ("t1_k0auto", "t3_1ab2cd"),
        ("t1_k1alic", "t3_1ab2cd"),
        ("t1_k2bobb", "t1_k1alic"),
        ("t1_k3alic", "t1_k2bobb"),
        ("t1_k4gone", "t1_k1alic"),
        ("t1_k5caro", "t1_k4gone"),
        ("t1_k7remi", "t3_1ab2cd"),
        ("t1_k8dave", "t3_1ab2cd"),
    ]
    # Ids come from Reddit's own names, so a re-saved thread lands on the same nodes.
    assert [p.id for p in thread.posts] == [stable_id("p", "reddit", n) for n, _ in parents]
    assert [p.position for p in thread.posts] == list(range(9))
    assert thread.reply_tree == "source"
    assert thread.id == stable_id("t", "reddit", "t3_1ab2cd")


def test_thread_fields_and_timestamps_are_utc() -> None:
    thread = parse(FIXTURE.read_text())
    assert thread.title == "Should Elm Street go car-free on weekends?"
    assert thread.url == (
        "https://www.reddit.com/r/urbanplanning/comments/1ab2cd/should_elm_street_go_carfree_on_weekends/"
    )
    assert thread.source_format == "reddit-json"
    assert thread.published_at == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    assert all(
        p.posted_at is not None and p.posted_at.utcoffset().total_seconds() == 0
        for p in thread.posts
    )
    assert thread.posts[3].posted_at == datetime.fromtimestamp(1714559000, tz=UTC)
    article = thread.article
    assert article.kind == "article" and article.author == "mapmaker42"
    # Reddit escapes &, < and > in bodies; the text is what the reader saw.
    assert "the shops & the bus routes" in article.text
    assert thread.posts[3].text.startswith("> Pedestrian streets usually raise shop revenue\n\n")
    assert thread.posts[8].text == "Try it for one summer & measure it. Data beats opinions."


def test_deleted_authors_are_marked_and_keep_their_place() -> None:
    thread = parse(FIXTURE.read_text())
    deleted = [p for p in thread.posts if p.author == reddit_json.DELETED]
    assert [(p.position, p.text) for p in deleted] == [(5, "[deleted]")]
    assert thread.posts[6].parent_id == deleted[0].id  # its reply still answers it


def test_known_bots_are_spam_and_people_are_not() -> None:
    thread = parse(FIXTURE.read_text())
    assert [p.author for p in thread.posts if p.is_spam] == ["AutoModerator", "RemindMeBot"]
    assert reddit_json.is_bot("sneakpeekbot") and reddit_json.is_bot("Some_Helper_Bot")
    assert not reddit_json.is_bot("Talbot") and not reddit_json.is_bot("alice_rides")


def test_more_stubs_are_skipped_with_a_warning_counting_what_is_missing(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="argmap.ingest.sources.reddit_json"):
        thread = parse(FIXTURE.read_text())
    assert len(thread.comments) == 8
    [record] = caplog.records
    message = record.getMessage()
    assert "\n" not in message
    assert "16 comments were not in the file" in message  # 4 + 12 behind "load more"
    assert "1 deeper reply chains were cut" in message
    assert "ingesting the 8 comments" in message


def test_a_whole_file_warns_nothing(caplog: pytest.LogCaptureFixture) -> None:
    data = json.loads(FIXTURE.read_text())
    comments = data[1]["data"]["children"]
    data[1]["data"]["children"] = [c for c in comments if c["kind"] != "more"]
    data[1]["data"]["children"][3]["data"]["replies"] = ""  # dave's "continue this thread"
    bob = data[1]["data"]["children"][1]["data"]["replies"]["data"]["children"][0]["data"]
    bob["replies"]["data"]["children"].pop()  # the nested "load more"
    with caplog.at_level(logging.WARNING, logger="argmap.ingest.sources.reddit_json"):
        parse(json.dumps(data))
    assert caplog.records == []


def test_a_comment_permalink_save_hangs_its_top_comment_on_the_post() -> None:
    # Saved from a comment's permalink: the top comment's parent is a comment not in the file.
    data = json.loads(FIXTURE.read_text())
    alice = data[1]["data"]["children"][1]
    alice["data"]["parent_id"] = "t1_notinfile"
    data[1]["data"]["children"] = [alice]
    thread = parse(json.dumps(data))
    assert tree(thread) == [
        ("mapmaker42", None),
        ("alice_rides", "mapmaker42"),
        ("bob_delivers", "alice_rides"),
        ("alice_rides", "bob_delivers"),
        ("[deleted]", "alice_rides"),
        ("carol_bus", "[deleted]"),
    ]


def test_a_parent_id_naming_a_later_comment_keeps_the_nesting_and_says_so(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # A hand-merged file: alice's first comment names dave's (further down) as its parent.
    data = json.loads(FIXTURE.read_text())
    data[1]["data"]["children"][1]["data"]["parent_id"] = "t1_k8dave"
    with caplog.at_level(logging.WARNING, logger="argmap.ingest.sources.reddit_json"):
        thread = parse(json.dumps(data))
    assert tree(thread)[2] == ("alice_rides", "mapmaker42")  # a parent must come first
    [message] = [r.getMessage() for r in caplog.records if "parent_id" in r.getMessage()]
    assert "1 comments name as parent_id a comment further down the file" in message
    assert "\n" not in message


def test_a_permalink_save_does_not_warn_about_its_outside_parent(
    caplog: pytest.LogCaptureFixture,
) -> None:
    data = json.loads(FIXTURE.read_text())
    data[1]["data"]["children"][1]["data"]["parent_id"] = "t1_notinfile"
    with caplog.at_level(logging.WARNING, logger="argmap.ingest.sources.reddit_json"):
        parse(json.dumps(data))
    assert not [r for r in caplog.records if "parent_id" in r.getMessage()]


def test_a_link_post_uses_its_title_and_link_as_the_article() -> None:
    data = json.loads(FIXTURE.read_text())
    post = data[0]["data"]["children"][0]["data"]
    post.update(selftext="", is_self=False, url="https://news.example.com/elm-street")
    thread = parse(json.dumps(data))
    assert thread.article.text == (
        "Should Elm Street go car-free on weekends?\n\nhttps://news.example.com/elm-street"
    )


def test_a_crosspost_answers_the_original_posts_text() -> None:
    # A crosspost's own selftext is empty and its url a bare /r/... path; Reddit shows (and the
    # comments answer) the original in crosspost_parent_list.
    data = json.loads(FIXTURE.read_text())
    post = data[0]["data"]["children"][0]["data"]
    original = dict(post, id="9zz9zz", name="t3_9zz9zz", author="original_poster")
    post.update(
        selftext="",
        is_self=False,
        url="/r/cycling/comments/9zz9zz/should_elm_street_go_carfree_on_weekends/",
        crosspost_parent="t3_9zz9zz",
        crosspost_parent_list=[original],
    )
    thread = parse(json.dumps(data))
    assert thread.article.text.startswith(original["selftext"][:40])
    assert "the shops & the bus routes" in thread.article.text
    assert thread.article.author == "mapmaker42"  # who posted where the comments are
    # A crossposted link post: the original's link, made whole.
    original.update(selftext="", is_self=False, url="/r/cycling/comments/9zz9zz/x/")
    assert parse(json.dumps(data)).article.text == (
        "Should Elm Street go car-free on weekends?\n\n"
        "https://www.reddit.com/r/cycling/comments/9zz9zz/x/"
    )


def test_detected_as_reddit_json() -> None:
    text = FIXTURE.read_text()
    assert reddit_json.detect(text)
    assert reddit_json.detect(json.dumps(json.loads(text)))  # compact, as Reddit serves it
    assert not reddit_json.detect('[{"kind": "Listing", "data": {"children": []}}]')


def test_malformed_json_is_one_line() -> None:
    text = FIXTURE.read_text().replace('"author": "bob_delivers",', '"author" "bob_delivers",')
    message = one_line_error(text)
    assert "not valid JSON" in message and "line " in message and "truncated" not in message


def test_a_file_cut_mid_way_is_one_line_and_says_truncated() -> None:
    text = FIXTURE.read_text()
    message = one_line_error(text[: len(text) // 2])
    assert "not valid JSON" in message and "truncated" in message


def test_a_listing_cut_to_the_post_alone_is_one_line() -> None:
    data = json.loads(FIXTURE.read_text())
    message = one_line_error(json.dumps(data[:1]))
    assert "expected the two listings" in message


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d[0]["data"].update(children=[]), "holds no post"),
        (lambda d: d[1].update(kind="t1"), "comment listing is not a Reddit Listing"),
        (lambda d: d[1]["data"]["children"][1]["data"].pop("body"), "no id or no body"),
        (
            lambda d: d[1]["data"]["children"][1]["data"].update(replies={"kind": "x"}),
            "replies listing",
        ),
    ],
    ids=["no post", "comments not a listing", "comment without body", "broken replies"],
)
def test_structurally_broken_files_are_one_line(change, expected: str) -> None:
    data = json.loads(FIXTURE.read_text())
    change(data)
    assert expected in one_line_error(json.dumps(data))
