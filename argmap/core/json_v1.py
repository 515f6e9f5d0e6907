"""argmap JSON v1: the export contract other tools rely on.

``argmap export --format json`` writes one ``ArgmapFile``; ``argmap ingest FILE.json`` reads one back.
Field names and meanings change only with a new ``VERSION``. ``docs/json-v1.md`` is generated from
these models (``python -m argmap.core.json_v1 > docs/json-v1.md``, and the JSON Schema
``docs/json-v1.schema.json`` with ``--schema``); a test keeps them in step.
"""

from __future__ import annotations

import json
from datetime import datetime
from types import UnionType
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, Field, field_validator

from argmap.core.times import as_review_time

FORMAT = "argmap-json"
VERSION = 1


class ThreadRow(BaseModel):
    """A thread: one article and its comments."""

    id: str = Field(description="Deterministic thread id (from the source).")
    title: str = Field(description="The article's title.")
    url: str | None = Field(None, description="Where the thread was read from, when known.")
    source_format: str = Field(
        description="The parser that read it: wordpress-text, reddit-json, csv, ..."
    )
    published_at: datetime | None = Field(None, description="The article's date, ISO 8601.")


class PostRow(BaseModel):
    """The article (position 0) or a comment (positions 1..n in document order)."""

    id: str = Field(description="Deterministic post id.")
    thread_id: str = Field(description="The thread it belongs to.")
    kind: Literal["article", "comment"] = Field(description='"article" or "comment".')
    author: str = Field(description="Display name as the source gives it.")
    posted_at: datetime | None = Field(None, description="ISO 8601.")
    position: int = Field(description="Place in the source: the article 0, comments 1..n.")
    parent_id: str | None = Field(
        None,
        description="The post it replies to: null for the article, the article for a top-level comment.",
    )
    is_spam: bool = Field(False, description="Marked as spam (kept, but left out of extraction).")
    text: str = Field(description="The post's text; claim offsets index into it.")
    parent_origin: Literal["human"] | None = Field(
        None, description='"human" when a reviewer set `parent_id`; null: the source or argmap.'
    )
    spam_origin: Literal["human"] | None = Field(
        None, description='"human" when a reviewer set `is_spam`; null: the source or argmap.'
    )
    parent_confidence: float | None = Field(
        None,
        description="How sure argmap is of a rebuilt parent: the probability that it is right "
        "(0..1, calibrated on labelled threads); null: not rebuilt.",
    )
    spam_margin: float | None = Field(
        None, description="The spam score's distance from the line (negative: not spam)."
    )


class ClaimRow(BaseModel):
    """A claim: a paraphrase plus the verbatim quote at ``post.text[start:end]``."""

    id: str = Field(description="Deterministic claim id (post + span).")
    post_id: str = Field(description="The post that makes it.")
    text: str = Field(description="A short paraphrase.")
    quote: str = Field(description="The exact words in the post.")
    start: int = Field(ge=0, description="Offset of the quote in the post's text (characters).")
    end: int = Field(ge=0, description="End offset (exclusive).")
    extractor: str = Field(description='"offline", "llm", ...')
    model: str | None = Field(None, description="The LLM model, when an LLM found it.")
    prompt_version: str | None = Field(
        None,
        description='The version of the prompt (or of the offline rules, "offline-1") that found it.',
    )
    text_origin: Literal["human"] | None = Field(
        None, description='"human" when a reviewer edited the paraphrase or re-chose the quote.'
    )


class RelationRow(BaseModel):
    """``source`` rebuts or supports ``target``: claim ids of one thread (but a Kialo debate's cross-links between theses)."""

    source: str = Field(description="The claim that rebuts or supports.")
    target: str = Field(description="The claim it answers.")
    type: Literal["rebuts", "supports"] = Field(description='"rebuts" or "supports".')
    confidence: float = Field(ge=0.0, le=1.0, description="0..1, the extractor's confidence.")
    rationale: str | None = Field("", description="One line: why.")
    extractor: str | None = Field(
        None, description='Who found it: "offline", "llm", "human"; null: as its source claim.'
    )
    model: str | None = Field(None, description="The LLM model, when an LLM found it.")
    prompt_version: str | None = Field(
        None,
        description="The prompt (or offline rules) version that found it; null with a null "
        "`extractor`: its source claim's.",
    )
    origin: Literal["human", "machine"] = Field(
        "machine",
        description='"human" for a relation a reviewer drew (added, flipped, re-targeted).',
    )
    status: Literal["accepted", "rejected"] | None = Field(
        None,
        description='"accepted" once a reviewer checked it; "rejected" in `rejected_relations`.',
    )
    reviewed_by: str | None = Field(None, description="The reviewer who last decided on it.")
    reviewed_at: str | None = Field(
        None, description="When (UTC, ISO 8601 with microseconds and `+00:00`)."
    )

    # Files and stores from before 2026-12-07 wrote review times with "Z": read as one form.
    _one_time_form = field_validator("reviewed_at")(as_review_time)


class ReviewRow(BaseModel):
    """One review decision, with its provenance: who, when, and what it replaced."""

    id: str = Field(description="Review id.")
    kind: Literal["relation", "parent", "spam", "claim"] = Field(description="What was reviewed.")
    key: str = Field(description='The item: "relation:SOURCE>TARGET", "post:ID" or "claim:ID".')
    items: list[str] = Field(description="Every item the decision changed (re-target: two).")
    action: str = Field(
        description="accept, reject, flip, retarget, add, set-parent, spam, not-spam or edit."
    )
    before: str = Field(description="The items' state before, as a JSON string (undo restores it).")
    after: str = Field(description="The items' state after, as a JSON string.")
    reviewer: str = Field(description="Who decided.")
    at: str = Field(description="When (UTC, ISO 8601 with microseconds and `+00:00`).")
    thread_id: str | None = Field(None, description="The thread of the item.")
    note: str | None = Field(None, description="The reviewer's note, if any.")
    undone: bool = Field(False, description="Whether it was undone (then `before` is in force).")
    undone_by: str | None = Field(None, description="Who undid it.")
    undone_at: str | None = Field(None, description="When it was undone (as `at`).")

    _one_time_form = field_validator("at", "undone_at")(as_review_time)


