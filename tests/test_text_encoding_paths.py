"""The encoding rule on every path a file takes: a file read as Windows-1252 that then fails says
how it was read before the error (the odd characters the error quotes come from it); ``--encoding``
reaches a page fetched by URL and a WordPress export read as a stream, and is refused for a
Reddit or Hacker News URL (their APIs answer in UTF-8); ``--batch`` says the note too."""

from __future__ import annotations

from pathlib import Path

import pytest
from argmap.graph.export_json import thread_posts
from argmap.graph.store import Store
from llm_server import ChatServer
from source_server import serve_fixtures
from test_text_encoding import ARTICLE, NOTE, THREAD, argmap, texts

EXPORT = Path(__file__).parent / "fixtures" / "sources" / "wordpress_export.xml"
TITLE = "Should Elm Street close to cars on Saturdays?"
# Curly quote and accent: bytes 0x92 and 0xe9 in Windows-1252, neither of them UTF-8.
NEW_TITLE = "Should Elm Street\u2019s caf\u00e9 close to cars on Saturdays?"


def _no_text_column(tmp_path: Path) -> Path:
    """A Windows-1252 CSV whose text column is named in Portuguese: it cannot be a thread."""
    path = tmp_path / "coment\u00e1rios.csv"
    path.write_bytes(THREAD.replace(",text\n", ",coment\u00e1rio\n").encode("cp1252"))
    return path


def test_a_windows_1252_file_that_fails_says_how_it_was_read_before_its_error(
    argmap_env: Path, store: Store, tmp_path: Path
) -> None:
    """Was: the error alone, "the CSV header lacks the column(s) text", with no word that the
    header it read was Windows-1252."""
    path = _no_text_column(tmp_path)
    alone = argmap("ingest", str(path), "-f", "csv", "-e", "offline")
    assert alone.returncode == 1
    assert alone.stderr.splitlines() == [
        f"argmap: note: {path}: {NOTE}",
        f"argmap: error: {path}: the CSV header lacks the column(s) text; the first line must "
        "name id, author, text (and optionally posted_at, parent_id, title, url)",
    ]
    # Auto-detected, it is no thread of any format: the note comes before that line too.
    detected = argmap("ingest", str(path), "-e", "offline")
    assert detected.stderr.splitlines()[0] == f"argmap: note: {path}: {NOTE}"
    assert "unknown format" in detected.stderr.splitlines()[1]
    # One of several sources: its note, its error, and the good file still goes in.
    good = tmp_path / "good.csv"
    good.write_text(THREAD)
    several = argmap("ingest", str(good), str(path), "-f", "csv", "-e", "offline", "-q")
    assert several.returncode == 1
    lines = several.stderr.splitlines()
    assert lines[0] == f"argmap: note: {path}: {NOTE}"
    assert lines[1].startswith(f"argmap: error: {path}: the CSV header lacks the column(s) text")
    assert ARTICLE in texts(store)


def test_a_windows_1252_label_file_that_fails_says_how_it_was_read(
    sample_env: Store, tmp_path: Path
) -> None:
    path = tmp_path / "labels.csv"
    path.write_bytes("Posici\u00f3n,parent\n1,0\n".encode("cp1252"))
    result = argmap("eval", str(path))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"argmap: note: {path}: {NOTE}",
        f"argmap: error: {path}:1: no 'position' or 'id' column in the header "
        "('Posici\u00f3n,parent'); the first row names the columns (position,parent,is_spam,"
        "stance), separated by commas, semicolons or tabs",
    ]


