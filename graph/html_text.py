"""The interactive page's words around the map: its legend, relations told apart by shape, and
the whole map as a list for readers who do not see it.

The map is a canvas: a screen reader reads nothing of it, and a keyboard cannot click its
boxes. The list above it holds the same claims and relations as text, each claim a link (it
wraps like text) that opens it in its post, in the panel a mouse click opens. Rebuts and supports differ in how their
line ends as well as in colour, so neither colour vision nor a grey printout is needed to tell
them apart. All comment text is escaped here.
"""

from __future__ import annotations

import html

from argmap.graph.export_style import (
    EDGE_COLOURS,
    EDGE_ENDS,
    LABEL_FILLS,
    LOW_CONFIDENCE,
    RELATION_WORDS,
    REVIEWED_CLAIM_WORDS,
    REVIEWED_EDGE_WORDS,
    claim_reviewed,
    drawn_confidence,
    edge_reviewed,
)
from argmap.graph.picture_style import FOCUS_WORDS, LABEL_WORDS
from argmap.graph.subgraph import ClaimNode, Subgraph

# The list's words for a relation, from the claim that makes it.
VERBS = {"rebuts": "rebuts", "supports": "supports"}


def edge_arrows(kind: str) -> dict[str, dict[str, object]]:
    """vis-network's ``arrows`` option of an edge of ``kind``."""
    return {"to": {"enabled": True, "type": EDGE_ENDS[kind]}}


def end_swatch(kind: str) -> str:
    """The legend's picture of a relation's line and its end, in its colour (decorative: the
    words beside it say the same)."""
    colour = EDGE_COLOURS[kind]
    if EDGE_ENDS[kind] == "bar":
        end = f'<line x1="25" y1="1" x2="25" y2="11" stroke="{colour}" stroke-width="3"/>'
    else:
        end = f'<polygon points="18,1 27,6 18,11" fill="{colour}"/>'
    return (
        '<svg class="sw" width="28" height="12" viewBox="0 0 28 12" aria-hidden="true" '
        f'focusable="false"><line x1="1" y1="6" x2="24" y2="6" stroke="{colour}" '
        f'stroke-width="3"/>{end}</svg>'
    )


def text_lang(language: str | None) -> str:
    """The ``lang`` attribute of an element holding a thread's words: the thread's language,
    or ``lang=""`` (unknown) when it could not be told, so that the page's own "en" does not
    pass for it (a screen reader would read Japanese with an English voice)."""
    return f' lang="{html.escape(language or "", quote=True)}"'


def thread_language_of(sg: Subgraph) -> dict[str, str | None]:
    """Thread id -> the language of its words on the page (``None``: unknown)."""
    return {t.id: t.language for t in sg.threads}


def shared_language(sg: Subgraph) -> str | None:
    """The language every thread of ``sg`` is written in, or ``None`` (unknown or several)."""
    languages = {t.language for t in sg.threads}
    return languages.pop() if len(languages) == 1 else None


def _who(author: str | None) -> str:
    # <bdi>: a name or claim in Arabic or Hebrew keeps its own direction inside the English line.
    return f"<bdi>{html.escape(author or 'unknown')}</bdi>"


def claim_notes(sg: Subgraph, n: ClaimNode) -> str:
    """What the list says of claim ``n`` beside its words (the focus, its grounded label), or ""."""
    notes = [FOCUS_WORDS] if n.id == sg.focus else []
    if n.label in LABEL_WORDS:
        notes.append(f"{n.label}: {LABEL_WORDS[n.label]}")
    return "; ".join(notes)


def _words(n: ClaimNode, languages: dict[str, str | None]) -> str:
    """A claim's text (HTML), marked with its thread's language."""
    return f"<bdi{text_lang(languages.get(n.thread_id or ''))}>{html.escape(n.text)}</bdi>"


def claim_relations(sg: Subgraph) -> dict[str, str]:
    """Claim id -> what it rebuts or supports, as a ``<ul>`` (HTML); claims that do neither are
    left out."""
    by_id = {n.id: n for n in sg.nodes}
    languages = thread_language_of(sg)
    items: dict[str, list[str]] = {}
    for e in sg.edges:
        if e.source in by_id and e.target in by_id:
            target = by_id[e.target]
            items.setdefault(e.source, []).append(
                f"<li>{VERBS[e.type]} {_who(target.author)}: “{_words(target, languages)}”</li>"
            )
    return {claim: f"<ul>{''.join(lis)}</ul>" for claim, lis in items.items()}


def claim_list(sg: Subgraph) -> str:
    """The claims and relations as an ``<ol>``: each claim, then what it rebuts or supports;
    each claim a link (``data-claim``) that the page's script opens in the details panel."""
    languages = thread_language_of(sg)
    relations = claim_relations(sg)
    items = []
    for n in sg.nodes:
        notes = claim_notes(sg, n)
        note = f' <span class="meta">({html.escape(notes)})</span>' if notes else ""
        words = f"{_who(n.author)}: {_words(n, languages)}"
        claim = f'<a href="#details" data-claim="{html.escape(n.id, quote=True)}">{words}</a>'
        items.append(f"<li>{claim}{note}{relations.get(n.id, '')}</li>")
    return f"<ol>{''.join(items)}</ol>"


def list_title(sg: Subgraph) -> str:
    """What the list is, with its size: the title it is opened by."""
    return f"The map as text: {len(sg.nodes)} claims, {len(sg.edges)} relations"


def map_as_text(sg: Subgraph) -> str:
    """The page's list (``claim_list``, claims linked) folded under its title."""
    return (
        f'<details class="astext"><summary>{list_title(sg)} '
        f"(each claim opens in its post)</summary>{claim_list(sg)}</details>"
    )


def legend(sg: Subgraph) -> str:
    """The legend's items (HTML): only what the page draws, each mark with its words."""
    present = {e.type for e in sg.edges}
    items = [
        f"<span>{end_swatch(t)}{html.escape(words)}</span>"
        for t, words in RELATION_WORDS.items()
        if t in present
    ]
    if any(drawn_confidence(e) < LOW_CONFIDENCE for e in sg.edges):
        items.append(
            '<span><i class="sw" aria-hidden="true" style="background:repeating-linear-gradient('
            f'90deg,#777 0 5px,transparent 5px 8px)"></i>dashed line: the extractor was less than '
            f"{LOW_CONFIDENCE:g} sure</span>"
        )
    if any(edge_reviewed(e) for e in sg.edges):
        items.append(f'<span class="reviewed">✓ on a line: {REVIEWED_EDGE_WORDS}</span>')
    if any(claim_reviewed(n) for n in sg.nodes):
        items.append(f'<span class="reviewed">{html.escape(REVIEWED_CLAIM_WORDS)}</span>')
    if sg.labelled:
        shown = {n.label for n in sg.nodes}
        for lab, words in LABEL_WORDS.items():
            if lab in shown:
                items.append(
                    f'<span><i class="box" aria-hidden="true" style="background:'
                    f'{LABEL_FILLS[lab]}"></i>{html.escape(words)}</span>'
                )
    if sg.focus:
        items.append(
            '<span><i class="box" aria-hidden="true" style="border:3px solid #111"></i>'
            f"{FOCUS_WORDS}</span>"
        )
    return "".join(items)


def legend_block(sg: Subgraph) -> str:
    """The legend as the page shows it: a ``<details>`` (open; the page folds it into its summary
    line on a phone), or nothing when the page draws nothing it explains."""
    items = legend(sg)
    if not items:
        return ""
    return (
        '<details class="legend" open><summary>What the lines and boxes mean</summary>'
        f'<div class="items">{items}</div></details>'
    )
