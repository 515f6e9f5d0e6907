"""Tables of claims that read whole on any screen: the Overview's theses, most contested claims
and unanswered objections."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from argmap.dashboard.render import md

# Streamlit sets ``overflow-wrap: normal`` on the Markdown in a table's cells, so a word longer
# than the cell (a long URL, a 120-character token) kept the cell at its full length: on a phone
# the table scrolled sideways inside its box, on a desktop the cell itself did. "anywhere" lets
# such a word break where it must (words that fit wrap between words as before) and lowers the
# width the cell asks for, so the table fits the screen. The claim's column only: on every
# column, the table took that width from the short ones too, and broke "Club" into "Clu" "b".
# The other columns (an author, a thread's title, the counts) break only a word wider than 40%
# of the screen: a commenter's 50-character handle held its column whole and the table scrolled
# sideways on a phone (482 px in 356). A cap rather than "anywhere", which let the claim's
# column take their width and broke "Club" again; "Club" and the counts lay out as before.
# More specific than Streamlit's own rule, so it wins whatever order the two load in.
_WRAP_LONG_WORDS = """<style>
[data-testid="stTable"] td:first-child [data-testid="stMarkdownContainer"],
[data-testid="stTable"] td:first-child [data-testid="stMarkdownContainer"] p {
  overflow-wrap: anywhere;
}
[data-testid="stTable"] td:not(:first-child) [data-testid="stMarkdownContainer"] {
  max-width: 40vw;
}
[data-testid="stTable"] td:not(:first-child) [data-testid="stMarkdownContainer"],
[data-testid="stTable"] td:not(:first-child) [data-testid="stMarkdownContainer"] p {
  overflow-wrap: break-word;
}
</style>"""


class Markdown(str):
    """A table cell already written as Markdown, its comment text escaped with ``md``."""


def claim_by(text: str, author: str | None) -> Markdown:
    """A claim followed by who made it, in one cell: at 390 px (a phone) an author column of its
    own and the two counts left the claim a third of the table, a word or two a line. No author
    (a Kialo debate names none): the claim alone."""
    name = md(author)
    return Markdown(md(text) + (f" — *{name}*" if name else ""))


def claim_table(rows: list[dict]) -> None:
    """Rows whose text is what an organizer came to read (the claim first), wrapped to the screen.

    Not ``st.dataframe``: its canvas draws a cell on one line, so at 390 px (a phone) a claim
    ran past the grid's edge, its counts out of sight. ``st.table`` wraps, but reads each cell
    as Markdown: the text goes through ``md``. No author (a Kialo debate names none): "—".
    """
    # Only <style>: Streamlit adds it to the page without a block of its own (no gap).
    st.html(_WRAP_LONG_WORDS)
    cells = [
        {k: v if isinstance(v, int | Markdown) else md(v) if v else "—" for k, v in row.items()}
        for row in rows
    ]
    st.table(pd.DataFrame(cells), hide_index=True)
