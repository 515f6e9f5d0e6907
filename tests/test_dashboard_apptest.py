"""Every dashboard page, run with Streamlit's AppTest against a real store holding the sample:
the embedded FalkorDB and the session's real Neo4j 5.26 server, with the same assertions.

Assertions are on what the pages show, checked against the store through independent Cypher
(or through the library function the page promises to present), never on "no exception" alone.
"""

from __future__ import annotations

import html
import json
import re

import pytest
from argmap.dashboard.render import md
from argmap.graph import overview
from argmap.graph.store import Store
from dashboard_pages import (
    assert_clean,
    frame_data,
    iframe_srcdoc,
    open_page,
    table,
    texts,
)
from streamlit.testing.v1 import AppTest

from argmap.core.wording import plural


@pytest.fixture(params=["falkordb", "neo4j"])
def sample_env(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, sample_env: Store
) -> Store:
    """The dashboard's settings pointed at the sample, on each store in turn (read-only)."""
    if request.param == "falkordb":
        return sample_env  # conftest's: the FalkorDB sample graph
    store = request.getfixturevalue("neo4j_sample")
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "NEO4J_URI", "ARGMAP_GRAPH"):
        monkeypatch.delenv(var, raising=False)
    for var, value in request.getfixturevalue("neo4j_server").env().items():
        monkeypatch.setenv(var, value)
    return store


# --- Overview ------------------------------------------------------------------------------


def test_overview_shows_the_samples_numbers(sample_env: Store) -> None:
    store = sample_env
    at = open_page()
    one = lambda q: store.run_read(q)[0]["n"]  # noqa: E731
    expected = {
        "Posts": one("MATCH (p:Post) WHERE p.is_spam = false RETURN count(p) AS n"),
        "Participants": one(
            "MATCH (u:Person)-[:WROTE]->(p:Post) WHERE p.is_spam = false RETURN count(DISTINCT u) AS n"
        ),
        "Claims": one("MATCH (c:Claim) RETURN count(c) AS n"),
        "Rebuttals": one("MATCH ()-[r:REBUTS]->() RETURN count(r) AS n"),
        "Supports": one("MATCH ()-[r:SUPPORTS]->() RETURN count(r) AS n"),
        "Spam removed": one("MATCH (p:Post) WHERE p.is_spam = true RETURN count(p) AS n"),
    }
    shown = {m.label: int(m.value) for m in at.metric}
    assert shown == expected
    assert expected["Spam removed"] > 0 and expected["Rebuttals"] > 0

    title = store.run_read("MATCH (t:Thread) RETURN t.title AS title")[0]["title"]
    assert at.title[0].value == md(title)
    assert at.get("vega_lite_chart"), "no activity chart"
    # The chart's granularity follows the thread's span, and can be changed.
    assert at.button_group(key="activity_granularity").value == "month"

    debaters = table(at, {"person", "rebuts", "rebutted"})
    author = store.run_read("MATCH (p:Post {kind: 'article'}) RETURN p.author AS a")[0]["a"]
    assert author in set(debaters["person"])  # the article's author draws the rebuttals
    exchanges = list(debaters["rebuts"] + debaters["rebutted"])
    assert exchanges == sorted(exchanges, reverse=True)

    built = table(at, {"extractor", "claims"})
    assert list(built["extractor"]) == ["offline"] and built["claims"].sum() == expected["Claims"]


def test_overview_says_how_far_the_rebuilt_reply_tree_holds(sample_env: Store) -> None:
    at = open_page()
    genuine = sample_env.run_read(
        "MATCH (p:Post) WHERE p.kind = 'comment' AND p.is_spam = false RETURN count(p) AS n"
    )[0]["n"]
    trust = overview.tree_trust(sample_env)
    # The sample is a flattened page: every genuine comment's parent was rebuilt.
    assert trust.rebuilt == genuine > 0 and trust.reviewed == 0
    assert trust.expected_right is not None and 0.7 < trust.expected_right < 0.95
    [said] = [c.value for c in at.caption if "rebuilt from a flattened page" in c.value]
    assert f"for {trust.rebuilt} comments: about {trust.expected_right:.0%} of those" in said
    assert f"{plural(trust.unsure, 'parent')} under 70% sure" in said


def test_overview_activity_granularity_can_be_changed(sample_env: Store) -> None:
    at = open_page()
    at.button_group(key="activity_granularity").set_value("day").run()
    assert_clean(at)
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert spec["encoding"]["x"]["title"] == "day"


# --- Graph ---------------------------------------------------------------------------------


