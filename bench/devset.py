"""The development set (``../shared/devset``, never copied here) read into plain trees, rendered as
the sources argmap reads, with the true labels in ``argmap eval``'s format.

- Reddit (raw ``.json`` or the reddit-omni scraper's JSON): each comment's author, text, time and
  true parent. The scraper keeps no times: each comment gets one after its parent's (a seeded
  log-normal gap, median ``GAP_MEDIAN_MIN`` minutes), so siblings have a time order like real ones.
- Kialo ``.txt`` export: each claim's parent (its index minus the last part) and Pro/Con.
- A flat Reddit comment list (``{"title", "author", "created_utc", "body", "comments": [{"id",
  "parent_id", "author", "created_utc", "body"}]}``: how the further tuning threads of
  ``devset_eval.py --extra-tune`` are kept, outside the repository): real times; a comment whose
  parent the file lacks (a pruned branch) is left out with its replies.

``to_wordpress_text`` flattens a tree exactly as the bundled sample was flattened (depth first,
siblings in time order, nesting dropped; the page layout of ``bench/synthetic_wordpress.py``);
``to_csv`` writes it as CSV with ``parent_id`` (the tree given). The labels name comments by
position in the page (depth first), which is also their position in the CSV.
"""

from __future__ import annotations

import csv
import html
import io
import json
import math
import os
import random
import re
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TUNE = (
    "reddit_science_us_vs_europe_wealth_lifespan.json",
    "reddit_science_gendered_expectations_science_communication.json",
    "kialo_6148_should_hate_speech_be_illegal.txt",
)
REPORT = (
    "reddit_dataengineering_o1_thoughts.json",
    "reddit_localllama_o1_vs_recent_leetcode.json",
    "reddit_science_deporting_immigrants_health_workforce.json",
    "kialo_14445_did_the_exodus_really_happen.txt",
)
BOTS = frozenset({"sneakpeekbot", "automoderator"})  # the devset README's bots and boilerplate
GAP_MEDIAN_MIN = 45.0
_START = datetime(2024, 1, 1, 9, 0)
_MONTHS = "January February March April May June July August September October November December"


def devset_dir() -> Path | None:
    """``$ARGMAP_DEVSET``, else ``shared/devset`` beside the repository; ``None`` if absent."""
    env = os.environ.get("ARGMAP_DEVSET")
    path = Path(env) if env else ROOT.parent / "shared" / "devset"
    return path if path.is_dir() else None


@dataclass
class Node:
    key: str
    author: str
    text: str
    when: datetime
    parent: str | None  # None: answers the article
    stance: str | None = None  # Kialo: rebuts / supports towards the parent
    children: list[Node] = field(default_factory=list)


@dataclass
class Tree:
    name: str
    kind: str  # reddit-raw | reddit-scraper | kialo
    title: str
    author: str
    when: datetime
    body: str
    top: list[Node]
    raw: str = ""  # the file's text (a raw Reddit file is also ingested as reddit-json)

    def page_order(self) -> list[Node]:
        """Depth first, siblings in time order."""
        out: list[Node] = []
        stack = list(reversed(_by_time(self.top)))
        while stack:
            n = stack.pop()
            out.append(n)
            stack.extend(reversed(_by_time(n.children)))
        return out


def _by_time(nodes: list[Node]) -> list[Node]:
    return sorted(nodes, key=lambda n: n.when)  # stable: equal times keep the file's order


def _link(nodes: list[Node]) -> list[Node]:
    by_key = {n.key: n for n in nodes}
    top = []
    for n in nodes:
        if n.parent is None or n.parent not in by_key:
            n.parent = None
            top.append(n)
        else:
            by_key[n.parent].children.append(n)
    return top


def _utc(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC).replace(tzinfo=None)


def _reddit_raw(name: str, text: str) -> Tree:
    data = json.loads(text)
    post = data[0]["data"]["children"][0]["data"]
    nodes: list[Node] = []

    def visit(children: list, parent: str | None) -> None:
        for child in children:
            if child.get("kind") != "t1":
                continue
            d = child["data"]
            nodes.append(
                Node(
                    d["name"],
                    d.get("author") or "[deleted]",
                    html.unescape(d.get("body") or ""),  # Reddit escapes &, <, >
                    _utc(d["created_utc"]),
                    parent,
                )
            )
            replies = d.get("replies")
            if isinstance(replies, dict):
                visit(replies["data"]["children"], d["name"])

    visit(data[1]["data"]["children"], None)
    body = (post.get("selftext") or "").strip() or post["title"]
    return Tree(
        name,
        "reddit-raw",
        post["title"],
        post["author"],
        _utc(post["created_utc"]),
        body,
        _link(nodes),
        text,
    )


def _reddit_scraper(name: str, text: str) -> Tree:
    [(post_id, post)] = json.loads(text).items()
    rng = random.Random(zlib.crc32(name.encode()))
    nodes: list[Node] = []

    def visit(comments: dict, parent: str | None, t_parent: datetime) -> None:
        for key, c in comments.items():
            gap = math.exp(rng.gauss(math.log(GAP_MEDIAN_MIN), 1.2))
            when = t_parent + timedelta(minutes=max(1.0, gap))
            nodes.append(
                Node(key, c.get("author") or "[deleted]", c.get("body") or "", when, parent)
            )
            if isinstance(c.get("replies"), dict):
                visit(c["replies"], key, when)

    visit(post.get("comments") or {}, None, _START)
    body = post.get("body") or ""
    body = post["title"] if body.strip() in ("", "Empty.") else body
    return Tree(
        name,
        "reddit-scraper",
        post["title"],
        post.get("author") or "op",
        _START,
        body,
        _link(nodes),
    )


