"""The Review page in Streamlit's AppTest: a whole review session on a real store (accept,
reject, re-target, fix a parent, undo), a re-ingest keeping it, and read-only by default."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path

import pytest
from argmap.graph.review_records import list_reviews
from argmap.graph.store import Store, open_store
from argmap.ingest.pipeline import ingest
from dashboard_pages import assert_clean, open_page, serve_with_edits, texts
from review_session import live, parent_of


@pytest.fixture
def review_env(
    monkeypatch: pytest.MonkeyPatch, falkordb_dir: Path, graph_name: str, sample_path: Path
) -> Iterator[Store]:
    """A sample graph of this test's own (the page writes), served with edits allowed."""
    store = open_store(str(falkordb_dir), graph_name)
    ingest(sample_path, store, extractor="offline")
    serve_with_edits(monkeypatch, falkordb_dir, graph_name)
    yield store
    store.clear()
    store.close()


def click(at, key: str):
    at.button(key=key).click().run()
    assert_clean(at)
    return at


def test_a_review_session_end_to_end(review_env: Store, sample_path: Path) -> None:
    store = review_env
    at = open_page("review")
    assert "Your name" in at.text_input(key="rv_name_in").label
    at.text_input(key="rv_name_in").input("Ann")
    next(b for b in at.button if b.label == "Start reviewing").click().run()
    assert_clean(at)
    assert "Reviewing as" in texts(at)
    at.multiselect(key="rv_kinds").set_value(["relation"]).run()

    click(at, "rv_accept")
    click(at, "rv_reject")
    # Move on to a relation that can be re-targeted, then re-target it.
    for _ in range(30):
        if any(b.key == "rv_retarget" for b in at.button):
            break
        click(at, "rv_next")
    click(at, "rv_retarget")  # to the first claim offered
    # Fix a parent: only parents in the queue, and pick another post than the rebuilt one.
    at.multiselect(key="rv_kinds").set_value(["parent"]).run()
    parent_box = next(s for s in at.selectbox if s.key and s.key.startswith("rv_par_"))
    post_id = parent_box.key.removeprefix("rv_par_post:")
    current = parent_of(store, post_id)
    ids = [
        r["id"]
        for r in store.run_read(
            "MATCH (me:Post {id: $id}), (q:Post) WHERE q.thread_id = me.thread_id "
            "AND q.position < me.position AND q.id <> $cur RETURN q.id AS id "
            "ORDER BY q.position DESC LIMIT 1",
            {"id": post_id, "cur": current},
        )
    ]
    assert ids
    parent_box.set_value(ids[0]).run()
    click(at, "rv_set_parent")
    assert parent_of(store, post_id) == ids[0]
    # The moved reply's relations are stale until the shell extracts it again: the page says so.
    saved = " ".join(str(e.value) for e in at.success)
    assert "its relations follow after `argmap review extract`" in saved
    assert "1 post waits for extraction" in texts(at)

    reviews = list_reviews(store)
    assert [r.action for r in reviews] == ["accept", "reject", "retarget", "set-parent"]
    assert {r.reviewer for r in reviews} == {"Ann"}
    accepted, rejected, retargeted = reviews[0], reviews[1], reviews[2]
    src, _, dst = accepted.key.removeprefix("relation:").partition(">")
    assert live(store, src, dst)[0]["status"] == "accepted"
    src, _, dst = rejected.key.removeprefix("relation:").partition(">")
    assert live(store, src, dst) == []

    # Undo the last decision (the parent) from the page.
    click(at, "rv_undo")
    assert parent_of(store, post_id) == current
    assert list_reviews(store)[-1].undone

    # A re-ingest keeps every decision still standing.
    ingest(sample_path, store, extractor="offline", reextract=True)
    src, _, dst = accepted.key.removeprefix("relation:").partition(">")
    assert live(store, src, dst)[0]["status"] == "accepted"
    src, _, dst = rejected.key.removeprefix("relation:").partition(">")
    assert live(store, src, dst) == []
    src, _, dst = retargeted.key.removeprefix("relation:").partition(">")
    assert live(store, src, dst) == []


def test_the_page_is_read_only_without_allow_edits(sample_env: Store) -> None:
    at = open_page("review")
    assert "Read-only" in texts(at)
    assert not [b for b in at.button if b.key in ("rv_accept", "rv_reject", "rv_undo")]
    assert "Item 1 of" in " ".join(str(p.proto.text) for p in at.get("progress"))


