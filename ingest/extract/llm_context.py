"""What the model sees for one post, and nothing more, ordered for providers' prompt caches.

For the article: the thread title and the article. For a comment, first what is the same for
every comment of the thread (the system prompt, the thread title, the article's opening and its
main claims), so a provider that caches a repeated prompt prefix (OpenAI does from 1,024 tokens)
bills it at its cached rate; then what is the comment's own: the earlier posts it is offered
(``llm_parents``: its parent and ancestors, or on a flattened page the posts it may answer, marked
with the heuristic's guess) with their claims, and the comment itself in full. The claims shown
are the candidates the comment may rebut or support (a post's first ``MAX_OFFERED_CLAIMS``),
offered under short ids (``C1``, ``C2``, ...) that map back to claim ids; offered posts have ids too (``P0`` the article, ``P1``...). Short ids
keep prompts small and make an invented id easy to spot.

The prompt wording lives in ``prompts/extract_{system,article,comment}.<version>.md``
(``string.Template`` placeholders); its version is stored on every claim and relation.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from string import Template

from argmap.ingest.extract.llm_parents import ParentOptions

from argmap.core.errors import ExtractionError
from argmap.core.models import Claim, Post, Thread
from argmap.core.resources import prompt_files

PROMPT_VERSION = "v2"
MAX_ARTICLE_CLAIMS = 10  # asked of the model for the article
# Claims of one post offered to later prompts: a model that answers with hundreds (a one-word
# quote each) would otherwise put them all into every comment's prompt, and its cost.
MAX_OFFERED_CLAIMS = 2 * MAX_ARTICLE_CLAIMS
ARTICLE_CHARS = 1200  # the article's opening, in the shared prefix of every comment's prompt
PARENT_CHARS = 1200  # the post replied to (or the heuristic's guess), trimmed to this
ANCESTOR_CHARS = 400  # other offered posts, trimmed to this
PARAPHRASE_CHARS = 300
CHARS_PER_TOKEN = 4  # OpenAI's rule of thumb for English; no tokenizer download needed
MESSAGE_OVERHEAD_TOKENS = 4


@dataclass(frozen=True)
class Prompts:
    """One version of the extraction prompts: the system prompt and two user templates."""

    version: str
    system: str
    article: Template
    comment: Template

    @property
    def label(self) -> str:
        """What is stored as ``prompt_version`` on claims and relations."""
        return f"extract.{self.version}"


# What each template must mention: a prompt file without one would send the model a hole.
PLACEHOLDERS = {
    "system": (),
    "article": ("title", "author", "text", "max_claims"),
    "comment": (
        "title",
        "article_author",
        "article_excerpt",
        "article_claims",
        "conversation",
        "author",
        "text",
        "reply_task",
        "candidate_ids",
    ),
}


def load_prompts(version: str = PROMPT_VERSION, directory: Traversable | None = None) -> Prompts:
    """Read ``extract_*.<version>.md`` from ``directory`` (the packaged prompts by default).

    A missing file or a template that lacks one of its placeholders fails here, naming both.
    """
    folder = directory if directory is not None else prompt_files()
    texts = {}
    for part, needed in PLACEHOLDERS.items():
        path = folder / f"extract_{part}.{version}.md"
        try:
            texts[part] = path.read_text(encoding="utf-8").strip()
        except OSError:
            raise ExtractionError(f"prompt file {path} is missing; reinstall argmap") from None
        found = set(Template(texts[part]).get_identifiers())
        missing = [name for name in needed if name not in found]
        if missing:
            raise ExtractionError(
                f"prompt file {path} lacks the placeholder ${missing[0]}; add it or reinstall argmap"
            )
    return Prompts(version, texts["system"], Template(texts["article"]), Template(texts["comment"]))


@dataclass
class PostRequest:
    """The messages for one post, the candidate claim ids they offer (short id -> claim id) and,
    where the model picks the parent, the posts offered (short id -> post id) and the
    heuristic's parent."""

    post: Post
    messages: list[dict[str, str]]
    candidates: dict[str, str] = field(default_factory=dict)
    parents: dict[str, str] = field(default_factory=dict)
    heuristic_parent: str | None = None

    @property
    def choosing(self) -> bool:
        """The answer names the parent (``reply_to``)."""
        return bool(self.parents)


def trim(text: str, limit: int) -> str:
    """``text`` with blank runs collapsed, cut at a word boundary to about ``limit`` chars."""
    text = re.sub(r"\s*\n\s*", "\n", text.strip())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip() + " [...]"


