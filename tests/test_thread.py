"""Reply-tree reconstruction: small flattened threads with known trees, and the sample's gold."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from argmap.ingest.reply_cues import ReplyCues, W, sibling_bonus
from argmap.ingest.sources import load_threads
from argmap.ingest.thread import in_page_order, prepare_thread, reconstruct_parents
from argmap.ingest.top_level import article_bias
from thread_builder import build_thread

from argmap.core.models import Thread

GOLD = Path(__file__).parent / "data" / "sample_gold.csv"
# A second annotator's labels, written blind to ours and to the rebuild (tests/data/README.md).
INDEPENDENT = Path(__file__).parent / "data" / "sample_gold_independent.csv"
START = datetime(2020, 5, 1, 9, 0)

# The lowest figures this reconstruction reached on the gold labels, minus a little: a change that
# loses replies fails here. (Measured: 152/187 overall, 125/141 on high-confidence rows.)
ACCURACY_FLOOR = 0.80
HIGH_CONFIDENCE_FLOOR = 0.87
# The same against the independent labels (measured when they were written: 155/187).
INDEPENDENT_FLOOR = 0.80


def make_thread(rows: list[tuple[str, int, str]], fmt: str = "wordpress-text") -> Thread:
    """Article by "Writer" then comments (author, minutes after 9:00, text) in page order."""
    return build_thread(
        "t_test",
        {
            "author": "Writer",
            "posted_at": START,
            "text": "Cities should close their central streets to cars on weekends.",
        },
        [
            {"author": author, "posted_at": START + timedelta(minutes=minutes), "text": text}
            for author, minutes, text in rows
        ],
        title="Car-free streets",
        source_format=fmt,
        published_at=START,
    )


def cues_of(rows: list[tuple[str, int, str]]) -> ReplyCues:
    """The reply cues of ``make_thread(rows)`` (article and comments), none of them spam."""
    return ReplyCues(make_thread(rows).posts, [False] * (len(rows) + 1))


def parents(rows: list[tuple[str, int, str]], **kwargs) -> list[int | None]:
    return reconstruct_parents(make_thread(rows).posts, **kwargs)


def test_an_older_comment_closes_the_branch_it_cannot_belong_to() -> None:
    # Cara (9:40) is older than Ben's reply (10:00): she cannot answer Ben, nor follow him as a
    # second answer to Ana, so she starts a new top-level comment, whatever her words say.
    rows = [
        ("Ana", 30, "Shops on the main street lose customers when cars cannot reach them."),
        ("Ben", 60, "Ana, shops on the main street gained customers in every city that tried it."),
        ("Cara", 40, "Shops on the main street? Customers walk more when streets are closed."),
    ]
    assert parents(rows) == [None, 0, 1, 0]


def test_a_later_comment_can_still_answer_higher_up() -> None:
    # Dev (11:00) comes after Ben's reply in the page; he names Ana, so he answers her, not Ben.
    rows = [
        ("Ana", 30, "Shops lose customers when cars cannot reach them."),
        ("Ben", 60, "They gained customers in every city that tried it."),
        ("Dev", 120, "Ana, delivery vans still need access in the morning."),
    ]
    assert parents(rows) == [None, 0, 1, 1]


@pytest.mark.parametrize(
    ("opening", "expected"),
    [("@Ben I doubt that", 2), ("Hi Ana, I doubt that", 1), ("Ben, I doubt that", 2)],
)
def test_addressing_picks_the_parent_among_the_path(opening: str, expected: int) -> None:
    rows = [
        ("Ana", 30, "Shops lose customers when cars cannot reach them."),
        ("Ben", 60, "They gained customers in every city that tried it."),
        ("Dev", 90, f"{opening}: footfall numbers from one summer prove little."),
    ]
    assert parents(rows)[3] == expected


def test_a_quote_points_to_the_post_it_comes_from() -> None:
    rows = [
        ("Ana", 30, "Buses get stuck behind delivery vans every single morning."),
        ("Ben", 60, "The tram line was extended last year and ridership doubled."),
        (
            "Cara",
            90,
            "“Buses get stuck behind delivery vans every single morning.”\n\nOnly on Fridays.",
        ),
    ]
    assert parents(rows)[3] == 1


def test_first_name_and_initials_address_their_author() -> None:
    rows = [
        ("Pat Quinn", 30, "Parking fees fund the street repairs."),
        ("Lou Marsh", 45, "Pat, repairs are funded by the city budget, not by parking."),
        ("Sam", 60, "Lou, which budget line do you mean?"),
        ("Rae", 70, "PQ, the budget line for repairs says otherwise."),
    ]
    assert parents(rows) == [None, 0, 1, 2, 1]


def test_a_back_and_forth_stays_nested() -> None:
    rows = [
        ("Ana", 30, "Closing streets hurts people who cannot walk far."),
        ("Ben", 40, "Ana, shuttles and wheelchairs still get through."),
        ("Ana", 50, "Ben, shuttles on weekends run once an hour."),
        ("Ben", 60, "Ana, then the city should run them more often."),
    ]
    assert parents(rows) == [None, 0, 1, 2, 3]


def test_a_comment_far_out_of_time_order_goes_by_its_cues_and_the_rest_still_fits() -> None:
    # Eve's comment is dated weeks before the discussion it sits in (approved late, say): no
    # place on the path fits. She names Zed, whose comment is no longer on the path, so she
    # answers Zed by that cue alone; the path stays as it was, and Fay answers Cy.
    rows = [
        ("Zed", 30, "Weekend closures should start in spring."),
        ("Ana", 40_000, "Night buses should run on the closed streets."),
        ("Ben", 40_030, "Night buses are too loud for residents."),
        ("Cy", 40_600, "Residents asked for quieter electric buses in the survey."),
        ("Eve", 100, "Zed, spring is when the markets reopen anyway."),
        ("Fay", 40_700, "Cy, the survey had only forty answers."),
    ]
    assert parents(rows) == [None, 0, 0, 2, 3, 1, 4]


def test_a_few_minutes_of_clock_skew_do_not_break_a_conversation() -> None:
    # Ben's answer is stamped two minutes before Ana's comment: a clock, not a new thread.
    rows = [
        ("Ana", 30, "Night buses should run on the closed streets."),
        ("Ben", 28, "Ana, night buses are too loud for residents."),
        ("Ana", 40, "Ben, electric ones are quiet."),
    ]
    assert parents(rows) == [None, 0, 1, 2]


def test_spam_goes_under_the_article_and_is_no_parent() -> None:
    rows = [
        ("Ana", 30, "Closing streets brings more people to the cafes."),
        ("cheap watches online", 31, "Great post! Visit my site for cheap watches."),
        ("Ben", 40, "More people in cafes is good for the street."),
    ]
    assert parents(rows, spam=[False, False, True, False]) == [None, 0, 0, 0]


def test_prepare_thread_rebuilds_marks_and_keeps_everything_else() -> None:
    thread = make_thread(
        [
            ("Ana", 30, "Shops lose customers when cars cannot reach them."),
            ("Ben", 60, "Ana, they gained customers in every city that tried it."),
        ]
    )
    done = prepare_thread(thread)
    assert done.reply_tree == "reconstructed"
    assert [p.parent_id for p in done.posts] == [None, thread.posts[0].id, thread.posts[1].id]
    assert [(p.id, p.text, p.posted_at) for p in done.posts] == [
        (p.id, p.text, p.posted_at) for p in thread.posts
    ]
    assert thread.reply_tree == "missing" and thread.posts[2].parent_id is None  # input untouched


def test_a_source_tree_is_left_alone() -> None:
    thread = make_thread([("Ana", 30, "One."), ("Ben", 60, "Ana, two.")], fmt="csv")
    given = [None, thread.posts[0].id, thread.posts[0].id]
    for post, parent in zip(thread.posts, given, strict=True):
        post.parent_id = parent
    thread.reply_tree = "source"
    done = prepare_thread(thread)
    assert done.reply_tree == "source" and [p.parent_id for p in done.posts] == given


def test_an_argmap_json_import_keeps_its_spam_flags() -> None:
    # A thread that carries its extraction (claims) comes from argmap JSON: its flags are final.
    thread = make_thread([("shop", 30, "Great post, visit my cheap shoe shop online!")], fmt="csv")
    thread.reply_tree, thread.claims, thread.relations = "source", [], []
    thread.posts[1].parent_id = thread.posts[0].id
    assert prepare_thread(thread).posts[1].is_spam is False
    thread.claims = None
    assert prepare_thread(thread).posts[1].is_spam is True


def test_spam_marked_by_the_source_stays_spam() -> None:
    thread = make_thread(
        [("AutoModerator", 30, "Please keep the discussion civil.")], fmt="reddit-json"
    )
    thread.posts[1].is_spam = True
    assert prepare_thread(thread).posts[1].is_spam is True


def test_comments_listed_by_time_may_answer_any_earlier_post() -> None:
    # A CSV in time order: Cy answers Ana although Ben's top-level comment came in between,
    # which a depth-first page could not show.
    thread = make_thread(
        [
            ("Ana", 30, "Cargo bikes could do the deliveries."),
            ("Ben", 40, "What about the weekend market stalls?"),
            ("Cy", 50, "Ana, cargo bikes cannot carry a fridge."),
        ],
        fmt="csv",
    )
    assert not in_page_order(thread)
    done = prepare_thread(thread)
    assert done.posts[3].parent_id == done.posts[1].id
    # Depth first: replies listed under comments posted after them, over and over.
    listed = [
        ("Ana", 30, "x"),
        ("Ben", 50, "y"),
        ("Cy", 35, "z"),
        ("Dee", 55, "w"),
        ("Ed", 40, "v"),
    ]
    assert in_page_order(make_thread(listed, fmt="csv"))


def test_one_comment_with_a_skewed_clock_does_not_make_a_time_listing_a_page() -> None:
    """Was: Cy's clock an hour behind (older than the comment before it, even than the article)
    made the CSV a depth-first "page", and every reply, Ana's answer to Ines among them, went
    to the article."""
    rows = [
        ("Ines", 30, "Closing on Sunday hurts working parents the most."),
        ("Tomas", 40, "The staff costs figure is wrong, overtime was abolished last year."),
        ("Cy", -50, "Ines, parents could come on Saturday mornings instead."),
        ("Bo", 65, "Libraries in other towns stay open on Sundays without trouble."),
        ("Dee", 90, "Tomas, the overtime figure is in the council minutes, it was not abolished."),
        ("Ed", 105, "Bo, other towns have bigger budgets than ours."),
    ]
    thread = make_thread(rows, fmt="csv")
    assert not in_page_order(thread)
    done = prepare_thread(thread)
    parent = {p.author: p.parent_id for p in done.comments}
    by_name = {p.author: p.id for p in done.posts}
    assert parent["Cy"] == by_name["Ines"]
    assert parent["Dee"] == by_name["Tomas"] and parent["Ed"] == by_name["Bo"]


def test_reconstruction_is_deterministic(sample_path: Path) -> None:
    [a] = load_threads(sample_path)
    [b] = load_threads(sample_path)
    assert [p.parent_id for p in a.posts] == [p.parent_id for p in b.posts]


@pytest.fixture(scope="module")
def sample(sample_path: Path) -> Thread:
    [thread] = load_threads(sample_path)
    return thread


@pytest.fixture(scope="module")
def gold() -> list[dict[str, str]]:
    with GOLD.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_the_sample_tree_is_a_tree_in_page_order(sample: Thread) -> None:
    assert sample.reply_tree == "reconstructed"
    position = {p.id: p.position for p in sample.posts}
    assert sample.article.parent_id is None
    for post in sample.comments:
        assert position[post.parent_id] < post.position  # answers an earlier post
    top_level = sum(p.parent_id == sample.article.id for p in sample.comments)
    assert 40 <= top_level <= 75  # gold: 56, spam included


def test_the_sample_tree_matches_the_gold_labels(
    sample: Thread, gold: list[dict[str, str]]
) -> None:
    position = {p.id: p.position for p in sample.posts}
    assert [int(r["position"]) for r in gold] == [p.position for p in sample.comments]
    assert [r["author"] for r in gold] == [p.author for p in sample.comments]
    hits = [
        position[p.parent_id] == int(r["parent_position"])
        for p, r in zip(sample.comments, gold, strict=True)
    ]
    high = [h for h, r in zip(hits, gold, strict=True) if r["confidence"] == "high"]
    assert sum(hits) / len(hits) >= ACCURACY_FLOOR
    assert sum(high) / len(high) >= HIGH_CONFIDENCE_FLOOR


def test_the_sample_tree_holds_against_labels_written_without_it(sample: Thread) -> None:
    from argmap.graph.eval_labels import load_labels

    labels = load_labels(INDEPENDENT)  # argmap eval's own reader: the file is in its format
    assert [int(x.comment) for x in labels] == [p.position for p in sample.comments]
    position = {p.id: p.position for p in sample.posts}
    hits = [
        position[p.parent_id] == int(x.parent)  # type: ignore[arg-type]
        for p, x in zip(sample.comments, labels, strict=True)
    ]
    assert sum(hits) / len(hits) >= INDEPENDENT_FLOOR
    spam = {int(x.comment) for x in labels if x.is_spam}
    assert spam == {p.position for p in sample.comments if p.is_spam}  # the same 15 bots


# Short texts on 24 different topics, so no comment shares words with another by chance.
TOPICS = (
    "bike lanes|parking fees|night buses|school runs|market stalls|noise at night|delivery hours|"
    "street trees|tourist crowds|the river path|bus fares|taxi ranks|cafe terraces|cycle theft|"
    "street lighting|pavement repairs|car sharing|e-scooters|the tram plan|dog walkers|"
    "weekend markets|road works|speed cameras|bin collections"
).split("|")


def test_a_thread_where_most_comments_answer_the_post_moves_the_article_prior() -> None:
    # 24 people each raise a topic of their own under the post; every fourth is answered by name.
    rows: list[tuple[str, int, str]] = []
    minutes = 10
    for i, topic in enumerate(TOPICS):
        name = f"Person{chr(65 + i)}"
        rows.append((name, minutes, f"{topic.capitalize()}."))
        minutes += 7
        if i % 4 == 3:
            rows.append(("Zed", minutes, f"{name}, {topic} were sorted out in the spring plan."))
            minutes += 7
    # Right after one of Zed's answers, a remark with no cue to anything.
    rows.append(("Yara", minutes, "Honestly, I would just try it for a month and see."))
    posts = make_thread(rows).posts
    rebuilt = reconstruct_parents(posts)
    assert sum(p == 0 for p in rebuilt[1:]) == 25  # the 24 topics and Yara
    assert rebuilt[-1] == 0
    # A fixed prior expects about a fifth of the comments under the post: it reads the remark as
    # an answer to Zed, whose comment it follows. This thread's own share says otherwise.
    bias = article_bias(rebuilt, [False] * len(posts))
    assert bias > 0.5
    assert article_bias([None] + [0] * 10, [False] * 11) == 0.0  # too few comments to tell
    third = [None] + [0 if i % 3 == 0 else i - 1 for i in range(1, 61)]
    tenth = [None] + [0 if i % 10 == 0 else i - 1 for i in range(1, 61)]
    assert article_bias(third, [False] * 61) > 0 > article_bias(tenth, [False] * 61)


def test_a_reply_that_carries_on_the_comment_before_it_but_not_every_lower_case_start() -> None:
    rows = [
        ("Ana", 30, "Close the main street on Saturdays."),
        ("Ben", 40, "Or on Sundays, when the market is shut."),
        ("Cara", 50, "i walk there every day and never see a car."),
        ("Dev", 60, "...and the buses would finally run on time."),
    ]
    cues = cues_of(rows)
    # An opening "or", "and", "..." carries on what it follows; many people never capitalise,
    # so a lower-case start says nothing (7 of 33 such comments on real Reddit threads answered
    # the comment before them, against 33 of 47 opening with such a word).
    assert [cues.continues(c) for c in (2, 3, 4)] == [True, False, True]


@pytest.mark.parametrize(("minutes", "answers_ben"), [(41, False), (50, True)])
def test_a_comment_a_minute_after_another_does_not_answer_it(
    minutes: int, answers_ben: bool
) -> None:
    # Reading a comment and answering it takes longer than a minute; under a popular comment,
    # answers to it come in bursts, one right after the other on the page.
    rows = [
        ("Ana", 30, "Close the main street on Saturdays."),
        ("Ben", 40, "Ana, that would hurt the shops."),
        ("Cara", minutes, "I like it."),
    ]
    cues = cues_of(rows)
    assert cues.features(3, 2).get("quick") == float(not answers_ben)
    assert (parents(rows)[3] == 2) is answers_ben


def test_answers_to_one_comment_listed_one_after_another_stay_siblings() -> None:
    # Ana gets three answers; a page lists them one after another, each right under the one
    # before it. Dev follows Cara and shares a word with her, but more with Ben's answer: answers
    # to one post share words with each other, a reply to Cara would share them with Cara. So
    # Dev is a third answer to Ana, not an answer to Cara (the commonest miss on big threads).
    rows = [
        ("Ana", 30, "Close the main street to cars on Saturdays."),
        ("Ben", 40, "Ana, and paint bike lanes all over town."),
        ("Cara", 50, "Ana, the bakery owners would complain about Saturdays."),
        ("Dev", 60, "Bike lanes on Saturdays would fill up in a week."),
    ]
    cues = cues_of(rows)
    # Ana (whose reply on the path is Cara, after Ben) as Dev's parent:
    assert sibling_bonus(cues, 4, [2], 3) == W["sibling_words"] > 0
    assert sibling_bonus(cues, 4, [], 3) == 0.0  # no earlier answer: nothing to compare
    assert parents(rows) == [None, 0, 1, 1, 1]
