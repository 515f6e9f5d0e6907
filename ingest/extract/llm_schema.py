"""What the model must answer for one post, as pydantic models, and the JSON schema sent for them.

``PostAnswer`` is the answer for the article and for comments whose parent the source gave;
``ReplyAnswer`` adds ``reply_to`` for a comment on a flattened page, where the model picks the
post it answers among the offered ones. The schema goes out as ``response_format`` (structured outputs, ``strict``), and the answer is
validated against the same models on the way back: an answer that is not JSON, or not this
shape, is ``MalformedAnswer``, whatever the endpoint promised.
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

SCHEMA_NAME = "post_extraction"
_FENCE = re.compile(r"```[A-Za-z]*[ \t]*\n(.*?)\n?```", re.DOTALL)
# A reasoning model served without a reasoning parser (Ollama, llama-server) thinks aloud first.
_THINK = re.compile(r"\s*<think>.*?</think>", re.DOTALL)


class _Strict(BaseModel):
    # The schema sent closes every object (``_strictify``); an answer that adds a field anyway
    # (a model in json_object mode explaining itself) is read for the fields asked for.
    model_config = ConfigDict(extra="ignore")


class RelationAnswer(_Strict):
    """A relation from the enclosing claim to one of the offered candidate claims."""

    target: str = Field(description="The id of an offered candidate claim, e.g. C3.")
    type: Literal["rebuts", "supports"]
    confidence: float = Field(description="0 to 1: how sure you are of this relation.")
    rationale: str = Field(description="One line: why this claim rebuts or supports the target.")


class ClaimAnswer(_Strict):
    """One claim of the post: a short paraphrase and the exact words it rests on."""

    paraphrase: str = Field(description="The claim in one short sentence of your own.")
    quote: str = Field(description="The shortest verbatim span of the post that makes the claim.")
    relations: list[RelationAnswer]


class PostAnswer(_Strict):
    """The whole answer for one post."""

    is_spam: bool = Field(description="True if the post is spam or off-topic advertising.")
    claims: list[ClaimAnswer]


class ReplyAnswer(_Strict):
    """The answer for a comment whose parent the model picks among the offered posts."""

    reply_to: str = Field(description="The id of the offered post this comment answers, e.g. P2.")
    is_spam: bool = Field(description="True if the post is spam or off-topic advertising.")
    claims: list[ClaimAnswer]


Answer = PostAnswer | ReplyAnswer


class MalformedAnswer(ValueError):
    """The model's answer was not valid JSON of the ``PostAnswer`` shape."""


def _strictify(node: Any) -> None:
    # Structured outputs in strict mode want every object closed and every property required.
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            node["additionalProperties"] = False
            node["required"] = list(node["properties"])
        node.pop("default", None)
        for value in node.values():
            _strictify(value)
    elif isinstance(node, list):
        for value in node:
            _strictify(value)


def answer_schema(choosing: bool = False) -> dict[str, Any]:
    """The strict JSON schema of ``PostAnswer`` (``ReplyAnswer`` when ``choosing`` a parent)."""
    schema = (ReplyAnswer if choosing else PostAnswer).model_json_schema()
    _strictify(schema)
    return schema


def response_format(choosing: bool = False) -> dict[str, Any]:
    """The ``response_format`` argument of a chat completion asking for the answer's schema."""
    return {
        "type": "json_schema",
        "json_schema": {"name": SCHEMA_NAME, "strict": True, "schema": answer_schema(choosing)},
    }


def _json_texts(content: str) -> list[str]:
    """Where the JSON object may be in ``content``, most literal first: a server that ignores
    the response format (or a local model in ``json_object`` mode) wraps it in a ```json fence,
    a ``<think>`` block or a sentence of prose."""
    text = _THINK.sub("", content, count=1).strip()
    found = [content, text, *(m.group(1) for m in _FENCE.finditer(text))]
    if "{" in text and "}" in text:
        found.append(text[text.index("{") : text.rindex("}") + 1])
    return list(dict.fromkeys(found))


def parse_answer(content: str | None, choosing: bool = False) -> Answer:
    """Validate the model's message content; raises ``MalformedAnswer`` with a short reason."""
    if not content or not content.strip():
        raise MalformedAnswer("empty answer")
    data, problem = None, ""
    for text in _json_texts(content):
        try:
            data = json.loads(text)
            break
        except json.JSONDecodeError as exc:
            problem = problem or f"answer is not JSON ({exc.msg} at char {exc.pos})"
    else:
        raise MalformedAnswer(problem)
    try:
        return (ReplyAnswer if choosing else PostAnswer).model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "answer"
        raise MalformedAnswer(
            f"answer does not match the schema ({where}: {first['msg']})"
        ) from None
