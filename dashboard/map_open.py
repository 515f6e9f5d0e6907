"""Opening a claim in the Graph page's map without loading the map again.

The map is a page in a frame (``st.iframe``, its HTML as ``srcdoc``). Streamlit loads a frame
afresh whenever its HTML changes, which cost the reader their pan and zoom and redrew the whole
map; so the frame's HTML no longer says which claim is open. A components-v2 element (no iframe:
its script runs in the dashboard's page, and new data reaches it without a remount) says it
instead: it leaves the request where a frame that loads later finds it (``argmapMapOpen`` on the
page's window) and posts it to the frames already loaded; the map's script (``graph.html_script``)
opens the claim as a click on its box does.

Why this element and not a second, tiny ``st.iframe`` reaching its sibling through
``window.parent``: that frame would itself be loaded again on each choice (a page load per click,
its script racing the map's), while this one's script stays and is only called with the new data.
"""

from __future__ import annotations

import streamlit as st

KEY = "g_map_open"  # the element's key (its container's class hides it: it draws nothing)
COUNT = "g_map_open_count"  # requests made this session: a frame opens each one once

# The frames are the page's own (srcdoc, same origin); a frame ignores a message whose sender is
# not its parent window, or that names a claim it does not draw.
JS = """
export default function ({ data }) {
  const ask = data && data.claim ? data : null;
  window.argmapMapOpen = ask;
  if (!ask) return;
  for (const frame of document.querySelectorAll("iframe")) {
    if (frame.contentWindow) frame.contentWindow.postMessage({ argmap: "open", ...ask }, location.origin);
  }
}
"""

# Without it the element's empty container would still take a row's gap on the page.
CSS = f"<style>.st-key-{KEY} {{ display: none; }}</style>"


def next_request() -> int:
    """A new number for a request to open a claim (choosing the claim open again reopens it)."""
    st.session_state[COUNT] = int(st.session_state.get(COUNT, 0)) + 1
    return int(st.session_state[COUNT])


def send(claim: str | None = None, focus: bool = False, seq: int = 0) -> None:
    """Ask the map to open ``claim`` (``None``: none), with ``focus`` moving the keyboard into its
    panel when the reader chose it with a button; ``seq`` numbers the request."""
    # Declared on each run, the same each time (Streamlit keeps one): a registry is the running
    # server's, and a module is imported once for all of them (several AppTests in one process).
    mount = st.components.v2.component("argmap_map_open", js=JS)
    st.html(CSS)
    mount(key=KEY, data={"claim": claim, "focus": focus, "seq": seq} if claim else None)
