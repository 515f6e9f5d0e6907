"""Keyboard shortcuts for the Review page: a key press clicks the button whose label starts so.

A zero-height frame (same origin as the page) adds one ``keydown`` listener to the page, once:
A accepts, R rejects, N or J goes to the next item, P or K to the previous one; keys typed into
a text field are left alone. Written here rather than taken from ``streamlit-shortcuts`` to
keep the dashboard's dependencies as they are for ~40 lines of script; Streamlit's own
``st.button(shortcut=...)`` reserves R, our Reject.

The frame loads after the page says its run is over (Streamlit's script state), so "not
running" does not mean the keys work yet: a key pressed in between finds no listener, or the
previous run's buttons, and is dropped. Nor does the frame running mean the buttons are there:
Streamlit loads each kind of element's code on its first use on a page and shows a skeleton
(``data-testid="stSkeleton"``) until it has, and on a fresh page the frame's code can arrive
before the buttons'. So the frame stamps the page with this run's token
(``data-argmap-review-keys`` on the ``<html>`` element) only once the listener is bound and no
skeleton is left, and a key pressed while the buttons are still skeletons is held and clicked
when they are drawn. A browser test or bench waits for a new token before pressing a key.
"""

from __future__ import annotations

import json

import streamlit as st
import streamlit.components.v1 as components

KEYS = {
    "a": "Accept",
    "r": "Reject",
    "n": "Next",
    "j": "Next",
    "p": "Previous",
    "k": "Previous",
    "u": "Undo last",
}

_LISTENER = """
(function () {
  if (window.argmapReviewKeysBound) return;
  window.argmapReviewKeysBound = true;
  const SKELETON = '[data-testid="stSkeleton"]';
  // Run fn once no element is still a skeleton (its code loading), at once if none is.
  const whenDrawn = (fn) => {
    if (!document.querySelector(SKELETON)) { fn(); return; }
    const seen = new MutationObserver(() => {
      if (document.querySelector(SKELETON)) return;
      seen.disconnect();
      fn();
    });
    seen.observe(document.body, {childList: true, subtree: true});
  };
  const click = (label) => {
    const button = Array.from(document.querySelectorAll("button")).find(
      (b) => b.innerText.trim().startsWith(label) && !b.disabled);
    if (button) button.click();
    return Boolean(button);
  };
  window.argmapReviewStamp = (attr, token) =>
    whenDrawn(() => document.documentElement.setAttribute(attr, token));
  document.addEventListener("keydown", function (ev) {
    const t = ev.target;
    if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.repeat) return;
    // Keys typed into a text field are the field's; a ticked checkbox keeps focus but takes
    // no letters, so the shortcuts go on working after one.
    const kind = t && t.tagName === "INPUT" ? (t.type || "text").toLowerCase() : "";
    const typing = t && (t.tagName === "TEXTAREA" || t.isContentEditable ||
      (t.tagName === "INPUT" && !["checkbox", "radio", "button", "submit", "range"].includes(kind)));
    if (typing) return;
    const label = (window.argmapReviewKeys || {})[ev.key.toLowerCase()];
    if (!label) return;
    if (click(label)) { ev.preventDefault(); return; }
    // Its button may still be a skeleton: press it once drawn rather than drop the key.
    if (document.querySelector(SKELETON)) { ev.preventDefault(); whenDrawn(() => click(label)); }
  });
})();
"""

# The listener is added to the page itself (a script element), not to this frame: Streamlit
# may drop and rebuild the frame on a rerun, and a listener from a dropped frame goes with it.
# The token goes last, once the listener is bound and every element drawn so far (the item's
# buttons come before this frame) is more than a skeleton.
_SCRIPT = """
<script>
const page = window.parent;
page.argmapReviewKeys = %s;
if (!page.argmapReviewKeysBound) {
  const s = page.document.createElement("script");
  s.textContent = %s;
  page.document.head.appendChild(s);
}
page.argmapReviewStamp(%s, %s);
</script>
"""

READY_ATTRIBUTE = "data-argmap-review-keys"


def bind_review_keys(token: str) -> None:
    """Install the listener (idempotent: a rerun only refreshes the key map), then stamp the page
    with ``token`` (unique per run, so a new stamp means this run's keys are live)."""
    # "<" escaped so that no value can close the script element early.
    values = (
        json.dumps(v).replace("<", "\\u003c") for v in (KEYS, _LISTENER, READY_ATTRIBUTE, token)
    )
    page = _SCRIPT % tuple(values)
    if hasattr(st, "iframe"):  # Streamlit >= 1.5x; components.html is deprecated there
        st.iframe(page, height=1)
    else:
        components.html(page, height=0)
