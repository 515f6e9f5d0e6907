"""``kialo``: a Kialo discussion export (the "Export discussion" ``.txt`` file).

The file is ``Discussion Title: ...``, then the thesis ``1. TEXT`` (newer exports may have more:
``2. TEXT``...), then one claim a line, ``1.2.3. Pro: TEXT`` or ``Con: TEXT``, whose parent is its
index minus the last part; a claim may run over several lines (continuation lines carry no index).
A claim whose text is ``-> See 1.x.y.`` is a cross-link: the linked claim, already in the debate,
stands Pro/Con to this parent as well.

The source gives both the reply tree and the argument, so the thread carries its own extraction
(``Thread.claims``/``relations``, as argmap JSON does) and no extractor runs: each thesis is the
article of a thread, each claim a comment answering its parent claim's post, one claim per post
quoting the post's whole text, and one relation per Pro (``supports``) or Con (``rebuts``) with
confidence 1.0 and extractor ``kialo``. Kialo exports carry no authors or times: every post is by
``Kialo contributor`` and has no time. Spam detection does not run on a thread that carries its
extraction, which is right here: Kialo debates are moderated.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from argmap.core.errors import SourceError
from argmap.core.ids import claim_id, post_id, stable_id
from argmap.core.models import Claim, Post, Relation, Thread

log = logging.getLogger(__name__)

NAME = "kialo"
AUTHOR = "Kialo contributor"
EXTRACTOR = "kialo"
STANCE: dict[str, Literal["rebuts", "supports"]] = {"pro": "supports", "con": "rebuts"}

_TITLE = re.compile(r"^\ufeff?[ \t]*Discussion Title:[ \t]*(.*?)\s*$")
_CLAIM = re.compile(r"^((?:\d+\.){2,})[ \t]+(Pro|Con):[ \t]*(.*?)\s*$", re.IGNORECASE)
_THESIS = re.compile(r"^(\d+)\.[ \t]+(.*?)\s*$")
# Lines that start like an index but are not a whole one: "1.2.3. Maybe: ...", "1.2 Pro: ...".
# Prose such as "1.5 million people" is left alone (a continuation line).
_BROKEN = re.compile(r"^(?:(?:\d+\.){2,}(?:\s|$)|\d+(?:\.\d+)+\.?[ \t]*(?:pro|con)\b)", re.I)
_SEE = re.compile(r"^->[ \t]*See[ \t]+((?:\d+\.)*\d+)\.?$", re.IGNORECASE)
# Markdown links, whose address may hold escaped or balanced parentheses; backslash escapes.
_LINK = re.compile(r"\[((?:[^\]\\]|\\.)*)\]\((?:[^()\\\s]|\\.|\([^()\s]*\))*\)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")
_LINE_END = re.compile(r"\r\n?|\n")
_MAX_LINK_HOPS = 64


@dataclass
class _Item:
    """One thesis or claim of the file, as read (a record, so a dataclass)."""

    index: str  # "1." for a thesis, "1.2.3." for a claim
    stance: str | None  # "Pro" / "Con"; None for a thesis
    line: int  # 1-based line number of its index line
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines).strip()

    @property
    def parent(self) -> str:
        return self.index[: self.index[:-1].rfind(".") + 1]


def detect(text: str) -> bool:
    """The first non-blank line is ``Discussion Title: ...``."""
    for line in _LINE_END.split(text[:4096]):
        if line.strip():
            return bool(_TITLE.match(line))
    return False


def readable(text: str) -> str:
    """``text`` as a reader sees it: markdown links become their words, escapes their character."""
    return _ESCAPE.sub(r"\1", _LINK.sub(lambda m: m.group(1), text))


def _fail(origin: str, line: int, what: str) -> SourceError:
    return SourceError(f"{origin}: line {line}: {what}")


def _read_items(text: str, origin: str) -> tuple[str, list[_Item]]:
    """The title and the theses and claims in file order; one-line errors for broken lines."""
    lines = _LINE_END.split(text)
    first = next((n for n, line in enumerate(lines) if line.strip()), 0)
    title = _TITLE.match(lines[first])
    if title is None:
        raise _fail(
            origin,
            first + 1,
            "expected 'Discussion Title: ...' (a Kialo export's first line); add it, or name "
            "another --format",
        )
    claim_roots = {m.group(1).split(".")[0] for m in map(_CLAIM.match, lines) if m}
    items: list[_Item] = []
    theses = 0
    for n, line in enumerate(lines[first + 1 :], start=first + 2):
        claim = _CLAIM.match(line)
        thesis = _THESIS.match(line)
        if claim and not theses:
            raise _fail(
                origin,
                n,
                f"no thesis: claim {claim.group(1)} comes before the thesis line '1. TEXT'; "
                "add the thesis and retry",
            )
        if claim:
            items.append(_Item(claim.group(1), claim.group(2).capitalize(), n, [claim.group(3)]))
        elif (
            thesis
            and int(thesis.group(1)) == theses + 1
            and (theses == 0 or thesis.group(1) in claim_roots)
        ):
            # A later "2. ..." is a thesis only if claims hang under it: inside a claim it is a list.
            theses += 1
            items.append(_Item(f"{theses}.", None, n, [thesis.group(2)]))
        elif _BROKEN.match(line):
            raise _fail(
                origin,
                n,
                f"broken index line {line.strip()[:40]!r}: expected 'INDEX. Pro: TEXT' or "
                "'INDEX. Con: TEXT' (e.g. '1.2. Con: ...'); fix the line and retry",
            )
        elif not items:
            if line.strip():
                raise _fail(
                    origin,
                    n,
                    "no thesis: expected the thesis line '1. TEXT' after the title; add it and retry",
                )
        else:
            items[-1].lines.append(line.rstrip())
    if not items:
        raise _fail(
            origin,
            first + 1,
            "no thesis: expected a line '1. TEXT' after the title; add it and retry",
        )
    return title.group(1), items


def _check(items: list[_Item], origin: str) -> dict[str, _Item]:
    """Items by index: unique, each claim's parent in the file, each with text."""
    by_index: dict[str, _Item] = {}
    for item in items:
        seen = by_index.get(item.index)
        if seen is not None:
            raise _fail(
                origin,
                item.line,
                f"index {item.index} appears twice (first at line {seen.line}); "
                "renumber one of them and retry",
            )
        by_index[item.index] = item
        if not item.text:
            raise _fail(
                origin,
                item.line,
                f"{item.index} has no text; add it (or remove the line) and retry",
            )
    for item in items:
        if item.stance is not None and item.parent not in by_index:
            raise _fail(
                origin,
                item.line,
                f"claim {item.index} has no parent: there is no {item.parent} in the file; "
                "fix its index and retry",
            )
    return by_index


