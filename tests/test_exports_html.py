"""The interactive page export (HTML with vis-network inlined): standalone, every comment text
escaped, and working offline in headless Chromium. The graph holds hostile text
(``export_data.write_nasty``, the ``nasty`` fixture).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argmap.graph.exports import export
from argmap.graph.schema import ensure_schema
from argmap.graph.store import Store
from argmap.graph.subgraph import Selection, select_subgraph
from argmap.graph.summary import refresh_summary
from argmap.ingest.extract.offline import OfflineExtractor
from argmap.ingest.pipeline import IngestSummary, ingest_thread
from argument_graphs import write_debate
from export_data import XSS
from thread_builder import build_thread

from tools.browser import CHROMIUM, launch


@pytest.fixture
def browser() -> Iterator[Any]:
    """Headless Chromium, or a skip saying what is missing (playwright, or Chromium itself)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    if not CHROMIUM.exists():
        pytest.skip(f"headless Chromium not found at {CHROMIUM}")
    with sync_api.sync_playwright() as p:
        chromium = launch(p)
        try:
            yield chromium
        finally:
            chromium.close()


def test_html_is_standalone_and_escapes_comment_text(store: Store, nasty, tmp_path: Path) -> None:
    from html.parser import HTMLParser

    _, claims, _ = nasty
    path = export(store, "html", Selection(), tmp_path / "x.html")
    page = path.read_text(encoding="utf-8")

    class Tags(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: list[tuple[str, dict]] = []

        def handle_starttag(self, tag, attrs) -> None:
            self.tags.append((tag, dict(attrs)))

    parser = Tags()
    parser.feed(page)
    tags = parser.tags
    scripts = [a for t, a in tags if t == "script"]
    assert len(scripts) >= 2 and all("src" not in a for a in scripts)  # vis-network inlined
    assert not [t for t, _ in tags if t in ("link", "img", "iframe", "object", "embed")]
    for _, attrs in tags:
        for name in ("src", "href"):
            assert not (attrs.get(name) or "").lower().startswith(("http", "//"))
    assert "vis.Network" in page and "default-src 'none'" in page
    # Every hostile string is present only escaped: never as markup.
    for raw in (XSS, "<script>window.__xss=2</script>", "<b>bold</b>", "<Joining>"):
        assert raw not in page
    from argmap.graph.export_html import _vis_assets

    ours = page.replace(_vis_assets()[0], "")  # vis-network itself holds "<script>" in a string
    assert ours.count("<script") == len(scripts) == 2


def test_html_title_and_labels_are_escaped_in_the_pyvis_network(store: Store, nasty) -> None:
    from argmap.graph.export_html import network_for

    sg = select_subgraph(store)
    net = network_for(sg)
    for node in net.nodes:
        assert "<script" not in node["title"] and "<img" not in node["title"]
    assert all({"x", "y"} <= n.keys() for n in net.nodes)  # a whole graph comes laid out
    focused = network_for(select_subgraph(store, Selection(claim=sg.nodes[0].id)))
    assert all({"x", "y"} <= n.keys() and n["fixed"] for n in focused.nodes)  # so does a focus
    hostile = next(n for n in net.nodes if "window.__xss=2" in n["title"])
    assert "&lt;script&gt;window.__xss=2&lt;/script&gt;" in hostile["title"]
    assert all("<img" not in e["title"] for e in net.edges)


@pytest.mark.browser
def test_html_page_works_offline_in_chromium_and_clicks_through(
    store: Store, nasty, tmp_path: Path, browser: Any
) -> None:
    _, claims, _ = nasty
    path = export(store, "html", Selection(min_confidence=0), tmp_path / "page.html")
    hostile = claims[0]  # the article claim holding <script> and <img onerror>
    outside: list[str] = []
    errors: list[str] = []
    page = browser.new_page(viewport={"width": 1400, "height": 900})

    def route(r) -> None:
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(path.as_uri())
    page.wait_for_function("window.argmapNetwork !== undefined")
    drawn = page.evaluate("Object.keys(argmapNetwork.getPositions())")
    assert {c.id for c in claims} <= set(drawn)  # every claim; the rest are edge waypoints
    assert all(i.startswith("w:") for i in set(drawn) - {c.id for c in claims})
    tip = page.evaluate(
        "id => { const t = argmapNetwork.body.data.nodes.get(id).title;"
        " return [t.textContent, t.querySelectorAll('script, img').length]; }",
        hostile.id,
    )
    assert "<script>window.__xss=2</script>" in tip[0] and tip[1] == 0
    # A real mouse click on the claim fills the panel with its words in their post.
    x, y = page.evaluate(
        "id => { const n = argmapNetwork, p = n.canvasToDOM(n.getPositions([id])[id]),"
        " r = document.getElementById('network').getBoundingClientRect();"
        " return [r.left + p.x, r.top + p.y]; }",
        hostile.id,
    )
    page.mouse.click(x, y)
    page.wait_for_function("document.querySelector('#details mark') !== null")
    assert page.text_content("#details mark") == hostile.quote
    assert page.text_content("#details h2") == hostile.text
    assert page.evaluate("window.__xss") is None
    assert outside == [] and errors == []


@pytest.mark.browser
def test_markup_that_slipped_into_the_page_does_not_run(
    store: Store, nasty, tmp_path: Path, browser: Any
) -> None:
    """The CSP allows the page's own two scripts by hash, not every inline script: markup that
    an escaping slip let into the page (an event handler, a ``javascript:`` link) stays dead,
    while the map still draws. (The dashboard's map frame shares the app's origin.)"""
    page_text = export(store, "html", Selection(min_confidence=0), tmp_path / "x.html").read_text()
    assert "'unsafe-inline'; style-src" not in page_text  # scripts are allowed by hash only
    slipped = page_text.replace(
        "<body>",
        '<body><img src="x" onerror="window.__slip = 1">'
        '<a id="slip" href="javascript:window.__slip = 2">x</a>',
        1,
    )
    assert slipped != page_text
    path = tmp_path / "slipped.html"
    path.write_text(slipped, encoding="utf-8")
    page = browser.new_page()
    page.goto(path.as_uri())
    page.wait_for_function("window.argmapNetwork !== undefined")  # its scripts ran
    page.evaluate(
        "window.__refused = [];"
        " document.addEventListener('securitypolicyviolation',"
        " e => window.__refused.push(e.effectiveDirective))"
    )
    page.click("#slip")
    # Until the browser has refused the link's script (the CSP's own report of it: Chromium files
    # a javascript: URL under script-src-elem, an inline handler under script-src-attr), not a
    # fixed pause: a slow machine could run the script after any pause, or be about to.
    refused = "window.__refused.includes('script-src-elem')"
    for _ in range(600):  # polled, not page.wait_for_function: the CSP forbids its eval
        if page.evaluate(refused):
            break
        page.wait_for_timeout(50)
    assert page.evaluate(refused)
    assert page.evaluate("window.__slip") is None


ARABIC = build_thread(
    "t_arabic_html",
    {
        "author": "سلمى",
        "text": "قرار منع السيارات في وسط المدينة سيحسن جودة الهواء لكل السكان. "
        "النقل العام يحتاج إلى دعم أكبر من البلدية هذا العام.",
    },
    [
        {
            "author": "أحمد",
            "text": "لا أوافق على هذا الرأي لأن التجار في وسط المدينة سيخسرون زبائنهم بسرعة.",
        }
    ],
    title="منع السيارات",
    source_format="test",
    reply_tree="source",
)


@pytest.mark.browser
def test_arabic_claims_and_posts_read_right_to_left_in_an_english_page(
    store: Store, tmp_path: Path, browser: Any
) -> None:
    ingest_thread(store, ARABIC, OfflineExtractor(), IngestSummary())
    path = export(store, "html", Selection(connected_only=False), tmp_path / "ar.html")
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(path.as_uri())
    page.wait_for_function("window.argmapNetwork !== undefined")
    # The list under the map: each Arabic name and claim isolated in its own direction.
    directions = page.evaluate(
        "[...document.querySelectorAll('.astext bdi')].map("
        "b => [b.textContent, getComputedStyle(b).direction])"
    )
    assert any(text == "أحمد" and way == "rtl" for text, way in directions)
    assert sum(way == "rtl" for _, way in directions) >= 3  # names and claims
    page.click(".astext summary")
    page.click(".astext a[data-claim]")
    page.wait_for_function("document.querySelector('#details mark') !== null")
    ways = page.evaluate(
        "['#claim h2', '#details .post'].map("
        "s => getComputedStyle(document.querySelector(s)).direction)"
    )
    assert ways == ["rtl", "rtl"]
    # ... and in its thread's language, inside a page whose own words are English.
    langs = page.evaluate(
        "['html', '#claim h2', '#details .post', '.astext a bdi + bdi', 'h1'].map("
        "s => document.querySelector(s).lang)"
    )
    assert langs == ["en", "ar", "ar", "ar", "ar"]


RIGHT_TO_LEFT = {
    "he": "זה לא נכון: השוק הוא מקום המפגש היחיד של השכונה, ואין לו תחליף.",
    "ar": "هذا خطأ تماما، السوق يساعد العائلات الفقيرة في المدينة كل أسبوع.",
}
# Each line of a box as vis-network drew it on the page's (left-to-right) canvas, drawn again
# there beside the same words without their isolate marks on a right-to-left canvas: the
# pixels are the same when the line reads right to left.
SAME_AS_RIGHT_TO_LEFT = """([id, marks]) => {
  const lines = argmapNetwork.body.nodes[id].labelModule.lines.map(
    l => [l.blocks.map(b => b.text).join(""), l.blocks[0].font]);
  const way = getComputedStyle(document.querySelector("canvas")).direction;
  const draw = (text, font, dir) => {
    const c = document.createElement("canvas"); c.width = 400; c.height = 30;
    const ctx = c.getContext("2d"); ctx.font = font; ctx.direction = dir;
    ctx.textAlign = "left"; ctx.fillText(text, 2, 20);
    return ctx.getImageData(0, 0, 400, 30).data.join();
  };
  const bare = t => t.replace(new RegExp("[" + marks + "]", "g"), "");
  return [way, lines.map(([t, f]) => [bare(t), draw(t, f, way) === draw(bare(t), f, "rtl")])];
}"""


def test_hebrew_and_arabic_boxes_read_right_to_left_on_the_canvas(
    store: Store, tmp_path: Path, browser: Any
) -> None:
    # The canvas draws every label left to right (the page is English): a Hebrew or Arabic
    # line ended in its full stop (and began with its comma) on the wrong side.
    write_debate(store, rebuts=[("he", "en"), ("ar", "en")], texts=RIGHT_TO_LEFT)
    path = export(store, "html", Selection(claim="en", hops=1), tmp_path / "rtl.html")
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(path.as_uri())
    page.wait_for_function("window.argmapNetwork !== undefined")
    marks = "\u2066-\u2069"
    for cid, text in RIGHT_TO_LEFT.items():
        way, lines = page.evaluate(SAME_AS_RIGHT_TO_LEFT, [cid, marks])
        assert way == "ltr"
        assert " ".join(t for t, _ in lines) == text and len(lines) >= 2
        assert [same for _, same in lines] == [True] * len(lines), (cid, lines)
    # The check can fail: the English box's line differs when drawn right to left.
    way, lines = page.evaluate(SAME_AS_RIGHT_TO_LEFT, ["en", marks])
    assert lines and not lines[0][1]


JAPANESE = {
    "ja_1": "在宅勤務をやめる動きがある。",
    "ja_2": "勤務先の在宅ルールは問題です。",
}


def test_html_marks_a_threads_words_with_its_language_and_unknown_as_unknown(
    any_store: Store, tmp_path: Path
) -> None:
    write_debate(any_store, rebuts=[("ja_2", "ja_1")], texts=JAPANESE, thread_id="ja")
    page = export(any_store, "html", Selection(), tmp_path / "ja.html").read_text("utf-8")
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')  # the page's own words
    assert '<h1 lang="ja">' in page
    assert f'<bdi lang="ja">{JAPANESE["ja_1"]}</bdi>' in page
    assert '"lang": "ja"' in page  # the details panel's claims
    # A thread too short to tell: its words say "unknown", not the page's "en".
    write_debate(any_store, rebuts=[("b", "a")], texts={"a": "Ok.", "b": "No."}, thread_id="x")
    page = export(any_store, "html", Selection(thread_ids=["x"]), tmp_path / "x.html").read_text(
        "utf-8"
    )
    assert '<h1 lang="">' in page
    assert '<bdi lang="">Ok.</bdi>' in page


def test_html_of_a_store_an_older_argmap_wrote_marks_its_threads_language_once_opened(
    any_store: Store, tmp_path: Path
) -> None:
    from argmap.dashboard.reads import graph_html

    write_debate(any_store, rebuts=[("ja_2", "ja_1")], texts=JAPANESE, thread_id="ja")
    refresh_summary(any_store)
    # As argmap before thread languages left it: none on the thread, a fresh summary whose
    # threads carry none (the Graph page and exports read the threads from it).
    any_store.run("MATCH (t:Thread) REMOVE t.language")
    summary = any_store.run_read("MATCH (s:Meta {id: 'summary'}) RETURN s.thread_infos AS infos")[0]
    infos = [{k: v for k, v in t.items() if k != "language"} for t in json.loads(summary["infos"])]
    any_store.run(
        "MATCH (s:Meta {id: 'summary'}) SET s.thread_infos = $infos, s.format = $format",
        {"infos": json.dumps(infos), "format": 5},  # the summary's format before languages
    )
    ensure_schema(any_store)  # what opening the store does
    page = export(any_store, "html", Selection(), tmp_path / "ja.html").read_text("utf-8")
    assert '<h1 lang="ja">' in page
    # The dashboard's Graph page: the same page, its threads read from the summary.
    assert '<h1 lang="ja">' in graph_html(any_store, Selection(), "400px")
