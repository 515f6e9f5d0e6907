"""The Graph page's map as text opens a claim as a click on its box does: each claim there is a
button, and choosing it shows the claim in its post under Source text and opens it in the map's
panel (its box selected, the keyboard in the panel). Run with AppTest on the embedded FalkorDB
holding the sample; the browser's side is in ``test_dashboard_graph_list_browser``.

Was: the list was plain text; only a click on the canvas opened a claim's panel, which a keyboard,
a screen reader or a thumb on a phone cannot do, and a caption sent the reader to the picker.
Then: the claim reached the map in its frame's HTML, so each choice loaded the frame afresh (the
reader's pan and zoom lost); now the frame's HTML stays the same and ``map_open`` asks the map.
"""

from __future__ import annotations

import html
import json

from argmap.dashboard.button_lang import button_language, key_class
from argmap.graph.store import Store
from dashboard_pages import assert_clean, frame_data, iframe_srcdoc, open_page, shown_post, texts
from markdown_runs import shown
from streamlit.testing.v1 import AppTest


def component_data(at: AppTest, name: str) -> dict | None:
    """The data the page gives its components-v2 element ``name``, or None."""
    (element,) = [
        e
        for e in at.main
        if getattr(e, "type", None) == "bidi_component" and e.proto.component_name == name
    ]
    return json.loads(element.proto.json) if element.proto.WhichOneof("data") == "json" else None


def asked(at: AppTest) -> dict | None:
    """What the page asks the map to open (``dashboard.map_open``'s element), or None."""
    return component_data(at, "argmap_map_open")


def opened_in_frame(at: AppTest) -> tuple[str, bool] | None:
    """The claim the page asks the map to open, and whether the keyboard is to follow it."""
    ask = asked(at)
    return (ask["claim"], ask["focus"]) if ask else None


def claim_row(store: Store, claim: str) -> dict:
    return store.run_read(
        "MATCH (p:Post)-[:MAKES]->(c:Claim {id: $id}) "
        "RETURN c.text AS text, c.quote AS quote, p.author AS author",
        {"id": claim},
    )[0]


def test_choosing_a_claim_in_the_map_as_text_opens_it_in_its_post(sample_env: Store) -> None:
    at = open_page("graph")
    drawn = [n["id"] for n in frame_data(iframe_srcdoc(at))["nodes"]]
    before = at.selectbox(key="g_source").value
    claim = next(c for c in reversed(drawn) if c != before)
    row = claim_row(sample_env, claim)
    assert opened_in_frame(at) is None  # nothing open until the reader chooses
    # The sample is in English, the page's language: no button needs a lang of its own.
    assert component_data(at, "argmap_button_lang") is None
    page = iframe_srcdoc(at)

    button = at.button(key=f"g_list_{claim}")
    # Named by its author and words, as the reader sees them (a button's label is Markdown).
    assert shown(button.label).startswith(f"{row['author']}: {' '.join(row['text'].split())}")
    button.click().run()
    assert_clean(at)
    # Under Source text: the claim in its post, its quote marked.
    assert at.selectbox(key="g_source").value == claim
    assert f"<mark>{html.escape(row['quote'])}</mark>" in shown_post(at)
    # In the map's frame: the same page, to the byte (not loaded again), asked to open this
    # claim, the keyboard following it into the panel.
    assert iframe_srcdoc(at) == page
    assert opened_in_frame(at) == (claim, True)
    first = asked(at)["seq"]
    assert "Pick a claim under Source text" not in texts(at)

    # The picker opens its claim in the map's panel too, the keyboard staying in the picker.
    other = next(c for c in drawn if c != claim)
    at.selectbox(key="g_source").set_value(other).run()
    assert opened_in_frame(at) == (other, False)
    assert iframe_srcdoc(at) == page
    # The same claim chosen again is a new request (the reader may have closed its panel).
    at.button(key=f"g_list_{claim}").click().run()
    at.button(key=f"g_list_{claim}").click().run()
    assert opened_in_frame(at) == (claim, True)
    assert asked(at)["seq"] > first + 2

    # Another map (the sidebar's hops) opens with no claim: its frame must not take the keyboard.
    at.sidebar.slider(key="g_hops").set_value(1).run()
    assert_clean(at)
    assert opened_in_frame(at) is None


def test_choosing_under_source_text_keeps_the_maps_frame_as_it_is(sample_env: Store) -> None:
    # Was: the frame's HTML named the open claim, so Streamlit loaded the frame again (the map
    # redrawn, the reader's pan and zoom lost) for each claim chosen.
    at = open_page("graph")
    page = iframe_srcdoc(at)
    drawn = [n["id"] for n in frame_data(page)["nodes"]]
    before = at.selectbox(key="g_source").value
    for claim in [c for c in drawn if c != before][:2]:
        at.selectbox(key="g_source").set_value(claim).run()
        assert_clean(at)
        assert f"<mark>{html.escape(claim_row(sample_env, claim)['quote'])}</mark>" in shown_post(
            at
        )
        assert iframe_srcdoc(at) == page
        assert opened_in_frame(at) == (claim, False)


def test_a_buttons_language_is_said_where_the_pages_does_not_say_it() -> None:
    assert button_language("en") is None and button_language("en-GB") is None
    assert button_language("de") == "de"
    assert button_language(None) == ""  # unknown: not the page's English (as text_lang says)
    assert key_class("g_list_c_1 2.x") == "st-key-g_list_c_1-2-x"  # Streamlit's own rule
