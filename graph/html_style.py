"""The interactive page's style sheet (``graph.export_html``): the map fills the window under
its caption, the click-through panel sits beside it on a wide screen and over it on a narrow one,
and on a phone the legend folds into one line."""

from __future__ import annotations

from string import Template

FOLD_LEGEND_BELOW = 600  # px: a frame narrower than this (a phone's) folds the legend away
FOLD_QUERY = f"(max-width: {FOLD_LEGEND_BELOW}px)"  # the page's script closes the legend there
# px: the least a phone's map is given, and the dashboard's floor for its map. The dashboard's
# frame has a fixed height and a phone's narrow header is taller than a desktop's: at the
# desktop's 680 px the content overran the frame, which then scrolled inside the page's own scroll.
PHONE_MAP_MIN = 400


def page_style(height: str) -> str:
    """The page's CSS; the map is at least ``height`` tall (a CSS length, e.g. ``"680px"``)."""
    return _STYLE.substitute(height=height, fold=FOLD_LEGEND_BELOW, phone_map=PHONE_MAP_MIN)


# A Template ($name), not str.format: CSS is all braces.
_STYLE = Template("""html, body { height: 100%; }
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #222;
  display: flex; flex-direction: column; }
header { padding: 10px 16px 4px; } header h1 { font-size: 1.2rem; margin: 0 0 4px; }
.caption { font-size: .82rem; color: #444; margin: 0 0 6px; overflow-wrap: anywhere; }
.legend { font-size: .82rem; padding: 0 0 6px; }
.legend .items { display: flex; flex-wrap: wrap; gap: 14px; }
.legend span { display: inline-flex; align-items: center; gap: 5px; }
/* The legend's summary line shows only where the page folds the legend away (below). */
.legend summary { display: none; cursor: pointer; }
i.sw { width: 22px; height: 4px; display: inline-block; } svg.sw { flex: none; }
.box { width: 14px; height: 12px; border: 1px solid #666; display: inline-block; }
.truncated { background: #fff3cd; padding: 4px 16px; font-size: .85rem; margin: 0 -16px 6px; }
/* The map fills what the window leaves under the caption (at least $height). */
main { display: flex; gap: 0; border-top: 1px solid #ddd; position: relative;
  flex: 1 1 auto; min-height: $height; }
.astext { padding: 0 16px 6px; font-size: .88rem; }
.astext a { color: #0b57a4; }
.astext .meta { color: #555; }
/* A word longer than its line (a 150-character address, a German compound) breaks where it must:
   the map as text held it whole and a phone's frame scrolled sideways (1268 px in 358). */
.astext, #details, div.vis-tooltip { overflow-wrap: anywhere; }
:focus-visible { outline: 3px solid #0b57a4; outline-offset: 2px; }
#network { flex: 1 1 auto; min-width: 0; }
#details { flex: 0 0 clamp(220px, 24%, 380px); overflow: auto;
  border-left: 1px solid #ddd; padding: 10px 14px; font-size: .88rem; box-sizing: border-box; }
#details .close { display: none; float: right; border: 0; background: none; font-size: 1.3rem;
  line-height: 1; cursor: pointer; color: #555; }
#details h2 { font-size: 1.05rem; }
.hint { display: none; font-size: .8rem; color: #555; margin: 0; padding: 0 0 6px; }
/* A narrow frame (the dashboard's) gives the graph the whole width: the panel opens over it,
   no taller than the map (a long post scrolls in the panel, not the frame under the page). */
@media (max-width: 1179px) {
  #details { display: none; position: absolute; top: 0; right: 0; width: min(380px, 60%);
    max-height: 100%;
    background: #fff; box-shadow: -3px 0 10px rgba(0, 0, 0, .18); z-index: 5; }
  #details.open { display: block; } #details .close { display: block; } .hint { display: block; }
}
div.vis-tooltip { white-space: normal; max-width: 420px; font-family: inherit; font-size: .82rem; }
#details .meta { color: #555; font-size: .8rem; }
#details .post { white-space: pre-wrap; background: #fafafa; border: 1px solid #eee; padding: 8px; }
#details mark { background: #ffe08a; }
/* A phone's frame: the legend, six lines there, folds into its summary line (the page's script
   closes it) so the map gets the frame's height; a tap opens it. The map takes what the frame
   leaves under the header (main is flex 1): its desktop minimum would overrun the frame. */
@media (max-width: ${fold}px) {
  .legend summary { display: list-item; }
  .legend .items { gap: 4px 12px; padding: 4px 0 0; }
  main { min-height: min($height, ${phone_map}px); }
}
""")
