"""Search & Cypher: full-text search over claims, and the read-only Cypher console."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import streamlit as st
from argmap.dashboard import reads, state
from argmap.dashboard.render import highlighted_post, md, message, short
from argmap.graph.console import DEFAULT_ROW_LIMIT, DEFAULT_TIMEOUT_MS, run_console
from argmap.graph.export_text import short_date
from argmap.graph.revision import current_revision

from argmap.core.errors import ArgmapError
from argmap.core.wording import plural

RESULTS = 50
EXAMPLE = (
    "MATCH (p:Post)-[:MAKES]->(c:Claim)<-[r:REBUTS]-(:Claim)\n"
    "RETURN p.author AS author, c.text AS claim, count(r) AS rebuttals\n"
    "ORDER BY rebuttals DESC LIMIT 10"
)

store = state.get_store()
tids = state.thread_ids()
state.require_posts(store)


def graph_filters_note(graph: dict) -> str:
    """Why the results include claims the Graph page's filters hide, when they hide some.

    Search finds a claim by its words, in the chosen threads, whoever wrote it: narrowing it by
    the map's people would hide a claim the reader is looking for behind a filter set on another
    page, and a confidence belongs to a relation, not to a claim (an unanswered claim has none).
    """
    hidden = []
    if graph.get("people"):
        hidden.append(f"people ({', '.join(md(p) for p in graph['people'])})")
    if graph.get("min_confidence"):
        hidden.append(f"minimum confidence ({graph['min_confidence']})")
    if not hidden:
        return ""
    return (
        f"; the Graph page's {' and '.join(hidden)} do not narrow a search (they narrow its "
        "map and the Export page)"
    )


# --- Full-text search ----------------------------------------------------------------------
st.title("Search")
text = st.text_input(
    "Search claims",
    key="s_query",
    persist_state="session",  # the words are still there after a look at another page
    placeholder="words a claim contains, e.g. party",
    help="Claims containing every word, best match first (the share of the claim's words that match).",
)
if text.strip():
    try:
        found = reads.search(store, text, limit=RESULTS, thread_ids=tids)
    except ArgmapError as exc:
        st.warning(message(str(exc)))
        found = []
    else:
        st.caption(
            f"{plural(len(found), 'claim')} match{'es' if len(found) == 1 else ''}"
            + (f" (the best {RESULTS})" if len(found) == RESULTS else "")
            + graph_filters_note(state.saved_selection() or {})
        )
    if found:
        rows = [{"claim": r.text, "by": r.author, "score": r.score} for r in found]
        threads = reads.thread_list(store)
        if len(threads) > 1 and (tids is None or len(tids) > 1):
            # Results from several threads: each says whose debate it comes from.
            titles = {t["id"]: t["title"] or t["id"] for t in threads}
            details = reads.claim_details(store, [r.claim_id for r in found])
            for row, r in zip(rows, found, strict=True):
                tid = details[r.claim_id].thread_id if r.claim_id in details else None
                row["thread"] = titles.get(tid or "", tid)
        st.dataframe(
            pd.DataFrame(rows),
            hide_index=True,
            width="stretch",
            column_config={"claim": st.column_config.TextColumn("claim", width="large")},
        )
        labels = {r.claim_id: f"{short(r.author, 24)}: {short(r.text, 90)}" for r in found}
        picked = st.selectbox(
            "Read a result in its post",
            list(labels),
            format_func=lambda c: labels.get(c, c),
            key="s_source",
            persist_state="session",
        )
        src = reads.source_of(store, picked)
        if src is not None:
            where = "the article" if src["kind"] == "article" else f"comment #{src['position']}"
            st.markdown(
                f"**{md(src['author'] or 'unknown')}** · "
                f"{md(short_date(src['posted_at']) or 'undated')} · {where}"
            )
            language = reads.post_language(store, src["post_id"])
            st.html(
                highlighted_post(src["post_text"] or "", src["start"], src["end"], lang=language)
            )
            with st.expander("The whole post"):
                st.text(src["post_text"] or "")

# --- Cypher console ------------------------------------------------------------------------
st.header("Cypher console")
st.caption(
    f"Read-only: queries that write are refused. At most {DEFAULT_ROW_LIMIT} rows, "
    f"{DEFAULT_TIMEOUT_MS // 1000} seconds. Nodes: Thread, Post, Person, Claim; relationships: "
    "CONTAINS, WROTE, REPLIES\\_TO, MAKES, REBUTS, SUPPORTS."
)
query = st.text_area("Query", value=EXAMPLE, height=120, key="s_cypher", persist_state="session")


def cell(value: Any) -> Any:
    """Nodes, lists and maps as JSON text, so every column has one type (and shows escaped)."""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


if st.button("Run query", key="s_run", type="primary"):
    # Read before the query: a write landing while it runs makes the rows look stale, not fresh.
    revision = current_revision(store)
    try:
        result = run_console(store, query)
    except ArgmapError as exc:
        st.session_state["s_result"] = {"error": str(exc)}
    else:
        st.session_state["s_result"] = {
            "query": query,
            "columns": result.columns,
            "rows": [{c: cell(row.get(c)) for c in result.columns} for row in result.rows],
            "truncated": result.truncated,
            "ms": result.elapsed_ms,
            "revision": revision,
        }

last = st.session_state.get("s_result")
if last and "error" in last:
    st.error(last["error"])
elif last:
    n = len(last["rows"])
    more = f" (the first {n}; there are more)" if last["truncated"] else ""
    st.caption(f"{n} row{'s' if n != 1 else ''}{more} in {last['ms']:.0f} ms")
    # The rows are what the query found when it ran; unlike the cached reads above they are not
    # read again when the graph changes (a console query may take seconds), so say so.
    if last.get("revision") != current_revision(store):
        st.warning(
            "The graph has changed since this query ran (an ingest or a review decision): "
            "run it again for current rows."
        )
    if last["rows"]:
        st.dataframe(
            pd.DataFrame(last["rows"], columns=last["columns"]), hide_index=True, width="stretch"
        )
