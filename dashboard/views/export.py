"""Export: the current selection (the Graph page's filters) as files to download."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable
from pathlib import Path

import streamlit as st
from argmap.dashboard import filters, reads, state
from argmap.dashboard.render import md
from argmap.graph import exports
from argmap.graph.export_command import PHONE_COLUMNS, export_command
from argmap.graph.export_image import DEFAULT_MAX_NODES as PICTURE_CAP
from argmap.graph.export_text import selection_summary
from argmap.graph.store import Store
from argmap.graph.subgraph import GUESS_CONFIDENCE, Selection, SelectionError
from PIL import Image

from argmap.core.wording import plural

PICTURES = ("png", "svg", "pdf")
INTERACTIVE = ("html",)
DATA = ("graphml", "csv", "aif", "json")
MIME = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "html": "text/html",
    "graphml": "application/graphml+xml",
    "csv": "application/zip",
    "aif": "application/json",
    "json": "application/json",
}

# The registry's words, except where the dashboard differs (CSV always comes zipped here).
DESCRIPTIONS = {"csv": "claims.csv, relations.csv, posts.csv in one zip"}

store = state.get_store()
tids = state.thread_ids()
state.require_posts(store)

# The command blocks scroll sideways in Streamlit's wrapper of the code, which takes the
# keyboard's focus (tabindex=0), not in its <pre>, which cannot: axe refuses a scrolling region
# the keyboard cannot reach (scrollable-region-focusable). The <pre> grows to its longest line,
# so its background goes all the way.
COMMANDS_CSS = """<style>
[class*="st-key-x_commands_"] [data-testid="stCode"] { overflow-x: auto; }
[class*="st-key-x_commands_"] [data-testid="stCode"] pre {
  overflow-x: visible; width: max-content; min-width: 100%;
}
</style>"""

st.title("Export")
st.html(COMMANDS_CSS)
selection = filters.current_selection(store, tids)
sg = reads.subgraph(store, selection, labels=False)
st.markdown(f"**Current selection:** {md(selection_summary(sg, with_ids=True))}")
st.caption("Change it with the filters on the Graph page; every export below follows it.")
if not sg.nodes:
    st.info(
        "The selection is empty: there is nothing to export. "
        + filters.empty_hint(store, selection, "on the Graph page")
    )
    st.stop()


def produce(
    target: Store, fmt: str, sel: Selection, spreadsheet_safe: bool = False
) -> Callable[[], bytes]:
    """The file's bytes, made when the button is clicked (through the exports registry);
    ``spreadsheet_safe`` (CSV): cells a spreadsheet would run are defused."""

    def make() -> bytes:
        with tempfile.TemporaryDirectory(prefix="argmap-export-") as tmp:
            spec = exports.get_format(fmt)
            path = exports.export(
                target,
                fmt,
                sel,
                Path(tmp) / f"export{spec.extension}",
                spreadsheet_safe=spreadsheet_safe and fmt == "csv",
            )
            return path.read_bytes()

    return make


def buttons(formats: tuple[str, ...], sel: Selection, spreadsheet_safe: bool = False) -> None:
    cols = st.columns(len(formats))
    for col, fmt in zip(cols, formats, strict=True):
        spec = exports.get_format(fmt)
        col.download_button(
            fmt.upper(),
            data=produce(store, fmt, sel, spreadsheet_safe),
            file_name=exports.default_filename(fmt, sel, sg.focus),
            mime=MIME[fmt],
            on_click="ignore",
            key=f"download_{fmt}",
            help=DESCRIPTIONS.get(fmt, spec.description),
            width="stretch",
        )
        col.caption(DESCRIPTIONS.get(fmt, spec.description))
    same_file(formats, sel, spreadsheet_safe)


def same_file(formats: tuple[str, ...], sel: Selection, spreadsheet_safe: bool = False) -> None:
    """The ``argmap export`` line that writes each button's file, built from the selection the
    button exports (the page's defaults are not the command's, so it states them all)."""
    where = state.command_store()
    # The claim drawn, by id: "most-rebutted" would name another claim once the graph grows.
    pinned = sel.model_copy(update={"claim": sg.focus}) if sel.claim and sg.focus else sel
    try:
        lines = [
            export_command(
                fmt,
                pinned,
                exports.default_filename(fmt, sel, sg.focus),
                spreadsheet_safe=spreadsheet_safe and fmt == "csv",
                db=where.db,
                graph=where.graph,
                width=PHONE_COLUMNS,  # were one line each, which a phone wrapped mid-option
            )
            for fmt in formats
        ]
    except SelectionError as exc:
        st.caption(f"No command line writes this file: {md(str(exc))}.")
        return
    st.caption("Same file from the command line:")
    # Plain text: the shell highlighting's colours fall under 4.5:1 on the code background (axe).
    # Not wrapped: lines fit a phone but for an argument longer than a line (a long --db URI, a
    # file name), which the browser broke at its hyphens and slashes, its " \" falling onto a
    # row of its own. That line scrolls sideways instead (COMMANDS_CSS).
    with st.container(key=f"x_commands_{formats[0]}"):
        st.code("\n".join(lines), language=None)  # code: shown, never rendered
    if where.unnamed_folder:
        st.caption(
            "Run it with `ARGMAP_DB` naming this dashboard's store folder, as when the dashboard "
            "was started (the page does not show server paths)."
        )


st.header("Pictures")
picture_cap = st.number_input(
    "Claims in a picture",
    min_value=1,
    max_value=filters.MAX_NODES,
    value=min(PICTURE_CAP, selection.max_nodes or PICTURE_CAP),
    step=5,
    key="x_picture_cap",
    help="A picture tells one story: the focus claim, its strongest answers, theirs. Past about "
    "a dozen claims it stops being readable; the picture says how many it left out.",
)
# The Graph page is for checking the machine's reading: it draws guesses too (dashed). A picture
# is for publishing: like `argmap export`, it leaves them out unless asked, so the page's
# picture and the command's default one are the same (they differed since pictures began
# leaving guesses out, the page's floor staying the Graph page's 0).
floor = selection.min_confidence or 0.0
guesses = st.checkbox(
    f"Draw the extractor's guesses too (relations under {GUESS_CONFIDENCE} confidence)",
    value=False,
    key="x_picture_guesses",
    disabled=floor >= GUESS_CONFIDENCE,
    help="Relations the offline extractor found no stance cue for (confidence 0.20-0.30): "
    "the Graph page draws them dashed, for checking; a picture leaves them out, as "
    "`argmap export` does, unless this is ticked.",
)
picture = selection.model_copy(
    update={
        "max_nodes": int(picture_cap),
        "min_confidence": floor if guesses else max(floor, GUESS_CONFIDENCE),
    }
)
buttons(PICTURES, picture)
if st.toggle("Preview the picture", key="x_preview"):
    with st.spinner("Drawing…"):
        # As PNG: Streamlit re-encodes an opaque picture as JPEG by default, blurring its text
        # into something the download is not.
        png = reads.picture(store, picture)
        with Image.open(io.BytesIO(png)) as img:
            size = f"{img.width} × {img.height} px"
        st.image(
            png,
            caption=f"The PNG download ({size}), scaled to the page",
            output_format="PNG",
        )

st.header("Interactive page")
st.caption(f"A standalone HTML page that works offline ({md(sg.showing)}, as on the Graph page).")
buttons(INTERACTIVE, selection)

st.header("Data")
full = selection.model_copy(update={"max_nodes": None})
n_claims, n_relations = reads.subgraph_size(store, full)
st.caption(
    f"Data exports hold every claim the filters select ({plural(n_claims, 'claim')}, "
    f"{plural(n_relations, 'relation')}), without the display cap."
)
spreadsheet_safe = st.checkbox(
    "Spreadsheet-safe CSV",
    value=False,
    key="x_spreadsheet_safe",
    help="For opening the CSV in Excel or LibreOffice: a text cell that starts like a formula "
    "(= + - @, a tab) gets a ' in front, so the spreadsheet shows it instead of running it, "
    "and each file starts with a UTF-8 byte-order mark, so Excel shows accents and emoji "
    "right. Leave it off for pandas or R, which should read the exact text.",
)
buttons(DATA, full, spreadsheet_safe)