def test_graph_draws_the_most_rebutted_claim_offline(sample_env: Store) -> None:
    store = sample_env
    at = open_page("graph")
    top = store.run_read(
        "MATCH (p:Post)-[:MAKES]->(c:Claim)<-[r:REBUTS]-() "
        "RETURN c.id AS id, count(r) AS n, p.position AS pos, c.start AS s ORDER BY n DESC, pos, s LIMIT 1"
    )[0]
    srcdoc = iframe_srcdoc(at)
    data = frame_data(srcdoc)
    ids = {n["id"] for n in data["nodes"]}
    assert top["id"] in ids
    rebutters = {
        r["id"]
        for r in store.run_read(
            "MATCH (:Claim {id: $id})<-[:REBUTS]-(c:Claim) RETURN c.id AS id", {"id": top["id"]}
        )
    }
    assert rebutters <= ids  # one hop of the two shown
    assert f"showing {len(ids)} of {len(ids)} claims, {len(data['edges'])} relations" in texts(at)
    # vis-network is inlined: no script, style or font comes from anywhere else.
    assert "vis.Network" in srcdoc
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", srcdoc)
    assert not re.search(
        r"""(src|href)\s*=\s*["']?(https?:)?//|url\(\s*["']?(https?:)?//""", srcdoc
    )


def test_graph_cap_says_showing_n_of_m(sample_env: Store) -> None:
    store = sample_env
    at = open_page("graph")
    at.sidebar.selectbox(key="g_focus").set_value("__whole__")
    at.sidebar.slider(key="g_max").set_value(10)
    at.run()
    assert_clean(at)
    linked = store.run_read(
        "MATCH (c:Claim)-[:REBUTS|SUPPORTS]-(:Claim) RETURN count(DISTINCT c) AS n"
    )[0]["n"]
    assert linked > 10
    assert len(frame_data(iframe_srcdoc(at))["nodes"]) == 10
    assert any(f"showing 10 of {linked} claims" in w.value for w in at.warning)


def test_graph_filters_by_relation_person_and_confidence(sample_env: Store) -> None:
    from argmap.graph.export_html import EDGE_COLOURS

    store = sample_env
    at = open_page("graph")
    at.sidebar.selectbox(key="g_focus").set_value("__whole__")
    at.sidebar.button_group(key="g_types").set_value(["supports"])
    at.run()
    assert_clean(at)
    edges = frame_data(iframe_srcdoc(at))["edges"]
    supports = store.run_read("MATCH ()-[r:SUPPORTS]->() RETURN count(r) AS n")[0]["n"]
    assert len(edges) == supports and {e["color"] for e in edges} == {EDGE_COLOURS["supports"]}

    at.sidebar.button_group(key="g_types").set_value(["rebuts", "supports"])
    at.sidebar.slider(key="g_conf").set_value(0.7)
    at.run()
    strong = store.run_read(
        "MATCH ()-[r:REBUTS|SUPPORTS]->() WHERE r.confidence >= 0.7 RETURN count(r) AS n"
    )[0]["n"]
    assert len(frame_data(iframe_srcdoc(at))["edges"]) == strong

    # One person's claims (the filter keeps relations among them only, so show unlinked ones).
    person = store.run_read("MATCH (p:Post {kind: 'article'}) RETURN p.author AS a")[0]["a"]
    at.sidebar.slider(key="g_conf").set_value(0.0)
    at.sidebar.checkbox(key="g_connected").set_value(False)
    at.sidebar.multiselect(key="g_people").set_value([person])
    at.run()
    assert_clean(at)
    nodes = frame_data(iframe_srcdoc(at))["nodes"]
    made = store.run_read(
        "MATCH (p:Post)-[:MAKES]->(c:Claim) WHERE p.author = $a RETURN count(c) AS n", {"a": person}
    )
    assert len(nodes) == min(made[0]["n"], 150)
    authors = {
        r["a"]
        for r in store.run_read(
            "MATCH (p:Post)-[:MAKES]->(c:Claim) WHERE c.id IN $ids RETURN DISTINCT p.author AS a",
            {"ids": [n["id"] for n in nodes]},
        )
    }
    assert authors <= {person}