def test_each_side_shows_its_quote_in_a_window_of_the_post(review_env: Store) -> None:
    """Both quotes of a relation are marked inside a short, unscrolled excerpt of their posts,
    so the marked words are in view however long the post (the article, say) is."""
    store = review_env
    at = open_page("review")
    at.text_input(key="rv_name_in").input("Ann")
    next(b for b in at.button if b.label == "Start reviewing").click().run()
    at.multiselect(key="rv_kinds").set_value(["relation"]).run()
    sides = trimmed = 0
    for _ in range(12):
        bodies = [e.proto.body for e in at.get("html") if "<mark>" in e.proto.body]
        assert len(bodies) == 2  # the answering claim and the claim answered
        for body in bodies:
            assert "max-height" not in body and body.count("<mark>") == 1
            assert ' lang="en"' in body  # the sample thread's language, not the page's
            inner = body.split(">", 1)[1].rsplit("</div>", 1)[0]
            quote = html.unescape(inner.split("<mark>", 1)[1].split("</mark>", 1)[0])
            shown = html.unescape(inner.replace("<mark>", "").replace("</mark>", ""))
            cut_before, cut_after = shown.startswith("… "), shown.endswith(" …")
            shown = shown.removeprefix("… ").removesuffix(" …")
            posts = [
                r["text"]
                for r in store.run_read(
                    "MATCH (p:Post)-[:MAKES]->(c:Claim {quote: $q}) RETURN p.text AS text",
                    {"q": quote},
                )
            ]
            post = next(p for p in posts if shown in p)  # a window of the quote's own post
            assert quote in shown and len(shown) <= len(quote) + 2 * 400
            assert cut_before == (not post.startswith(shown))
            assert cut_after == (not post.endswith(shown))
            trimmed += len(post) > len(shown)
            sides += 1
        click(at, "rv_next")
    assert sides == 24 and trimmed, "some long post was cut to a window around its quote"


def start(name: str, kinds: list[str], person: str | None = None):
    """The Review page in a browser session of its own, reviewing as ``name``."""
    at = open_page("review")
    at.text_input(key="rv_name_in").input(name)
    next(b for b in at.button if b.label == "Start reviewing").click().run()
    at.multiselect(key="rv_kinds").set_value(kinds).run()
    if person:
        at.text_input(key="rv_person").input(person).run()
    assert_clean(at)
    return at


def shown_relation(at) -> tuple[str, str]:
    box = next(s for s in at.selectbox if s.key and s.key.startswith("rv_new_relation:"))
    src, _, dst = box.key.removeprefix("rv_new_relation:").partition(">")
    return src, dst


def test_a_click_decides_the_item_on_screen_not_the_one_that_took_its_place(
    review_env: Store,
) -> None:
    store = review_env
    alice, bob = start("Alice", ["relation"]), start("Bob", ["relation"])
    seen = shown_relation(alice)
    assert shown_relation(bob) == seen
    click(bob, "rv_accept")  # Bob takes the item out of the queue
    click(alice, "rv_reject")  # Alice's page still showed it
    assert not [r for r in list_reviews(store) if r.reviewer == "Alice"]  # nothing saved
    assert "Decided by someone else" in " ".join(str(w.value) for w in alice.warning)
    assert live(store, *seen)[0]["status"] == "accepted"  # Bob's decision stands
    # With reviewed items shown the item stays in the queue (in its place, or further on): a
    # stale click is a conflict or a moved queue, never a decision on what Carol did not see.
    carol, dave = start("Carol", ["relation"]), start("Dave", ["relation"])
    for at in (carol, dave):
        at.checkbox(key="rv_all").check().run()
    assert shown_relation(carol) == shown_relation(dave)
    click(dave, "rv_flip")
    click(carol, "rv_reject")
    assert not [r for r in list_reviews(store) if r.reviewer == "Carol"]
    said = " ".join(str(w.value) for w in carol.warning)
    assert "Decided by someone else" in said and "flip by Dave" in said


