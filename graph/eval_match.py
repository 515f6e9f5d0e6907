"""Hand labels matched to a thread's posts, and the label files that cannot mean what they say.

A label names a comment by its place in the thread (1..n, the article is 0) or by an id
(``eval_labels``). Matching refuses, with one line naming the row, what would otherwise be scored
silently wrong: a row for the article that labels something (a file counting comments from 0), a
position past the thread's last comment (labels numbering another thread's comments),
two rows saying different things of one comment (the same said twice, ``3`` and ``03``, counts
once), a parent that comes after its comment in a thread where every reply
follows what it answers, and a file that leaves some parents empty while none is the article
(empty meant "answers the article", which reads as "not labelled").
"""

from __future__ import annotations

from typing import Any

from argmap.graph.eval_labels import Label, LabelError

from argmap.core.ids import post_ids_for
from argmap.core.wording import plural

Post = dict[str, Any]


class PostIndex:
    """The thread's posts, found by position or id: the graph's post id, or the id the source
    file gave the comment (post ids are derived from it, ``argmap.ingest.sources``)."""

    def __init__(self, posts: list[Post], thread_id: str = "", title: str = "") -> None:
        self.by_id = {p["id"]: p for p in posts}
        self.by_position = {int(p["position"]): p for p in posts}
        self.thread_id = thread_id
        self.title = title
        self.comments = sum(p["kind"] == "comment" for p in posts)
        # Every reply after what it answers (document order): a label saying otherwise is a slip.
        self.in_reply_order = all(
            p["parent_id"] not in self.by_id
            or self.by_id[p["parent_id"]]["position"] < p["position"]
            for p in posts
        )

    def find(self, key: str | None, is_id: bool = False) -> Post | None:
        """The post ``key`` names; digits are a position unless ``is_id`` (an id column) and a
        post has that id."""
        if key is None:
            return None
        if key.isdigit() and not is_id:
            return self.by_position.get(int(key))
        post = next(
            (self.by_id[k] for k in post_ids_for(self.thread_id, key) if k in self.by_id), None
        )
        if post is None and key.isdigit():
            return self.by_position.get(int(key))
        return post

    def name(self, post_id: str | None) -> str:
        """``12 (Author)``, ``the article (0)`` or ``none``: a post as the report names it."""
        if post_id is None or post_id not in self.by_id:
            return "none"
        p = self.by_id[post_id]
        return "the article (0)" if p["position"] == 0 else f"{p['position']} ({p['author']})"


def excerpt(post: Post, words: int = 8) -> str:
    """The first ``words`` words of a post, so a reader knows which comment a line is about."""
    parts = str(post.get("text") or "").split()
    return " ".join(parts[:words]) + (" ..." if len(parts) > words else "")


def _labels_nothing(label: Label) -> bool:
    # An "article row" (position 0, no parent, not spam) is what an export of every post gives.
    return (
        label.parent in (None, "0")
        and label.stance is None
        and label.relations is None
        and not label.is_spam
    )


def _is_article_row(label: Label, index: PostIndex) -> bool:
    post = index.find(label.comment, label.comment_is_id)
    return post is not None and post["kind"] != "comment" and _labels_nothing(label)


def _check_top_level(labels: list[Label], index: PostIndex) -> None:
    # The article's own row (the thread's CSV with columns added) has no parent to leave empty.
    empty = [x for x in labels if x.parent_blank and not _is_article_row(x, index)]
    with_parent = [x for x in labels if x.parent is not None]
    if not with_parent or not empty:
        return
    parents = (index.find(x.parent, x.parent_is_id) for x in with_parent)
    if not any(p is not None and p["kind"] != "comment" for p in parents):
        raise LabelError(
            f"{empty[0].where}: parent empty, and no row gives the article (0) as a parent: "
            f"write 0 (or article) for a comment that answers the article, ? for a parent you "
            f"did not label ({plural(len(empty), 'row')} with it empty)"
        )


def _check_positions(labels: list[Label], index: PostIndex) -> None:
    """Positions past the thread's last comment: the file numbers another thread's comments (or
    more of this one than the store holds), so every position in it may name the wrong comment."""
    last = max(index.by_position, default=0)
    past = [
        x for x in labels if not x.comment_is_id and x.comment.isdigit() and int(x.comment) > last
    ]
    if not past:
        return
    more = f"; {len(past)} rows name positions past it" if len(past) > 1 else ""
    title = f"{index.title!r}, " if index.title else ""
    raise LabelError(
        f"{past[0].where}: position {past[0].comment} is past the last comment of thread "
        f"{index.thread_id} ({title}{plural(index.comments, 'comment')}{more}): are these labels "
        "for another thread? 'argmap threads' lists the store's, --thread ID picks one; or "
        "ingest the rest of this thread"
    )


