"""The dashboard with several threads, no data, an unusable store, or hostile comment text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from argmap.dashboard.render import md
from argmap.graph.store import Store
from dashboard_pages import (
    APP,
    TIMEOUT,
    assert_clean,
    frame_data,
    german_thread,
    iframe_srcdoc,
    open_page,
    shown_post,
    table,
)
from streamlit.testing.v1 import AppTest

# --- Threads -------------------------------------------------------------------------------


def test_the_sidebar_narrows_every_page_to_the_chosen_threads(
    argmap_env: Path, store: Store
) -> None:
    from test_overview import load

    one, one_claims, one_rels = load(store, "one")
    load(store, "two")
    at = open_page()
    assert {m.label: int(m.value) for m in at.metric}["Claims"] == 2 * len(one_claims)
    picker = at.sidebar.multiselect(key="threads")
    assert len(picker.options) == 2
    picker.set_value([one.id]).run()
    assert_clean(at)
    assert {m.label: int(m.value) for m in at.metric}["Claims"] == len(one_claims)
    assert {m.label: int(m.value) for m in at.metric}["Rebuttals"] == sum(
        r.type == "rebuts" for r in one_rels
    )
    at.switch_page("views/graph.py").run()
    assert_clean(at)
    at.sidebar.selectbox(key="g_focus").set_value("__whole__").run()
    nodes = {n["id"] for n in frame_data(iframe_srcdoc(at))["nodes"]}
    assert nodes and nodes <= {c.id for c in one_claims}


def test_the_chains_page_and_query_chains_list_the_same_chains_of_a_thread(
    argmap_env: Path, store: Store
) -> None:
    """A scholar cites `argmap query chains --thread` for what the Chains page shows under the
    thread picker: the same chains, in the same order (the page reads each oldest claim first)."""
    import json

    from test_dashboard_apptest_chains import chain_blocks, chain_quotes
    from test_overview import load
    from typer.testing import CliRunner

    from argmap.cli import app

    load(store, "one")
    two, two_claims, _ = load(store, "two")
    at = open_page()
    at.sidebar.multiselect(key="threads").set_value([two.id]).run()
    at.switch_page("views/chains.py").run()
    assert_clean(at)
    headline = next(m.value for m in at.markdown if m.value.startswith("**"))
    on_page = [chain_quotes(block) for block in chain_blocks(at)]

    result = CliRunner().invoke(
        app, ["query", "chains", "--thread", two.id, "--limit", "100", "--json"]
    )
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    assert listed and all(set(ch["claims"]) <= {c.id for c in two_claims} for ch in listed)
    assert headline.startswith(f"**{len(listed)}** chain")
    quote = {c.id: c.quote for c in two_claims}
    assert on_page == [[quote[c] for c in reversed(ch["claims"])] for ch in listed]

    # The limit counts the thread's chains, not the store's.
    result = CliRunner().invoke(
        app, ["query", "chains", "--thread", two.id, "--limit", "2", "--json"]
    )
    assert [ch["claims"] for ch in json.loads(result.stdout)] == [c["claims"] for c in listed[:2]]


def test_a_person_picked_before_the_threads_narrowed_stays_picked_and_the_page_says_why(
    argmap_env: Path, store: Store
) -> None:
    """Streamlit drops a picked option its widget no longer offers: the Graph page showed the
    whole of the narrowed threads while `argmap export --person X --thread T` gave no claim."""
    import json

    from test_overview import load
    from typer.testing import CliRunner

    from argmap.cli import app

    one, _, _ = load(store, "one")
    load(store, nasty=True)  # its Cy (a hostile name) wrote only there
    at = open_page("graph")
    at.sidebar.selectbox(key="g_focus").set_value("__whole__").run()  # (a focus claim stays)
    people = at.sidebar.multiselect(key="g_people")
    hostile = next(p for p in people.options if p.startswith("Cy <"))
    people.set_value([hostile]).run()
    at.sidebar.multiselect(key="threads").set_value([one.id]).run()
    assert_clean(at)
    assert at.sidebar.multiselect(key="g_people").value == [hostile]
    assert not [e for e in at.main if getattr(e, "type", None) == "iframe"]
    assert [i.value for i in at.info] == [
        f"{md(hostile)} wrote nothing in these threads: remove the name from *People* in the "
        "sidebar, or choose other threads."
    ]
    assert hostile_markup(at) == []

    result = CliRunner().invoke(
        app, ["export", "-f", "json", "--person", hostile, "--thread", one.id]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["claims"] == []
    at.switch_page("views/export.py").run()
    assert any("wrote nothing in these threads" in i.value for i in at.info)


# --- Freshness -----------------------------------------------------------------------------


def test_a_chosen_thread_deleted_meanwhile_leaves_the_choice_not_an_error(
    argmap_env: Path, store: Store
) -> None:
    from argmap.graph.thread_delete import delete_thread
    from test_overview import load

    load(store, "one")
    two, _, _ = load(store, "two")
    at = open_page()
    at.sidebar.multiselect(key="threads").set_value([two.id]).run()
    assert_clean(at)
    delete_thread(store, two.id)
    at.run()
    assert_clean(at)  # was: no thread '…' in this store, on every page, for the session
    assert at.title[0].value == "Debate"  # the thread left, not "0 threads"
    at.switch_page("views/graph.py").run()
    assert_clean(at)


def test_an_open_page_shows_a_new_thread_on_its_next_run_and_the_console_says_it_is_older(
    argmap_env: Path, store: Store
) -> None:
    """Cached reads are keyed on the graph's revision, so a rerun shows what an ingest added;
    a Cypher console's rows are what the query found when it ran, and say so once stale."""
    from test_overview import load

    _, one_claims, _ = load(store, "one")
    at = open_page()
    assert {m.label: int(m.value) for m in at.metric}["Claims"] == len(one_claims)
    console = open_page("search")
    console.text_area(key="s_cypher").input("MATCH (c:Claim) RETURN count(c) AS claims").run()
    console.button(key="s_run").click().run()
    assert list(table(console, {"claims"})["claims"]) == [len(one_claims)]
    assert not console.warning

    load(store, "two")  # as `argmap ingest` of a second thread would, from another process
    at.run()
    assert {m.label: int(m.value) for m in at.metric}["Claims"] == 2 * len(one_claims)
    console.run()
    assert_clean(console)
    assert [w.value for w in console.warning] == [
        "The graph has changed since this query ran (an ingest or a review decision): "
        "run it again for current rows."
    ]
    console.button(key="s_run").click().run()
    assert list(table(console, {"claims"})["claims"]) == [2 * len(one_claims)]
    assert not console.warning


