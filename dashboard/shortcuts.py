"""Keyboard shortcuts for the Review page: a key press clicks the button whose label starts so.

Streamlit has no key bindings of its own. A zero-height component frame (same origin as the
page) adds one ``keydown`` listener to the page, once: A accepts, R rejects, N or J goes to the
next item, P or K to the previous one; keys typed into a text field are left alone. Written here rather than taken from
``streamlit-shortcuts`` to keep the dashboard's dependencies as they are for ~20 lines of script.
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
  document.addEventListener("keydown", function (ev) {
    const t = ev.target;
    if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.repeat) return;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable)) return;
    const label = (window.argmapReviewKeys || {})[ev.key.toLowerCase()];
    if (!label) return;
    const button = Array.from(document.querySelectorAll("button")).find(
      (b) => b.innerText.trim().startsWith(label) && !b.disabled);
    if (button) { ev.preventDefault(); button.click(); }
  });
})();
"""

# The listener is added to the page itself (a script element), not to this frame: Streamlit
# may drop and rebuild the frame on a rerun, and a listener from a dropped frame goes with it.
_SCRIPT = """
<script>
const page = window.parent;
page.argmapReviewKeys = %s;
if (!page.argmapReviewKeysBound) {
  const s = page.document.createElement("script");
  s.textContent = %s;
  page.document.head.appendChild(s);
}
</script>
"""


def bind_review_keys() -> None:
    """Install the listener (idempotent: a rerun only refreshes the key map)."""
    page = _SCRIPT % (json.dumps(KEYS), json.dumps(_LISTENER))
    if hasattr(st, "iframe"):  # Streamlit >= 1.5x; components.html is deprecated there
        st.iframe(page, height=1)
    else:
        components.html(page, height=0)
