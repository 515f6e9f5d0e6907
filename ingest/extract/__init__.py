"""Extraction: each post yields claims and relations to earlier claims.

Two extractors implement one interface (``Extractor``): ``offline`` (no network) and ``llm``
(the openai SDK). ``get_extractor`` picks one; ``auto`` means ``llm`` when an API key or base URL
is configured, else ``offline``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Protocol

from pydantic import BaseModel

from argmap.core.config import LLMConfig
from argmap.core.models import Claim, Relation, Thread

# What a site leaves where a comment was taken away (Reddit: a moderator's "[removed]", the
# author's "[deleted]", an admin's "[ Removed by Reddit ]"): nobody's words, so nothing to
# extract claims from. Compared case- and space-insensitively.
TAKEN_AWAY = frozenset({"[removed]", "[deleted]", "[removed by reddit]"})


def taken_away(text: str) -> bool:
    """Whether ``text`` is only a site's placeholder for a removed or deleted comment."""
    words = " ".join(text.split()).casefold()
    return words.replace("[ ", "[").replace(" ]", "]") in TAKEN_AWAY


class PostResult(BaseModel):
    """What extraction produced for one post; ``error`` set means the post stays pending."""

    post_id: str
    claims: list[Claim] = []
    relations: list[Relation] = []
    error: str | None = None
    spam: bool = False  # the extractor judged the post spam (it then has no claims)
    dropped_claims: int = 0  # quotes not found in the post
    dropped_relations: int = 0  # targets that were not offered / not known
    prompt_tokens: int = 0
    cached_prompt_tokens: int = 0  # of prompt_tokens, served from the provider's prompt cache
    completion_tokens: int = 0
    cost_usd: float = 0.0
    cached: bool = False  # answered from the answer cache (no request)
    # On a flattened page the model may pick another parent than the heuristic's: then this is
    # it; ``reply_to_fallback`` means its answer named a post not offered (the heuristic's kept).
    parent_id: str | None = None
    reply_to_fallback: bool = False


class Extractor(Protocol):
    """Turns the posts of a thread into claims and relations.

    The pipeline only reads the attributes below: an extractor may keep them as plain class or
    instance attributes, or compute them.
    """

    @property
    def name(self) -> str:
        """What the stored claims name as their extractor (``offline``, ``llm``)."""
        ...

    @property
    def model(self) -> str | None:
        """The model that extracted, ``None`` when no model is involved."""
        ...

    @property
    def prompt_version(self) -> str | None:
        """The version of the prompt or rules the claims were extracted with."""
        ...

    @property
    def batch_size(self) -> int:
        """Results written to the store per transaction."""
        ...

    def extract(self, thread: Thread, done: Mapping[str, list[Claim]]) -> Iterator[PostResult]:
        """Yield one result per non-spam post not in ``done``, parents before children.

        ``done`` maps already-extracted post ids to their claims (they are candidates to rebut
        or support, and are not extracted again).
        """
        ...


def get_extractor(
    name: str = "auto", llm: LLMConfig | None = None, stance_model: str = "none"
) -> Extractor:
    """The extractor called ``name`` (``auto``, ``offline`` or ``llm``).

    ``auto`` is ``llm`` when ``llm`` names an endpoint (an API key or base URL), else ``offline``.
    ``stance_model`` ``nli`` has the offline extractor type its hidden guesses with an NLI model
    (``argmap.ingest.extract.nli``); the llm extractor reads stance itself and refuses it.
    """
    from argmap.core.errors import ExtractionError

    if name == "auto":
        name = "llm" if llm is not None and llm.configured else "offline"
    if name == "offline":
        from argmap.ingest.extract.offline import OfflineExtractor

        return OfflineExtractor(stance_model=stance_model)
    if stance_model != "none" and name == "llm":
        raise ExtractionError(
            f"--stance-model {stance_model} types the offline extractor's guesses; "
            "the llm extractor reads stance itself: use --stance-model none with it"
        )
    if name == "llm":
        from argmap.ingest.extract.llm import make_llm_extractor

        return make_llm_extractor(llm or LLMConfig())
    raise ExtractionError(f"unknown extractor {name!r}: use auto, offline or llm")
