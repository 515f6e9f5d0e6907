"""Review actions on claims: a new paraphrase and/or a quote re-grounded in the post's words."""

from __future__ import annotations

import re

from argmap.graph.review_apply import apply_review
from argmap.graph.review_state import State, claim_key
from argmap.graph.schema import id_seek
from argmap.graph.store import Store

from argmap.core.errors import ReviewError
from argmap.core.json_v1 import ReviewRow


def ground(text: str, quote: str) -> tuple[int, int] | None:
    """Where ``quote`` is in ``text``: verbatim, else ignoring case and runs of white space.

    A small matcher of its own: ``graph`` does not import the extractors' grounding.
    """
    quote = quote.strip()
    if not quote:
        return None
    pos = text.find(quote)
    if pos >= 0:
        return pos, pos + len(quote)
    pattern = r"\s+".join(re.escape(w) for w in quote.split())
    match = re.search(pattern, text, re.IGNORECASE)
    return (match.start(), match.end()) if match else None


def edit_claim(
    store: Store,
    claim_id: str,
    reviewer: str | None,
    text: str | None = None,
    quote: str | None = None,
    expected: int | None = None,
    note: str | None = None,
) -> ReviewRow:
    """A new paraphrase and/or a quote re-chosen from the post's own words (re-grounded: the
    stored quote is always ``post.text[start:end]``)."""
    rows = store.run_read(
        f"MATCH (p:Post)-[:MAKES]->(c:Claim {{id: $id}}){id_seek(store, 'c', 'Claim')} "
        "RETURN p.text AS text, p.thread_id AS tid",
        {"id": claim_id},
    )
    if not rows:
        raise ReviewError(f"no claim {claim_id!r} in this store")
    post_text = rows[0]["text"] or ""
    span = None
    if quote is not None:
        span = ground(post_text, quote)
        if span is None:
            raise ReviewError("that quote is not in the post: copy the words from the post's text")
    paraphrase = " ".join(text.split()) if text is not None else None
    if paraphrase is None and span is None:
        raise ReviewError("give a new paraphrase (--text) or quote (--quote)")

    def change(state: State, who: str, at: str) -> None:
        claim = state["claims"][0]
        if paraphrase:
            claim["text"] = paraphrase
        if span is not None:
            claim.update(quote=post_text[span[0] : span[1]], start=span[0], end=span[1])
        claim.update(text_origin="human", reviewed_by=who, reviewed_at=at)

    return apply_review(
        store,
        kind="claim",
        action="edit",
        keys=[claim_key(claim_id)],
        reviewer=reviewer,
        expected=expected,
        note=note,
        thread_id=rows[0]["tid"],
        change=change,
    )
