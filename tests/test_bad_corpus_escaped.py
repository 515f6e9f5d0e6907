"""Hostile text is shown escaped wherever it is rendered: HTML and SVG exports, GraphML data,
the dashboard's render helpers (corpus: ``tests/bad_corpus.py``; the ``hostile`` fixture).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from argmap.graph.exports import export_bytes
from argmap.graph.store import Store
from argmap.graph.subgraph import Selection
from bad_corpus import (
    HOSTILE_PAYLOADS,
    XSS,
)


@pytest.mark.parametrize("fmt", ["html", "svg"])
def test_exports_show_markup_as_text(hostile: Store, fmt: str) -> None:
    data, _ = export_bytes(hostile, fmt, Selection(max_nodes=200))
    page = data.decode("utf-8")
    assert "argmap-xss" in page  # the hostile text is in the export...
    for raw in (XSS, "<img src=x", "</script><script>alert", '<a href="javascript:'):
        assert raw not in page  # ...never as markup


def test_graphml_carries_markup_exactly_as_data(hostile: Store) -> None:
    data, _ = export_bytes(hostile, "graphml", Selection())
    root = ET.fromstring(data)
    values = {el.text for el in root.iter() if el.text}
    assert any(XSS in v for v in values)
    assert XSS.encode() not in data  # escaped in the XML text


def test_dashboard_renderers_escape_comment_text(hostile: Store) -> None:
    from argmap.dashboard import render  # the installed name: it cannot be missing

    text = "Before " + HOSTILE_PAYLOADS[3] + " and " + HOSTILE_PAYLOADS[1] + " after."
    start = text.index("</script>")
    html = render.highlighted_post(text, start, start + 30)
    assert "<script>" not in html and "<img" not in html and "&lt;script&gt;" in html
    assert render.esc(XSS) == "&lt;script&gt;alert(&quot;argmap-xss&quot;)&lt;/script&gt;"