def _link_of(item: _Item) -> str | None:
    """The index a cross-link points at (``"1.2.1."``), or None for a claim of its own (and
    for a thesis, which is never a link)."""
    m = _SEE.match(item.text) if item.stance else None
    return m.group(1) + "." if m else None


def _resolve(index: str, by_index: dict[str, _Item]) -> str | None:
    """The claim a chain of cross-links ends at; None when it ends nowhere (or loops)."""
    for _ in range(_MAX_LINK_HOPS):
        item = by_index.get(index)
        if item is None:
            return None
        target = _link_of(item)
        if target is None:
            return index
        index = target
    return None


def parse(text: str, origin: str) -> list[Thread]:
    """One thread per thesis of a Kialo export, with its claims and Pro/Con relations.

    Raises ``SourceError`` (one line naming the line number) for a missing title or thesis, a
    broken index line, a claim whose parent is not in the file, or a repeated index.
    """
    title, items = _read_items(text, origin)
    by_index = _check(items, origin)
    links = {i.index: _link_of(i) for i in items}
    theses = [i.index for i in items if i.stance is None]
    # Ids follow the text, not the index: a later export renumbers claims (a new sibling shifts
    # the rest, a moved claim gets a new index) and each must land on its earlier nodes. A
    # thesis's "1." in the id is its occurrence among theses of the same text (ids of
    # single-thesis stores ingested with index-based ids keep their thread id).
    thesis_keys = _occurrences([by_index[t] for t in theses], per_thesis=False)
    thread_ids = {
        t: stable_id("t", NAME, title, f"{thesis_keys[t][1]}.", by_index[t].text) for t in theses
    }
    # A cross-link gets no post: the linked claim already has one, and a post without a claim
    # would count as a comment that says nothing; its relation is drawn from the linked claim.
    own = [i for i in items if links[i.index] is None]
    keys = _occurrences(own, per_thesis=True)
    post_ids = {i.index: post_id(thread_ids[_thesis(i.index)], *keys[i.index]) for i in own}
    posts: dict[str, list[Post]] = {t: [] for t in theses}
    claims: dict[str, list[Claim]] = {t: [] for t in theses}
    for item in own:
        thesis, pid = _thesis(item.index), post_ids[item.index]
        parent = None if item.stance is None else _answered(item, by_index, origin)
        posts[thesis].append(
            Post(
                id=pid,
                thread_id=thread_ids[thesis],
                kind="article" if parent is None else "comment",
                author=AUTHOR,
                position=len(posts[thesis]),
                text=item.text,
                parent_id=None if parent is None else post_ids[parent],
            )
        )
        claims[thesis].append(
            Claim(
                id=claim_id(pid, 0, len(item.text)),
                post_id=pid,
                text=readable(item.text),
                quote=item.text,
                start=0,
                end=len(item.text),
                extractor=EXTRACTOR,
            )
        )
    claim_ids = {
        index: claim_id(pid, 0, len(by_index[index].text)) for index, pid in post_ids.items()
    }
    relations = _relations(items, by_index, links, claim_ids, theses, origin)
    return [
        Thread(
            id=thread_ids[t],
            title=_title(title, by_index[t].text, t, len(theses)),
            source_format=NAME,
            posts=posts[t],
            reply_tree="source",
            claims=claims[t],
            relations=relations[t],
        )
        for t in theses
    ]


