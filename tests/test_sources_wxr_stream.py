"""A WordPress site's export is read from its file, or from its URL, as a stream: it can be
hundreds of MB, most of it posts without comments, attachments and menus argmap leaves out.

The export is generated (a few MB: a thousand long posts without comments, one post with a
threaded discussion) in the structure of ``test_sources_wxr``'s fixtures.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from argmap.ingest.sources import load_threads, wordpress_wxr
from argmap.ingest.sources.fetch import MAX_BYTES
from argmap.ingest.thread import prepare_thread
from source_server import serve_fixtures
from test_sources_wxr import comment, item, wxr

from argmap.core.errors import SourceError
from argmap.core.models import Thread

FILLER_POSTS = 1000
FILLER_BYTES = 5000


@pytest.fixture(scope="module")
def big_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    words = "Paragraph of a long post nobody commented on, with some ünïcödé. " * 80
    filler = "".join(
        item("", link=f"http://site.example/?p={n}", body=words[:FILLER_BYTES])
        for n in range(2, FILLER_POSTS + 2)
    )
    replies = "".join(
        comment(n, 0 if n % 5 == 0 else n - 1, f"Comment {n}: I disagree with that, because {n}.")
        for n in range(100, 200)
    )
    path = tmp_path_factory.mktemp("wxr") / "site.xml"
    path.write_text(wxr(filler + item(replies) + filler), encoding="utf-8")
    return path


@pytest.fixture
def site(big_export: Path, tmp_path: Path) -> Iterator[str]:
    """A local server (127.0.0.1) giving the export at /export.xml, its first half at /cut.xml,
    a page past the download bound at /huge.xml and an RSS document of another kind at
    /feed.xml; yields its base URL."""
    cut, huge, feed = tmp_path / "cut.xml", tmp_path / "huge.xml", tmp_path / "feed.xml"
    data = big_export.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    with huge.open("wb") as f:
        f.write(data[:65536])
        f.truncate(MAX_BYTES + 1)  # sparse: no 64 MiB written to the disk
    feed.write_text('<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>')
    xml = "text/xml; charset=UTF-8"
    files = {"/export.xml": big_export, "/cut.xml": cut, "/huge.xml": huge, "/feed.xml": feed}
    with serve_fixtures({path: (xml, file) for path, file in files.items()}) as url:
        yield url


def _dump(threads: list[Thread]) -> list[dict[str, object]]:
    return [t.model_dump() for t in threads]


def test_the_export_read_from_its_file_gives_the_thread_read_from_its_text(
    big_export: Path,
) -> None:
    assert big_export.stat().st_size > 5 * 2**20
    read_whole = wordpress_wxr.parse(big_export.read_text(encoding="utf-8"), str(big_export))
    want = [prepare_thread(t) for t in read_whole]

    got = load_threads(big_export)

    assert len(got) == 1 and len(got[0].comments) == 100
    assert _dump(got) == _dump(want)


def test_reading_the_export_never_holds_it_whole_in_memory(big_export: Path) -> None:
    tracemalloc.start()
    try:
        load_threads(big_export)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Read whole, the file's bytes and then its text were each in memory (over its size).
    assert peak < big_export.stat().st_size / 4, (peak, big_export.stat().st_size)


def test_an_export_cut_mid_way_is_still_one_line_from_its_file(
    big_export: Path, tmp_path: Path
) -> None:
    cut = tmp_path / "cut.xml"
    data = big_export.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(SourceError) as caught:
        load_threads(cut)
    message = str(caught.value)
    assert message.startswith(f"{cut}: the WordPress export ends mid-way"), message
    assert "\n" not in message


def test_the_export_read_from_its_url_gives_the_thread_read_from_its_file(
    big_export: Path, site: str
) -> None:
    assert _dump(load_threads(f"{site}/export.xml")) == _dump(load_threads(big_export))


def test_reading_the_export_from_its_url_never_holds_it_whole_in_memory(
    big_export: Path, site: str
) -> None:
    tracemalloc.start()
    try:
        [thread] = load_threads(f"{site}/export.xml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(thread.comments) == 100
    # Fetched whole, the page's bytes and then its text were each in memory (over its size).
    assert peak < big_export.stat().st_size / 4, (peak, big_export.stat().st_size)


def test_an_export_cut_mid_way_is_still_one_line_from_its_url(site: str) -> None:
    with pytest.raises(SourceError) as caught:
        load_threads(f"{site}/cut.xml")
    message = str(caught.value)
    assert message.startswith(f"{site}/cut.xml: the WordPress export ends mid-way"), message
    assert "\n" not in message


def test_a_page_past_the_download_bound_is_still_one_line(site: str) -> None:
    with pytest.raises(SourceError) as caught:
        load_threads(f"{site}/huge.xml")
    assert str(caught.value) == (
        f"{site}/huge.xml: the page is over {MAX_BYTES // 2**20} MiB; save it and ingest the file"
    )


@pytest.mark.parametrize("fmt", ["auto", "wordpress-wxr"])
def test_a_url_that_is_no_export_is_still_one_line(site: str, fmt: str) -> None:
    with pytest.raises(SourceError) as caught:
        load_threads(f"{site}/feed.xml", fmt=fmt)
    message = str(caught.value)
    assert message.startswith(f"{site}/feed.xml: "), message
    assert "not a WordPress export" in message or "RSS/Atom feed" in message, message
    assert "\n" not in message
