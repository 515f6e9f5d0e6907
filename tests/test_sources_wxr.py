"""``wordpress-wxr``: a WordPress site's own export (Tools → Export), read as threads.

The fixture is hand-written in the structure of WordPress 6.9's exports (WXR 1.2, values in
CDATA); the small documents below follow the older 1.0/1.1 exports (plain values).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from argmap.graph.store import Store
from argmap.ingest.sources import detect_format, load_threads, wordpress_wxr
from typer.testing import CliRunner

from argmap.cli import app
from argmap.core.errors import SourceError
from argmap.core.ids import post_id, stable_id
from argmap.core.models import Thread

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
EXPORT = FIXTURES / "wordpress_export.xml"
ELM = "https://riverside.example.org/2025/04/elm-street-saturdays/"


def wxr(items: str, version: str = "1.1", head: str = "") -> str:
    """A small export in the older style (no CDATA around plain values)."""
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
{head}<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/{version}/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/{version}/">
<channel><title>Site</title><link>http://site.example/</link>
<wp:wxr_version>{version}</wp:wxr_version>
{items}
</channel></rss>
"""


def comment(cid: int, parent: int, text: str, approved: str = "1", kind: str = "") -> str:
    return (
        f"<wp:comment><wp:comment_id>{cid}</wp:comment_id>"
        f"<wp:comment_author>Person {cid}</wp:comment_author>"
        f"<wp:comment_date_gmt>2024-01-0{cid % 9 + 1} 10:00:00</wp:comment_date_gmt>"
        f"<wp:comment_content>{text}</wp:comment_content>"
        f"<wp:comment_approved>{approved}</wp:comment_approved>"
        f"<wp:comment_type>{kind}</wp:comment_type>"
        f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"
    )


def item(
    comments: str,
    link: str = "http://site.example/?p=1",
    status: str = "publish",
    password: str = "",
    body: str = "Body.",
) -> str:
    return (
        f"<item><title>Post</title><link>{link}</link><dc:creator>admin</dc:creator>"
        f"<content:encoded>{body}</content:encoded><wp:post_id>1</wp:post_id>"
        "<wp:post_date_gmt>2024-01-01 09:00:00</wp:post_date_gmt>"
        f"<wp:status>{status}</wp:status><wp:post_password>{password}</wp:post_password>"
        f"<wp:post_type>post</wp:post_type>{comments}</item>"
    )


def threads(text: str) -> list[Thread]:
    return wordpress_wxr.parse(text, "site.xml")


def one_line_error(text: str) -> str:
    with pytest.raises(SourceError) as caught:
        threads(text)
    message = str(caught.value)
    assert "\n" not in message and message.startswith("site.xml: ")
    return message


def by_comment(thread: Thread) -> dict[str, str]:
    """Post id -> WordPress comment id ("article" for the article)."""
    names = {post_id(thread.id, "article"): "article"}
    for p in thread.comments:
        for n in range(100, 200):
            if p.id == post_id(thread.id, f"comment-{n}"):
                names[p.id] = str(n)
    return names


def test_each_published_post_or_page_with_comments_is_a_thread() -> None:
    elm, survey = load_threads(EXPORT)
    assert (elm.title, elm.url) == ("Should Elm Street close to cars on Saturdays?", ELM)
    assert (survey.title, survey.url) == (
        "About the survey",
        "https://riverside.example.org/about-the-survey/",
    )
    assert {elm.source_format, survey.source_format} == {"wordpress-wxr"}
    assert elm.reply_tree == survey.reply_tree == "source"


def test_reply_tree_is_the_exports_depth_first_replies_in_time_order() -> None:
    elm = threads(EXPORT.read_text())[0]
    name = by_comment(elm)
    assert [(name[p.id], name.get(p.parent_id or "")) for p in elm.posts] == [
        ("article", None),
        ("109", "article"),  # no time (0000-00-00): first, as WordPress sorts it
        ("101", "article"),
        ("102", "101"),
        ("104", "102"),  # awaiting moderation: kept
        ("108", "101"),  # a later reply to 101 comes after 102's branch
        ("103", "article"),  # spam keeps its place
        ("106", "article"),  # its parent (105) is in the trash: it answers the article
    ]
    assert [p.position for p in elm.posts] == list(range(8))


