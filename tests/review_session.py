"""A scripted review session on the sample, shared by the review tests: one of each decision."""

from __future__ import annotations

from dataclasses import dataclass, field

from argmap.graph import review_actions as act
from argmap.graph.review_queue import review_queue
from argmap.graph.store import Store

from argmap.core.json_v1 import ReviewRow


@dataclass
class Session:
    """What a reviewer decided, to check later that it still stands."""

    accepted: tuple[str, str]
    rejected: tuple[str, str]
    flipped: tuple[str, str, str]  # source, target, the new type
    retargeted: tuple[str, str, str]  # source, old target, new target
    parent: tuple[str, str]  # post, new parent
    not_spam: str
    spam: str
    edited: tuple[str, str]  # claim, new paraphrase
    reviews: list[ReviewRow] = field(default_factory=list)


def live(store: Store, source: str, target: str) -> list[dict]:
    return store.run_read(
        "MATCH (a:Claim {id: $a})-[e:REBUTS|SUPPORTS]->(b:Claim {id: $b}) "
        "RETURN toLower(type(e)) AS type, e.status AS status, e.origin AS origin",
        {"a": source, "b": target},
    )


def parent_of(store: Store, post_id: str) -> str | None:
    rows = store.run_read(
        "MATCH (:Post {id: $id})-[:REPLIES_TO]->(q:Post) RETURN q.id AS id", {"id": post_id}
    )
    return rows[0]["id"] if rows else None


def review_sample(store: Store, reviewer: str = "Ann") -> Session:
    """Accept, reject, flip, re-target, set a parent, un-spam, spam and edit on the sample."""
    rels = [i for i in review_queue(store, kinds=["relation"], limit=None)]
    sources = {}
    for i in rels:  # distinct source claims, so no decision touches another's pair
        sources.setdefault(i.source, i)
    r = list(sources.values())
    reviews = [
        act.accept(store, r[0].source, r[0].target, reviewer, r[0].version),
        act.reject(store, r[1].source, r[1].target, reviewer),
        act.flip(store, r[2].source, r[2].target, reviewer),
    ]
    new_type = "supports" if r[2].type == "rebuts" else "rebuts"
    # Re-target to a claim of the article the relation does not point at yet.
    article_claims = store.run_read(
        "MATCH (p:Post {kind: 'article'})-[:MAKES]->(c:Claim) RETURN c.id AS id ORDER BY c.start"
    )
    new_target = next(c["id"] for c in article_claims if c["id"] not in (r[3].target, r[3].source))
    reviews.append(act.retarget(store, r[3].source, r[3].target, new_target, reviewer))
    parents = review_queue(store, kinds=["parent"], limit=None)
    post = parents[0]
    earlier = store.run_read(
        "MATCH (me:Post {id: $id}), (q:Post) WHERE q.thread_id = me.thread_id "
        "AND q.position < me.position AND q.id <> $cur AND q.kind = 'comment' "
        "RETURN q.id AS id ORDER BY q.position DESC LIMIT 1",
        {"id": post.source, "cur": post.target},
    )
    reviews.append(act.set_parent(store, post.source, earlier[0]["id"], reviewer))
    spam_posts = store.run_read(
        "MATCH (p:Post {is_spam: true}) RETURN p.id AS id ORDER BY p.position LIMIT 1"
    )
    reviews.append(act.mark_spam(store, spam_posts[0]["id"], False, reviewer))
    # A real comment with claims, marked spam: its relations leave the graph with it.
    ham = store.run_read(
        "MATCH (p:Post {kind: 'comment'})-[:MAKES]->(c:Claim)-[:REBUTS|SUPPORTS]-() "
        "WHERE NOT c.id IN $used RETURN p.id AS id ORDER BY p.position DESC LIMIT 1",
        {"used": [x for i in r[:4] for x in (i.source, i.target)] + [new_target]},
    )
    reviews.append(act.mark_spam(store, ham[0]["id"], True, reviewer))
    claim = r[0].source
    reviews.append(act.edit_claim(store, claim, reviewer, text="A paraphrase a person wrote"))
    return Session(
        accepted=(r[0].source, r[0].target),
        rejected=(r[1].source, r[1].target),
        flipped=(r[2].source, r[2].target, new_type),
        retargeted=(r[3].source, r[3].target, new_target),
        parent=(post.source, earlier[0]["id"]),
        not_spam=spam_posts[0]["id"],
        spam=ham[0]["id"],
        edited=(claim, "A paraphrase a person wrote"),
        reviews=reviews,
    )


def assert_session_stands(store: Store, s: Session) -> None:
    """Every decision of ``s`` is in force in ``store``."""
    assert live(store, *s.accepted) and live(store, *s.accepted)[0]["status"] == "accepted"
    assert live(store, *s.rejected) == []
    (flipped,) = live(store, s.flipped[0], s.flipped[1])
    assert flipped["type"] == s.flipped[2] and flipped["origin"] == "human"
    assert live(store, s.retargeted[0], s.retargeted[1]) == []
    assert live(store, s.retargeted[0], s.retargeted[2])[0]["origin"] == "human"
    assert parent_of(store, s.parent[0]) == s.parent[1]
    flags = store.run_read(
        "MATCH (p:Post) WHERE p.id IN $ids RETURN p.id AS id, p.is_spam AS spam",
        {"ids": [s.not_spam, s.spam]},
    )
    assert {r["id"]: bool(r["spam"]) for r in flags} == {s.not_spam: False, s.spam: True}
    touching = store.run_read(
        "MATCH (:Post {id: $id})-[:MAKES]->(:Claim)-[e:REBUTS|SUPPORTS]-() RETURN count(e) AS n",
        {"id": s.spam},
    )
    assert touching[0]["n"] == 0
    text = store.run_read("MATCH (c:Claim {id: $id}) RETURN c.text AS t", {"id": s.edited[0]})
    assert text == [{"t": s.edited[1]}]
