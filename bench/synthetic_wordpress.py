"""Synthetic WordPress threads, flattened to text exactly like the bundled sample, with a known tree.

The structure (who replies to whom, when, how many claims each comment makes, which claim rebuts
or supports which) comes from ``synthetic.generate``; this module gives it real-looking words:

- authors get human names ("Maria Okafor", "Dan"), the article a byline;
- each synthetic claim becomes one sentence picked from the sample's own comments (or, for the
  article, from the sample's article), so bodies read like the sample and the extractor has
  real stance cues and vocabulary to work on;
- replies sometimes open by naming the author they answer ("Dan, ..." / "@Dan" / "Hi Dan,"),
  and sometimes quote a sentence of it, as real replies do: the reply-tree reconstruction gets
  the same kinds of cues it gets on the sample, not more.

The page is printed depth first with siblings in time order (as WordPress does), which loses the
nesting; the true parent of every comment goes to a side file, so the reconstruction's accuracy
can be measured at any size. ``to_argmap_json`` gives the same thread (same words, the true tree,
the synthetic claims grounded in those words) as argmap JSON v1.

    python bench/synthetic_wordpress.py --comments 10000 --seed 1 -o /tmp/t10k.txt
        # writes /tmp/t10k.txt and /tmp/t10k.parents.json
    python bench/synthetic_wordpress.py --comments 1000 --json -o /tmp/t1k.json
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent)]

from synthetic import SyntheticSpec, SynthThread, generate  # noqa: E402

from argmap.core.ids import claim_id, stable_id  # noqa: E402
from argmap.core.resources import sample_thread  # noqa: E402

_FIRST = (
    "Maria",
    "Dan",
    "Priya",
    "Tom",
    "Aisha",
    "Ben",
    "Chloe",
    "Diego",
    "Elena",
    "Farid",
    "Grace",
    "Hiro",
    "Ines",
    "Jon",
    "Kofi",
    "Lena",
    "Marcus",
    "Nadia",
    "Omar",
    "Paula",
    "Quinn",
    "Rosa",
    "Sam",
    "Tariq",
    "Ursula",
    "Victor",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zoe",
    "Alan",
    "Brandy",
    "Carl",
    "Dana",
    "Erik",
    "Fatima",
    "Gus",
    "Hannah",
    "Ivan",
    "Julia",
    "Karl",
    "Lucia",
    "Mark",
    "Nina",
    "Oscar",
    "Petra",
    "Rafael",
    "Sofia",
    "Theo",
    "Uma",
    "Vera",
    "Walt",
    "Yara",
    "Zack",
    "Amir",
    "Bianca",
    "Colin",
    "Delia",
    "Emil",
    "Freya",
)
_LAST = (
    "Okafor",
    "Lause",
    "Hoch",
    "Baker",
    "Nguyen",
    "Schmidt",
    "Rossi",
    "Kowalski",
    "Haddad",
    "Fernandes",
    "Larsen",
    "Tanaka",
    "Moreau",
    "Silva",
    "Brennan",
    "Adeyemi",
    "Novak",
    "Cohen",
    "Petrov",
    "Walsh",
    "Duarte",
    "Lindqvist",
    "Mensah",
    "Yilmaz",
    "Keller",
    "Abbott",
    "Ortega",
    "Sato",
    "Quist",
    "Reyes",
    "Boyle",
    "Chen",
    "Dubois",
    "Eriksen",
    "Flores",
    "Gallo",
    "Horvat",
    "Iqbal",
    "Jansen",
    "Kim",
    "Lopez",
    "Murphy",
    "Nakamura",
    "Olsen",
    "Park",
    "Ramos",
    "Stein",
    "Torres",
    "Ueda",
    "Vargas",
    "Weber",
    "Young",
    "Zimmer",
    "Amato",
    "Bauer",
    "Costa",
    "Dietz",
    "Evans",
    "Fischer",
    "Grant",
)
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_START = datetime(2013, 6, 24, 9, 0)
_PLAIN_STARTS = frozenset(
    "the this that these those it its you your we our they there what when where why how most "
    "many some so and but if in as not no my all one even just thanks".split()
)
ADDRESS = 0.3  # per reply to a comment: opens by naming its author
QUOTE = 0.08  # per reply to a comment: opens by quoting a sentence of it


def person_name(k: int) -> str:
    """A human-looking, unique name for synthetic author ``k``."""
    if k < len(_FIRST):
        return _FIRST[k]  # the most active people go by a first name, as on the sample
    k -= len(_FIRST)
    first, last = _FIRST[k % len(_FIRST)], _LAST[k // len(_FIRST) % len(_LAST)]
    more = k // (len(_FIRST) * len(_LAST))
    if more == 0:
        return f"{first} {last}"
    initial = chr(ord("A") + (more - 1) % 26)
    return f"{first} {initial}. {last}" + (f" {more // 26 + 1}" if more > 26 else "")


def _date(when: datetime) -> str:
    return f"{_MONTH_NAMES[when.month - 1]} {when.day}, {when.year}"


def _header_time(when: datetime) -> str:
    hour = when.hour % 12 or 12
    return f"{hour}:{when.minute:02d} {'am' if when.hour < 12 else 'pm'}"


@lru_cache(maxsize=1)
def sentence_pools(sample: Path | None = None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Sentences of the sample's article and of its (non-spam) comments, usable as bodies."""
    from argmap.ingest.extract.sentences import split_sentences
    from argmap.ingest.sources.wordpress_text import COUNT_RE, FOOTER_RE, HEADER_RE, parse

    # The parser alone (not spam marking or the reply tree, which this bench measures): the
    # sample's spam is what came after the discussion, from 2014 on.
    sample = sample or sample_thread()
    thread = parse(sample.read_text(encoding="utf-8"), str(sample))[0]

    def usable(s: str) -> bool:
        s = s.strip()
        return (
            30 <= len(s) <= 320
            and "\n" not in s
            and s[:1].isupper()
            and not (HEADER_RE.match(s) or FOOTER_RE.match(s) or COUNT_RE.match(s))
        )

    def pool(posts) -> tuple[str, ...]:
        out: dict[str, None] = {}
        for p in posts:
            for a, b in split_sentences(p.text):
                s = p.text[a:b].strip()
                if usable(s):
                    out[s] = None
        return tuple(out)

    article = pool([thread.article])
    comments = pool([p for p in thread.comments if p.posted_at.year <= 2013])
    return article, comments


