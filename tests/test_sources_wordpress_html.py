"""``wordpress-html``: a saved WordPress post page (hand-written fixtures in two theme styles)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from argmap.ingest.sources import wordpress_html, wordpress_times

from argmap.core.errors import SourceError
from argmap.core.ids import stable_id
from argmap.core.models import Thread

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
MODERN = (
    FIXTURES / "wordpress_page.html"
)  # html5 comment markup: ol.comment-list, article.comment-body
CLASSIC = (
    FIXTURES / "wordpress_classic.html"
)  # 2013-era markup: ol.commentlist, cite.fn, ul.children
NO_COMMENTS = FIXTURES / "wordpress_no_comments.html"
# A block theme (WordPress 5.9+ defaults): ol.wp-block-comment-template, replies in a bare <ol>.
BLOCK_THEME = FIXTURES / "wordpress_block_theme.html"


def parse(path_or_text: Path | str) -> Thread:
    text = path_or_text.read_text() if isinstance(path_or_text, Path) else path_or_text
    [thread] = wordpress_html.parse(text, "page.html")
    return thread


def tree(thread: Thread, keys: list[str]) -> list[tuple[str, str | None]]:
    key = {stable_id("p", thread.id, k): k for k in keys}
    return [(key[p.id], key.get(p.parent_id)) for p in thread.posts]


def test_modern_reply_tree_is_the_nesting_exactly() -> None:
    thread = parse(MODERN)
    keys = [
        "article",
        "comment-1201",
        "comment-1203",
        "comment-1204",
        "comment-1205",
        "comment-1202",
    ]
    assert tree(thread, keys) == [
        ("article", None),
        ("comment-1201", "article"),
        ("comment-1203", "comment-1201"),
        ("comment-1204", "comment-1203"),
        ("comment-1205", "comment-1201"),
        ("comment-1202", "article"),
    ]
    assert thread.reply_tree == "source"
    assert [p.position for p in thread.posts] == list(range(6))


def test_modern_fields() -> None:
    thread = parse(MODERN)
    assert thread.title == "Should the water-butt rule go?"
    assert thread.url == "https://allotments.example.org/2023/03/14/water-butts-rule/"
    assert thread.id == stable_id("t", "wordpress", thread.url)
    assert thread.source_format == "wordpress-html"
    assert thread.published_at == datetime(2023, 3, 14, 18, 30, tzinfo=UTC)
    article = thread.article
    assert article.author == "Hazel Brook"
    assert article.text == (
        "The committee proposes dropping the rule that every plot must have a water butt.\n\n"
        "Mains water is metered now, so the butts no longer save the society money & they breed "
        "mosquitoes.\n\n> Rule 7: each plot holder shall keep one water butt of at least 100 litres."
    )
    assert [p.author for p in thread.comments] == [
        "Oskar Lind",
        "Hazel Brook",
        "Oskar Lind",
        "Ruth Okafor",
        "Gwen Maddox",
    ]
    # 20:15 at +01:00 is 19:15 UTC.
    assert thread.posts[2].posted_at == datetime(2023, 3, 14, 19, 15, tzinfo=UTC)
    assert thread.posts[1].text == (
        "Metered mains water is exactly why we need butts: rainwater is free.\n\n"
        "In a dry July the bill would double."
    )
    assert thread.posts[2].text == (
        "> rainwater is free\n\nOnly if it rains. Last July the butts were empty for three weeks."
    )
    assert (
        thread.posts[4].text
        == "Also: the mosquito point is solved by a lid.\n\n- a lid costs £3\n- a mesh costs £1"
    )
    # Chrome (names, "says:", dates, Reply links) is not part of any comment's text.
    for post in thread.comments:
        assert "says:" not in post.text and "Reply" not in post.text and "2023" not in post.text


def test_pingbacks_and_trackbacks_are_left_out() -> None:
    for path in (MODERN, CLASSIC):
        thread = parse(path)
        assert not any("roundup" in p.text or "[...]" in p.text for p in thread.posts)
    assert len(parse(CLASSIC).comments) == 4


def test_classic_reply_tree_and_fields() -> None:
    thread = parse(CLASSIC)
    keys = ["article", "comment-31", "comment-33", "comment-32", "comment-34"]
    assert tree(thread, keys) == [
        ("article", None),
        ("comment-31", "article"),
        ("comment-33", "comment-31"),
        ("comment-32", "article"),
        ("comment-34", "article"),
    ]
    assert thread.title == "Four-day week for the co-op?"
    assert thread.url == "http://hillside.example.com/2013/06/24/four-day-week/"
    assert thread.article.author == "Nadia Petrova"
    assert thread.published_at == datetime(2013, 6, 24, tzinfo=UTC)
    assert [(p.author, p.posted_at) for p in thread.comments] == [
        ("Sam Whitaker", datetime(2013, 6, 24, 10, 14, tzinfo=UTC)),
        ("Nadia Petrova", datetime(2013, 6, 24, 13, 5, tzinfo=UTC)),
        ("Lou Brennan", datetime(2013, 6, 24, 11, 40, tzinfo=UTC)),
        ("Ade Banjo", datetime(2013, 6, 25, 8, 2, tzinfo=UTC)),
    ]
    assert (
        thread.posts[2].text
        == "Sam, the shifts would be split: nobody stands at the oven for ten hours."
    )


def test_a_block_theme_page_keeps_its_reply_tree_and_fields() -> None:
    thread = parse(BLOCK_THEME)
    keys = ["article", "comment-11", "comment-12", "comment-13"]
    assert tree(thread, keys) == [
        ("article", None),
        ("comment-11", "article"),
        ("comment-12", "comment-11"),
        ("comment-13", "article"),
    ]
    assert thread.title == "Bins on Tuesdays"
    assert thread.url == "https://parish.example.org/2024/05/02/bins-on-tuesdays/"
    assert thread.article.author == "Parish Clerk"
    assert thread.article.text == (
        "From June the bin lorry comes on Tuesdays, not Mondays.\n\nPut bins out by 7am."
    )
    assert thread.published_at == datetime(2024, 5, 2, 8, 0, tzinfo=UTC)
    assert [(p.author, p.posted_at, p.text) for p in thread.comments] == [
        (
            "Mara",
            datetime(2024, 5, 2, 9, 15, tzinfo=UTC),
            "Tuesday is market day & the lorry will block the square.",
        ),
        (
            "Parish Clerk",
            datetime(2024, 5, 2, 10, 0, tzinfo=UTC),
            "The market moved to Wednesdays in March.",
        ),
        (
            "Tom",
            datetime(2024, 5, 3, 7, 0, tzinfo=UTC),
            "Fine by me \N{THUMBS UP SIGN} as long as it is before nine :)",
        ),
    ]


def test_a_block_theme_comment_without_a_content_block_holds_none_of_its_replies() -> None:
    # Themes may drop the comment-content block; the comment's own text still ends at its replies.
    text = BLOCK_THEME.read_text().replace("wp-block-comment-content", "entry")
    mara, clerk, _ = parse(text).comments
    assert mara.text == "Tuesday is market day & the lorry will block the square."
    assert clerk.text == "The market moved to Wednesdays in March."


def test_emoji_and_smileys_wordpress_drew_as_images_keep_their_characters() -> None:
    # WordPress swaps emoji and :) for <img class="emoji|wp-smiley" alt="...">; the alt is the text.
    tom = parse(BLOCK_THEME).comments[-1]
    assert tom.text == "Fine by me \N{THUMBS UP SIGN} as long as it is before nine :)"


def test_a_page_whose_comments_are_disqus_says_so_in_one_line() -> None:
    page = (
        "<!DOCTYPE html><html><body><article><h1 class='entry-title'>Bins</h1>"
        "<div class='entry-content'><p>Tuesdays from June.</p></div></article>"
        "<div id='disqus_thread'><iframe id='dsq-app1' src='https://disqus.com/embed/comments/"
        "?base=default&amp;f=parish'></iframe></div></body></html>"
    )
    with pytest.raises(SourceError) as caught:
        parse(page)
    assert str(caught.value) == (
        "page.html: this page's comments are Disqus's, drawn in a frame the saved page does not "
        "hold; give them as a CSV (id, author, text) instead"
    )


def test_detected_as_html_and_text_is_not() -> None:
    assert wordpress_html.detect(MODERN.read_text()) and wordpress_html.detect(CLASSIC.read_text())
    assert not wordpress_html.detect(
        "Thinking of Joining the ISO?\n\nby Pham Binh on June 24, 2013\n"
    )


@pytest.mark.parametrize(
    "text",
    [
        NO_COMMENTS.read_text(),
        "<html><body><p>Just a page.</p></body></html>",
    ],
    ids=["page without comments", "not WordPress"],
)
def test_a_page_without_comments_is_one_line(text: str) -> None:
    with pytest.raises(SourceError) as caught:
        parse(text)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("page.html: no WordPress comments in this page")


@pytest.mark.parametrize("cut", [0.2, 0.5, 0.97])
def test_a_truncated_page_is_one_line(cut: float) -> None:
    text = MODERN.read_text()
    with pytest.raises(SourceError) as caught:
        parse(text[: int(len(text) * cut)])
    assert (
        str(caught.value) == "page.html: the page ends before </html> (truncated?); save it again"
    )


def test_a_time_in_words_is_read_in_the_zone_the_page_gives_elsewhere() -> None:
    """Was: the article's ``<time datetime="...-05:00">`` was read as the instant it is, but a
    comment's words ("June 24, 2013 at 10:14 am", the site's own time) as UTC: the comment came
    out at 10:14Z, hours before the article it answers (14:00Z)."""
    page = CLASSIC.read_text().replace(
        '<span class="entry-date">June 24, 2013</span>',
        '<time class="entry-date" datetime="2013-06-24T09:00:00-05:00">June 24, 2013</time>',
    )
    thread = parse(page)
    assert thread.article.posted_at == datetime(2013, 6, 24, 14, 0, tzinfo=UTC)
    first = thread.posts[1]
    assert first.posted_at == datetime(2013, 6, 24, 15, 14, tzinfo=UTC)  # 10:14 am at -05:00
    assert all(p.posted_at > thread.article.posted_at for p in thread.comments)
    # Without a time that says its zone, the words are read as UTC, as before.
    assert parse(CLASSIC).posts[1].posted_at == datetime(2013, 6, 24, 10, 14, tzinfo=UTC)


def test_a_time_it_cannot_read_is_left_out_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    """Was: "2 hours ago" (a saved page's relative time) gave a comment no time, silently."""
    page = CLASSIC.read_text().replace("June 24, 2013 at 10:14 am", "2 hours ago")
    with caplog.at_level(logging.WARNING, logger="argmap"):
        thread = parse(page)
    assert thread.posts[1].posted_at is None and thread.posts[2].posted_at is not None
    assert (
        "page.html: 1 of 4 comments show a time argmap cannot read ('2 hours ago'); they are "
        "stored without one"
    ) in caplog.text


def test_parse_when_reads_wordpress_wordings() -> None:
    when = wordpress_times.parse_when
    assert when("June 24, 2013 at 10:14 am") == datetime(2013, 6, 24, 10, 14, tzinfo=UTC)
    assert when("24 June 2013 at 22:05") == datetime(2013, 6, 24, 22, 5, tzinfo=UTC)
    assert when("June 24th, 2013 at 1:05 pm (Edit)") == datetime(2013, 6, 24, 13, 5, tzinfo=UTC)
    assert when("2013-06-24T10:14:00-04:00") == datetime(2013, 6, 24, 14, 14, tzinfo=UTC)
    assert when("sometime last week") is None and when(None) is None
