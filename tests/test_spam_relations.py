"""A relation counts when the posts of both its claims are in scope and not spam (graph.scope),
in every named query, the Overview's tables, the pickers and the Chains page, on each store.

The thread is ``store_contract_data.spam_thread`` read back from an argmap JSON file (the
``exported`` fixture): a moderator marked comment 2 spam after its claim was extracted, so the
file holds that claim's two relations (it rebuts comment 1's claim, supports the article's).
The Graph page draws neither; every query here must leave both out too.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from argmap.graph import overview, queries, summary
from argmap.graph.chains import find_chains
from argmap.graph.export_csv import csv_tables
from argmap.graph.focus import most_rebutted_claims
from argmap.graph.store import Store
from argmap.graph.subgraph import Selection, select_subgraph
from argmap.ingest.pipeline import ingest


class Debate:
    """The imported thread's claims by role, and its people."""

    def __init__(self, doc: dict[str, Any]) -> None:
        posts = doc["posts"]  # in position order: article, comments 1..3, the advert
        by_post = {c["post_id"]: c["id"] for c in doc["claims"]}
        self.thesis, self.objection, self.spam, self.aside = (by_post[p["id"]] for p in posts[:4])
        self.article_author, self.objector, self.spammer = (p["author"] for p in posts[:3])
        self.thread = doc["threads"][0]["id"]


@pytest.fixture
def debate(exported, any_store: Store) -> Debate:
    doc, path = exported
    ingest(path, any_store, extractor="offline")
    found = Debate(doc)
    assert [p["is_spam"] for p in doc["posts"]][2] is True
    assert {(r["source"], r["target"]) for r in doc["relations"]} == {
        (found.objection, found.thesis),
        (found.spam, found.thesis),
        (found.spam, found.objection),
    }
    return found


@pytest.fixture(params=[None, "thread"], ids=["whole store", "one thread"])
def scope(request: pytest.FixtureRequest, debate: Debate) -> list[str] | None:
    return None if request.param is None else [debate.thread]


def test_contested_counts_no_rebuttal_or_support_of_a_spam_post(
    any_store: Store, debate: Debate, scope: list[str] | None
) -> None:
    rows = queries.contested(any_store, thread_ids=scope)
    assert [(r.claim_id, r.rebuttals, r.supports) for r in rows] == [(debate.thesis, 1, 0)]


def test_an_objection_only_a_spam_post_rebuts_is_unanswered(
    any_store: Store, debate: Debate, scope: list[str] | None
) -> None:
    rows = queries.unanswered(any_store, thread_ids=scope)
    assert [(r.claim_id, r.targets) for r in rows] == [(debate.objection, [debate.thesis])]
    assert queries.unanswered_count(any_store, thread_ids=scope) == 1


def test_interactions_leave_out_a_spam_posts_author(
    any_store: Store, debate: Debate, scope: list[str] | None
) -> None:
    rows = queries.interactions(any_store, thread_ids=scope)
    assert [r.model_dump() for r in rows] == [
        {"source": debate.objector, "target": debate.article_author, "rebuts": 1, "supports": 0}
    ]


def test_theses_count_what_the_graph_page_draws(
    any_store: Store, debate: Debate, scope: list[str] | None
) -> None:
    [row] = queries.theses(any_store, thread_ids=scope)
    assert (row.claim_id, row.rebuttals, row.supports) == (debate.thesis, 1, 0)


def test_chains_go_through_no_claim_of_a_spam_post(any_store: Store, debate: Debate) -> None:
    drawn = [debate.objection, debate.thesis]
    assert [c.claims for c in find_chains(any_store).chains] == [drawn]
    assert [c.claims for c in find_chains(any_store, to_claim=debate.thesis).chains] == [drawn]
    assert [c.claims for c in find_chains(any_store, from_claim=debate.objection).chains] == [drawn]
    assert find_chains(any_store, from_claim=debate.spam).chains == []
    assert find_chains(any_store, to_claim=debate.spam).chains == []


def test_semantics_and_search_already_leave_a_spam_claim_out(
    any_store: Store, debate: Debate
) -> None:
    labels = {r.claim_id: r.label for r in queries.grounded(any_store)}
    assert labels == {
        debate.thesis: "OUT",
        debate.objection: "IN",  # its only attacker is spam
        debate.aside: "IN",
    }
    assert queries.preferred(any_store).extensions == [sorted([debate.objection, debate.aside])]
    assert queries.search(any_store, "procedures heavy") == []


def test_the_overview_and_the_pickers_count_no_relation_of_a_spam_post(
    any_store: Store, debate: Debate, scope: list[str] | None
) -> None:
    people = {d.name: d for d in overview.active_debaters(any_store, scope)}
    assert debate.spammer not in people
    assert (people[debate.objector].rebuts, people[debate.objector].rebutted) == (1, 0)
    assert (people[debate.article_author].rebutted, people[debate.article_author].supports) == (
        1,
        0,
    )
    choices = {c.id: c for c in overview.claim_choices(any_store, scope)}
    assert debate.spam not in choices
    assert (choices[debate.objection].rebuttals, choices[debate.thesis].supports) == (0, 0)
    rebutting = overview.rebuttal_choices(any_store, scope)
    assert [(c.id, c.rebuttals) for c in rebutting] == [(debate.thesis, 1), (debate.objection, 0)]
    assert most_rebutted_claims(any_store, 5, scope) == [debate.thesis]


def test_the_summary_keeps_what_the_live_queries_say(any_store: Store, debate: Debate) -> None:
    """The dashboard reads the whole store's tables from the summary while it is fresh."""
    kept = summary.compute_summary(any_store)
    assert [r.claim_id for r in kept.unanswered] == [debate.objection]
    assert kept.longest_chains.chains == [[debate.objection, debate.thesis]]
    assert [(r.rebuttals, r.supports) for r in kept.contested] == [(1, 0)]


def test_the_analysis_exports_hold_what_the_graph_page_draws(
    any_store: Store, debate: Debate
) -> None:
    """Pictures, HTML, GraphML, AIF and CSV all export ``select_subgraph``; argmap JSON of the
    whole store stays a full dump (``test_argmap_json``)."""
    sg = select_subgraph(any_store, Selection(connected_only=False))
    assert {(e.source, e.target) for e in sg.edges} == {(debate.objection, debate.thesis)}
    rows = list(csv.DictReader(io.StringIO(csv_tables(sg)["relations.csv"])))
    assert [(r["source"], r["target"]) for r in rows] == [(debate.objection, debate.thesis)]
