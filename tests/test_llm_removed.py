"""A comment the site took away (Reddit's ``[removed]`` / ``[deleted]`` body) is no claim source:
no request asks the model about it, and it has no claims; its replies still have their parent."""

from __future__ import annotations

from pathlib import Path

from argmap.ingest.extract.llm_estimate import estimate_ingest
from argmap.ingest.sources import load_threads
from llm_server import ChatServer
from llm_threads import by_post, extractor

REDDIT = Path(__file__).parent / "fixtures" / "sources" / "reddit_thread.json"


def test_removed_and_deleted_comments_are_not_sent_to_the_model(
    server: ChatServer, tmp_path: Path
) -> None:
    # The fixture holds a "[deleted]" comment; a moderator's "[removed]" replaces dave_m's.
    text = REDDIT.read_text().replace(
        '"Try it for one summer &amp; measure it. Data beats opinions."', '"[removed]"'
    )
    (tmp_path / "thread.json").write_text(text)
    [thread] = load_threads(tmp_path / "thread.json")
    gone = [p for p in thread.posts if p.text in ("[removed]", "[deleted]")]
    assert len(gone) == 2
    results = by_post(list(extractor(server, tmp_path).extract(thread, {})))
    asked = [r.post_text for r in server.requests]
    assert asked and not {"[removed]", "[deleted]"} & set(asked)
    for post in gone:
        assert results[post.id].error is None and results[post.id].claims == []
    # The reply to the deleted comment was still asked about, under its parent.
    assert any(t.startswith("Whatever they said") for t in asked)


def test_the_dry_run_counts_no_request_for_a_deleted_comment() -> None:
    [thread] = load_threads(REDDIT)
    asked = [p for p in thread.posts if not p.is_spam and p.text != "[deleted]"]
    assert len(asked) < len([p for p in thread.posts if not p.is_spam])
    assert estimate_ingest(REDDIT).posts == len(asked)
