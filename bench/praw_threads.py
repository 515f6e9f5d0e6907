"""Real Reddit threads with real times and true trees, out of the PRAW sdist's test recordings.

PRAW's source distribution on PyPI ships its integration tests' recorded API responses
(``tests/integration/cassettes/*.json``, gzip+base64 bodies). Five of them hold a whole comment
listing of a real thread (2011-2017, 145-492 comments). This writes each as the flat comment list
``devset.py`` reads, into a folder **outside the repository** (they are Reddit users' words, not
ours to redistribute):

    pip download praw==7.7.1 --no-binary :all: --no-deps -d /tmp/praw && tar xzf /tmp/praw/praw-7.7.1.tar.gz -C /tmp/praw
    python bench/praw_threads.py /tmp/praw/praw-7.7.1 /tmp/praw-threads

Session 6 scored all five once as held out, then tuned on two (``TUNE`` below: they joined
``--extra-tune``) and kept three held out (``devset_eval.py --heldout``).
"""

from __future__ import annotations

import base64
import gzip
import json
import sys
from pathlib import Path
from typing import Any

TUNE = ("t3_3hahrw", "t3_n49rw")  # r/funny, r/announcements "We're back"
MIN_COMMENTS = 30


def _bodies(path: Path) -> list[tuple[str, str]]:
    """(request address, response text) of every recorded interaction."""
    data = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for step in data.get("http_interactions", []):
        body = step.get("response", {}).get("body", {})
        if body.get("base64_string"):
            raw = base64.b64decode(body["base64_string"])
            text = (gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw).decode("utf-8")
        else:
            text = body.get("string") or ""
        out.append((step.get("request", {}).get("uri", ""), text))
    return out


def _comments(listing: dict[str, Any], out: list[dict[str, Any]]) -> None:
    for child in listing.get("data", {}).get("children", []):
        if child.get("kind") != "t1":  # "more" stubs are not comments
            continue
        d = child["data"]
        out.append(
            {
                "id": d["name"],
                "parent_id": d["parent_id"],
                "author": d.get("author") or "[deleted]",
                "created_utc": d["created_utc"],
                "body": d.get("body") or "",
            }
        )
        if isinstance(d.get("replies"), dict):
            _comments(d["replies"], out)


def threads(sdist: Path) -> dict[str, dict[str, Any]]:
    """The largest comment listing recorded for each thread, by the post's id."""
    found: dict[str, dict[str, Any]] = {}
    for path in sorted((sdist / "tests" / "integration" / "cassettes").glob("*.json")):
        for uri, text in _bodies(path):
            if "/comments/" not in uri or not text.lstrip().startswith("["):
                continue
            data = json.loads(text)
            post = data[0]["data"]["children"][0]["data"]
            comments: list[dict[str, Any]] = []
            _comments(data[1], comments)
            if len(comments) > len(found.get(post["name"], {}).get("comments", [])):
                found[post["name"]] = {
                    "source": f"praw sdist: tests/integration/cassettes/{path.name}",
                    "subreddit": post.get("subreddit"),
                    "title": post.get("title"),
                    "author": post.get("author"),
                    "created_utc": post.get("created_utc"),
                    "body": post.get("selftext") or "",
                    "comments": comments,
                }
    return {k: v for k, v in found.items() if len(v["comments"]) >= MIN_COMMENTS}


def main(argv: list[str] | None = None) -> None:
    sdist, out = (Path(a) for a in (argv or sys.argv[1:]))
    for split in ("tune", "heldout"):
        (out / split).mkdir(parents=True, exist_ok=True)
    for key, thread in sorted(threads(sdist).items()):
        split = "tune" if key in TUNE else "heldout"
        name = f"reddit_{thread['subreddit'].lower()}_{key[3:]}.json"
        (out / split / name).write_text(json.dumps(thread, ensure_ascii=False), encoding="utf-8")
        print(json.dumps({"file": f"{split}/{name}", "comments": len(thread["comments"])}))


if __name__ == "__main__":
    main()