_SPLIT = re.compile(r"(?:,| —| –| and| but| because| which| so| that) ")


@lru_cache(maxsize=1)
def sentence_halves() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Heads and tails of the sample's comment sentences, cut at a comma or a conjunction near
    the middle: a head joined to another sentence's tail reads like a comment and is new."""
    heads, tails = [], []
    for s in sentence_pools()[1]:
        cuts = [m.end() for m in _SPLIT.finditer(s) if 0.25 * len(s) <= m.start() <= 0.75 * len(s)]
        if cuts:
            cut = min(cuts, key=lambda c: abs(c - len(s) / 2))
            heads.append(s[:cut])
            tails.append(s[cut:])
    return tuple(heads), tuple(tails)


def comment_sentence(rng: random.Random, whole: float = 0.35) -> str:
    """A sentence from the sample's comments: as it was, or one's head with another's tail."""
    if rng.random() < whole:
        return rng.choice(sentence_pools()[1])
    heads, tails = sentence_halves()
    return rng.choice(heads) + rng.choice(tails)


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


def to_wordpress_text(rt: RenderedThread, trackbacks: int = 12) -> str:
    """The page as the sample prints it: title, byline, article, count line, comments, footer."""
    article, comments = rt.posts[0], rt.posts[1:]
    out = [rt.title, "", f"by {rt.author} on {_date(rt.published_at)}", "", article.text, ""]
    out += [f"{{ {len(comments)} comments… read them below or add one }}", ""]
    for c in comments:
        out += [
            f"{c.author} {_date(c.posted_at)} at {_header_time(c.posted_at)}",
            "",
            c.text,
            "",
            "",
        ]
    out += [
        "Leave a Comment",
        "",
        f"{{ {trackbacks} trackbacks }}",
        "",
        "Previous post:",
        "",
        "Next post:",
    ]
    return "\n".join(out) + "\n"


