"""``argmap-json``: argmap's own export (JSON v1), read back so a graph moves between stores.

``argmap export --format json`` on one store, then ``argmap ingest FILE.json`` on another, gives
the same graph: threads and posts with the reply tree the file states (``reply_tree="source"``,
or ``"reconstructed"`` where its parents carry the rebuild's confidence),
and the claims and relations exactly as exported (each claim keeps its ``extractor``), stored
without running an extractor. The file is checked whole before anything is written: the format
and version, every field (pydantic), unique ids, that every reference (post to thread, reply
to parent, claim to post, relation to claim) points at something in the file, and that no
relation crosses threads (but a Kialo debate's, between its theses).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from argmap.ingest.sources.json_text import load_json
from argmap.ingest.sources.kialo_text import NAME as KIALO
from argmap.ingest.sources.reply_loops import first_in_loop
from pydantic import ValidationError

from argmap.core.errors import SourceError
from argmap.core.json_v1 import FORMAT, VERSION, ArgmapFile, ClaimRow, PostRow, RelationRow
from argmap.core.models import Claim, Post, Relation, Thread

NAME = "argmap-json"

_FORMAT_KEY = re.compile(r'"format"\s*:\s*"argmap-json"')


def detect(text: str) -> bool:
    """A JSON object that says ``"format": "argmap-json"`` (any version: ``parse`` checks it)."""
    return text.lstrip().startswith("{") and bool(_FORMAT_KEY.search(text))


def _where(loc: tuple[Any, ...]) -> str:
    """``('posts', 3, 'position')`` -> ``posts[3].position``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the top level"


def _validate(raw: Any, origin: str) -> ArgmapFile:
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise SourceError(
            f'{origin}: not argmap JSON: expected an object with "format": "{FORMAT}"'
        )
    if raw.get("version") != VERSION:
        raise SourceError(
            f"{origin}: argmap JSON version {raw.get('version')!r} is not supported; "
            f"this argmap reads version {VERSION}: export it again with this argmap's version"
        )
    try:
        return ArgmapFile.model_validate(raw)
    except ValidationError as exc:
        errors = exc.errors()
        first = errors[0]
        more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
        raise SourceError(
            f"{origin}: not valid argmap JSON v1: {_where(first['loc'])}: {first['msg']}{more}"
        ) from None


def _unique(ids: list[str], what: str, origin: str) -> None:
    dupes = [i for i, n in Counter(ids).items() if n > 1]
    if dupes:
        raise SourceError(
            f"{origin}: {what} id {dupes[0]!r} appears more than once; every {what} needs an id "
            "of its own: drop the repeat or give it another id, then ingest the file again"
        )


def _check_references(doc: ArgmapFile, origin: str) -> None:
    """Every reference points at something in the file; claims sit where their quote is."""
    _unique([t.id for t in doc.threads], "thread", origin)
    _unique([p.id for p in doc.posts], "post", origin)
    _unique([c.id for c in doc.claims], "claim", origin)
    threads = {t.id for t in doc.threads}
    posts = {p.id: p for p in doc.posts}
    for p in doc.posts:
        if p.thread_id not in threads:
            raise SourceError(
                f"{origin}: post {p.id!r} is in thread {p.thread_id!r}, which the file does not have"
            )
        if p.parent_id is not None:
            parent = posts.get(p.parent_id)
            if parent is None or parent.thread_id != p.thread_id:
                raise SourceError(
                    f"{origin}: post {p.id!r} replies to {p.parent_id!r}, which is not a post of its "
                    "thread; set its parent_id to a post of its thread (the article's id for a "
                    "top-level comment), then ingest the file again"
                )
    looped = first_in_loop({p.id: p.parent_id for p in doc.posts})  # chains end at a root
    if looped is not None:
        how = "replies to itself" if posts[looped].parent_id == looped else "is in a reply cycle"
        raise SourceError(
            f"{origin}: post {looped!r} {how} (its parent_id chain never reaches the "
            "article); fix its parent_id, then ingest the file again"
        )
    articles = Counter(p.thread_id for p in doc.posts if p.kind == "article")
    for t in doc.threads:
        if articles[t.id] != 1:
            raise SourceError(
                f"{origin}: thread {t.id!r} has {articles[t.id]} article posts; it needs exactly one"
            )
    claims = {c.id: c for c in doc.claims}
    kialo = {t.id for t in doc.threads if t.source_format == KIALO}
    for c in doc.claims:
        post = posts.get(c.post_id)
        if post is None:
            raise SourceError(
                f"{origin}: claim {c.id!r} is made in post {c.post_id!r}, which the file does not have"
            )
        if c.end < c.start or c.end > len(post.text) or post.text[c.start : c.end] != c.quote:
            raise SourceError(
                f"{origin}: claim {c.id!r}: its quote is not the text of post {c.post_id!r} "
                f"at [{c.start}:{c.end}]; every claim must point at the exact words of its post"
            )
    for name, rows in (
        ("relations", doc.relations),
        ("candidates", doc.candidates),
        ("rejected_relations", doc.rejected_relations),
    ):
        for i, r in enumerate(rows):
            for end in (r.source, r.target):
                if end not in claims:
                    raise SourceError(
                        f"{origin}: {name}[{i}] ({r.type}) points at claim {end!r}, which the file does not have"
                    )
            if r.source == r.target:
                raise SourceError(f"{origin}: {name}[{i}]: claim {r.source!r} {r.type} itself")
            _same_thread(f"{name}[{i}] ({r.type})", r, claims, posts, kialo, origin)


