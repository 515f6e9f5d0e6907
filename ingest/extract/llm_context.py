"""What the model sees for one post, and nothing more.

For the article: the thread title and the article. For a comment: the thread title, the
article's main claims, the comment's ancestors (nearest ``MAX_ANCESTORS``, trimmed) with their
claims, and the comment itself in full. The claims of the article and of the ancestors shown are
the candidates the comment may rebut or support; they are offered under short ids (``C1``,
``C2``, ...) that map back to claim ids, which keeps prompts small and makes an invented id
easy to spot.

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

from argmap.core.errors import ExtractionError
from argmap.core.models import Claim, Post, Thread
from argmap.core.resources import prompt_files

PROMPT_VERSION = "v1"
MAX_ARTICLE_CLAIMS = 10  # asked of the model for the article
MAX_ANCESTORS = 4  # the nearest ones; older ones rarely change what a comment means
PARENT_CHARS = 1500  # the post replied to, trimmed to this
ANCESTOR_CHARS = 500  # older ancestors, trimmed to this
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
        "article_claims",
        "conversation",
        "author",
        "text",
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
    """The messages for one post and the candidate ids they offer (short id -> claim id)."""

    post: Post
    messages: list[dict[str, str]]
    candidates: dict[str, str] = field(default_factory=dict)


def trim(text: str, limit: int) -> str:
    """``text`` with blank runs collapsed, cut at a word boundary to about ``limit`` chars."""
    text = re.sub(r"\s*\n\s*", "\n", text.strip())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip() + " [...]"


def ancestors(thread: Thread, post: Post) -> list[Post]:
    """The posts above ``post`` up to (not including) the article, nearest first."""
    by_id = {p.id: p for p in thread.posts}
    chain: list[Post] = []
    seen = {post.id}
    parent = by_id.get(post.parent_id or "")
    while parent is not None and parent.kind != "article" and parent.id not in seen:
        chain.append(parent)
        seen.add(parent.id)
        parent = by_id.get(parent.parent_id or "")
    return chain


def _claim_lines(claims: list[Claim], offered: dict[str, str]) -> list[str]:
    lines = []
    for claim in sorted(claims, key=lambda c: (c.start, c.end)):
        key = f"C{len(offered) + 1}"
        offered[key] = claim.id
        lines.append(f"[{key}] {trim(claim.text, PARAPHRASE_CHARS)}")
    return lines


def build_request(
    thread: Thread, post: Post, claims_by_post: Mapping[str, list[Claim]], prompts: Prompts
) -> PostRequest:
    """The messages the model sees for ``post``; ``claims_by_post`` holds the finished posts."""
    system = {"role": "system", "content": prompts.system}
    article = thread.article
    if post.id == article.id:
        user = prompts.article.substitute(
            title=thread.title, author=article.author, max_claims=MAX_ARTICLE_CLAIMS, text=post.text
        )
        return PostRequest(post, [system, {"role": "user", "content": user}])

    offered: dict[str, str] = {}
    article_lines = _claim_lines(claims_by_post.get(article.id, []), offered)
    blocks = []
    chain = ancestors(thread, post)[:MAX_ANCESTORS]
    for depth, parent in reversed(list(enumerate(chain))):
        limit = PARENT_CHARS if depth == 0 else ANCESTOR_CHARS
        block = f"--- {parent.author}:\n{trim(parent.text, limit)}"
        lines = _claim_lines(claims_by_post.get(parent.id, []), offered)
        if lines:
            block += "\nIts claims:\n" + "\n".join(lines)
        blocks.append(block)
    user = prompts.comment.substitute(
        title=thread.title,
        article_author=article.author,
        article_claims="\n".join(article_lines) or "(none extracted)",
        conversation="\n\n".join(blocks) or "(none: this comment replies to the article itself)",
        author=post.author,
        text=post.text,
        candidate_ids=", ".join(offered) or "none, so leave every relations list empty",
    )
    return PostRequest(post, [system, {"role": "user", "content": user}], offered)


def approx_tokens(text: str) -> int:
    """Tokens in ``text`` at ``CHARS_PER_TOKEN`` characters a token (an estimate, not a count)."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def estimate_prompt_tokens(messages: list[dict[str, str]], schema: dict) -> int:
    """Approximate prompt tokens of a request: its messages plus the response schema."""
    return sum(
        approx_tokens(m["content"]) + MESSAGE_OVERHEAD_TOKENS for m in messages
    ) + approx_tokens(json.dumps(schema))