def thread_id(rt: RenderedThread) -> str:
    """The id the WordPress parser gives this thread (title + publication date)."""
    return stable_id("t", "wordpress-text", rt.title, rt.published_at.date().isoformat())


def to_argmap_json(rt: RenderedThread) -> dict[str, Any]:
    """The same thread as argmap JSON v1: the true reply tree, the synthetic claims grounded in
    the rendered words, and the synthetic relations between them."""
    tid = thread_id(rt)
    pid = [stable_id("p", tid, p.position) for p in rt.posts]
    posts, claims, ids = [], [], {}
    for p in rt.posts:
        posts.append(
            {
                "id": pid[p.position],
                "thread_id": tid,
                "kind": "comment" if p.position else "article",
                "author": p.author,
                "posted_at": p.posted_at.isoformat(),
                "position": p.position,
                "parent_id": pid[p.parent] if p.parent is not None else None,
                "is_spam": False,
                "text": p.text,
            }
        )
        for ci, a, b in p.spans:
            cid = claim_id(pid[p.position], a, b)
            ids[ci] = cid
            claims.append(
                {
                    "id": cid,
                    "post_id": pid[p.position],
                    "text": p.text[a:b],
                    "quote": p.text[a:b],
                    "start": a,
                    "end": b,
                    "extractor": "synthetic",
                }
            )
    relations = [
        {
            "source": ids[r.source],
            "target": ids[r.target],
            "type": r.type,
            "confidence": 0.9,
            "rationale": f"synthetic {r.type}",
        }
        for r in rt.synth.relations
        if r.source in ids and r.target in ids
    ]
    return {
        "format": "argmap-json",
        "version": 1,
        "threads": [
            {
                "id": tid,
                "title": rt.title,
                "url": None,
                "source_format": "wordpress-text",
                "published_at": rt.published_at.isoformat(),
            }
        ],
        "posts": posts,
        "claims": claims,
        "relations": relations,
    }


def make_thread(comments: int, seed: int = 0) -> RenderedThread:
    """A rendered synthetic thread of ``comments`` comments (no spam), deterministic in ``seed``."""
    return render(generate(SyntheticSpec(comments=comments, seed=seed, thread_id=f"wp-{seed}")))


def write_thread(comments: int, path: Path, seed: int = 0, as_json: bool = False) -> dict[str, Any]:
    """Write a thread to ``path`` (WordPress text, or argmap JSON) and its true parents beside it
    (``NAME.parents.json``); returns what was written."""
    rt = make_thread(comments, seed)
    path = Path(path)
    if as_json:
        path.write_text(json.dumps(to_argmap_json(rt), ensure_ascii=False) + "\n", encoding="utf-8")
    else:
        path.write_text(to_wordpress_text(rt), encoding="utf-8")
    parents_path = path.with_name(re.sub(r"\.[^.]*$", "", path.name) + ".parents.json")
    parents_path.write_text(json.dumps({"thread_id": thread_id(rt), "parents": rt.parents}) + "\n")
    return {
        "path": str(path),
        "parents": str(parents_path),
        "thread_id": thread_id(rt),
        "comments": comments,
        "bytes": path.stat().st_size,
    }


def tree_accuracy(true_parents: list[int | None], found: dict[int, int | None]) -> float:
    """Share of comments whose rebuilt parent (``found``: position -> parent position) is right."""
    comments = range(1, len(true_parents))
    if not comments:
        return 1.0
    return sum(found.get(i) == true_parents[i] for i in comments) / len(comments)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="argmap JSON v1 instead of page text")
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)
    print(json.dumps(write_thread(args.comments, args.output, args.seed, args.json)))


if __name__ == "__main__":
    main()
