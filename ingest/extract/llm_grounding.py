"""From a model's answer to claims and relations we can trust, or drop.

A claim is kept only if its quote is found in the post (``grounding.locate_quote``: verbatim,
else as models drift from their source: whitespace, typographic quotes, dashes, case, accents,
HTML entities, markdown escapes, an ellipsis) and is not an earlier post's words the post quotes
(in quotation marks or on a ``>`` line: they are not its author's claim); the stored quote is
the post's own text at ``[start:end]``. A relation is kept only if its target is one of the ids
offered for this post. Both kinds of drop are counted. Where the model picks the parent, a
``reply_to`` that names no offered post keeps the heuristic's parent, and is counted too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from argmap.ingest.extract import PostResult
from argmap.ingest.extract.grounding import locate_quote, normalise_with_map
from argmap.ingest.extract.llm_context import PostRequest
from argmap.ingest.extract.llm_schema import Answer, ReplyAnswer
from argmap.ingest.extract.llm_usage import Usage
from argmap.ingest.extract.pricing import Price
from argmap.ingest.extract.quotes import marked_quotes

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


def shown_words(request: PostRequest) -> str:
    """What the model was shown besides the post itself (the article, ancestors, claims)."""
    text = "\n".join(m["content"] for m in request.messages if m["role"] == "user")
    return text.replace(request.post.text, "") if request.post.text else text


def quotes_earlier_post(text: str, start: int, end: int, shown: str) -> bool:
    """Whether ``text[start:end]`` lies in quotation marks or on a ``>`` line of ``text`` and
    its words are in ``shown``: the post quotes someone it answers."""
    if not shown:
        return False
    # Only the lines holding the span are read: a long post costs no more per claim.
    first = text.rfind("\n", 0, start) + 1
    last = text.find("\n", end)
    lines = text[first : len(text) if last < 0 else last]
    quoted = lines.lstrip().startswith(">") or any(
        first + s <= start and end <= first + e for s, e in marked_quotes(lines)
    )
    if not quoted:
        return False
    words, _ = normalise_with_map(text[start:end].strip(" .,;:!?\"'“”‘’«»"))
    return len(words) >= 12 and words in normalise_with_map(shown)[0]


def ground_answer(
    post: Post,
    answer: Answer,
    offered: dict[str, str],
    model: str,
    prompt_version: str,
    shown: str = "",
) -> Grounded:
    """Keep the answer's claims found in ``post`` (not words it quotes from ``shown``, what else
    the model was shown) and its relations to ``offered`` ids."""
    out = Grounded()
    if answer.is_spam and post.kind == "comment":
        return out
    seen_claims: set[str] = set()
    seen_relations: set[tuple[str, str, str]] = set()
    hint = 0
    for item in answer.claims:
        span = locate_quote(post.text, item.quote, hint)
        if span is None or quotes_earlier_post(post.text, *span, shown):
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
                    grounding=None if quote == item.quote.strip() else "normalised",
                )
            )
        for rel in item.relations:
            target = offered.get(_short_id(rel.target))
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


def _short_id(text: str) -> str:
    return text.strip().strip("[]").upper()


def chosen_parent(request: PostRequest, answer: Answer) -> tuple[str | None, bool]:
    """The parent the answer picks when it differs from the heuristic's (else None), and
    whether its ``reply_to`` named no offered post (the heuristic's parent is then kept)."""
    if not request.choosing or not isinstance(answer, ReplyAnswer):
        return None, False
    picked = request.parents.get(_short_id(answer.reply_to))
    if picked is None:
        return None, True
    return (picked if picked != request.heuristic_parent else None), False


def post_result(
    request: PostRequest,
    answer: Answer,
    model: str,
    prompt_version: str,
    usage: Usage,
    cached: bool = False,
    batch: bool = False,
    price: Price | None = None,
) -> PostResult:
    """The grounded result of ``answer`` for ``request``'s post, with its usage and its cost at
    ``price``."""
    grounded = ground_answer(
        request.post, answer, request.candidates, model, prompt_version, shown_words(request)
    )
    parent, fallback = chosen_parent(request, answer)
    return PostResult(
        post_id=request.post.id,
        spam=answer.is_spam and request.post.kind == "comment",
        claims=grounded.claims,
        relations=grounded.relations,
        dropped_claims=grounded.dropped_claims,
        dropped_relations=grounded.dropped_relations,
        cached=cached,
        parent_id=parent,
        reply_to_fallback=fallback,
        prompt_tokens=usage.prompt,
        cached_prompt_tokens=usage.cached,
        completion_tokens=usage.completion,
        cost_usd=usage.cost(price, batch),
    )
