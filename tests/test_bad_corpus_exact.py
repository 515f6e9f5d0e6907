"""Text argmap must keep exactly as written: Unicode edge cases (bidi controls, joiners, astral
characters, separators) and a 5 MB comment, on its own lines or on one line, in every format
that reads it (corpus: ``tests/bad_corpus.py``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from argmap.graph.store import Store
from bad_corpus import (
    FIXTURES,
    UNICODE_PAYLOADS,
    ingest,
    stored_posts,
    when,
    wordpress,
)


def test_unicode_edge_cases_are_stored_exactly(argmap_env: Path, store: Store) -> None:
    path = FIXTURES / "unicode.txt"
    raw = path.read_text(encoding="utf-8-sig")  # the file starts with a BOM
    result = ingest(path)
    assert result.exit_code == 0, result.output
    title = store.run_read("MATCH (t:Thread) RETURN t.title AS title")[0]["title"]
    assert title == raw.splitlines()[0] and "👩\u200d👩\u200d👧\u200d👦" in title
    posts = stored_posts(store)
    assert len(posts) == 6
    for p in posts[1:]:
        assert f"\n{p['author']} June 24, 2013 at " in raw
        assert f"\n\n{p['text']}\n\n" in raw
    everything = "\n".join(p["author"] + "\n" + p["text"] for p in posts)
    for payload in UNICODE_PAYLOADS:
        assert payload in everything, ascii(payload)
    # Claims quote their post exactly, by code point offsets, astral characters included.
    claims = store.run_read(
        "MATCH (p:Post)-[:MAKES]->(c:Claim) RETURN p.text AS text, c.quote AS quote, "
        "c.start AS start, c.end AS end"
    )
    assert claims
    for c in claims:
        assert c["text"][c["start"] : c["end"]] == c["quote"]


def test_a_five_megabyte_comment_is_stored_exactly(
    argmap_env: Path, store: Store, tmp_path: Path
) -> None:
    sample = (Path(__file__).parent.parent / "data/examples/joining-the-iso-2013.txt").read_text()
    paragraphs = [p for p in sample.split("\n\n")[10:60] if len(p) > 100 and "\n" not in p]
    body, i = [], 0
    while sum(map(len, body)) + 2 * len(body) < 5_000_000:
        body.append(paragraphs[i % len(paragraphs)])
        i += 1
    huge = "\n\n".join(body)
    path = tmp_path / "huge.txt"
    path.write_text(
        wordpress(
            "One huge comment",
            [
                ("Alice", when(10), "Short one: open review is fine."),
                ("Bob", when(20), huge),
                ("Alice", when(80), "Bob, that was long, and I still disagree."),
            ],
        ),
        encoding="utf-8",
    )
    result = ingest(path)
    assert result.exit_code == 0, result.output
    posts = stored_posts(store)
    assert [p["author"] for p in posts] == ["Pham Binh", "Alice", "Bob", "Alice"]
    assert len(huge) >= 5_000_000 and posts[2]["text"] == huge
    claims = store.run_read(
        "MATCH (p:Post {position: 2})-[:MAKES]->(c:Claim) RETURN c.quote AS quote, c.start AS s"
    )
    assert claims and all(huge[c["s"] : c["s"] + len(c["quote"])] == c["quote"] for c in claims)


def _five_megabyte_line() -> str:
    sample = (Path(__file__).parent.parent / "data/examples/joining-the-iso-2013.txt").read_text()
    sentences = [p for p in sample.split("\n\n")[10:60] if len(p) > 100 and "\n" not in p]
    line, i = [], 0
    while sum(map(len, line)) + len(line) < 5_000_000:
        line.append(sentences[i % len(sentences)])
        i += 1
    return " ".join(line)


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "wordpress-text"])
def test_a_five_megabyte_comment_on_one_line_is_read_exactly(tmp_path: Path, fmt: str) -> None:
    """Past the csv module's 128 KB cell limit, and one line for the format sniffers."""
    from argmap.ingest.sources import detect_format, format_module

    huge = _five_megabyte_line()
    if fmt == "csv":
        text = (
            'id,author,text\n1,op,Open review improves the standard.\n2,bob,"'
            + huge.replace('"', '""')
            + '"\n'
        )
    elif fmt == "jsonl":
        text = (
            "\n".join(
                json.dumps(row, ensure_ascii=False)
                for row in (
                    {"id": "1", "author": "op", "text": "Open review improves the standard."},
                    {"id": "2", "author": "bob", "text": huge},
                )
            )
            + "\n"
        )
    else:
        text = wordpress("One long line", [("bob", when(10), huge)])
    assert detect_format(text) == fmt
    (thread,) = format_module(fmt).parse(text, "huge")
    assert thread.posts[1].text == huge