def test_encoding_applies_to_a_page_fetched_by_url(
    argmap_env: Path, store: Store, tmp_path: Path
) -> None:
    """Was: ignored; a Windows-1252 CSV served without a charset was refused as not UTF-8."""
    path = tmp_path / "cafe.csv"
    path.write_bytes(THREAD.encode("cp1252"))
    with serve_fixtures({"/cafe.csv": ("text/csv", path)}) as site:
        refused = argmap("ingest", f"{site}/cafe.csv", "-e", "offline", "-q")
        assert refused.stderr.splitlines() == [
            f"argmap: error: {site}/cafe.csv: the page is not utf-8 text; give its encoding with "
            "--encoding (cp1252, latin-1, cp1251 ...), or save it and convert it to UTF-8"
        ]
        chosen = argmap("ingest", f"{site}/cafe.csv", "-e", "offline", "-q", "--encoding", "cp1252")
    assert chosen.returncode == 0, chosen.stderr
    assert chosen.stderr == ""  # chosen, not assumed: no note
    assert ARTICLE in texts(store)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.reddit.com/r/urbanplanning/comments/1ab2cd/thread/",
        "https://news.ycombinator.com/item?id=40100000",
    ],
)
def test_encoding_is_refused_for_a_site_read_through_its_utf8_api(
    argmap_env: Path, store: Store, url: str
) -> None:
    result = argmap("ingest", url, "-e", "offline", "--encoding", "cp1252")
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        f"argmap: error: {url}: --encoding does not apply to a Reddit or Hacker News URL (argmap "
        "reads their API, which answers in UTF-8); ingest it in a command without --encoding"
    )
    assert texts(store) == set()


def _export(tmp_path: Path) -> Path:
    """The fixture export in Windows-1252, saying UTF-8, its accents past the 64 KB head."""
    text = EXPORT.read_text().replace(TITLE, NEW_TITLE)
    pad = "<!-- " + "padding " * 9000 + "-->\n"
    head, _, rest = text.partition("<item>")
    path = tmp_path / "site.WordPress.xml"
    path.write_bytes((head + pad + "<item>" + rest).encode("cp1252"))
    return path


def _titles(store: Store) -> set[str]:
    threads, _ = thread_posts(store)
    return {t["title"] for t in threads}


def test_encoding_applies_to_a_wordpress_export_read_as_a_stream(
    argmap_env: Path, store: Store, tmp_path: Path
) -> None:
    """Was: ignored (the XML declaration decided), "not well-formed XML (invalid token ...)"."""
    path = _export(tmp_path)
    as_declared = argmap("ingest", str(path), "-e", "offline", "-q")
    assert as_declared.returncode == 1 and "not well-formed XML" in as_declared.stderr
    chosen = argmap("ingest", str(path), "-e", "offline", "-q", "--encoding", "cp1252")
    assert chosen.returncode == 0, chosen.stderr
    assert NEW_TITLE in _titles(store)
    # Bytes the encoding given has no character for: one line naming the byte and its line.
    line = path.read_bytes()[: path.read_bytes().index(b"caf")].count(b"\n") + 1
    wrong = argmap("ingest", str(path), "-e", "offline", "-q", "--encoding", "ascii")
    assert wrong.stderr.splitlines() == [
        f"argmap: error: {path}: is not ascii text (byte 0x92 on line {line}); give its "
        "encoding with --encoding, or save it as UTF-8"
    ]


def test_encoding_applies_to_a_wordpress_export_fetched_by_url(
    argmap_env: Path, store: Store, tmp_path: Path
) -> None:
    path = _export(tmp_path)
    with serve_fixtures({"/export.xml": ("application/xml", path)}) as site:
        result = argmap(
            "ingest", f"{site}/export.xml", "-e", "offline", "-q", "--encoding", "cp1252"
        )
    assert result.returncode == 0, result.stderr
    assert NEW_TITLE in _titles(store)


def test_batch_says_how_a_windows_1252_file_was_read(
    argmap_env: Path, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--batch`` reads the file as any ingest does: the note, then the batch submitted."""
    path = tmp_path / "cafe.csv"
    path.write_bytes(THREAD.encode("cp1252"))
    monkeypatch.setenv("ARGMAP_LLM_CACHE", str(tmp_path / "c.sqlite3"))
    monkeypatch.setenv("ARGMAP_LLM_BATCHES", str(tmp_path / "b.sqlite3"))
    with ChatServer() as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        sent = argmap("ingest", str(path), "-e", "llm", "--batch")
    assert sent.returncode == 0, sent.stderr
    assert sent.stderr.splitlines() == [f"argmap: note: {path}: {NOTE}"]
    assert "submitted batch batch_1: round 1" in sent.stdout
    assert ARTICLE in texts(store)
