"""A synthetic thread given real-looking words, in WordPress page order: human names, sentences
from the sample, replies that open by naming or quoting the comment they answer."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from bench.synthetic_names import person_name
from bench.synthetic_sample_sentences import comment_sentence, sentence_pools
from bench.synthetic_structure import SynthThread

_START = datetime(2013, 6, 24, 9, 0)
_PLAIN_STARTS = frozenset(
    "the this that these those it its you your we our they there what when where why how most "
    "many some so and but if in as not no my all one even just thanks".split()
)
ADDRESS = 0.3  # per reply to a comment: opens by naming its author
QUOTE = 0.08  # per reply to a comment: opens by quoting a sentence of it


@dataclass
class RenderedPost:
    """One post as printed: its place on the page, the true parent's place, words, claim spans."""

    position: int
    parent: int | None
    author: str
    posted_at: datetime
    text: str
    spans: list[tuple[int, int, int]]  # (synthetic claim index, start, end)


@dataclass
class RenderedThread:
    title: str
    author: str
    published_at: datetime
    posts: list[RenderedPost]  # in page order: the article, then comments depth first
    synth: SynthThread

    @property
    def parents(self) -> list[int | None]:
        """The true parent position of each post, by position (None for the article)."""
        return [p.parent for p in self.posts]


def _opener(rng: random.Random, name: str) -> str:
    first = name.split()[0]
    return rng.choice((f"{first}, ", f"@{first} ", f"Hi {first}, ", f"{name}, ", f"{first} – "))


def _body(
    rng: random.Random, sentences: list[tuple[int | None, str]], lead: str
) -> tuple[str, list[tuple[int, int, int]]]:
    """Sentences into paragraphs of one to three; the spans of the claim sentences."""
    text, spans = "", []
    i = 0
    while i < len(sentences):
        size = rng.choice((1, 1, 2, 2, 3))
        para = sentences[i : i + size]
        if text:
            text += "\n\n"
        for j, (ci, s) in enumerate(para):
            if j:
                text += " "
            if not text and lead:
                text += lead
                if not lead.endswith((" ", "\n")):
                    text += " "
                # "Dan, The point is..." reads badly: lower-case a plain first word after a comma.
                first_word = s.split(" ", 1)[0]
                if lead.endswith(", ") and first_word.lower() in _PLAIN_STARTS:
                    s = s[0].lower() + s[1:]
            start = len(text)
            text += s
            if ci is not None:
                spans.append((ci, start, len(text)))
        i += size
    if not sentences and lead:
        text = lead.strip()
    return text, spans


def render(synth: SynthThread, seed: int | None = None) -> RenderedThread:
    """Give ``synth`` real-looking words, in WordPress page order (deterministic in the seed)."""
    spec = synth.spec
    rng = random.Random(spec.seed if seed is None else seed)
    article_pool = sentence_pools()[0]
    order = synth.document_order()
    position = {idx: pos for pos, idx in enumerate(order)}
    names: dict[str, str] = {}

    def name_of(author: str) -> str:
        if author not in names:
            names[author] = (
                person_name(int(author.rsplit(" ", 1)[-1])) if author[-1:].isdigit() else author
            )
        return names[author]

    article_author = "Pham Binh"
    names[synth.posts[0].author] = article_author
    # Words are chosen in time order (a quote needs its parent's words), then laid out by page.
    words: dict[int, RenderedPost] = {}
    for sp in synth.posts:
        sentences: list[tuple[int | None, str]] = []
        if sp.filler:
            sentences.append((None, sp.filler))
        sentences += [
            (ci, rng.choice(article_pool) if sp.index == 0 else comment_sentence(rng))
            for ci in sp.claims
        ]
        if sp.spam:
            sentences = [(None, "Buy cheap watches at example dot com, best prices online.")]
        lead = ""
        parent = words.get(sp.parent) if sp.parent else None
        if parent is not None and not sp.spam:
            r = rng.random()
            if r < QUOTE and parent.spans:
                _, a, b = rng.choice(parent.spans)
                lead = f"“{parent.text[a:b]}”\n\n"
            elif r < QUOTE + ADDRESS and parent.author != name_of(sp.author):
                lead = _opener(rng, parent.author)
        text, spans = _body(rng, sentences, lead)
        words[sp.index] = RenderedPost(
            position[sp.index],
            position[sp.parent] if sp.parent is not None else None,
            name_of(sp.author),
            _START + timedelta(minutes=sp.minute),
            text,
            spans,
        )
    posts = [words[idx] for idx in order]
    title = f"Thinking of Joining the ISO? Take {spec.seed} ({spec.comments} comments)"
    return RenderedThread(title, article_author, _START.replace(hour=0, minute=0), posts, synth)