def test_site_owners_marks_spam_kept_trash_pingbacks_and_notes_left_out(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING):
        elm, survey = threads(EXPORT.read_text())
    assert [p.author for p in elm.posts if p.is_spam] == ["best deals 4 u"]
    texts = " ".join(p.text for t in (elm, survey) for p in t.posts)
    for gone in ("rude remark", "Riverside asks", "wording of question 3"):
        assert gone not in texts
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [
        "site.xml: left out 4 items that are not published posts or pages with comments "
        "(1 draft, 1 attachment, 1 nav_menu_item, 1 published without comments)",
        "site.xml: kept 1 comment awaiting moderation; left out 1 in the trash, "
        "1 pingbacks/trackbacks, 1 note (not a comment)",
        "site.xml: 1 comment answers a comment not in the export (trashed, or deleted): each "
        "answers its nearest kept ancestor, else the article",
    ]


def test_times_are_the_gmt_ones_and_zero_means_none() -> None:
    elm = threads(EXPORT.read_text())[0]
    assert elm.published_at == elm.article.posted_at == datetime(2025, 4, 1, 9, 30, tzinfo=UTC)
    assert elm.posts[2].posted_at == datetime(2025, 4, 1, 11, 5, tzinfo=UTC)  # local was 12:05
    assert elm.posts[1].posted_at is None and elm.posts[1].author == "Anonymous"
    assert elm.article.author == "Mara Lind"  # the login's display name (wp:author)


def test_comment_html_becomes_plain_text_with_its_paragraphs_and_quotes() -> None:
    elm = threads(EXPORT.read_text())[0]
    assert elm.posts[2].text == (
        "I disagree. The delivery vans for the shops have no other way in.\n\n"
        "The bakery gets flour on Saturday mornings."
    )
    assert elm.posts[3].text == (
        "> The delivery vans have no other way in.\n\n"
        "That is not true: the lane behind the bakery reaches every back door & the loading bay."
    )
    assert elm.article.text == (
        "The council proposes closing Elm Street to cars every Saturday from May.\n\n"
        "Closing the street would bring more people to the market stalls."
    )


def test_ids_are_a_saved_pages_so_a_newer_export_adds_only_new_comments() -> None:
    elm = threads(EXPORT.read_text())[0]
    assert elm.id == stable_id("t", "wordpress", ELM)  # as wordpress-html names the page
    assert elm.posts[2].id == post_id(elm.id, "comment-101")
    newer = EXPORT.read_text().replace(
        "<wp:comment>\n\t\t\t<wp:comment_id>109</wp:comment_id>",
        comment(150, 108, "Linden Square is not a through road.") + "<wp:comment>\n\t\t\t"
        "<wp:comment_id>109</wp:comment_id>",
    )
    again = threads(newer)[0]
    assert {p.id for p in again.posts} - {p.id for p in elm.posts} == {
        post_id(elm.id, "comment-150")
    }
    assert again.post(post_id(elm.id, "comment-150")).parent_id == post_id(elm.id, "comment-108")


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
def test_every_wxr_version_and_plain_values_read_alike(version: str) -> None:
    [thread] = threads(wxr(item(comment(1, 0, "First.") + comment(2, 1, "Reply.")), version))
    assert [p.text for p in thread.posts] == ["Body.", "First.", "Reply."]
    assert thread.posts[2].parent_id == thread.posts[1].id


def test_a_reply_to_a_left_out_comment_answers_its_nearest_kept_ancestor() -> None:
    chain = comment(1, 0, "Kept.") + comment(2, 1, "Binned.", "trash") + comment(3, 2, "Orphan.")
    [thread] = threads(wxr(item(chain + comment(4, 77, "Parent never exported."))))
    parent = {p.text: p.parent_id for p in thread.posts}
    assert parent["Orphan."] == thread.posts[1].id
    assert parent["Parent never exported."] == thread.article.id


