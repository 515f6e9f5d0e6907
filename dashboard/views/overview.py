"""Overview: the debate at a glance (for organizers).

Metrics and data tables escape what they show; titles, captions and the claim tables (whose
cells Streamlit reads as Markdown) go through ``md``.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st
from argmap.dashboard import reads, state
from argmap.dashboard.claim_table import claim_by, claim_table
from argmap.dashboard.render import md
from argmap.graph import overview
from argmap.graph.export_text import short_date

from argmap.core.wording import plural

TOP = 10  # rows per table
# How ``graph.overview.activity`` spells a period of each granularity (a prefix of ISO 8601).
PERIOD_FORMAT = {"hour": "%Y-%m-%dT%H", "day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}

store = state.get_store()
tids = state.thread_ids()
state.require_posts(store)


def _period_words(period: str, granularity: str) -> str:
    """``2013-06-24 10:00`` for the hour ``2013-06-24T10``; a day, month or year as stored."""
    return f"{period[:10]} {period[11:13]}:00" if granularity == "hour" else period


def table(rows: list[dict]) -> None:
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


# --- Headline ------------------------------------------------------------------------------
threads = reads.thread_list(store)
shown = [t for t in threads if tids is None or t["id"] in tids]
if len(shown) == 1:
    st.title(md(shown[0]["title"] or shown[0]["id"]))
    published = short_date(shown[0]["published_at"])
    when = f"published {md(published)}" if published else "no publication date"
    st.caption(f"{md(shown[0]['source_format'])} · {when}")
else:
    st.title(f"{len(shown)} threads")
# An organizer's first screen: what this is, how far to trust it, and where to go next.
st.markdown(
    "The argument map of "
    + ("this comment thread" if len(shown) == 1 else "these comment threads")
    + ": the claims people made, and which claim rebuts or supports which, as argmap read them "
    "(a machine's reading: check its doubtful calls on **Review**). Explore the map on "
    "**Graph**, the longest back-and-forths on **Chains**, find a claim on **Search**"
    + (", and choose threads in the sidebar." if len(threads) > 1 else ".")
)

counts = reads.counts(store, tids)
# Six numbers in a row on a desktop, three a row on a phone (390 px): st.columns stacks them one
# a line there, and six lines filled the whole first screen under the intro. Each as wide as it
# needs (a fixed width would cut a six-digit count): they wrap to a new row when out of room.
numbers = st.container(
    horizontal=True, horizontal_alignment="distribute", vertical_alignment="bottom", gap="small"
)
# Comments as a picture's credit line and the ingest summary count them: spam apart.
numbers.metric(
    "Comments",
    counts.comments,
    width="content",
    help="Comments on the article, spam not counted (it is under Spam left out); a picture's "
    "credit line and the ingest summary count the same.",
)
numbers.metric(
    "Participants",
    counts.participants,
    width="content",
    help="Distinct authors of the article and the comments, spam not counted.",
)
# The Graph page's filters (people, dates, confidence) do not narrow these: say so where the
# numbers could disagree with the map drawn there.
numbers.metric(
    "Claims",
    counts.claims,
    width="content",
    help="Statements taken from the article and the comments (a comment may make several); "
    "each is a box on the Graph page. Spam is not analysed.",
)
numbers.metric(
    "Rebuttals",
    counts.rebuttals,
    width="content",
    help="A claim answering another against it (on the Graph page, a line ending in a bar). "
    "All of them, whatever the machine's confidence; its hidden guesses, waiting on the "
    "Review page, are not counted.",
)
numbers.metric(
    "Supports",
    counts.supports,
    width="content",
    help="A claim answering another in its favour (on the Graph page, an arrow). All of them, "
    "whatever the machine's confidence; its hidden guesses are not counted.",
)
numbers.metric(
    "Spam left out",
    counts.spam,
    width="content",
    help="Comments marked as spam: not counted in Comments, and not analysed.",
)
trust = reads.tree_trust(store, tids)
if trust.rebuilt and trust.expected_right is not None:
    # Organizers read who answers whom off this page: say how far the rebuilt tree holds.
    st.caption(
        f"Who answers whom was rebuilt from a flattened page for {plural(trust.rebuilt, 'comment')}: "
        f"about {trust.expected_right:.0%} of those parents are expected to be right (their "
        f"confidence, calibrated on labelled threads; on long threads it ran high). "
        f"{plural(trust.unsure, 'parent')} under {overview.UNSURE_BELOW:.0%} sure and not yet "
        "reviewed: check them on the Review page (kind parent)."
    )

# --- Activity ------------------------------------------------------------------------------
st.header("Activity over time")
first, last = reads.date_span(store, tids)
granularities: list[overview.Granularity] = ["hour", "day", "month", "year"]
granularity = st.segmented_control(
    "Posts per",
    options=granularities,
    default=overview.auto_granularity(first, last),
    key="activity_granularity",
    required=True,
)
activity = pd.DataFrame(reads.activity(store, tids, granularity), columns=["period", "posts"])
if activity.empty:
    st.caption("No post carries a timestamp.")
else:
    # A thread timed only in part (a CSV with empty cells) must not pass for a quiet one.
    untimed = counts.posts - int(activity["posts"].sum())
    left_out = (
        f" {plural(untimed, 'post')} of {counts.posts} without a time not drawn." if untimed else ""
    )
    st.caption(
        f"Posts per {granularity} in UTC: the article and the comments, spam not counted. A "
        "source that gives no time zone (a flattened WordPress page, a CSV time without an "
        f"offset) is read as UTC.{left_out}"
    )
    # The tooltip's words, from the stored period itself: Vega formats times in the browser's
    # zone, so a period only reads the same everywhere as text.
    activity["when"] = [_period_words(p, granularity) for p in activity["period"]]
    # Real dates, so the chart has a time axis: a quiet month leaves a gap instead of sitting
    # next to a busy one as an equal bar. Aware UTC on a UTC scale: naive times were drawn in
    # the browser's zone, so in New York two different UTC hours of a DST night shared a bar.
    activity["period"] = pd.to_datetime(
        activity["period"], format=PERIOD_FORMAT[granularity], utc=True
    )
    # Altair rather than st.bar_chart: Streamlit's own charts zoom on the mouse wheel, so
    # scrolling the page over it zoomed the axes into nonsense (negative posts).
    chart = (
        alt.Chart(activity)
        .mark_bar()
        .encode(
            x=alt.X("period:T", title=f"{granularity} (UTC)", scale=alt.Scale(type="utc")),
            # Whole posts: an hour's bars of one post each drew ticks at 0.2, 0.4...
            y=alt.Y("posts:Q", title="posts", axis=alt.Axis(tickMinStep=1, format="d")),
            tooltip=[alt.Tooltip("when:N", title=f"{granularity} (UTC)"), "posts:Q"],
        )
    )
    st.altair_chart(chart, width="stretch")

# --- Pushback ------------------------------------------------------------------------------
# Several threads: several articles, whose theses share one ranking; each row names its thread.
several = len(shown) > 1
st.header("The articles' theses, by pushback" if several else "The article's theses, by pushback")
theses = reads.theses(store, tids)
if not theses:
    st.caption(f"No claim was extracted from the article{'s' if several else ''}.")
else:
    where = f"the {len(shown)} articles" if several else "the article"
    st.caption(f"{plural(len(theses), 'claim')} in {where}, the most rebutted first.")
    titles = {t["id"]: t["title"] or t["id"] for t in threads}
    claim_table(
        [
            {"thesis": t.text, "rebuttals": t.rebuttals, "supports": t.supports}
            | ({"thread": titles.get(t.thread_id or "", t.thread_id)} if several else {})
            for t in theses[:TOP]
        ]
    )

st.header("Most contested claims")
contested = reads.contested(store, limit=TOP, thread_ids=tids)
if not contested:
    st.caption("No claim has been rebutted yet.")
else:
    claim_table(
        [
            {
                "claim — by": claim_by(c.text, c.author),
                "rebuttals": c.rebuttals,
                "supports": c.supports,
            }
            for c in contested
        ]
    )

st.header("Objections still unanswered")
unanswered = reads.unanswered(store, limit=TOP, thread_ids=tids)
if not unanswered:
    st.caption("No objection is left unanswered (or there is none).")
else:
    n_unanswered = reads.unanswered_count(store, tids)
    st.caption(f"{plural(n_unanswered, 'rebuttal')} that nothing rebuts, in thread order.")
    claim_table([{"objection": u.text, "by": u.author} for u in unanswered])

# --- People --------------------------------------------------------------------------------
left, right = st.columns(2)
with left:
    st.header("Most active debaters")
    st.caption("Ranked by rebuttals made plus rebuttals received.")
    table(
        [
            {
                "person": d.name,
                "posts": d.posts,
                "claims": d.claims,
                "rebuts": d.rebuts,
                "rebutted": d.rebutted,
                "supports": d.supports,
            }
            for d in reads.active_debaters(store, tids, limit=TOP)
        ]
    )
with right:
    st.header("Who argues with whom")
    st.caption("Claims of one person answering claims of another.")
    pairs = reads.interactions(store, thread_ids=tids, limit=TOP)
    if not pairs and (counts.rebuttals or counts.supports):
        st.caption(
            "Every rebuttal and support here answers a claim of the same author, or of no named "
            "author (a Kialo debate names none): no two people answer each other."
        )
    elif not pairs:
        st.caption("Nobody has answered anybody yet.")
    else:
        table(
            [
                {
                    "who": r.source,
                    "answers": r.target,
                    "rebuttals": r.rebuts,
                    "supports": r.supports,
                }
                for r in pairs
            ]
        )

# --- Provenance ----------------------------------------------------------------------------
st.header("How this graph was built")
built = reads.extraction_info(store, tids)
if not built:
    st.caption("No claims extracted yet.")
else:
    table(
        [
            {
                "extractor": b.extractor,
                "model": b.model or "—",
                "prompt version": b.prompt_version or "—",
                "claims": b.claims,
            }
            for b in built
        ]
    )