def _claim_lines(claims: list[Claim], offered: dict[str, str]) -> list[str]:
    lines = []
    for claim in sorted(claims, key=lambda c: (c.start, c.end))[:MAX_OFFERED_CLAIMS]:
        key = f"C{len(offered) + 1}"
        offered[key] = claim.id
        lines.append(f"[{key}] {trim(claim.text, PARAPHRASE_CHARS)}")
    return lines


def _conversation(
    thread: Thread,
    options: ParentOptions,
    claims_by_post: Mapping[str, list[Claim]],
    offered: dict[str, str],
) -> tuple[str, dict[str, str]]:
    """The offered posts, oldest first, with their claims; and their short ids when choosing."""
    by_id = {p.id: p for p in thread.posts}
    near = options.heuristic or (options.offered[-1] if options.offered else None)
    parents = {"P0": thread.article.id} if options.choosing else {}
    blocks = []
    for n, pid in enumerate(options.offered, start=1):
        post = by_id[pid]
        limit = PARENT_CHARS if pid == near else ANCESTOR_CHARS
        if options.choosing:
            parents[f"P{n}"] = pid
            mark = " <- the layout's guess" if pid == options.heuristic else ""
            head = f"[P{n}] {post.author} ({options.probability.get(pid, 0.0):.0%}{mark}):"
        else:
            head = f"--- {post.author}:"
        block = f"{head}\n{trim(post.text, limit)}"
        lines = _claim_lines(claims_by_post.get(pid, []), offered)
        if lines:
            block += "\nIts claims:\n" + "\n".join(lines)
        blocks.append(block)
    if options.choosing:
        article = thread.article.id
        guess = " <- the layout's guess" if options.heuristic == article else ""
        intro = (
            "The page lost which post this comment replies to. It answers one of these posts "
            "(oldest first, long ones trimmed, with how likely the page layout makes each) or "
            f"the article [P0] ({options.probability.get(article, 0.0):.0%}{guess}):"
        )
    elif blocks:
        intro = "The conversation this comment replies to, oldest first (long posts trimmed):"
    else:
        return "This comment replies to the article itself.", parents
    return intro + "\n\n" + "\n\n".join(blocks), parents


def build_request(
    thread: Thread,
    post: Post,
    claims_by_post: Mapping[str, list[Claim]],
    prompts: Prompts,
    options: ParentOptions | None = None,
) -> PostRequest:
    """The messages the model sees for ``post``; ``claims_by_post`` holds the finished posts and
    ``options`` the earlier posts it is offered (none: it answers the article)."""
    system = {"role": "system", "content": prompts.system}
    article = thread.article
    if post.id == article.id:
        user = prompts.article.substitute(
            title=thread.title, author=article.author, max_claims=MAX_ARTICLE_CLAIMS, text=post.text
        )
        return PostRequest(post, [system, {"role": "user", "content": user}])

    offered: dict[str, str] = {}
    article_lines = _claim_lines(claims_by_post.get(article.id, []), offered)
    conversation, parents = _conversation(
        thread, options or ParentOptions([]), claims_by_post, offered
    )
    reply_task = ""
    if parents:
        ids = ", ".join(parents)
        reply_task = f"Set `reply_to` to the post it answers: one of {ids}.\n"
    user = prompts.comment.substitute(
        title=thread.title,
        article_author=article.author,
        article_excerpt=trim(article.text, ARTICLE_CHARS),
        article_claims="\n".join(article_lines) or "(none extracted)",
        conversation=conversation,
        author=post.author,
        text=post.text,
        reply_task=reply_task,
        candidate_ids=", ".join(offered) or "none, so leave every relations list empty",
    )
    heuristic = options.heuristic if options is not None and parents else None
    return PostRequest(
        post, [system, {"role": "user", "content": user}], offered, parents, heuristic
    )


def approx_tokens(text: str) -> int:
    """Tokens in ``text`` at ``CHARS_PER_TOKEN`` characters a token (an estimate, not a count)."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def estimate_prompt_tokens(messages: list[dict[str, str]], schema: dict) -> int:
    """Approximate prompt tokens of a request: its messages plus the response schema."""
    return sum(
        approx_tokens(m["content"]) + MESSAGE_OVERHEAD_TOKENS for m in messages
    ) + approx_tokens(json.dumps(schema))
