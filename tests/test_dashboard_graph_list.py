"""The Graph page's map as text opens a claim as a click on its box does: each claim there is a
button, and choosing it shows the claim in its post under Source text and opens it in the map's
panel (its box selected, the keyboard in the panel). Run with AppTest on the embedded FalkorDB
holding the sample; the browser's side is in ``test_dashboard_graph_list_browser``.

Was: the list was plain text; only a click on the canvas opened a claim's panel, which a keyboard,
a screen reader or a thumb on a phone cannot do, and a caption sent the reader to the picker.
"""

from __future__ import annotations

import html
import re

from argmap.graph.export_html import with_claim_open
from argmap.graph.store import Store
from dashboard_pages import assert_clean, frame_data, iframe_srcdoc, open_page, shown_post, texts
from markdown_runs import shown
from streamlit.testing.v1 import AppTest

OPENED = re.compile(r"<body([^>]*)>")


def opened_in_frame(at: AppTest) -> str:
    """The attributes the map's page opens a claim by (on its ``<body>``), "" when none."""
    match = OPENED.search(iframe_srcdoc(at))
    assert match, "no <body> in the map's page"
    return match.group(1)


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
    assert opened_in_frame(at) == ""  # nothing open until the reader chooses

    button = at.button(key=f"g_list_{claim}")
    # Named by its author and words, as the reader sees them (a button's label is Markdown).
    assert shown(button.label).startswith(f"{row['author']}: {' '.join(row['text'].split())}")
    button.click().run()
    assert_clean(at)
    # Under Source text: the claim in its post, its quote marked.
    assert at.selectbox(key="g_source").value == claim
    assert f"<mark>{html.escape(row['quote'])}</mark>" in shown_post(at)
    # In the map's frame: the same page (its claims and relations), opening this claim, the
    # keyboard following it into the panel.
    assert [n["id"] for n in frame_data(iframe_srcdoc(at))["nodes"]] == drawn
    assert opened_in_frame(at) == f' data-open="{html.escape(claim, quote=True)}" data-focus'
    assert "Pick a claim under Source text" not in texts(at)

    # The picker opens its claim in the map's panel too, the keyboard staying in the picker.
    other = next(c for c in drawn if c != claim)
    at.selectbox(key="g_source").set_value(other).run()
    assert opened_in_frame(at) == f' data-open="{html.escape(other, quote=True)}"'

    # Another map (the sidebar's hops) opens with no claim: its frame must not take the keyboard.
    at.sidebar.slider(key="g_hops").set_value(1).run()
    assert_clean(at)
    assert opened_in_frame(at) == ""


def test_the_claim_opened_is_named_in_an_attribute_it_cannot_leave() -> None:
    page = "<head></head>\n<body>\n<script>x</script>"
    assert (
        with_claim_open(page, '"><img src=x onerror=alert(1)>', True) == "<head></head>\n<body"
        ' data-open="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" data-focus>\n'
        "<script>x</script>"
    )
    assert with_claim_open(page, None) == page