def test_the_last_decision_of_a_queue_keeps_its_confirmation_and_undo(review_env: Store) -> None:
    store = review_env
    [row] = store.run_read(
        "MATCH (p:Post {kind: 'comment'})-[:MAKES]->(:Claim)-[:REBUTS|SUPPORTS]->(:Claim) "
        "WITH p.author AS author, count(*) AS n WHERE n = 1 "
        "RETURN author ORDER BY author LIMIT 1"
    )
    at = start("Ann", ["relation"], person=row["author"])
    assert "Item 1 of 1" in " ".join(str(p.proto.text) for p in at.get("progress"))
    click(at, "rv_accept")
    assert "Nothing left to review here." in " ".join(str(s.value) for s in at.success)
    assert "Accepted: saved" in " ".join(str(s.value) for s in at.success)
    click(at, "rv_undo")
    assert list_reviews(store)[-1].undone
    assert "Item 1 of 1" in " ".join(str(p.proto.text) for p in at.get("progress"))


def test_the_queues_filters_stay_while_the_reviewer_looks_at_another_page(
    sample_env: Store,
) -> None:
    """Checking a claim on the Graph page and coming back must not reset Kinds and Person
    (Streamlit forgets a widget a run does not draw, unless it is kept for the session)."""
    at = open_page("review")
    at.multiselect(key="rv_kinds").set_value(["parent"]).run()
    at.text_input(key="rv_person").input("Pham Binh").run()
    at.checkbox(key="rv_all").check().run()
    at.switch_page("views/graph.py").run()
    at.switch_page("views/review.py").run()
    assert_clean(at)
    assert at.multiselect(key="rv_kinds").value == ["parent"]
    assert at.text_input(key="rv_person").value == "Pham Binh"
    assert at.checkbox(key="rv_all").value is True
    assert "· parent" in " ".join(str(p.proto.text) for p in at.get("progress"))


def test_a_read_only_page_still_walks_the_queue(sample_env: Store) -> None:
    at = open_page("review")
    progress = lambda: " ".join(str(p.proto.text) for p in at.get("progress"))  # noqa: E731
    assert "Item 1 of" in progress()
    click(at, "rv_next")
    assert "Item 2 of" in progress()
    click(at, "rv_prev")
    assert "Item 1 of" in progress()


def test_a_name_given_in_part_is_answered_with_the_whole_names(review_env: Store) -> None:
    at = start("Ann", ["relation"], person="Pham")
    said = " ".join(str(w.value) for w in at.warning)
    assert "No author is called Pham; did you mean Pham Binh?" in said
    assert not at.success  # not "Nothing left to review here."
    at = start("Ann", ["relation"], person="pham binh")
    assert not at.warning and "Item 1 of" in " ".join(str(p.proto.text) for p in at.get("progress"))


def test_the_posts_a_review_left_waiting_are_extracted_from_the_page(review_env: Store) -> None:
    from argmap.graph.writes import pending_posts

    store = review_env
    at = start("Ann", ["parent"])
    parent_box = next(s for s in at.selectbox if s.key and s.key.startswith("rv_par_"))
    post_id = parent_box.key.removeprefix("rv_par_post:")
    [other] = store.run_read(
        "MATCH (me:Post {id: $id}), (q:Post) WHERE q.thread_id = me.thread_id "
        "AND q.position < me.position AND q.id <> $cur RETURN q.id AS id "
        "ORDER BY q.position DESC LIMIT 1",
        {"id": post_id, "cur": parent_of(store, post_id)},
    )
    parent_box.set_value(other["id"]).run()
    click(at, "rv_set_parent")
    assert sum(pending_posts(store).values()) == 1
    assert "1 post waits for extraction" in texts(at)
    click(at, "rv_extract")
    assert sum(pending_posts(store).values()) == 0
    saved = " ".join(str(s.value) for s in at.success)
    assert "Extracted 1 post:" in saved
    assert "waits for extraction" not in texts(at)


def test_a_read_only_page_offers_no_extraction(sample_env: Store) -> None:
    at = open_page("review")
    assert not [b for b in at.button if b.key == "rv_extract"]