# --- Empty, unreachable and hostile stores -------------------------------------------------

PAGES = ["overview", "graph", "chains", "search", "export", "review"]


def test_an_empty_store_gets_a_hint_on_every_page(argmap_env: Path, store: Store) -> None:
    for page in PAGES:
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
        if page != "overview":
            at.switch_page(f"views/{page}.py").run()
        assert_clean(at)
        assert any("argmap demo" in i.value for i in at.info), page
        # What the dashboard is for, not only that it is empty (an organizer's first screen).
        assert any("argument map of comment threads" in i.value for i in at.info), page


def test_an_unusable_store_is_one_line_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    not_a_dir = tmp_path / "store.txt"
    not_a_dir.write_text("not a store")
    monkeypatch.setenv("ARGMAP_DB", str(not_a_dir))
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert len(at.error) == 1 and "is a file" in at.error[0].value
    assert "\n" not in at.error[0].value.strip()


MARKDOWN_KINDS = ("markdown", "caption", "title", "subheader", "info", "warning")


def hostile_markup(at: AppTest) -> list[str]:
    """Comment markup that reached a Markdown or HTML element unescaped."""
    found = []
    # A static table's cells (st.table) are Markdown too, each on its own.
    cells = [("table", str(v)) for t in at.table for v in t.value.to_numpy().ravel()]
    shown = [(kind, str(e.value)) for kind in MARKDOWN_KINDS for e in at.get(kind)]
    for kind, body in shown + cells:
        # Markdown shows a backslash-escaped character literally: only unescaped markup counts.
        if re.search(r"(?<!\\)<(script|img)", body):
            found.append(f"{kind}: raw tag")
        for raw in ("![pixel](http", "[click](javascript", "$x^2$", ":red[red]", "**bold**"):
            if raw in body:
                found.append(f"{kind}: {raw}")
    for e in at.get("html"):
        if "<script" in e.proto.body or "<img" in e.proto.body:
            found.append("html: raw tag")
    for e in at.main:
        if getattr(e, "type", None) == "iframe":
            doc = e.proto.srcdoc
            if "<script>alert" in doc or "<img src=x" in doc:  # (Markdown means nothing in HTML)
                found.append("iframe: raw comment markup")
    return found


def test_comment_text_is_escaped_on_every_page(argmap_env: Path, store: Store) -> None:
    from test_overview import NASTY, load

    thread, claims, _ = load(store, nasty=True)
    for page in PAGES:
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
        if page != "overview":
            at.switch_page(f"views/{page}.py").run()
        assert_clean(at)
        assert hostile_markup(at) == [], page
        if page == "graph":
            # The hostile author's claim, opened as source text, is escaped too.
            cy = next(c for c in claims if c.text.startswith("growth"))
            at.selectbox(key="g_source").set_value(cy.id).run()
            assert hostile_markup(at) == []
            body = shown_post(at)
            assert "&lt;script&gt;alert(&#x27;pwned&#x27;)&lt;/script&gt;" in body
            assert NASTY not in body
        if page == "search":
            at.text_input(key="s_query").input("growth").run()
            assert_clean(at)
            assert any(NASTY in c for c in table(at, {"claim"})["claim"])  # shown, as text
            assert hostile_markup(at) == []
        if page == "chains":
            assert any("Cy" in m.value for m in at.markdown)  # the hostile author is on show


