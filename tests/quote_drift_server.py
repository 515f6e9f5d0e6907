"""Putting a quote-drift case (``tests/quote_drift_cases.py``) to the LLM path: the thread it is
asked about, and the local OpenAI-compatible server's scripted answer."""

from __future__ import annotations

from typing import Any

from llm_server import ChatRequest
from llm_threads import make_thread
from quote_drift_cases import ARTICLE, Case

from argmap.core.models import Thread


def case_thread(case: Case, tid: str) -> Thread:
    """The article, the case's parent and the case's comment, the source giving the tree."""
    return make_thread([("Ann", None, ARTICLE), ("Bob", 0, case.parent), ("Cy", 1, case.text)], tid)


def scripted(cases_by_text: dict[str, Case]) -> Any:
    """A server answer: the case's quote for its comment, no claims for the other posts (a
    repeated sentence: a first claim quoting the text's first words, then the case's quote)."""

    def answer(request: ChatRequest) -> dict[str, Any]:
        case = cases_by_text.get(request.post_text)
        if case is None:
            return {"is_spam": False, "claims": []}
        claims = [{"paraphrase": case.name, "quote": case.quote, "relations": []}]
        if case.kind == "repeated":
            first = {"paraphrase": "Money", "quote": "Money follows members.", "relations": []}
            claims = [first, *claims]
        return {"is_spam": False, "claims": claims}

    return answer