class ArgmapFile(BaseModel):
    """One argmap JSON v1 document."""

    format: Literal["argmap-json"] = Field(description='Always "argmap-json".')
    version: Literal[1] = Field(description="Always 1 for this contract.")
    threads: list[ThreadRow]
    posts: list[PostRow]
    claims: list[ClaimRow] = []
    relations: list[RelationRow] = []
    candidates: list[RelationRow] = Field(
        [],
        description="Hidden low-confidence guesses (a reply's stance towards the post it answers "
        "where its words show no evidence): not relations; tools that do not ask for them ignore "
        "them.",
    )
    rejected_relations: list[RelationRow] = Field(
        [], description="Relations people rejected: not part of the graph, kept as evidence."
    )
    reviews: list[ReviewRow] = Field([], description="Every review decision, oldest first.")


def _type_name(annotation: Any) -> str:
    """A field's type in JSON terms: ``string or null``, ``"rebuts" or "supports"``, ..."""
    args = get_args(annotation)
    if get_origin(annotation) is list:
        return "list of " + _type_name(args[0])
    if get_origin(annotation) is Literal:
        return " or ".join(json.dumps(a) for a in args)
    if args and get_origin(annotation) in (Union, UnionType):
        return " or ".join(_type_name(a) for a in args)
    names = {
        str: "string",
        int: "integer",
        float: "number",
        bool: "boolean",
        datetime: "ISO 8601 string",
        type(None): "null",
    }
    return names.get(annotation, getattr(annotation, "__name__", str(annotation)))


def _field_rows(model: type[BaseModel]) -> list[str]:
    rows = []
    for name, field in model.model_fields.items():
        required = "yes" if field.is_required() else "no"
        rows.append(
            f"| `{name}` | {_type_name(field.annotation)} | {required} | {field.description or ''} |"
        )
    return rows


def markdown() -> str:
    """The contract as a Markdown page (``docs/json-v1.md``)."""
    out = [
        "# argmap JSON v1",
        "",
        "<!-- Generated by `python -m argmap.core.json_v1 > docs/json-v1.md`; a test keeps it in step. -->",
        "",
        "`argmap export --format json` writes one object; `argmap ingest FILE.json` reads it back into",
        "any store. Other tools rely on these names: they change only with a new `version`.",
        "This page is the contract, field by field; [Export](export.md) has the other formats and the",
        "[README](../README.md#export) the short version.",
        "",
        "```json",
        json.dumps(
            {
                "format": FORMAT,
                "version": VERSION,
                "threads": ["..."],
                "posts": ["..."],
                "claims": ["..."],
                "relations": ["..."],
                "candidates": ["..."],
                "rejected_relations": ["..."],
                "reviews": ["..."],
            }
        ),
        "```",
        "",
        "Times are ISO 8601. `parent_id` is null for the article and the article's id for a",
        "top-level comment. Relations point from the answering claim (`source`) to the claim it",
        "answers (`target`). `candidates` (optional, same fields as `relations`) are the",
        "extractor's hidden low-confidence guesses of a reply's stance where its words show no",
        "evidence (confidence below 0.15): they are not relations, and only `argmap eval",
        "--candidates` reads them.",
        "",
        "**Review (optional, added compatibly).** People correct the machine's graph",
        "(`argmap review`): `relations` are the corrected graph (a relation a reviewer accepted",
        'has `status: "accepted"`; one a reviewer drew has `origin: "human"`); relations people',
        "rejected are in `rejected_relations`, outside `relations`, so a reader that ignores the",
        "review fields still sees the corrected graph; `reviews` is the log of every decision",
        "with who, when and what it replaced. All of these may be absent; a file without them is",
        "a machine-only graph.",
    ]
    sections: list[tuple[str, type[BaseModel]]] = [
        ("threads", ThreadRow),
        ("posts", PostRow),
        ("claims", ClaimRow),
        ("relations", RelationRow),
        ("rejected_relations", RelationRow),
        ("reviews", ReviewRow),
    ]
    for title, model in sections:
        out += [
            "",
            f"## `{title}[]`",
            "",
            (model.__doc__ or "").strip(),
            "",
            "| field | type | required | meaning |",
            "| --- | --- | --- | --- |",
            *_field_rows(model),
        ]
    out += [
        "",
        "## JSON Schema",
        "",
        "```json",
        json.dumps(ArgmapFile.model_json_schema(), indent=2),
        "```",
        "",
    ]
    return "\n".join(out)


def json_schema() -> dict[str, Any]:
    """The contract as a JSON Schema (draft 2020-12), ``docs/json-v1.schema.json``: what
    ``jsonschema`` or ``check-jsonschema`` validate an argmap JSON file against."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **ArgmapFile.model_json_schema(),
    }


if __name__ == "__main__":
    import sys

    # ``--schema``: the JSON Schema file; else the Markdown page.
    print(
        json.dumps(json_schema(), indent=2) if "--schema" in sys.argv else markdown(),
        end="\n" if "--schema" in sys.argv else "",
    )