def test_graph_date_range_and_hops(sample_env: Store) -> None:
    from datetime import date

    store = sample_env
    at = open_page("graph")
    focus = frame_data(iframe_srcdoc(at))["nodes"][0]["id"]
    at.sidebar.slider(key="g_hops").set_value(1)
    at.run()
    assert_clean(at)
    near = {
        r["id"]
        for r in store.run_read(
            "MATCH (:Claim {id: $id})-[:REBUTS|SUPPORTS]-(c:Claim) RETURN DISTINCT c.id AS id",
            {"id": focus},
        )
    }
    assert {n["id"] for n in frame_data(iframe_srcdoc(at))["nodes"]} == near | {focus}

    at.sidebar.selectbox(key="g_focus").set_value("__whole__")
    first_day = at.sidebar.date_input(key="g_dates").value[0]
    assert isinstance(first_day, date)
    at.sidebar.date_input(key="g_dates").set_value((first_day, first_day))
    at.run()
    assert_clean(at)
    ids = [n["id"] for n in frame_data(iframe_srcdoc(at))["nodes"]]
    assert ids
    days = {
        r["d"]
        for r in store.run_read(
            "MATCH (p:Post)-[:MAKES]->(c:Claim) WHERE c.id IN $ids RETURN DISTINCT substring(p.posted_at, 0, 10) AS d",
            {"ids": ids},
        )
    }
    assert days == {first_day.isoformat()}


def test_graph_opens_a_claims_source_text(sample_env: Store) -> None:
    store = sample_env
    at = open_page("graph")
    claim = frame_data(iframe_srcdoc(at))["nodes"][-1]["id"]
    at.selectbox(key="g_source").set_value(claim).run()
    assert_clean(at)
    row = store.run_read(
        "MATCH (p:Post)-[:MAKES]->(c:Claim {id: $id}) RETURN c.quote AS quote, p.author AS author",
        {"id": claim},
    )[0]
    shown = at.get("html")[0].proto.body
    assert f"<mark>{html.escape(row['quote'])}</mark>" in shown
    assert f"**{md(row['author'])}**" in texts(at)


# --- Export --------------------------------------------------------------------------------


def test_export_offers_every_format_for_the_graph_pages_selection(sample_env: Store) -> None:
    at = open_page("graph")
    focus = frame_data(iframe_srcdoc(at))["nodes"][0]["id"]
    at.sidebar.selectbox(key="g_focus").set_value(focus)
    at.sidebar.slider(key="g_hops").set_value(1)
    at.run()
    at.switch_page("views/export.py").run()
    assert_clean(at)
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["PNG", "SVG", "PDF", "HTML", "GRAPHML", "CSV", "AIF", "JSON"]
    current = next(m.value for m in at.markdown if m.value.startswith("**Current selection:**"))
    near = sample_env.run_read(
        "MATCH (:Claim {id: $id})-[:REBUTS|SUPPORTS]-(c:Claim) RETURN count(DISTINCT c) AS n",
        {"id": focus},
    )[0]["n"]
    assert md(focus) in current and f"showing {near + 1} of {near + 1} claims" in current
    at.toggle(key="x_preview").set_value(True).run()
    assert_clean(at)
    assert len(at.get("image")) == 1  # the PNG export, drawn for the preview


# --- Chains --------------------------------------------------------------------------------


