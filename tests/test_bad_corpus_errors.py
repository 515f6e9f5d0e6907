"""Bad input gets one clear line and changes nothing: empty and binary files, NUL characters past
the binary sniffing window, JSON nested past any real thread (corpus: ``tests/bad_corpus.py``).
"""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest
from argmap.graph.store import Store
from bad_corpus import (
    FIXTURES,
    assert_one_line_error,
    ingest,
    node_count,
    when,
    wordpress,
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("empty.txt", "the file is empty"), ("binary.bin", "looks like a PNG picture, not a thread")],
)
def test_unusable_files_get_one_line_and_change_nothing(
    hostile: Store, name: str, expected: str
) -> None:
    before = node_count(hostile)
    assert_one_line_error(ingest(FIXTURES / name), expected)
    assert node_count(hostile) == before


def test_nul_characters_are_refused_before_anything_is_written(
    hostile: Store, tmp_path: Path
) -> None:
    # Past the first 8 KB, where a NUL does not make the file look binary.
    article = "Open review improves the standard because the comments were read. " * 150
    text = wordpress(
        "A NUL thread",
        [("Alice", when(10), "Fine text."), ("Bob", when(20), "Text with a NUL\x00 inside.")],
        article,
    )
    assert text.index("\x00") > 8192
    path = tmp_path / "nul.txt"
    path.write_text(text, encoding="utf-8")
    before = node_count(hostile)
    assert_one_line_error(ingest(path), "post 2", "NUL character")
    # The same in argmap JSON, where it arrives as an escape (no NUL byte in the file at all).
    doc = json.loads((FIXTURES / "tiny.json").read_text())
    doc["posts"][1]["author"] = "Bob\x00"
    path = tmp_path / "nul.json"
    path.write_text(json.dumps(doc))
    assert b"\x00" not in path.read_bytes()
    assert_one_line_error(ingest(path), "author name of post 1", "NUL character")
    assert node_count(hostile) == before


@pytest.mark.parametrize("fmt", ["reddit-json", "hn-json", "argmap-json", "jsonl", "auto"])
def test_json_nested_past_any_real_thread_is_one_line(
    argmap_env: Path, tmp_path: Path, fmt: str
) -> None:
    path = tmp_path / "abyss.json"
    if fmt in ("jsonl", "auto"):
        path.write_text(
            '{"id": "1", "author": "a", "text": ' + "[" * 100_000 + "]" * 100_000 + "}\n"
        )
    else:
        path.write_text("[" * 100_000 + "]" * 100_000)
    expected = "does not look like a thread" if fmt == "auto" else "nested too deeply"
    assert_one_line_error(ingest(path, "--format", fmt), expected)


def test_utf16_with_its_mark_is_read_and_without_it_is_named(
    hostile: Store, tmp_path: Path, sample_path: Path
) -> None:
    from argmap.ingest.sources import load_threads

    text = sample_path.read_text(encoding="utf-8")
    marked = tmp_path / "excel-unicode.txt"
    marked.write_bytes(text.encode("utf-16"))  # with its byte-order mark, as Excel writes it
    [thread] = load_threads(marked)
    [same] = load_threads(sample_path)
    assert [p.text for p in thread.posts] == [p.text for p in same.posts]
    bare = tmp_path / "bare.txt"
    bare.write_bytes(text.encode("utf-16-le"))
    before = node_count(hostile)
    assert_one_line_error(ingest(bare), "UTF-16 text without a byte-order mark")
    assert_one_line_error(ingest(Path("/dev/zero")), "is over 1 GiB")
    assert node_count(hostile) == before


def test_reading_a_thread_file_asks_for_memory_by_its_size_not_the_one_gib_bound(
    sample_path: Path,
) -> None:
    from argmap.ingest.sources import read_source_text

    read_source_text(sample_path)  # imports and caches aside
    tracemalloc.start()
    try:
        text, _ = read_source_text(sample_path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # The file's bytes and its text (up to 4 bytes a character), not a 1 GiB read buffer.
    assert peak < 10 * sample_path.stat().st_size, (peak, sample_path.stat().st_size)
