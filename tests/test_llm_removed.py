"""A comment the site took away (Reddit's ``[removed]`` / ``[deleted]`` body) is no claim source:
no request (online or in a batch) asks the model about it, and it has no claims; its replies
still have their parent."""

from __future__ import annotations

from pathlib import Path

from argmap.graph.store import Store
from argmap.graph.writes import extracted_claims
from argmap.ingest.batch import ingest_batch
from argmap.ingest.extract.llm_estimate import estimate_ingest
from argmap.ingest.sources import load_threads
from llm_server import ChatServer
from llm_threads import by_post, extractor

from argmap.core.config import LLMConfig

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


def test_batch_rounds_leave_removed_and_deleted_comments_out(
    server: ChatServer, store: Store, tmp_path: Path
) -> None:
    source = tmp_path / "thread.json"
    source.write_text(
        REDDIT.read_text().replace(
            '"Try it for one summer &amp; measure it. Data beats opinions."', '"[removed]"'
        )
    )
    [thread] = load_threads(source)
    gone = {f"post-{p.position}" for p in thread.posts if p.text in ("[removed]", "[deleted]")}
    assert len(gone) == 2
    llm = LLMConfig(
        base_url=server.base_url,
        max_retries=0,
        cache_path=tmp_path / "cache.sqlite3",
        batch_path=tmp_path / "batches.sqlite3",
    )
    for _ in range(10):  # the batch server answers a batch at the run after it was submitted
        report = ingest_batch(source, store, llm)
        if any("every post is extracted" in line for line in report.lines):
            break
    sent = {line["custom_id"] for lines in server.batches.lines.values() for line in lines}
    assert sent and not gone & sent
    assert not {"[removed]", "[deleted]"} & {r.post_text for r in server.requests}
    # Both are extracted, with no claims: nothing stays pending for a later run.
    genuine = {p.id for p in thread.posts if not p.is_spam}
    assert set(extracted_claims(store, thread.id)) >= genuine
    again = ingest_batch(source, store, llm)
    assert again.submitted == [] and again.summary.to_extract == 0
    assert again.lines == [f"{thread.id}: every post is extracted"]
