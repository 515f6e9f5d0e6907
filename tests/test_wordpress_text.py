"""The flattened WordPress text parser: the sample's figures, exact comment text, and refusals."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest
from argmap.ingest.sources import detect_format, load_threads
from argmap.ingest.sources import wordpress_text as wp

from argmap.core.errors import SourceError
from argmap.core.ids import stable_id


@pytest.fixture(scope="module")
def sample_text(sample_path: Path) -> str:
    return sample_path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def thread(sample_text: str):
    [parsed] = wp.parse(sample_text, "sample")
    return parsed


def refusal(text: str) -> str:
    with pytest.raises(SourceError) as caught:
        wp.parse(text, "thread.txt")
    message = str(caught.value)
    assert "\n" not in message and message.startswith("thread.txt: ")
    return message


def test_article_fields(thread) -> None:
    assert thread.title == "Thinking of Joining the ISO?"
    assert thread.source_format == "wordpress-text"
    assert thread.published_at == datetime(2013, 6, 24)
    article = thread.article
    assert (article.kind, article.author, article.position, article.parent_id) == (
        "article",
        "Pham Binh",
        0,
        None,
    )
    assert article.text.startswith("You hate capitalism.\n\nYou understand that a system")
    assert article.text.endswith("We owe it to them and ourselves to do better.")
    assert "read them below" not in article.text and "by Pham Binh on" not in article.text


def test_all_187_comments_in_page_order(thread) -> None:
    comments = thread.comments
    assert len(comments) == 187
    assert [c.position for c in comments] == list(range(1, 188))
    assert {c.kind for c in comments} == {"comment"}
    first, last = comments[0], comments[-1]
    assert (first.author, first.posted_at) == ("Mark Lause", datetime(2013, 6, 24, 10, 14))
    assert first.text.startswith("I have repeatedly raised the question")
    assert (last.author, last.posted_at) == ("al", datetime(2013, 11, 28, 8, 59))
    assert (
        last.text
        == "“Random ISO Member” kept trying to change the subject to wiggle out of having to ‘splain, lol."
    )
    # pm times and unusual names come through.
    assert (comments[3].author, comments[3].posted_at) == ("Daniel", datetime(2013, 6, 24, 18, 15))
    assert comments[179].author == "モンクレール 青山"
    assert comments[172].author == "discount Nik Software Viveza 2 MAC"


def test_page_furniture_is_not_a_comment(thread) -> None:
    texts = "\n".join(c.text for c in thread.comments)
    for furniture in (
        "Leave a Comment",
        "125 trackbacks",
        "Previous post:",
        "Next post:",
        "read them below",
    ):
        assert furniture not in texts
    assert thread.comments[-1].text.count("\n") == 0


def test_comment_text_is_exact_between_its_blank_lines(thread, sample_text: str) -> None:
    for c in thread.comments:
        assert c.text == c.text.strip("\n") and c.text.strip()
        assert c.text in sample_text  # verbatim: claims quote it by character offsets
    julia = thread.comments[45]
    assert (
        julia.author == "Julia" and "overwhelming and\nit’s difficult" in julia.text
    )  # inner line break kept


def test_ids_depend_on_the_thread_not_the_file(thread, sample_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "elsewhere.txt"
    shutil.copy(sample_path, copy)
    [again] = wp.parse(copy.read_text(encoding="utf-8"), str(copy))
    assert again.id == thread.id == stable_id("t", "wordpress-text", thread.title, "2013-06-24")
    assert [p.id for p in again.posts] == [p.id for p in thread.posts]
    assert thread.posts[5].id == stable_id("p", thread.id, 5)
    assert len({p.id for p in thread.posts}) == 188


def test_the_tree_is_marked_missing_by_the_parser(thread) -> None:
    assert thread.reply_tree == "missing"
    assert all(p.parent_id is None for p in thread.posts)


def test_detection_is_specific(sample_text: str) -> None:
    assert wp.detect(sample_text)
    assert detect_format(sample_text) == "wordpress-text"
    comments_only = sample_text[sample_text.index("Mark Lause June 24") - 2 :]
    assert wp.detect(comments_only)
    assert not wp.detect("Just some notes\n\nby the way, on Monday we meet.\n")
    assert not wp.detect("id,author,text\n1,Ann,hello\n")
    assert not wp.detect('{"format": "argmap-json", "version": 1}')


def test_crlf_abbreviated_months_and_capital_pm() -> None:
    text = (
        "A Small Post\r\n\r\nby Ann Lee on Mar. 3, 2021\r\n\r\nBody line.\r\n\r\n"
        "{ 2 comments… read them below or add one }\r\n\r\n"
        "Bob Jan 5, 2022 at 11:05 PM\r\n\r\nFirst.\r\n\r\n\r\n"
        "Cy March 4, 2021 at 12:00 am\r\n\r\nSecond\r\nline two.\r\n\r\n"
        "Leave a Comment\r\n"
    )
    [t] = wp.parse(text, "small.txt")
    assert (t.title, t.article.author, t.published_at) == (
        "A Small Post",
        "Ann Lee",
        datetime(2021, 3, 3),
    )
    assert [(c.author, c.posted_at, c.text) for c in t.comments] == [
        ("Bob", datetime(2022, 1, 5, 23, 5), "First."),
        ("Cy", datetime(2021, 3, 4, 0, 0), "Second\nline two."),
    ]


def test_not_a_thread_is_refused() -> None:
    message = refusal("Shopping list\n\neggs\nmilk\n")
    assert "not a WordPress thread" in message and "by AUTHOR on" in message


def test_comments_without_their_article_are_refused(sample_text: str) -> None:
    message = refusal(sample_text[sample_text.index("Mark Lause June 24") :])
    assert "without their article" in message


def test_a_file_cut_off_mid_thread_is_refused_with_the_counts(sample_text: str) -> None:
    cut = sample_text[: sample_text.index("Jules Verne July 5, 2013 at 11:27 pm") + 120]
    message = refusal(cut)
    assert "truncated thread: found 142 of the 187 comments" in message
    assert "no 'Leave a Comment' footer" in message and "export the whole page again" in message


def test_a_file_cut_right_after_a_comment_is_still_refused(sample_text: str) -> None:
    cut = sample_text[: sample_text.index("\n\n\nLeave a Comment")]
    message = refusal(cut)
    assert "found 187 of the 187" not in message
    assert "no 'Leave a Comment' footer after comment 187 (al)" in message


def test_missing_comments_are_refused_even_with_the_footer(sample_text: str) -> None:
    start = sample_text.index("Jer July 4, 2013 at 9:31 pm")
    end = sample_text.index("Pham Binh July 5, 2013 at 12:59 pm")
    message = refusal(sample_text[:start] + sample_text[end:])
    assert "found 186 of the 187 comments" in message


def test_a_count_line_that_disagrees_upwards_is_refused(sample_text: str) -> None:
    message = refusal(sample_text.replace("{ 187 comments…", "{ 150 comments…"))
    assert "found 187 comment headers but the count line announces 150" in message


def test_a_cut_inside_the_article_is_refused(sample_text: str) -> None:
    message = refusal(sample_text[:3000])
    assert "looks cut off" in message


def test_an_impossible_date_is_refused_with_its_line(sample_text: str) -> None:
    bad = sample_text.replace(
        "Funf September 17, 2013 at 3:01 am", "Funf September 31, 2013 at 3:01 am"
    )
    message = refusal(bad)
    assert "Funf September 31, 2013" in message and "impossible date" in message


def test_load_threads_refuses_a_truncated_file_in_one_line(
    sample_text: str, tmp_path: Path
) -> None:
    cut = tmp_path / "cut.txt"
    cut.write_text(sample_text[: len(sample_text) // 2], encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load_threads(cut)
    assert "truncated thread: found" in str(caught.value) and "\n" not in str(caught.value)