def test_a_loop_of_parents_is_broken_at_the_article(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        [thread] = threads(wxr(item(comment(1, 2, "One.") + comment(2, 1, "Two."))))
    assert [p.text for p in thread.posts] == ["Body.", "One.", "Two."]
    assert thread.posts[1].parent_id == thread.article.id
    assert thread.posts[2].parent_id == thread.posts[1].id
    assert "1 loop of replies" in caplog.text


def test_an_export_without_a_commented_published_post_is_one_line() -> None:
    message = one_line_error(wxr(item(comment(1, 0, "On a draft."), status="draft")))
    assert "no published post or page in this WordPress export has comments" in message


def test_a_post_behind_a_password_is_left_out_said_in_one_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    protected = item(
        comment(2, 0, "Members only: the gate code is 4411."),
        link="http://site.example/?p=2",
        password="hunter2",
        body="For members: the meeting moves to the boathouse.",
    )
    with caplog.at_level(logging.WARNING):
        (kept,) = threads(wxr(item(comment(1, 0, "An open remark.")) + protected))
    assert kept.url == "http://site.example/?p=1"
    assert "boathouse" not in kept.article.text and "4411" not in " ".join(
        p.text for p in kept.posts
    )
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [
        "site.xml: left out 1 published post behind a password (meant for its readers only): "
        "remove the password in WordPress and export again to map one"
    ]


def test_an_export_whose_every_commented_post_has_a_password_is_one_line() -> None:
    message = one_line_error(wxr(item(comment(1, 0, "Hidden."), password="pw")))
    assert "every commented post in this WordPress export is behind a password" in message


def test_detection_tells_exports_feeds_and_saved_pages_apart() -> None:
    assert detect_format(EXPORT.read_text()) == "wordpress-wxr"
    assert detect_format(wxr(item(""), "1.0")) == "wordpress-wxr"
    for page in ("wordpress_classic.html", "wordpress_block_theme.html", "wordpress_page.html"):
        assert detect_format((FIXTURES / page).read_text()) == "wordpress-html"
    feed = wxr(item("")).replace('xmlns:wp="http://wordpress.org/export/1.1/"', "")
    feed = feed.replace("http://wordpress.org/export/1.1/excerpt/", "http://example/x/")
    with pytest.raises(SourceError) as caught:
        detect_format(feed, "feed.xml")
    assert str(caught.value).startswith(
        "feed.xml: this is an RSS/Atom feed, not a WordPress export"
    )
    assert "Tools → Export" in str(caught.value)


def test_a_billion_laughs_is_refused_without_expanding() -> None:
    bomb = '<!DOCTYPE rss [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    bomb += "".join(
        f'<!ENTITY {c} "{("&" + p + ";") * 10}">' for p, c in zip("bcdefgh", "cdefghi", strict=True)
    )
    text = wxr(item(comment(1, 0, "&i;")), head=bomb + "]>\n")
    assert "declares a DTD or entities" in one_line_error(text)


def test_an_external_entity_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    text = wxr(
        item(comment(1, 0, "&x;")),
        head=f'<!DOCTYPE rss [<!ENTITY x SYSTEM "{secret.as_uri()}">]>\n',
    )
    message = one_line_error(text)
    assert "declares a DTD or entities" in message and "TOP SECRET" not in message


def test_an_export_cut_mid_way_is_one_line() -> None:
    text = EXPORT.read_text()
    message = one_line_error(text[: len(text) // 2])
    assert "the WordPress export ends mid-way" in message and "truncated?" in message


def test_broken_xml_and_another_root_are_one_line() -> None:
    broken = wxr(item(comment(1, 0, "a <b>bold</i> claim")))
    assert "not well-formed XML (mismatched tag at line" in one_line_error(broken)
    other = '<?xml version="1.0"?><feed xmlns:wp="http://wordpress.org/export/1.2/"></feed>'
    assert "its XML root is <feed>, not <rss>" in one_line_error(other)


def test_argmap_ingest_of_an_export_says_each_thread_and_a_rerun_adds_only_the_new(
    argmap_env: Path, store: Store, tmp_path: Path
) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", str(EXPORT), "-e", "offline", "-q"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "Should Elm Street close to cars on Saturdays?",
        "About the survey",
        "total",
    ]
    assert lines[0].startswith(
        "Should Elm Street close to cars on Saturdays?: 1 article, 6 comments (1 spam left out), "
    )
    assert lines[2].startswith("total: 2 articles, 7 comments (1 spam left out), ")
    warnings = result.stderr.splitlines()
    assert len(warnings) == 3 and all(w.startswith("argmap: warning: ") for w in warnings)
    spam = store.run_read("MATCH (p:Post) WHERE p.is_spam RETURN p.author AS author")
    assert [row["author"] for row in spam] == ["best deals 4 u"]

    newer = tmp_path / "site-newer.xml"
    newer.write_text(
        EXPORT.read_text().replace(
            "<wp:comment>\n\t\t\t<wp:comment_id>109</wp:comment_id>",
            comment(150, 108, "Linden Square is not a through road, so it proves nothing.")
            + "<wp:comment>\n\t\t\t<wp:comment_id>109</wp:comment_id>",
        )
    )
    again = runner.invoke(app, ["ingest", str(newer), "-e", "offline", "-q"])
    assert again.exit_code == 0, again.output
    first = again.stdout.splitlines()[0]
    assert "1 article, 7 comments (1 spam left out)" in first
    assert first.endswith(
        "; of 1 article and 7 comments, 1 extracted now, 7 as an earlier run left them"
    )
    posts = store.run_read("MATCH (p:Post) RETURN count(p) AS n")[0]["n"]
    assert posts == 2 + 9  # two articles, 8 + 1 comments (spam included): nothing doubled