def _same_thread(
    what: str,
    r: RelationRow,
    claims: dict[str, ClaimRow],
    posts: dict[str, PostRow],
    kialo: set[str],
    origin: str,
) -> None:
    """A claim answers a claim of its own thread, as review and extraction keep it: the
    per-thread queries and the thread filter rely on it. The one exception is what a source
    states itself: a Kialo debate's cross-links between its theses (one thread each), which
    ``argmap ingest debate.txt`` stores and so an export of it carries."""
    here = posts[claims[r.source].post_id].thread_id
    there = posts[claims[r.target].post_id].thread_id
    if here != there and not {here, there} <= kialo:
        raise SourceError(
            f"{origin}: {what} from claim {r.source!r} (thread {here!r}) to claim {r.target!r} "
            f"(thread {there!r}) crosses threads: a claim can only answer a claim of its own "
            "thread; remove it from the file and ingest it again"
        )


def _threads(doc: ArgmapFile) -> list[Thread]:
    order = {t.id: i for i, t in enumerate(doc.threads)}
    by_thread: dict[str, list[Post]] = {t.id: [] for t in doc.threads}
    for p in doc.posts:
        by_thread[p.thread_id].append(Post(**p.model_dump()))
    thread_of_post = {p.id: p.thread_id for p in doc.posts}
    claims_of: dict[str, list[Claim]] = {t.id: [] for t in doc.threads}
    claim_rows = {c.id: c for c in doc.claims}
    for c in doc.claims:
        claims_of[thread_of_post[c.post_id]].append(Claim(**c.model_dump()))

    def relation(r: RelationRow, candidate: bool = False) -> Relation:
        return Relation(
            source=r.source,
            target=r.target,
            type=r.type,
            confidence=r.confidence,
            rationale=r.rationale or "",
            # A file without it: the relation's extractor is the one that found its claim.
            extractor=r.extractor or claim_rows[r.source].extractor,
            model=r.model,
            # Written only where it differs from the source claim's (and so is its extractor).
            prompt_version=r.prompt_version
            or (claim_rows[r.source].prompt_version if r.extractor is None else None),
            origin=None if r.origin == "machine" else r.origin,
            status=r.status,
            reviewed_by=r.reviewed_by,
            reviewed_at=r.reviewed_at,
            candidate=candidate,
        )

    def home(r: RelationRow) -> str:
        # A relation is written with the later of its claims' threads, so both ends exist then.
        ends = [thread_of_post[claim_rows[cid].post_id] for cid in (r.source, r.target)]
        return max(ends, key=order.__getitem__)

    relations_of: dict[str, list[Relation]] = {t.id: [] for t in doc.threads}
    rejected_of: dict[str, list[Relation]] = {t.id: [] for t in doc.threads}
    for r in doc.relations:
        relations_of[home(r)].append(relation(r))
    for r in doc.candidates:
        relations_of[home(r)].append(relation(r, candidate=True))
    for r in doc.rejected_relations:
        rejected_of[home(r)].append(relation(r))
    # Reviews go with the last thread, after every thread's claims and posts are written.
    last = doc.threads[-1].id if doc.threads else None
    return [
        Thread(
            id=t.id,
            title=t.title,
            url=t.url,
            source_format=t.source_format,
            published_at=t.published_at,
            posts=sorted(by_thread[t.id], key=lambda p: (p.kind != "article", p.position)),
            # A tree rebuilt before the export says so by its parents' confidences: keep it
            # "reconstructed" (the tree is not rebuilt again either way).
            reply_tree="reconstructed"
            if any(p.parent_confidence is not None for p in by_thread[t.id])
            else "source",
            claims=claims_of[t.id],
            relations=relations_of[t.id],
            rejected_relations=rejected_of[t.id],
            reviews=[r.model_dump() for r in doc.reviews] if t.id == last else [],
        )
        for t in doc.threads
    ]


def parse(text: str, origin: str) -> list[Thread]:
    """The threads of an argmap JSON v1 file, with their claims and relations as stored.

    Raises ``SourceError`` (one line) for another format or version, a malformed field, or a
    reference to something the file does not have.
    """
    doc = _validate(load_json(text, origin), origin)
    _check_references(doc, origin)
    return _threads(doc)
