"""The Chains and Search & Cypher pages, run with Streamlit's AppTest against a real store holding
the sample: the embedded FalkorDB and the session's real Neo4j 5.26 server, with the same
assertions, on what the pages show checked against the store through independent Cypher.
"""

from __future__ import annotations

import html
import re

from argmap.dashboard.render import md
from argmap.graph.store import Store
from argument_graphs import write_debate
from dashboard_pages import (
    assert_clean,
    open_page,
    table,
    texts,
)
from streamlit.testing.v1 import AppTest

# --- Chains --------------------------------------------------------------------------------


QUOTE = re.compile(r"<blockquote [^>]*>“(.*)”</blockquote>", re.DOTALL)


def chain_quotes(block) -> list[str]:
    """The quotes of one chain's steps, in the order the page reads them (escaped HTML)."""
    found = (QUOTE.fullmatch(h.proto.body) for h in block.html)
    return [html.unescape(m.group(1)) for m in found if m]


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


def test_chains_reads_the_longest_chains_oldest_claim_first(any_sample_env: Store) -> None:
    store = any_sample_env
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
        # Each quote in its thread's language (the sample's, told from its text), not left to
        # the page's: a screen reader picks its voice by it.
        shown = [h.proto.body for h in b.html if QUOTE.fullmatch(h.proto.body)]
        assert len(shown) == len(quotes) and all(' lang="en" ' in q for q in shown)


def test_chains_of_a_picked_claim_start_from_it(any_sample_env: Store) -> None:
    store = any_sample_env
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


def test_a_claim_beyond_the_pickers_thousand_is_found_by_its_words_or_its_id(
    argmap_env: object, store: Store
) -> None:
    # The picker lists the 1000 most rebutted claims; "needle" (rebutted by nobody) is not
    # among the 1001 rebutted ones. Was: no way to pick it. FalkorDB: the page reads as above.
    rebuts = [(f"r{n:04}", f"t{n:04}") for n in range(1000)] + [("needle", "r0000")]
    needle = "The lighthouse keeper was never paid for the winter."
    write_debate(store, rebuts=rebuts, texts={"needle": needle})
    at = open_page("chains")
    picker = at.selectbox(key="c_claim")
    assert len(picker.options) == 1001 and not any("lighthouse" in o for o in picker.options)
    assert "find any other by its words or id" in texts(at)

    for wanted in ("lighthouse keeper", "needle"):  # words it contains; its id
        at.text_input(key="c_find").set_value(wanted).run()
        assert_clean(at)
        picker = at.selectbox(key="c_claim")
        assert [o for o in picker.options if "lighthouse" in o] == [f"Person needle: {needle}"]
    picker.set_value("needle").run()
    at.radio(key="c_direction").set_value("starts").run()
    assert_clean(at)
    (block,) = chain_blocks(at)
    # Read from the top, as every chain: the claim it finally attacks first.
    assert chain_quotes(block) == [
        "Claim t0000 is what I think.",
        "Claim r0000 is what I think.",
        needle,
    ]

    at.text_input(key="c_find").set_value("unicorn").run()
    assert "No claim contains every word of unicorn" in texts(at)


def test_a_claim_found_in_the_find_box_stays_chosen_when_the_box_is_cleared(
    argmap_env: object, store: Store
) -> None:
    # "needle" only supports a claim: not in the picker's list of claims in a rebuttal, found
    # through the box. Was: clearing the box dropped it (the picker fell back to the longest
    # chains); the reader had chosen it and picked nothing else.
    needle = "The lighthouse keeper was never paid for the winter."
    write_debate(
        store,
        rebuts=[("r1", "t1"), ("r2", "r1")],
        supports=[("needle", "r1")],
        texts={"needle": needle},
    )
    at = open_page("chains")
    assert not any("lighthouse" in o for o in at.selectbox(key="c_claim").options)
    at.text_input(key="c_find").set_value("lighthouse keeper").run()
    at.selectbox(key="c_claim").set_value("needle").run()
    at.radio(key="c_direction").set_value("starts").run()
    assert "this claim rebuts nothing" in texts(at)

    at.text_input(key="c_find").set_value("").run()
    assert_clean(at)
    picker = at.selectbox(key="c_claim")
    assert picker.value == "needle"
    assert picker.format_func("needle") == f"Person needle: {needle}"  # named, not its bare id
    assert at.radio(key="c_direction").value == "starts"
    assert "this claim rebuts nothing" in texts(at) and not chain_blocks(at)
    # Kept until the reader picks another: then the list is the usual one again.
    picker.set_value("r1").run()
    assert_clean(at)
    assert not any("lighthouse" in o for o in at.selectbox(key="c_claim").options)


# --- Search & Cypher -----------------------------------------------------------------------


def test_search_finds_claims_containing_every_word(any_sample_env: Store) -> None:
    store = any_sample_env
    at = open_page("search")
    at.text_input(key="s_query").input("membership figures").run()
    assert_clean(at)
    results = table(at, {"claim", "by", "score"})
    assert len(results) > 0 and "thread" not in results.columns  # one thread: nothing to tell
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
    assert ' lang="en"' in at.get("html")[0].proto.body  # the sample thread's language


def test_the_search_and_the_query_stay_while_the_reader_looks_at_another_page(
    sample_env: Store,
) -> None:
    at = open_page("search")
    at.text_input(key="s_query").input("membership figures").run()
    picked = at.selectbox(key="s_source").options[1]
    at.selectbox(key="s_source").set_value(picked).run()
    shown = at.selectbox(key="s_source").value
    at.text_area(key="s_cypher").input("MATCH (t:Thread) RETURN t.title AS title").run()
    at.switch_page("views/overview.py").run()
    at.switch_page("views/search.py").run()
    assert_clean(at)
    assert at.text_input(key="s_query").value == "membership figures"
    assert at.selectbox(key="s_source").value == shown
    assert at.text_area(key="s_cypher").value == "MATCH (t:Thread) RETURN t.title AS title"


def test_cypher_console_shows_rows_and_refuses_writes(any_sample_env: Store) -> None:
    store = any_sample_env
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


def test_a_search_finds_every_writers_claims_and_says_the_graph_filters_do_not_narrow_it(
    sample_env: Store,
) -> None:
    # The Graph page's People and Minimum confidence narrow its map and the Export page; a
    # search still finds a claim by anyone (a confidence is a relation's, not a claim's). Was:
    # the same results, and only the Graph page's sidebar said so, where a searcher is not.
    at = open_page("search")
    at.text_input(key="s_query").input("membership figures").run()
    everyone = list(table(at, {"claim", "by"})["by"])
    at.switch_page("views/graph.py").run()
    writer = next(w for w in at.sidebar.multiselect(key="g_people").options if w not in everyone)
    at.sidebar.multiselect(key="g_people").select(writer)
    at.sidebar.slider(key="g_conf").set_value(0.35)
    at.run()
    at.switch_page("views/search.py").run()
    assert_clean(at)
    assert list(table(at, {"claim", "by"})["by"]) == everyone
    said = texts(at)
    assert (
        f"the Graph page's people ({md(writer)}) and minimum confidence (0.35) do not narrow a search"
        in said
    )
