"""The Overview, Graph and Export pages, run with Streamlit's AppTest against a real store holding
the sample: the embedded FalkorDB and the session's real Neo4j 5.26 server, with the same
assertions (Chains and Search & Cypher: ``test_dashboard_apptest_chains``).

Assertions are on what the pages show, checked against the store through independent Cypher
(or through the library function the page promises to present), never on "no exception" alone.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from argmap.dashboard.render import md
from argmap.graph import overview
from argmap.graph.store import Store
from dashboard_pages import (
    assert_clean,
    frame_data,
    iframe_srcdoc,
    open_page,
    shown_post,
    table,
    texts,
)
from markdown_runs import shown
from streamlit.testing.v1 import AppTest

from argmap.core.wording import plural

# --- Overview ------------------------------------------------------------------------------


def test_overview_shows_the_samples_numbers(any_sample_env: Store) -> None:
    store = any_sample_env
    at = open_page()
    one = lambda q: store.run_read(q)[0]["n"]  # noqa: E731
    expected = {
        "Comments": one(
            "MATCH (p:Post {kind: 'comment'}) WHERE p.is_spam = false RETURN count(p) AS n"
        ),
        "Participants": one(
            "MATCH (u:Person)-[:WROTE]->(p:Post) WHERE p.is_spam = false RETURN count(DISTINCT u) AS n"
        ),
        "Claims": one("MATCH (c:Claim) RETURN count(c) AS n"),
        "Rebuttals": one("MATCH ()-[r:REBUTS]->() RETURN count(r) AS n"),
        "Supports": one("MATCH ()-[r:SUPPORTS]->() RETURN count(r) AS n"),
        "Spam left out": one("MATCH (p:Post) WHERE p.is_spam = true RETURN count(p) AS n"),
    }
    shown = {m.label: int(m.value) for m in at.metric}
    assert shown == expected
    assert expected["Spam left out"] > 0 and expected["Rebuttals"] > 0
    # Every number says what it counts; the first screen says what this is and where to go.
    assert all(m.proto.help for m in at.metric), [m.label for m in at.metric if not m.proto.help]
    intro = at.markdown[0].value
    assert intro.startswith("The argument map of this comment thread")
    assert all(f"**{p}**" in intro for p in ("Graph", "Chains", "Search", "Review"))
    # The activity chart counts whole posts: no tick at 0.2 of a post.
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert spec["encoding"]["y"]["axis"] == {"format": "d", "tickMinStep": 1}

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


def test_overview_says_how_far_the_rebuilt_reply_tree_holds(any_sample_env: Store) -> None:
    at = open_page()
    genuine = any_sample_env.run_read(
        "MATCH (p:Post) WHERE p.kind = 'comment' AND p.is_spam = false RETURN count(p) AS n"
    )[0]["n"]
    trust = overview.tree_trust(any_sample_env)
    # The sample is a flattened page: every genuine comment's parent was rebuilt.
    assert trust.rebuilt == genuine > 0 and trust.reviewed == 0
    assert trust.expected_right is not None and 0.7 < trust.expected_right < 0.95
    [said] = [c.value for c in at.caption if "rebuilt from a flattened page" in c.value]
    assert f"for {trust.rebuilt} comments: about {trust.expected_right:.0%} of those" in said
    assert f"{plural(trust.unsure, 'parent')} under 70% sure" in said


def test_overview_activity_granularity_can_be_changed(any_sample_env: Store) -> None:
    at = open_page()
    at.button_group(key="activity_granularity").set_value("day").run()
    assert_clean(at)
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert spec["encoding"]["x"]["title"] == "day (UTC)"
    # No zoom bound to the scales: the mouse wheel scrolls the page, not the axes.
    assert not [p for p in spec.get("params", []) if p.get("bind") == "scales"]
    assert not [p for p in spec.get("selection", {}).values() if p.get("bind") == "scales"]


# --- Graph ---------------------------------------------------------------------------------


def test_graph_draws_the_most_rebutted_claim_offline(any_sample_env: Store) -> None:
    store = any_sample_env
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


def test_graph_cap_says_showing_n_of_m(any_sample_env: Store) -> None:
    store = any_sample_env
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


def test_graph_filters_by_relation_person_and_confidence(any_sample_env: Store) -> None:
    from argmap.graph.export_style import EDGE_COLOURS

    store = any_sample_env
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
    # The sidebar says what its filters narrow, and it holds: the Overview counts every rebuttal.
    assert any("the other pages count every" in c.value for c in at.sidebar.caption)
    at.switch_page("views/overview.py").run()
    rebuttals = store.run_read("MATCH ()-[r:REBUTS]->() RETURN count(r) AS n")[0]["n"]
    assert {m.label: int(m.value) for m in at.metric}["Rebuttals"] == rebuttals > strong
    at.switch_page("views/graph.py").run()
    assert at.sidebar.slider(key="g_conf").value == 0.7  # kept for the way back

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


def test_graph_date_range_and_hops(any_sample_env: Store) -> None:
    from datetime import date

    store = any_sample_env
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


def test_graph_opens_a_claims_source_text(any_sample_env: Store) -> None:
    store = any_sample_env
    at = open_page("graph")
    claim = frame_data(iframe_srcdoc(at))["nodes"][-1]["id"]
    at.selectbox(key="g_source").set_value(claim).run()
    assert_clean(at)
    row = store.run_read(
        "MATCH (p:Post)-[:MAKES]->(c:Claim {id: $id}) RETURN c.quote AS quote, p.author AS author",
        {"id": claim},
    )[0]
    shown = shown_post(at)
    assert f"<mark>{html.escape(row['quote'])}</mark>" in shown
    assert ' lang="en"' in shown  # the sample thread's language, told from its text
    assert f"**{md(row['author'])}**" in texts(at)


def test_graph_lists_the_map_as_text_on_the_page_not_in_the_maps_frame(
    any_sample_env: Store,
) -> None:
    # Was: the list sat inside the frame, whose height is fixed: opened, it scrolled the frame
    # inside the page. The page's own expander grows with it.
    at = open_page("graph")
    srcdoc = iframe_srcdoc(at)
    drawn = frame_data(srcdoc)
    (listing,) = [e for e in at.expander if e.label.startswith("The map as text")]
    assert listing.label == (
        f"The map as text: {len(drawn['nodes'])} claims, {len(drawn['edges'])} relations"
    )
    names = [shown(b.label) for b in listing.get("button")]  # each claim a button
    rows = any_sample_env.run_read(
        "MATCH (c:Claim) WHERE c.id IN $ids RETURN c.text AS text",
        {"ids": [n["id"] for n in drawn["nodes"]]},
    )
    assert len(rows) == len(drawn["nodes"]) == len(names)
    missing = [r["text"] for r in rows if not any(" ".join(r["text"].split()) in n for n in names)]
    assert missing == []  # every claim the map draws, named by its words
    relations = "".join(e.proto.body for e in listing.get("html"))
    assert "<a " not in relations  # no link that would lead nowhere outside the frame
    assert 'class="astext"' not in srcdoc


def test_a_new_focus_shows_its_own_claims_source_text(any_sample_env: Store) -> None:
    # Was: the picker kept the claim read before (the old focus, still in the new picture).
    rows = any_sample_env.run_read("MATCH (:Claim)-[:REBUTS]->(c:Claim) RETURN DISTINCT c.id AS id")
    rebutted = {r["id"] for r in rows}  # the focus picker lists rebutted claims

    def drawn(at: AppTest) -> list[str]:
        return [n["id"] for n in frame_data(iframe_srcdoc(at))["nodes"]]

    at = open_page("graph")
    first = next(c for c in drawn(at) if c in rebutted)
    at.sidebar.selectbox(key="g_focus").set_value(first).run()
    assert at.selectbox(key="g_source").value == first
    other = next(c for c in drawn(at) if c in rebutted and c != first)
    at.sidebar.selectbox(key="g_focus").set_value(other).run()
    assert_clean(at)
    assert first in drawn(at)  # still a choice of the picker, and not what it shows
    assert at.selectbox(key="g_source").value == other
    # A claim picked by hand stays picked while the focus stays.
    at.selectbox(key="g_source").set_value(first).run()
    at.sidebar.slider(key="g_hops").set_value(3).run()
    assert at.selectbox(key="g_source").value == first


# --- Export --------------------------------------------------------------------------------


def test_export_offers_every_format_for_the_graph_pages_selection(
    any_sample_env: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
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
    near = any_sample_env.run_read(
        "MATCH (:Claim {id: $id})-[:REBUTS|SUPPORTS]-(c:Claim) RETURN count(DISTINCT c) AS n",
        {"id": focus},
    )[0]["n"]
    assert md(focus) in current and f"showing {near + 1} of {near + 1} claims" in current
    # The framed claim is named by its words too, not by its id alone.
    text = any_sample_env.run_read("MATCH (c:Claim {id: $id}) RETURN c.text AS t", {"id": focus})
    assert md(" ".join(text[0]["t"].split())[:40]) in current
    from argmap.graph import export_image

    drawn: list[int] = []
    real = export_image.render_image

    def counted(sg, fmt, *args, **kwargs):
        drawn.append(len(sg.nodes))
        return real(sg, fmt, *args, **kwargs)

    monkeypatch.setattr(export_image, "render_image", counted)
    at.toggle(key="x_preview").set_value(True).run()
    assert_clean(at)
    assert len(at.get("image")) == 1  # the PNG export, drawn for the preview
    # The picture's claim cap; and, as `argmap export`, no guessed relation (under 0.31).
    sure = any_sample_env.run_read(
        "MATCH (:Claim {id: $id})-[r:REBUTS|SUPPORTS]-(c:Claim) WHERE r.confidence >= 0.31 "
        "RETURN count(DISTINCT c) AS n",
        {"id": focus},
    )[0]["n"]
    shown = min(sure + 1, export_image.DEFAULT_MAX_NODES)
    assert drawn == [shown]
    # Shown as a PNG, like the download (Streamlit made it a JPEG, text blurred by the encoding).
    shown_png = at.get("image")[0].proto.imgs[0]
    assert shown_png.url.endswith(".png")
    # The caption gives the download's own size: the preview is scaled to the page.
    assert re.fullmatch(
        r"The PNG download \(1600 × \d+ px\), scaled to the page", shown_png.caption
    )
    at.run()  # any rerun of the page (a click elsewhere on it) shows the same picture...
    assert len(at.get("image")) == 1
    assert drawn == [shown]  # ...without drawing it again
    at.number_input(key="x_picture_cap").set_value(1).run()  # a new selection: a new picture
    assert drawn == [shown, 1]


def test_overview_of_a_debate_without_authors_or_date_words_it_plainly(
    argmap_env: Path, store: Store
) -> None:
    from argmap.ingest.pipeline import ingest

    ingest(Path(__file__).parent / "data" / "kialo_library.txt", store)
    at = open_page()
    said = texts(at)
    assert "no publication date" in said and "published undated" not in said
    assert "1 claim in the article" in said
    # Kialo names no author: the relations are there, but no two people answer each other.
    assert "no two people answer each other" in said
    assert "Nobody has answered anybody yet" not in said


def test_an_article_nobody_answered_says_which_box_shows_its_claims(
    argmap_env: Path, store: Store
) -> None:
    # Its claims have no relation, so the Graph page's default hides them. The page said "No
    # claim matches these filters. Widen them", and the Export page the same, while the Overview
    # counted them.
    from argument_graphs import write_debate

    write_debate(store, theses=["a", "b"])
    at = open_page("graph")
    assert [i.value for i in at.info] == [
        "Claims match these filters, but none has a relation yet (nobody answered them): "
        "untick *Only claims with a relation* in the sidebar to see them."
    ]
    at.sidebar.checkbox(key="g_connected").uncheck().run()
    assert_clean(at)
    assert {n["id"] for n in frame_data(iframe_srcdoc(at))["nodes"]} == {"a", "b"}
    at.switch_page("views/export.py").run()
    assert_clean(at)
    assert not at.info  # the Export page follows the Graph page's selection
    at.switch_page("views/graph.py").run()
    at.sidebar.checkbox(key="g_connected").check().run()
    at.switch_page("views/export.py").run()
    assert "untick *Only claims with a relation* on the Graph page" in at.info[0].value
