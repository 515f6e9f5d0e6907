"""From a model's answer to claims and relations we can trust, or drop.

A claim is kept only if its quote is found in the post (``grounding.locate_quote``: verbatim,
else after normalising whitespace, typographic quotes, dashes and case); the stored quote is the
post's own text at ``[start:end]``. A relation is kept only if its target is one of the ids
offered for this post. Both kinds of drop are counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from argmap.ingest.extract.grounding import locate_quote
from argmap.ingest.extract.llm_schema import PostAnswer

from argmap.core.ids import claim_id
from argmap.core.models import Claim, Post, Relation


@dataclass
class Grounded:
    """The claims and relations that survived, and how many were dropped."""

    claims: list[Claim] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    dropped_claims: int = 0
    dropped_relations: int = 0


def one_line(text: str, limit: int = 300) -> str:
    """``text`` on one line, at most ``limit`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def ground_answer(
    post: Post, answer: PostAnswer, offered: dict[str, str], model: str, prompt_version: str
) -> Grounded:
    """Keep the answer's claims found in ``post`` and its relations to ``offered`` ids."""
    out = Grounded()
    if answer.is_spam and post.kind == "comment":
        return out
    seen_claims: set[str] = set()
    seen_relations: set[tuple[str, str, str]] = set()
    hint = 0
    for item in answer.claims:
        span = locate_quote(post.text, item.quote, hint)
        if span is None:
            out.dropped_claims += 1
            continue
        start, end = span
        hint = start
        cid = claim_id(post.id, start, end)
        if cid not in seen_claims:
            seen_claims.add(cid)
            quote = post.text[start:end]
            out.claims.append(
                Claim(
                    id=cid,
                    post_id=post.id,
                    text=one_line(item.paraphrase) or one_line(quote),
                    quote=quote,
                    start=start,
                    end=end,
                    extractor="llm",
                    model=model,
                    prompt_version=prompt_version,
                )
            )
        for rel in item.relations:
            target = offered.get(rel.target.strip().strip("[]").upper())
            if target is None:
                out.dropped_relations += 1
                continue
            if (cid, target, rel.type) in seen_relations:
                continue
            seen_relations.add((cid, target, rel.type))
            out.relations.append(
                Relation(
                    source=cid,
                    target=target,
                    type=rel.type,
                    confidence=min(max(rel.confidence, 0.0), 1.0),
                    rationale=one_line(rel.rationale),
                    extractor="llm",
                    model=model,
                    prompt_version=prompt_version,
                )
            )
    out.claims.sort(key=lambda c: (c.start, c.end))
    return out
