"""The Graph page's "Find a claim" box (shared with the Chains page, whose tests are in
test_dashboard_apptest_chains.py): any claim of a big thread can be the graph's focus, not only
the 1000 most rebutted its picker lists. Run with AppTest against the embedded FalkorDB."""

from __future__ import annotations

from argmap.graph.store import Store
from argument_graphs import write_debate
from dashboard_pages import assert_clean, open_page, texts
from streamlit.testing.v1 import AppTest

NEEDLE = "The lighthouse keeper was never paid for the winter."


def needle_beyond_the_thousand(store: Store) -> None:
    """1000 claims rebutted once each, and "needle" (rebutted by nobody, rebutting r0000)."""
    rebuts = [(f"r{n:04}", f"t{n:04}") for n in range(1000)] + [("needle", "r0000")]
    write_debate(store, rebuts=rebuts, texts={"needle": NEEDLE})


def drawn(at: AppTest) -> set[str]:
    """The claims the Graph page draws, by id (its "Read a claim in its post" picker lists them,
    each as "Person ID: text" here)."""
    return {o.split(":")[0].removeprefix("Person ") for o in at.selectbox(key="g_source").options}


def test_a_claim_beyond_the_pickers_thousand_is_found_and_focused(
    argmap_env: object, store: Store
) -> None:
    # Was: the focus picker held the 1000 most rebutted claims (and "whole graph", "the most
    # rebutted"), with no way to reach the others.
    needle_beyond_the_thousand(store)
    at = open_page("graph")
    focus = at.sidebar.selectbox(key="g_focus")
    assert len(focus.options) == 1002 and not any("lighthouse" in o for o in focus.options)
    assert "find any other by its words or id" in texts(at)

    for wanted in ("lighthouse keeper", "needle"):  # words it contains; its id
        at.sidebar.text_input(key="g_find").set_value(wanted).run()
        assert_clean(at)
        focus = at.sidebar.selectbox(key="g_focus")
        assert [o for o in focus.options if "lighthouse" in o] == [f"Person needle: {NEEDLE}"]
        # The page's own choices stay first.
        assert focus.options[:2] == ["Whole graph", "The most rebutted claim"]
    focus.set_value("needle").run()
    assert_clean(at)
    # The graph is drawn around it: the claim it rebuts, and what that one rebuts (2 hops).
    assert drawn(at) == {"needle", "r0000", "t0000"}

    at.sidebar.text_input(key="g_find").set_value("unicorn").run()
    assert "No claim contains every word of unicorn" in texts(at)


def test_a_claim_found_in_the_box_stays_the_focus_when_the_box_is_cleared(
    argmap_env: object, store: Store
) -> None:
    # As on the Chains page: the reader chose it; clearing the box does not undo the choice.
    needle_beyond_the_thousand(store)
    at = open_page("graph")
    at.sidebar.text_input(key="g_find").set_value("lighthouse keeper").run()
    at.sidebar.selectbox(key="g_focus").set_value("needle").run()
    at.sidebar.text_input(key="g_find").set_value("").run()
    assert_clean(at)
    focus = at.sidebar.selectbox(key="g_focus")
    assert focus.value == "needle"
    assert focus.format_func("needle") == f"Person needle: {NEEDLE}"  # named, not its bare id
    assert drawn(at) == {"needle", "r0000", "t0000"}
    # Kept while the reader looks at another page: the Export page exports it.
    at.switch_page("views/export.py").run()
    assert_clean(at)
    assert "needle" in at.code[0].value
    at.switch_page("views/graph.py").run()
    assert at.sidebar.selectbox(key="g_focus").value == "needle"
    # Until another pick: then the list is the usual one again.
    at.sidebar.selectbox(key="g_focus").set_value("__whole__").run()
    assert_clean(at)
    assert not any("lighthouse" in o for o in at.sidebar.selectbox(key="g_focus").options)
