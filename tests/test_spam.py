"""Spam marking: the sample's bot comments against the gold labels, and no false alarms."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from argmap.ingest.sources import load_threads
from argmap.ingest.spam import hard_wraps, spam_flags, spam_signals

from argmap.core.models import Post

GOLD = Path(__file__).parent / "data" / "sample_gold.csv"


@pytest.fixture(scope="module")
def sample(sample_path: Path):
    [thread] = load_threads(sample_path)
    return thread


@pytest.fixture(scope="module")
def gold_spam() -> dict[int, bool]:
    with GOLD.open(encoding="utf-8") as f:
        return {int(r["position"]): r["is_spam"] == "1" for r in csv.DictReader(f)}


def test_every_gold_spam_comment_is_flagged_and_nothing_else(
    sample, gold_spam: dict[int, bool]
) -> None:
    flagged = {p.position for p in sample.comments if p.is_spam}
    spam = {pos for pos, is_spam in gold_spam.items() if is_spam}
    assert len(spam) == 15
    # Measured: 15 of 15 found, none wrongly. The thresholds leave no room: a miss or a false
    # alarm is a regression.
    assert flagged == spam
    assert not sample.article.is_spam


def test_genuine_late_comments_are_not_spam(sample) -> None:
    by_author = {p.author: p for p in sample.comments}
    for author in ("Funf", "exx", "A member of ISO", "al", "Clinton"):
        assert author in by_author
    assert not by_author["exx"].is_spam and not by_author["A member of ISO"].is_spam
    assert not by_author["Funf"].is_spam and not by_author["al"].is_spam
    assert by_author["Clinton"].is_spam  # a praise template, truncated mid-sentence


def test_spam_keeps_its_place_under_the_article(sample) -> None:
    for post in sample.comments:
        if post.is_spam:
            assert post.parent_id == sample.article.id


def test_signals_of_a_spam_comment(sample) -> None:
    signals = spam_signals(sample.posts)
    reply = next(i for i, p in enumerate(sample.posts) if p.author == "Reply")
    assert signals[reply]["ui_name"] == 1.0 and signals[reply]["late"] > 1.0
    fifa = [i for i, p in enumerate(sample.posts) if p.author in ("fifa coins", "easportsfifa")]
    # The spinner's second variant copies the first; the first is no copy of what came after it.
    assert [signals[i]["near_copy"] for i in fifa] == [0.0, 1.0]
    assert signals[0] == {}


def test_hard_wrapped_lines_are_counted_but_laid_out_text_is_not() -> None:
    spun = "It is the best time to make some plans for the longer term\nand it is time to be happy"
    assert hard_wraps(spun) == 1
    assert hard_wraps("First paragraph.\nSecond one.") == 0
    assert hard_wraps("> quoted text that goes on and\n> continues on the next line") == 0


def _thread(rows: list[tuple[str, str]]) -> list[Post]:
    start = datetime(2024, 3, 1, 8, 0)
    posts = [
        Post(
            id="p0",
            thread_id="t",
            kind="article",
            author="Editor",
            posted_at=start,
            position=0,
            text="The library will open on Sundays from April, with fewer staff on weekdays.",
        )
    ]
    for i, (author, text) in enumerate(rows, start=1):
        posts.append(
            Post(
                id=f"p{i}",
                thread_id="t",
                kind="comment",
                author=author,
                posted_at=start + timedelta(hours=i),
                position=i,
                text=text,
            )
        )
    return posts


def test_a_small_honest_thread_raises_no_alarm() -> None:
    # Few comments make no vocabulary: short, off-topic-looking answers are not spam for that.
    posts = _thread(
        [
            ("Ines", "Sunday opening is great for families."),
            ("Tomas", "Who pays the staff overtime?"),
            ("Council Office", "About 4.10 per visit, against 2.80 on weekdays."),
            ("Tomas", "Then cut the weekday evening hours instead."),
        ]
    )
    assert spam_flags(posts) == [False] * 5


def test_an_obvious_bot_in_a_small_thread_is_caught() -> None:
    posts = _thread(
        [
            ("Ines", "Sunday opening is great for families."),
            (
                "cheap nike shoes outlet online",
                "Awesome post! Visit my site for cheap shoes and discount prices.",
            ),
            ("Tomas", "Ines, who pays the staff overtime?"),
        ]
    )
    assert spam_flags(posts) == [False, False, True, False]


def _with_parents(posts: list[Post], parents: dict[int, int]) -> list[Post]:
    """``posts`` with the reply tree a source such as CSV with ``parent_id`` gives."""
    return [
        p.model_copy(update={"parent_id": posts[parents.get(i, 0)].id}) if i else p
        for i, p in enumerate(posts)
    ]


def test_a_reply_echoing_what_it_answers_is_no_copy_where_the_tree_is_given() -> None:
    original = "The council's footfall survey counted only weekday visitors, so its Sunday figure is guesswork."
    echo = "The council's footfall comment counted only weekday visitors, so its Sunday figure is guesswork."
    posts = _thread([("Ines", original), ("Tomas", echo), ("Ana", "Sundays suit me fine.")])
    # Without the tree (a flattened page, before it is rebuilt) the echo reads as a copy (the
    # original, posted before it, does not) ...
    assert [f.get("near_copy") for f in spam_signals(posts)[1:3]] == [0.0, 1.0]
    # ... given that it answers the comment it echoes, it is a reply mocking it, not a copy.
    tree = spam_signals(_with_parents(posts, {2: 1}))
    assert [f["near_copy"] for f in tree[1:3]] == [0.0, 0.0]
    # A comment copying the article it answers is still a copy.
    scraped = _thread([("Ines", "Sundays suit me."), ("sale", posts[0].text + " Read more.")])
    assert spam_signals(_with_parents(scraped, {}))[2]["near_copy"] == 1.0


def test_only_the_later_text_is_a_copy_by_time_where_there_are_times() -> None:
    first = "Cheap tickets for every match this season, delivered the same day to your door."
    again = "Cheap tickets for every match this season, delivered the same day to your house."
    posts = _thread([("shop one", first), ("shop two", again)])
    assert [f["near_copy"] for f in spam_signals(posts)[1:3]] == [0.0, 1.0]
    # Listed in the other order but posted as before (a page sorted otherwise): time decides.
    swapped = [posts[0], posts[2], posts[1]]
    assert [f["near_copy"] for f in spam_signals(swapped)[1:3]] == [1.0, 0.0]
    # Without times, the place in the thread decides.
    untimed = [p.model_copy(update={"posted_at": None}) for p in swapped]
    assert [f["near_copy"] for f in spam_signals(untimed)[1:3]] == [0.0, 1.0]


def test_being_answered_counts_against_spam_only_where_the_tree_is_given() -> None:
    rows = [
        ("Ines", "Sunday opening is great for families."),
        ("Tomas", "Who pays the staff overtime?"),
        ("Ines", "The council, from the events budget."),
    ]
    flat = spam_signals(_thread(rows))
    assert all(f["answered"] == 0.0 for f in flat[1:])
    tree = spam_signals(_with_parents(_thread(rows), {2: 1, 3: 2}))
    # Tomas answers Ines and Ines answers Tomas; Ines's own last word is answered by nobody.
    assert [f["answered"] for f in tree[1:]] == [1.0, 1.0, 0.0]


def test_link_addresses_and_the_threads_own_words_are_no_spam_talk() -> None:
    posts = _thread(
        [
            ("Ines", "Free entry on Sundays would help families a lot."),
            ("Tomas", "Free entry costs the council money it does not have."),
            ("Ana", "Free entry [worked in Leeds](https://example.org/blog/great-post-topics)."),
            ("Bo", "Read https://example.org/news/free-info-shop before deciding."),
        ]
    )
    signals = spam_signals(posts)
    # "free" is what the thread argues about; "blog", "post", "topics", "info" are in addresses.
    assert [signals[i]["shop"] for i in (3, 4)] == [0.0, 0.0]
    assert [signals[i]["praise"] for i in (3, 4)] == [0.0, 0.0]
    assert spam_flags(posts) == [False] * 5


def test_one_word_of_praise_in_a_reply_is_no_praise_of_the_post() -> None:
    rows = [
        ("Ines", "Sunday opening is great for families, and the library is half empty on Mondays."),
        ("Tomas", "The Monday figures come from the winter, when the heating was broken."),
        ("Ana", "Interesting."),
        ("Bo", "and amazing timing."),
        ("visitor", "Awesome post, thanks for sharing!"),
    ]
    signals = spam_signals(_thread(rows))
    assert [signals[i]["praise"] for i in (3, 4)] == [0.0, 0.0]
    assert signals[5]["praise"] > 0  # three words of praise of "the post" still are


def test_one_shop_word_in_a_reply_is_no_shop_talk() -> None:
    rows = [
        ("Ines", "Sunday opening is great for families, and the library is half empty on Mondays."),
        ("Tomas", "That stunt was filmed, surely: almost a free fall from the roof."),
        ("Ana", "Must be photo editing software, I would bet on it."),
        ("Bo", "The council should publish the visitor counts by hour."),
        ("deals", "Cheap shoes and bags online, buy now at discount prices."),
    ]
    signals = spam_signals(_thread(rows))
    assert [signals[i]["shop"] for i in (2, 3)] == [0.0, 0.0]
    assert signals[5]["shop"] > 0 and spam_flags(_thread(rows))[5]


def test_sharing_a_link_or_a_short_question_is_no_copy() -> None:
    video = "https://www.example.org/watch?v=Fz81kQp2"
    rows = [
        ("Ines", f"Her whole act is on purpose, she said so in an interview: [this one]({video})"),
        ("Tomas", f"[Context]({video})"),
        ("Ana", "Is this the diner on the corner of Elm Street and Fifth?"),
        ("Bo", "is this the diner in Springfield, near the stadium?!"),
    ]
    signals = spam_signals(_thread(rows))
    assert [signals[i]["near_copy"] for i in (2, 4)] == [0.0, 0.0]
    # A spinner's rewording of a whole sentence still is one.
    spun = _thread(
        [
            ("shop one", "This can in most cases make an idle office. Happy staff make good work."),
            ("shop two", "This can in most cases make the idle office. Glad staff make fine work."),
        ]
    )
    assert spam_signals(spun)[2]["near_copy"] == 1.0
