"""The offline extractor reads a comment the site took away (Reddit's ``[removed]``,
``[deleted]``, ``[ Removed by Reddit ]``) as the LLM path does: no claims, no relation, not spam;
it stays the parent of its replies, which answer the nearest post above it that has claims.
A self post whose text was removed is answered by its title."""

from __future__ import annotations

import json
from pathlib import Path

from argmap.ingest.extract.offline import OfflineExtractor
from argmap.ingest.sources import load_threads
from llm_server import ChatServer
from llm_threads import extractor

REDDIT = Path(__file__).parent / "fixtures" / "sources" / "reddit_thread.json"
ALICE = "Pedestrian streets usually raise shop revenue. Footfall goes up when people can linger."


def _saved(tmp_path: Path, article_removed: str = "") -> Path:
    text = REDDIT.read_text()
    for said, left in (
        ("Try it for one summer &amp; measure it. Data beats opinions.", "[removed]"),
        (
            "Deliveries would still be allowed before 10am, the plan says so.",
            "[ Removed by Reddit ]",
        ),
    ):
        assert f'"{said}"' in text
        text = text.replace(f'"{said}"', f'"{left}"')
    data = json.loads(text)
    if article_removed:
        post = data[0]["data"]["children"][0]["data"]
        post.update(
            selftext=article_removed, title="Closing Elm Street to cars will hurt the shops."
        )
    (tmp_path / "thread.json").write_text(json.dumps(data))
    return tmp_path / "thread.json"


def test_taken_away_comments_have_no_claims_on_either_path_and_stay_parents(
    server: ChatServer, tmp_path: Path
) -> None:
    [thread] = load_threads(_saved(tmp_path))
    gone = [
        p for p in thread.posts if p.text in ("[removed]", "[deleted]", "[ Removed by Reddit ]")
    ]
    assert len(gone) == 3 and not any(p.is_spam for p in gone)
    results = {r.post_id: r for r in OfflineExtractor().extract(thread, {})}
    online = {r.post_id: r for r in extractor(server, tmp_path).extract(thread, {})}
    for post in gone:
        for got in (results[post.id], online[post.id]):
            assert got.error is None and not got.spam
            assert got.claims == [] and got.relations == []
    assert not {p.text for p in gone} & {r.post_text for r in server.requests}
    # carol answers the deleted comment: it stays her parent, and her claim answers alice's
    # (the nearest post above it with claims), never the placeholder.
    carol = next(p for p in thread.posts if p.author == "carol_bus")
    deleted = next(p for p in thread.posts if p.id == carol.parent_id)
    assert deleted.text == "[deleted]"
    alice = next(p for p in thread.posts if p.text == ALICE)
    claim_post = {c.id: pid for pid, r in results.items() for c in r.claims}
    assert results[carol.id].relations
    assert {claim_post[r.target] for r in results[carol.id].relations} == {alice.id}


def test_a_removed_self_post_is_answered_by_its_title(tmp_path: Path) -> None:
    [thread] = load_threads(_saved(tmp_path, article_removed="[removed]"))
    assert thread.article.text == "Closing Elm Street to cars will hurt the shops."
    results = {r.post_id: r for r in OfflineExtractor().extract(thread, {})}
    [title] = results[thread.article.id].claims
    assert title.quote == thread.article.text
    # The top-level comments' claims have the title to answer.
    alice = next(p for p in thread.posts if p.text == ALICE)
    assert {r.target for r in results[alice.id].relations} == {title.id}
