"""The language of a button's words, for a screen reader: Streamlit's ``st.button`` takes no
``lang`` (its label is Markdown, which holds no attribute), so a German claim in a button of the
English page was read with an English voice.

A components-v2 element (its script runs in the dashboard's page, no iframe) sets ``lang`` on the
buttons named, by their keys, and again whenever Streamlit draws them anew.
"""

from __future__ import annotations

import re

import streamlit as st

PAGE_LANGUAGE = "en"  # Streamlit's page: <html lang="en">

# Streamlit names an element's container by its key: class "st-key-" + the key, each character
# outside [a-zA-Z0-9_-] made "-" (its frontend's rule). One observer for the page: each run
# replaces the last one's.
JS = """
let watching = null;
export default function ({ data }) {
  const marks = (data && data.marks) || {};
  const within = (data && data.within) || "";
  const mark = () => {
    for (const button of document.querySelectorAll(`.${within} button`)) {
      const box = button.closest('[class*="st-key-"]');
      const name = box && [...box.classList].find((c) => Object.hasOwn(marks, c));
      if (name && button.getAttribute("lang") !== marks[name]) button.setAttribute("lang", marks[name]);
    }
  };
  if (watching) watching.disconnect();
  watching = null;
  if (!Object.keys(marks).length) return;
  mark();
  watching = new MutationObserver(mark);
  watching.observe(document.body, { childList: true, subtree: true });
  return () => { if (watching) watching.disconnect(); watching = null; };
}
"""


def key_class(key: str) -> str:
    """The class Streamlit gives the container of the element with ``key``."""
    return "st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", key.strip())


def button_language(language: str | None) -> str | None:
    """The ``lang`` a button holding words in ``language`` needs: ``None`` when the page's own
    language says it, ``""`` (unknown, as ``graph.html_text.text_lang`` marks it) when not known."""
    if language and language.split("-")[0].lower() == PAGE_LANGUAGE:
        return None
    return language or ""


def mark(within: str, languages: dict[str, str | None], key: str) -> None:
    """Give each button whose key is in ``languages`` (key -> its words' language), inside the
    container with key ``within``, the ``lang`` its words need; ``key`` is this element's."""
    marks = {
        key_class(k): lang for k, v in languages.items() if (lang := button_language(v)) is not None
    }
    mount = st.components.v2.component("argmap_button_lang", js=JS)  # the same on each run
    st.html(f"<style>.{key_class(key)} {{ display: none; }}</style>")  # it draws nothing
    mount(key=key, data={"within": key_class(within), "marks": marks} if marks else None)