def unescape_md(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def chain_quotes(block) -> list[str]:
    """The quotes of one chain's steps, in the order the page reads them."""
    return [
        unescape_md(m.value)[3:-1]  # '> “' ... '”'
        for m in block.markdown
        if m.value.startswith("> “")
    ]


def chain_blocks(at: AppTest) -> list:
    return [
        b
        for b in at.main
        if type(b).__name__ == "Block" and any(m.value.startswith("**Chain ") for m in b.markdown)
    ]


def assert_each_step_rebuts_the_one_before(store: Store, quotes: list[str]) -> None:
    claims = store.run_read("MATCH (c:Claim) RETURN c.id AS id, c.quote AS quote")
    by_quote: dict[str, set[str]] = {}
    for c in claims:
        by_quote.setdefault(" ".join(c["quote"].split()), set()).add(c["id"])
    ids = [by_quote[q] for q in quotes]
    for earlier, later in zip(ids, ids[1:], strict=False):
        assert (
            store.run_read(
                "MATCH (a:Claim)-[:REBUTS]->(b:Claim) WHERE a.id IN $later AND b.id IN $earlier "
                "RETURN count(*) AS n",
                {"later": sorted(later), "earlier": sorted(earlier)},
            )[0]["n"]
            > 0
        )


def test_chains_reads_the_longest_chains_oldest_claim_first(sample_env: Store) -> None:
    store = sample_env
    at = open_page("chains")
    blocks = chain_blocks(at)
    assert blocks, "no chain shown"
    lengths = [len(chain_quotes(b)) - 1 for b in blocks]
    assert lengths == sorted(lengths, reverse=True) and lengths[0] >= 2
    for b in blocks:
        quotes = chain_quotes(b)
        assert (
            b.markdown[0].value.startswith("**Chain ")
            and f"{len(quotes) - 1} rebuttal" in b.markdown[0].value
        )
        assert sum("rebutted by" in m.value for m in b.markdown) == len(quotes) - 1
        assert_each_step_rebuts_the_one_before(store, quotes)


def test_chains_of_a_picked_claim_start_from_it(sample_env: Store) -> None:
    store = sample_env
    top = store.run_read(
        "MATCH (p:Post)-[:MAKES]->(c:Claim)<-[r:REBUTS]-() "
        "RETURN c.id AS id, c.quote AS quote, p.author AS author, count(r) AS n, "
        "p.position AS pos, c.start AS s ORDER BY n DESC, pos, s LIMIT 1"
    )[0]
    at = open_page("chains")
    at.selectbox(key="c_claim").set_value(top["id"]).run()
    assert_clean(at)
    blocks = chain_blocks(at)
    assert len(blocks) >= 1
    direct = store.run_read(
        "MATCH (:Claim {id: $id})<-[:REBUTS]-(c:Claim) RETURN c.quote AS q", {"id": top["id"]}
    )
    seconds = set()
    for b in blocks:
        quotes = chain_quotes(b)
        assert quotes[0] == " ".join(top["quote"].split())
        assert f"**{md(top['author'])}**" in b.markdown[1].value
        assert_each_step_rebuts_the_one_before(store, quotes)
        seconds.add(quotes[1])
    direct_quotes = {" ".join(r["q"].split()) for r in direct}
    assert seconds <= direct_quotes
    stated = next(m.value for m in at.markdown if re.match(r"\*\*\d+\*\* chain", m.value))
    total = int(re.match(r"\*\*(\d+)\*\*", stated).group(1))
    assert total >= len(direct_quotes)  # every rebuttal opens at least one chain
    assert len(blocks) == min(total, 10)

    at.radio(key="c_direction").set_value("starts").run()
    assert_clean(at)
    rebuts_nothing = not store.run_read(
        "MATCH (:Claim {id: $id})-[:REBUTS]->(c:Claim) RETURN c.id AS id", {"id": top["id"]}
    )
    assert (chain_blocks(at) == []) == rebuts_nothing


# --- Search & Cypher -----------------------------------------------------------------------


def test_search_finds_claims_containing_every_word(sample_env: Store) -> None:
    store = sample_env
    at = open_page("search")
    at.text_input(key="s_query").input("membership figures").run()
    assert_clean(at)
    results = table(at, {"claim", "by", "score"})
    assert len(results) > 0
    for claim in results["claim"]:
        words = set(re.findall(r"\w+", claim.casefold()))
        assert {"membership", "figures"} <= words
    expected = store.run_read("MATCH (c:Claim) RETURN c.text AS t")
    containing = [
        r["t"]
        for r in expected
        if {"membership", "figures"} <= set(re.findall(r"\w+", (r["t"] or "").casefold()))
    ]
    assert sorted(results["claim"]) == sorted(containing[:50])
    assert f"{len(results)} claims match" in texts(at)
    # The first result opens in its post, its quote marked.
    first = at.selectbox(key="s_source").value
    row = store.run_read("MATCH (c:Claim {id: $id}) RETURN c.quote AS q", {"id": first})[0]
    assert f"<mark>{html.escape(row['q'])}</mark>" in at.get("html")[0].proto.body


def test_cypher_console_shows_rows_and_refuses_writes(sample_env: Store) -> None:
    store = sample_env
    at = open_page("search")
    at.text_area(key="s_cypher").input(
        "MATCH (p:Post) WHERE p.is_spam = true RETURN p.author AS author, p.position AS position "
        "ORDER BY position"
    ).run()
    at.button(key="s_run").click().run()
    assert_clean(at)
    shown = table(at, {"author", "position"})
    spam = store.run_read(
        "MATCH (p:Post) WHERE p.is_spam = true RETURN p.author AS author ORDER BY p.position"
    )
    assert list(shown["author"]) == [r["author"] for r in spam]
    assert f"{len(spam)} rows" in texts(at) or len(spam) == 1

    before = store.run_read("MATCH (n) RETURN count(n) AS n")[0]["n"]
    at.text_area(key="s_cypher").input("MATCH (c:Claim) DETACH DELETE c").run()
    at.button(key="s_run").click().run()
    assert not at.exception
    assert len(at.error) == 1 and "read-only" in at.error[0].value
    assert store.run_read("MATCH (n) RETURN count(n) AS n")[0]["n"] == before

    at.text_area(key="s_cypher").input("MATCH (c:Claim RETURN c").run()  # a syntax error
    at.button(key="s_run").click().run()
    assert not at.exception and len(at.error) == 1 and "\n" not in at.error[0].value.strip()
