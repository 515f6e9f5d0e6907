"""The offline extractor: claims and relations from rules, with no network and no model.

Claims are claim-like sentences of each post (``claims``; sentences from ``sentences``), never
words the post quotes from an earlier one (``quotes``). Relations go from a reply's claims to the
claims of the post it answers (its parent, or the nearest ancestor that has claims; a top-level
comment answers the article) and to earlier claims it quotes; ``relations`` picks the target by
lexical similarity (``similarity``) and the type by stance cues (``stance``).

When no explicit cue decides, a reply's lead claim is related to its target from weaker evidence
(``weak_stance``: contrast, negation, questions, sarcasm / restatement, additive markers, praise)
with a confidence of 0.2-0.3, below every cue-based relation; a reply whose text holds no such
evidence gets no relation (it is not stored as a rebuttal on a prior alone). A reply whose near ancestors have no claims answers the nearest one further up that has, or
the article.

Posts are visited in document order, a reply never before its parent, and each needs only its
ancestors' claims (plus the few it quotes): linear in the size of the thread. The output depends
only on the input: same thread, same claims, ids and relations.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Mapping

from argmap.graph.thread_languages import known
from argmap.ingest.content_words import reads
from argmap.ingest.extract import PostResult, taken_away
from argmap.ingest.extract.claims import (
    Sentence,
    claim_score,
    clip_span,
    paraphrase,
    promote_question_claim,
    promote_short_claim,
    select,
    without_links,
)
from argmap.ingest.extract.grounding import locate_quote
from argmap.ingest.extract.nli import STANCE_MODELS, Contradiction, load_contradiction
from argmap.ingest.extract.quotes import QuoteFinder, fully_quoted, marked_quotes
from argmap.ingest.extract.relations import Target, relate
from argmap.ingest.extract.sentences import split_sentences
from argmap.ingest.extract.similarity import Idf, stems, vector
from argmap.ingest.extract.stance import find_cues

from argmap.core.errors import ExtractionError
from argmap.core.ids import claim_id
from argmap.core.languages import detect_language
from argmap.core.models import Claim, Post, Relation, Thread

PROMPT_VERSION = "offline-1"
REPEATS = "repeats an earlier post"
QUOTATION = "a quotation"
NOT_OWN = (REPEATS, QUOTATION)  # sentences whose words (and cues) are someone else's
OPENER_BONUS = 0.5  # a reply's first sentence of its own usually states its position
QUOTE_WINDOW = 30  # how many earlier comments a quotation is looked up in (besides ancestors)
FAR_ANCESTORS = 64  # how far up a reply whose near ancestors have no claims looks for some


class OfflineExtractor:
    """Rule-based extraction: sentence segmentation, stance cues, lexical similarity."""

    name = "offline"
    model: str | None = None
    prompt_version: str | None = PROMPT_VERSION
    batch_size = 200

    def __init__(
        self,
        max_article_claims: int = 25,
        max_comment_claims: int = 5,
        max_relations: int = 3,
        stance_model: str = "none",
    ) -> None:
        """``stance_model`` ``nli`` types the hidden guesses with the NLI model of
        ``argmap.ingest.extract.nli`` (``ExtractionError`` here if it is not installed)."""
        self.max_article_claims = max_article_claims
        self.max_comment_claims = max_comment_claims
        self.max_relations = max_relations
        self.contradiction: Contradiction | None = None
        if stance_model == "nli":
            self.contradiction = load_contradiction()
            self.prompt_version = f"{PROMPT_VERSION}+nli"
        elif stance_model != "none":
            raise ExtractionError(
                f"unknown stance model {stance_model!r}: use {' or '.join(STANCE_MODELS)}"
            )

    def extract(self, thread: Thread, done: Mapping[str, list[Claim]]) -> Iterator[PostResult]:
        """Yield one result per non-spam post not in ``done``, parents before children."""
        yield from _Run(self, thread, done).results()


class _Run:
    """One extraction over one thread (holds the thread-wide statistics and claim index)."""

    def __init__(self, ex: OfflineExtractor, thread: Thread, done: Mapping[str, list[Claim]]):
        self.ex = ex
        self.thread = thread
        self.done = done
        self.posts = {p.id: p for p in thread.posts}
        self.index = {p.id: i for i, p in enumerate(thread.posts)}
        # Stance cues and content words are read in the thread's language (German, French,
        # Spanish; else English), as told when the thread was prepared.
        self.language = (
            known(thread.language)
            if thread.language is not None
            else detect_language([thread.title, *(p.text for p in thread.posts)])
        )
        self.idf = Idf((p.text for p in thread.posts if not p.is_spam), self.language)
        authors = {" ".join(p.author.split()).casefold() for p in thread.posts}
        self.names = authors | {a.split()[0] for a in authors if " " in a and len(a.split()[0]) > 2}
        self.spans: dict[str, list[tuple[str, int, int]]] = {}  # post id -> its claims
        self.targets: OrderedDict[str, list[Target]] = OrderedDict()  # small LRU of vectors
        self.quotes = QuoteFinder(pinned=thread.article.id)

    # -- traversal ------------------------------------------------------------------------

    def order(self) -> Iterator[Post]:
        """Every post once, in document order, except that a post waits for its parent."""
        emitted: set[str] = set()
        waiting: dict[str, list[Post]] = {}  # parent id -> replies that came before it

        def release(post: Post) -> Iterator[Post]:
            stack = [post]
            while stack:
                p = stack.pop()
                if p.id in emitted:
                    continue
                emitted.add(p.id)
                yield p
                stack.extend(reversed(waiting.pop(p.id, [])))

        for post in self.thread.posts:
            parent = post.parent_id
            if parent and parent != post.id and parent in self.posts and parent not in emitted:
                waiting.setdefault(parent, []).append(post)
            else:
                yield from release(post)
        for post in self.thread.posts:  # left waiting only inside a reply cycle
            yield from release(post)

    def results(self) -> Iterator[PostResult]:
        for post in self.order():
            if post.is_spam or post.id in self.done:
                continue
            result = self.extract_post(post)
            self.spans[post.id] = [(c.id, c.start, c.end) for c in result.claims]
            yield result

    # -- the claims a post offers as targets ----------------------------------------------

    def claims_of(self, post_id: str) -> list[tuple[str, int, int, str]]:
        post = self.posts[post_id]
        if post_id in self.done:
            return [(c.id, c.start, c.end, c.quote) for c in self.done[post_id]]
        return [(cid, s, e, post.text[s:e]) for cid, s, e in self.spans.get(post_id, [])]

    def targets_of(self, post_id: str) -> list[Target]:
        cached = self.targets.get(post_id)
        if cached is not None:
            self.targets.move_to_end(post_id)
            return cached
        targets = [
            Target(cid, post_id, quote, s, e, vector(quote, self.idf))
            for cid, s, e, quote in self.claims_of(post_id)
        ]
        if post_id not in self.done and post_id not in self.spans:
            return targets  # not extracted yet (it waits for its parent): nothing to remember
        self.targets[post_id] = targets
        if len(self.targets) > 4096:
            self.targets.popitem(last=False)
        return targets

    def ancestors(self, post: Post, limit: int = 4) -> list[Post]:
        """The non-spam posts ``post`` answers, nearest first (parent, grandparent, ...)."""
        out: list[Post] = []
        seen = {post.id}
        pid = post.parent_id
        while pid and pid in self.posts and pid not in seen and len(out) < limit:
            seen.add(pid)
            parent = self.posts[pid]
            if not parent.is_spam:
                out.append(parent)
            pid = parent.parent_id
        return out

    # -- one post -------------------------------------------------------------------------

    def analyse(self, post: Post, ancestors: list[Post]) -> list[Sentence]:
        """The post's sentences, scored as claims, with the words it quotes from its ancestors."""
        near = ancestors[:2]
        article = self.thread.article
        with_article = near + (
            [article] if article.id != post.id and all(p.id != article.id for p in near) else []
        )
        # Words in quotation marks may come from any recent comment, not only the ones answered.
        i = self.index[post.id]
        skip = {p.id for p in with_article}
        recent = [
            p
            for p in reversed(self.thread.posts[max(1, i - QUOTE_WINDOW) : i])
            if not p.is_spam and p.id not in skip
        ]
        anywhere = with_article + recent
        out: list[Sentence] = []
        for start, end in split_sentences(post.text):
            text = post.text[start:end]
            hit = self.quotes.find(text, with_article if post.parent_id == article.id else near)
            if hit is None and text.lstrip()[:1] in '"“«>':
                hit = self.quotes.find(text, anywhere)
            if hit is not None:
                out.append(Sentence(start, end, text, [], reason=REPEATS, quoted=hit))
                continue
            if fully_quoted(text):
                out.append(Sentence(start, end, text, [], reason=QUOTATION))
                continue
            own, hits = text, []
            for qs, qe in marked_quotes(text):
                inner = self.quotes.find(text[qs:qe], anywhere)
                if inner is not None:
                    hits.append(inner)
                    own = (
                        own[:qs] + " " * (qe - qs) + own[qe:]
                    )  # quoted words are not the replier's
            cues = find_cues(own, self.language)
            plain = without_links(own)
            words = stems(plain, self.language)  # its content words, as similarity reads them
            # Claim-likeness still counts words the English way its thresholds were set on.
            score, reason = claim_score(own, cues, stems(plain) if reads(self.language) else words)
            sentence = Sentence(start, end, text, cues, score, reason, hits[0] if hits else None)
            if sentence.is_claim:
                sentence.vector = vector(words, self.idf)
            out.append(sentence)
        short = promote_short_claim(out)
        if short is None and post.kind == "comment":
            short = promote_question_claim(out)
        if short is not None:
            short.vector = vector(stems(without_links(short.text), self.language), self.idf)
        if post.kind == "comment":
            # A reply's first sentence of its own usually states its position.
            first = next((s for s in out if s.reason not in NOT_OWN), None)
            if first is not None and first.is_claim:
                first.score += OPENER_BONUS
        return out

    def extract_post(self, post: Post) -> PostResult:
        if taken_away(post.text):
            # A removed or deleted comment: no claims, as on the LLM path (llm_run); its
            # replies answer the nearest ancestor that has claims.
            return PostResult(post_id=post.id)
        ancestors = self.ancestors(post)
        sentences = self.analyse(post, ancestors)
        cap = self.ex.max_article_claims if post.kind == "article" else self.ex.max_comment_claims
        claims: list[tuple[Claim, Sentence]] = []
        dropped = 0
        for s in select(sentences, cap):
            start, end = clip_span(post.text, s.start, s.end)
            quote = post.text[start:end]
            if locate_quote(post.text, quote, start) != (start, end):
                dropped += 1  # cannot happen by construction; grounding is checked anyway
                continue
            claim = Claim(
                id=claim_id(post.id, start, end),
                post_id=post.id,
                text=paraphrase(quote, self.names),
                quote=quote,
                start=start,
                end=end,
                extractor="offline",
                prompt_version=PROMPT_VERSION,
            )
            claims.append((claim, s))
        relations = self.relate(post, ancestors, sentences, claims) if claims else []
        return PostResult(
            post_id=post.id,
            claims=[c for c, _ in claims],
            relations=relations,
            dropped_claims=dropped,
        )

    # -- relations ------------------------------------------------------------------------

    def candidate_targets(
        self, post: Post, ancestors: list[Post], sentences: list[Sentence]
    ) -> tuple[list[Target], set[str], bool]:
        """The claims a reply may answer and which of them it quotes, and whether they are its
        parent's (or quoted) claims rather than a further ancestor's."""
        targets: list[Target] = []
        direct = False
        for depth, anc in enumerate(ancestors[:3]):
            targets = list(self.targets_of(anc.id))  # a copy: the cached list stays as it is
            if targets:
                direct = depth == 0
                break
        if not targets and post.kind == "comment":
            targets = self.far_targets(post)
        quoted: set[str] = set()
        known = {t.claim_id for t in targets}
        for hit in (s.quoted for s in sentences if s.quoted is not None):
            for t in self.targets_of(hit.post_id):
                if t.start < hit.end and hit.start < t.end:
                    quoted.add(t.claim_id)
                    if t.claim_id not in known:
                        known.add(t.claim_id)
                        targets.append(t)
        return targets, quoted, direct or bool(quoted)

    def far_targets(self, post: Post) -> list[Target]:
        """The claims of the nearest ancestor past the third that has any, else the article's:
        a reply under a run of claimless posts (questions, one-liners) still answers something."""
        article = self.thread.article
        for anc in [*self.ancestors(post, FAR_ANCESTORS)[3:], article]:
            if anc.id != post.id and not anc.is_spam and (targets := self.targets_of(anc.id)):
                return list(targets)
        return []

    def relate(
        self,
        post: Post,
        ancestors: list[Post],
        sentences: list[Sentence],
        claims: list[tuple[Claim, Sentence]],
    ) -> list[Relation]:
        targets, quoted, direct = self.candidate_targets(post, ancestors, sentences)
        own = [s for s in sentences if s.reason not in NOT_OWN]
        author = _person(post.author)
        mine = {t.claim_id for t in targets if _person(self.posts[t.post_id].author) == author}
        judge = None
        if self.ex.contradiction is not None and targets:
            answered, model = self.posts[targets[0].post_id].text, self.ex.contradiction
            judge = lambda: model(answered, post.text)  # noqa: E731 (asked only for a guess)
        return relate(
            claims,
            own,
            targets,
            quoted,
            direct,
            self.idf,
            self.ex.max_relations,
            self.ex.prompt_version,
            mine,
            self.thread.article.id,
            judge,
            self.language,
        )


def _person(name: str) -> str:
    return " ".join(name.split()).casefold()