def test_two_reviewers_on_one_item_the_second_sees_the_first_and_chooses(
    review_env: Store,
) -> None:
    # Two browser sessions on one queue: Bob (a name with markup and Hebrew, as people type
    # them) accepts; Alice, whose page still shows the item, rejects a moment later. She is told
    # who decided what and when, nothing of hers is saved, and she keeps theirs or replaces it.
    store = review_env
    name = "<b>Bob</b> בוב"
    alice, bob = start("Alice", ["relation"]), start(name, ["relation"])
    seen = shown_relation(alice)
    click(bob, "rv_accept")
    click(alice, "rv_reject")
    said = " ".join(str(w.value) for w in alice.warning)
    assert "Decided by someone else" in said and "accept by \\<b\\>Bob\\</b\\> בוב at " in said
    assert " UTC" in said and "Rejected" in said
    assert [r.reviewer for r in list_reviews(store)] == [name]
    assert live(store, *seen)[0]["status"] == "accepted"

    click(alice, "rv_replace")  # she read theirs and still says no
    assert "replacing accept by" in " ".join(str(s.value) for s in alice.success)
    *_, theirs, hers = list_reviews(store)
    assert (theirs.reviewer, hers.reviewer, hers.action) == (name, "Alice", "reject")
    assert '"status": "accepted"' in hers.before  # what her decision replaced: his
    assert live(store, *seen) == []
    # Bob's undo would erase Alice's decision: refused, naming hers; his stays recorded.
    bob.button(key="rv_undo").click().run()
    assert "reject by Alice" in " ".join(str(e.value) for e in bob.error)
    assert not list_reviews(store)[-2].undone and live(store, *seen) == []


def test_keeping_their_decision_saves_nothing(review_env: Store) -> None:
    store = review_env
    alice, bob = start("Alice", ["relation"]), start("Bob", ["relation"])
    seen = shown_relation(alice)
    click(bob, "rv_reject")
    click(alice, "rv_accept")
    click(alice, "rv_keep")
    assert "Kept their decision" in " ".join(str(s.value) for s in alice.success)
    assert [r.reviewer for r in list_reviews(store)] == ["Bob"] and live(store, *seen) == []
    assert not any(b.key == "rv_replace" for b in alice.button)


def progress(at) -> str:
    return " ".join(str(p.proto.text) for p in at.get("progress"))


def shown_key(at) -> str:
    """The item the page shows (any kind)."""
    return at.session_state["rv_shown"]["key"]


def test_the_last_item_decided_by_someone_else_is_a_conflict_not_an_empty_queue(
    review_env: Store,
) -> None:
    # Both pages show the one relation left of an author; Bob decides it first. Alice's click
    # lands on an empty queue: she is told who decided what, as for any other item.
    store = review_env
    [row] = store.run_read(
        "MATCH (p:Post {kind: 'comment'})-[:MAKES]->(:Claim)-[:REBUTS|SUPPORTS]->(:Claim) "
        "WITH p.author AS author, count(*) AS n WHERE n = 1 "
        "RETURN author ORDER BY author LIMIT 1"
    )
    alice, bob = (start(n, ["relation"], person=row["author"]) for n in ("Alice", "Bob"))
    assert "Item 1 of 1" in progress(alice) and "Item 1 of 1" in progress(bob)
    seen = shown_relation(alice)
    click(bob, "rv_accept")
    click(alice, "rv_reject")
    said = " ".join(str(w.value) for w in alice.warning)
    assert "Decided by someone else" in said and "accept by Bob" in said and "Rejected" in said
    assert [r.reviewer for r in list_reviews(store)] == ["Bob"]
    assert live(store, *seen)[0]["status"] == "accepted"
    click(alice, "rv_replace")
    assert [r.reviewer for r in list_reviews(store)] == ["Bob", "Alice"] and not live(store, *seen)


def test_item_k_of_n_stays_true_while_someone_else_works_through_the_queue(
    review_env: Store,
) -> None:
    # Bob is on item 2 when Alice decides items 1, 2 and 3: Bob's page keeps the item he looks
    # at while it is there, then shows the next one undecided; no item is skipped or shown twice.
    alice, bob = start("Alice", ["relation"]), start("Bob", ["relation"])
    n = int(progress(alice).split(" of ")[1].split()[0])
    keys = [shown_key(alice)]
    click(bob, "rv_next")
    assert f"Item 2 of {n}" in progress(bob)
    keys.append(shown_key(bob))

    click(alice, "rv_accept")  # item 1
    bob.run()
    assert shown_key(bob) == keys[1] and f"Item 1 of {n - 1}" in progress(bob)
    assert shown_key(alice) == keys[1]
    click(alice, "rv_accept")  # item 2, the one Bob looks at
    keys.append(shown_key(alice))
    click(alice, "rv_accept")  # item 3
    keys.append(shown_key(alice))  # the first one nobody decided
    bob.run()
    assert shown_key(bob) == keys[3] and f"Item 1 of {n - 3}" in progress(bob)
    click(bob, "rv_next")
    assert f"Item 2 of {n - 3}" in progress(bob) and shown_key(bob) not in keys