def _post_named(key: str | None, is_id: bool, index: PostIndex) -> str | None:
    """The id of the post ``key`` names, else ``key`` itself (a post the thread lacks)."""
    post = index.find(key, is_id)
    return post["id"] if post is not None else key


def _meaning(label: Label, index: PostIndex) -> tuple[Any, ...]:
    """What a row says of its comment, posts named by the posts they are (``03`` is ``3``), so
    two rows for one comment spelt two ways are told the same or conflicting (its thread is
    left out: ``labels_for_thread`` kept only this thread's rows)."""
    relations = label.relations
    return (
        _post_named(label.parent, label.parent_is_id, index),
        label.parent_blank,
        label.is_spam,
        label.stance,
        None
        if relations is None
        else sorted(
            (kind, _post_named(key, label.comment_is_id, index)) for kind, key in relations
        ),
    )


def match(labels: list[Label], index: PostIndex) -> tuple[list[tuple[Label, Post]], list[Label]]:
    """(label, post) for each label naming a comment of the thread, and the labels naming none;
    ``LabelError`` (one line naming the row) for a file that cannot mean what it says."""
    _check_top_level(labels, index)
    _check_positions(labels, index)
    matched: list[tuple[Label, Post]] = []
    unmatched: list[Label] = []
    seen: dict[str, Label] = {}
    for label in labels:
        post = index.find(label.comment, label.comment_is_id)
        if post is not None and post["kind"] != "comment":
            if _labels_nothing(label):
                continue  # the article's own row
            raise LabelError(
                f"{label.where}: {'' if label.comment_is_id else 'position '}{label.comment} is "
                "the article, not a comment: comments are "
                f"numbered 1..{index.comments} (the article is 0); if your file counts comments "
                "from 0, add 1 to every position and parent"
            )
        if post is None:
            unmatched.append(label)
            continue
        if post["id"] in seen:
            first = seen[post["id"]]
            if _meaning(first, index) == _meaning(label, index):
                continue  # "3" and "03" (or a position and its id) saying the same: counted once
            raise LabelError(
                f"{label.where}: {label.comment} is comment {post['position']}, labelled already "
                f"as {first.comment} on line {first.line}; keep one row per comment"
            )
        seen[post["id"]] = label
        parent = index.find(label.parent, label.parent_is_id)
        if parent is not None and index.in_reply_order and parent["position"] >= post["position"]:
            raise LabelError(
                f"{label.where}: the parent of comment {post['position']} is "
                f"{index.name(parent['id'])}, which does not come before it: a comment answers an "
                "earlier post (the article is 0); check the parent column"
            )
        matched.append((label, post))
    return matched, unmatched


def thread_names(threads: list[dict[str, Any]]) -> str:
    """The first five threads as "id ('title')", and how many more: for a line naming them."""
    # With its title: a scholar knows a thread by its title, not by its hashed id.
    shown = ", ".join(
        f"{t['id']} ({t['title']!r})" if t.get("title") else t["id"] for t in threads[:5]
    )
    return shown + (f" and {len(threads) - 5} more" if len(threads) > 5 else "")


def _names(thread: dict[str, Any], name: str) -> bool:
    title = str(thread.get("title") or "")
    return name in (thread["id"], thread.get("url")) or (
        bool(title) and title.casefold() == name.casefold()
    )


def labels_for_thread(
    labels: list[Label], threads: list[dict[str, Any]], thread: str | None
) -> tuple[str | None, list[Label]]:
    """The thread to score (``thread``, else the one a ``thread`` column names) and its labels:
    rows naming another thread are left to that thread's turn. ``LabelError`` for rows naming a
    thread the graph lacks, several threads and no ``thread`` to choose, or none for ``thread``."""
    named = [x for x in labels if x.thread]
    if not named:
        return thread, labels
    if thread is not None:
        chosen = next((t for t in threads if t["id"] == thread), None)
        if chosen is None:
            return thread, labels  # pick_thread says the graph lacks it
        kept = [x for x in labels if not x.thread or _names(chosen, x.thread)]
        if not kept:
            raise LabelError(
                f"{named[0].where}: no row of the labels is for thread {thread} (this one names "
                f"{named[0].thread!r}): check --thread"
            )
        return thread, kept
    ids: list[str] = []
    for x in named:
        found = [t["id"] for t in threads if _names(t, x.thread or "")]
        if not found:
            raise LabelError(
                f"{x.where}: thread {x.thread!r} is not in the graph (it holds "
                f"{thread_names(threads)}): are the "
                "labels for another store? (--db, or --export FILE)"
            )
        ids += [i for i in found if i not in ids]
    if len(ids) > 1:
        raise LabelError(
            f"{named[0].where}: the labels are for {len(ids)} threads ({', '.join(ids[:5])}): "
            "score one at a time with --thread ID"
        )
    return ids[0], labels