def _occurrences(items: list[_Item], per_thesis: bool) -> dict[str, tuple[str, int]]:
    """Each item's identity by index: its text with whitespace folded, and its occurrence
    (1, 2, ...) among items of the same text in file order, counted per thesis when
    ``per_thesis`` (the rare repeated claim stays two claims, told apart by order)."""
    seen: Counter[tuple[str, str]] = Counter()
    out: dict[str, tuple[str, int]] = {}
    for item in items:
        text = " ".join(item.text.split())
        key = (_thesis(item.index) if per_thesis else "", text)
        seen[key] += 1
        out[item.index] = (text, seen[key])
    return out


def _thesis(index: str) -> str:
    """The thesis an index hangs under: ``"1.2.3."`` -> ``"1."``."""
    return index.split(".")[0] + "."


def _title(title: str, thesis: str, index: str, theses: int) -> str:
    title = title or readable(thesis).split("\n")[0]
    return f"{title} (thesis {index.rstrip('.')})" if theses > 1 else title


def _answered(item: _Item, by_index: dict[str, _Item], origin: str) -> str:
    """The index of the claim ``item`` answers: its parent, or what a cross-link parent links to."""
    target = _resolve(item.parent, by_index)
    if target is None or _thesis(target) != _thesis(item.index):
        raise _fail(
            origin,
            item.line,
            f"claim {item.index} answers {item.parent}, a cross-link to no claim of this "
            "thesis; move it under the claim it answers and retry",
        )
    return target


def _relations(
    items: list[_Item],
    by_index: dict[str, _Item],
    links: dict[str, str | None],
    claim_ids: dict[str, str],
    theses: list[str],
    origin: str,
) -> dict[str, list[Relation]]:
    """One relation per Pro/Con, each kept with the later thread of its two ends (a relation
    is written after both of its claims)."""
    out: dict[str, list[Relation]] = {t: [] for t in theses}
    seen: set[tuple[str, str, str]] = set()
    for item in items:
        if item.stance is None:
            continue
        target = _resolve(item.parent, by_index)
        link = links[item.index]
        source = item.index if link is None else _resolve(link, by_index)
        if source is None or target is None:
            log.warning(
                "%s: line %d: %s links to %s, which is not a claim in the file; link left out",
                origin,
                item.line,
                item.index,
                link,
            )
            continue
        if source == target:
            log.warning(
                "%s: line %d: %s links %s to itself; link left out",
                origin,
                item.line,
                item.index,
                target,
            )
            continue
        stance = STANCE[item.stance.lower()]
        if (source, target, stance) in seen:
            continue
        seen.add((source, target, stance))
        rationale = f"Kialo: {item.stance} of {item.parent}"
        if link is not None:
            rationale += f" (cross-link {item.index} -> {link})"
        out[max(_thesis(source), _thesis(target), key=theses.index)].append(
            Relation(
                source=claim_ids[source],
                target=claim_ids[target],
                type=stance,
                confidence=1.0,
                rationale=rationale,
                extractor=EXTRACTOR,
            )
        )
    return out