def test_a_contested_claim_names_its_author_after_it_escaped_and_keeps_its_counts(
    argmap_env: Path, store: Store
) -> None:
    from argument_graphs import write_debate
    from test_overview import NASTY

    # One cell for the claim and its author (a phone gives the claim the table's width); none
    # for a debate that names no author.
    write_debate(
        store,
        rebuts=[("b", "a"), ("c", "a"), ("c", "n")],
        supports=[("d", "a")],
        texts={"a": f"Parties must grow {NASTY}", "n": "Nobody said this."},
        authors={"a": f"Cy {NASTY}", "n": ""},
    )
    at = open_page()
    assert hostile_markup(at) == []
    contested = table(at, {"claim — by", "rebuttals", "supports"})
    assert list(contested.columns) == ["claim — by", "rebuttals", "supports"]
    rows = {r["claim — by"]: (r["rebuttals"], r["supports"]) for _, r in contested.iterrows()}
    # (``table`` reads the cells' escapes: what a reader sees, the author in italics.)
    assert rows == {
        f"Parties must grow {' '.join(NASTY.split())} — *Cy {' '.join(NASTY.split())}*": (2, 1),
        "Nobody said this.": (1, 0),
    }


# --- Languages -----------------------------------------------------------------------------


def post_langs(at: AppTest) -> list[str]:
    """The ``lang`` each shown post carries (posts are the HTML elements with ``dir="auto"``)."""
    bodies = [e.proto.body for e in at.get("html") if 'dir="auto"' in e.proto.body]
    return [m.group(1) if (m := re.search(r' lang="([^"]*)"', b)) else "<none>" for b in bodies]


def test_search_and_review_show_a_post_in_its_threads_language(
    argmap_env: Path, store: Store, tmp_path: Path, sample_path: Path
) -> None:
    """The page is English; a German thread's posts say they are German, so a screen reader
    does not read them with an English voice (the Graph page's post already did)."""
    from argmap.ingest.pipeline import ingest

    ingest(german_thread(tmp_path), store, extractor="offline")
    ingest(sample_path, store, extractor="offline")

    at = open_page("search")
    at.text_input(key="s_query").input("Bibliothek").run()
    assert_clean(at)
    assert post_langs(at) == ["de"]
    # Results of several threads name theirs.
    assert set(table(at, {"claim", "thread"})["thread"]) == {"Soll die Stadtbibliothek schließen?"}
    at.text_input(key="s_query").input("membership").run()
    assert post_langs(at) == ["en"]

    at.switch_page("views/review.py").run()
    # The German replies are cued rebuttals ("Nein, ...", "Das stimmt nicht"), the sample's
    # first item may be a hidden guess: either kind shows both posts of a relation.
    at.multiselect(key="rv_kinds").set_value(["relation", "candidate"]).run()
    languages = {
        r["id"]: r["lang"]
        for r in store.run_read("MATCH (t:Thread) RETURN t.id AS id, t.language AS lang")
    }
    for tid, lang in languages.items():
        at.sidebar.multiselect(key="threads").set_value([tid]).run()
        assert_clean(at)
        assert post_langs(at) == [lang, lang]  # the answering claim's post and the answered's
    assert sorted(languages.values()) == ["de", "en"]


def test_the_overview_of_two_threads_says_whose_article_each_thesis_is(
    argmap_env: Path, store: Store, tmp_path: Path, sample_path: Path
) -> None:
    from argmap.ingest.pipeline import ingest

    ingest(german_thread(tmp_path), store, extractor="offline")
    ingest(sample_path, store, extractor="offline")
    at = open_page()
    articles = {
        r["title"]: r["n"]
        for r in store.run_read(
            "MATCH (t:Thread)-[:CONTAINS]->(:Post {kind: 'article'})-[:MAKES]->(c:Claim) "
            "RETURN t.title AS title, count(c) AS n"
        )
    }
    assert len(articles) == 2
    assert "The articles' theses, by pushback" in [h.value for h in at.header]
    assert f"{sum(articles.values())} claims in the 2 articles, the most rebutted first." in [
        c.value for c in at.caption
    ]
    theses = table(at, {"thesis", "thread"})
    assert set(theses["thread"]) <= set(articles) and len(theses) == 10
    # One thread chosen: its article alone, no thread column.
    german = store.run_read("MATCH (t:Thread {language: 'de'}) RETURN t.id AS id")[0]["id"]
    at.sidebar.multiselect(key="threads").set_value([german]).run()
    assert "The article's theses, by pushback" in [h.value for h in at.header]
    assert "thread" not in table(at, {"thesis"}).columns


def test_a_post_whose_language_could_not_be_told_says_unknown(
    argmap_env: Path, store: Store
) -> None:
    """``lang=""``, not the page's English, for a thread too short to tell its language."""
    from argmap.graph.thread_languages import thread_languages
    from argument_graphs import write_debate

    write_debate(store, claims=["short"], texts={"short": "Schließungen!"}, thread_id="grow")
    assert thread_languages(store, ["grow"]) == {"grow": None}
    at = open_page("search")
    at.text_input(key="s_query").input("Schließungen").run()
    assert_clean(at)
    assert post_langs(at) == [""]