_KIALO_LINE = re.compile(r"^((?:\d+\.)+)\s*(Pro|Con):\s?(.*)$")


def _kialo(name: str, text: str) -> Tree:
    lines = text.replace("\r\n", "\n").split("\n")
    title = lines[0].removeprefix("Discussion Title:").strip()
    thesis_key, thesis = "1.", title
    nodes: list[Node] = []
    current: Node | None = None
    for line in lines[1:]:
        m = _KIALO_LINE.match(line)
        if m:
            key = m.group(1)
            parent = key[: key[:-1].rfind(".") + 1]
            current = Node(
                key,
                f"Contributor {key.rstrip('.')}",
                m.group(3).strip(),
                _START,
                None if parent == thesis_key else parent,
                "supports" if m.group(2) == "Pro" else "rebuts",
            )
            nodes.append(current)
        elif line.startswith(thesis_key + " "):
            thesis, current = line[len(thesis_key) :].strip(), None
        elif line.strip() and current is not None:
            current.text += "\n" + line.strip()  # a claim running over several lines
    # Kialo has no times: a claim comes after its parent, siblings in the export's order.
    top = _link(nodes)
    stack = [(n, _START + timedelta(minutes=i + 1)) for i, n in enumerate(top)]
    while stack:
        n, when = stack.pop()
        n.when = when
        stack.extend((c, when + timedelta(minutes=i + 1)) for i, c in enumerate(n.children))
    return Tree(name, "kialo", title, "kialo", _START, thesis, top)


def _reddit_list(name: str, data: dict) -> Tree:
    ids = {c["id"] for c in data["comments"]}
    nodes: list[Node] = []
    for c in data["comments"]:  # parents come before their replies in these files
        parent = c.get("parent_id") or ""
        if parent and not parent.startswith("t3_") and parent not in ids:
            ids.discard(c["id"])  # its replies go with it
            continue
        nodes.append(
            Node(
                c["id"],
                c.get("author") or "[deleted]",
                html.unescape(c.get("body") or ""),
                _utc(float(c["created_utc"])),
                None if parent.startswith("t3_") or not parent else parent,
            )
        )
    body = (data.get("body") or "").strip() or data["title"]
    when = _utc(float(data["created_utc"]))
    return Tree(
        name, "reddit-list", data["title"], data.get("author") or "op", when, body, _link(nodes)
    )


def load_tree(path: Path) -> Tree:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".txt":
        return _kialo(path.name, text)
    if text.lstrip().startswith("["):
        return _reddit_raw(path.name, text)
    data = json.loads(text)
    if isinstance(data.get("comments"), list):
        return _reddit_list(path.name, data)
    return _reddit_scraper(path.name, text)


def _date(when: datetime) -> str:
    return f"{_MONTHS.split()[when.month - 1]} {when.day}, {when.year}"


def _clock(when: datetime) -> str:
    return f"{when.hour % 12 or 12}:{when.minute:02d} {'am' if when.hour < 12 else 'pm'}"


def _page_text(text: str) -> str:
    # A flattened page has no blank-line runs inside a comment body beyond one blank line.
    return re.sub(r"\n{3,}", "\n\n", text.strip()) or "(empty)"


def to_wordpress_text(tree: Tree) -> str:
    """The tree as a flattened WordPress page, laid out like the bundled sample."""
    comments = tree.page_order()
    out = [
        tree.title.replace("\n", " "),
        "",
        f"by {tree.author} on {_date(tree.when)}",
        "",
        _page_text(tree.body),
        "",
    ]
    out += [f"{{ {len(comments)} comments… read them below or add one }}", ""]
    for c in comments:
        out += [f"{c.author} {_date(c.when)} at {_clock(c.when)}", "", _page_text(c.text), "", ""]
    out += ["Leave a Comment", "", "{ 0 trackbacks }", "", "Previous post:", "", "Next post:"]
    return "\n".join(out) + "\n"


def to_csv(tree: Tree, times: bool | None = None) -> str:
    """The tree as argmap's CSV source with ``parent_id`` (the tree given), rows in page order.

    ``times`` (default: all but Kialo) writes ``posted_at``. A Kialo export has no times: the ones
    ``_kialo`` makes up only order the rows, and written out they would put the deepest claims
    last, where argmap's spam check reads lateness.
    """
    keep = tree.kind != "kialo" if times is None else times

    def when(moment: datetime) -> str:
        return moment.isoformat() if keep else ""

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["id", "author", "text", "posted_at", "parent_id", "title"])
    w.writerow(["article", tree.author, tree.body, when(tree.when), "", tree.title])
    for c in tree.page_order():
        w.writerow([c.key, c.author, c.text or "(empty)", when(c.when), c.parent or "", ""])
    return buf.getvalue()


def labels(tree: Tree) -> list[dict]:
    """True labels by page position: parent, spam (the README's bots), stance (Kialo)."""
    order = tree.page_order()
    position = {n.key: i for i, n in enumerate(order, start=1)}
    return [
        {
            "position": i,
            "parent": position[n.parent] if n.parent is not None else 0,
            "is_spam": int(n.author.casefold() in BOTS),
            "stance": n.stance or "",
        }
        for i, n in enumerate(order, start=1)
    ]


def reddit_json_labels(tree: Tree) -> list[dict]:
    """True labels for the raw file ingested as reddit-json, by argmap's post ids."""
    from argmap.core.ids import stable_id

    return [
        {"id": stable_id("p", "reddit", n.key), "is_spam": int(n.author.casefold() in BOTS)}
        for n in tree.page_order()
    ]
