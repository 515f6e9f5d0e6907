"""``csv`` and ``jsonl``: one comment per row (hand-written fixtures holding the same thread)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from argmap.ingest.sources import csv_rows, jsonl_rows

from argmap.core.errors import SourceError
from argmap.core.ids import stable_id
from argmap.core.models import Thread

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
CSV = FIXTURES / "comments.csv"
JSONL = FIXTURES / "comments.jsonl"
FLAT = FIXTURES / "comments_flat.csv"
MODULES = {"csv": (csv_rows, CSV), "jsonl": (jsonl_rows, JSONL)}
# (row id, parent row id) as the fixtures give them: c6 answers c1 after c4's branch.
EXPECTED_TREE = [
    ("p1", None),
    ("c1", "p1"),
    ("c2", "c1"),
    ("c3", "c2"),
    ("c4", "p1"),
    ("c5", "c4"),
    ("c6", "c1"),
]


def parse(fmt: str, text: str) -> Thread:
    [thread] = MODULES[fmt][0].parse(text, "rows")
    return thread


def one_line_error(fmt: str, text: str) -> str:
    with pytest.raises(SourceError) as caught:
        parse(fmt, text)
    message = str(caught.value)
    assert "\n" not in message and message.startswith("rows")
    return message


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_reply_tree_is_the_source_tree_exactly(fmt: str) -> None:
    thread = parse(fmt, MODULES[fmt][1].read_text())
    row_of = {stable_id("p", thread.id, row): row for row, _ in EXPECTED_TREE}
    assert [(row_of[p.id], row_of.get(p.parent_id)) for p in thread.posts] == EXPECTED_TREE
    assert thread.reply_tree == "source"
    assert [p.kind for p in thread.posts] == ["article"] + ["comment"] * 6
    assert [p.position for p in thread.posts] == list(range(7))


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_fields_title_url_and_utc_times(fmt: str) -> None:
    thread = parse(fmt, MODULES[fmt][1].read_text())
    assert thread.title == "Library Sunday closing"
    assert thread.url == "https://forum.example.org/t/library-sundays"
    assert thread.source_format == fmt
    assert (
        thread.article.text
        == "The library will close on Sundays from June to save money.\nComments welcome."
    )
    assert [p.author for p in thread.posts] == [
        "Council Office",
        "Ines",
        "Tomas",
        "Ines",
        "Priya",
        "Council Office",
        "Tomas",
    ]
    assert [p.posted_at for p in thread.posts] == [
        datetime(2024, 5, 2, 9, 0, tzinfo=UTC),
        datetime(2024, 5, 2, 9, 30, tzinfo=UTC),
        datetime(2024, 5, 2, 9, 50, tzinfo=UTC),  # Unix seconds 1714643400
        datetime(2024, 5, 2, 10, 15, tzinfo=UTC),  # 12:15 at +02:00
        datetime(2024, 5, 2, 11, 0, tzinfo=UTC),  # no zone: UTC
        datetime(2024, 5, 2, 12, 0, tzinfo=UTC),
        datetime(2024, 5, 2, 12, 30, tzinfo=UTC),
    ]
    assert thread.posts[3].text == 'Evenings clash with school pick-up, so no, not "just as well".'


def test_csv_and_jsonl_of_the_same_thread_land_on_the_same_nodes() -> None:
    a, b = parse("csv", CSV.read_text()), parse("jsonl", JSONL.read_text())
    assert a.id == b.id
    assert [(p.id, p.parent_id) for p in a.posts] == [(p.id, p.parent_id) for p in b.posts]


def test_without_parent_ids_the_tree_is_missing_for_reconstruction() -> None:
    thread = parse("csv", FLAT.read_text())
    assert thread.reply_tree == "missing"
    assert [p.parent_id for p in thread.posts] == [None] * 4
    # No title column: the post's first line names the thread.
    assert thread.title == "We should replace the school's printed newsletter with email only."
    lines = [json.dumps({k: v for k, v in r.items() if k != "parent_id"}) for r in _jsonl_rows()]
    assert parse("jsonl", "\n".join(lines)).reply_tree == "missing"


def _jsonl_rows() -> list[dict]:
    return [json.loads(line) for line in JSONL.read_text().splitlines() if line.strip()]


def test_csv_headers_are_case_insensitive_and_semicolons_work() -> None:
    text = CSV.read_text().replace(
        "id,author,posted_at,parent_id,text,title,url",
        "ID, Author ,posted_at,Parent_ID,TEXT,title,url",
    )
    assert csv_rows.detect(text)
    assert parse("csv", text).reply_tree == "source"
    semi = "id;author;text\n1;Ana;We need more benches.\n2;Ben;Benches attract loitering, though.\n"
    assert csv_rows.detect(semi)
    assert [p.author for p in parse("csv", semi).posts] == ["Ana", "Ben"]


def test_spreadsheet_headers_with_spaces_name_the_same_columns() -> None:
    # Sheets and Excel users write "Posted At" and "Parent ID"; those were silently dropped.
    text = CSV.read_text().replace(
        "id,author,posted_at,parent_id,text,title,url",
        "ID,Author,Posted At,Parent ID,Text,Title,URL",
    )
    thread, reference = parse("csv", text), parse("csv", CSV.read_text())
    assert thread.reply_tree == "source"
    assert [(p.id, p.posted_at, p.parent_id) for p in thread.posts] == [
        (p.id, p.posted_at, p.parent_id) for p in reference.posts
    ]
    assert reference.posts[1].posted_at is not None


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_columns_argmap_does_not_read_are_named_in_a_warning(
    fmt: str, caplog: pytest.LogCaptureFixture
) -> None:
    text = (
        "id,author,date,text,likes\n1,Ana,2024-05-02,We need more benches.,3\n"
        if fmt == "csv"
        else '{"id": 1, "author": "Ana", "date": "2024-05-02", "text": "Benches.", "likes": 3}'
    )
    with caplog.at_level(logging.WARNING, logger="argmap.ingest.sources.rows"):
        thread = parse(fmt, text)
    assert thread.article.posted_at is None
    [record] = caplog.records
    assert record.getMessage() == (
        "rows: columns not read: date, likes "
        "(argmap reads id, author, text, posted_at, parent_id, title, url)"
    )


def test_excels_separator_line_before_the_header_is_read() -> None:
    text = (
        "\ufeffsep=;\r\nid;author;text\r\n1;Ana;We need more benches.\r\n"
        '2;Ben;"Benches attract loitering;\nthough."\r\n3;Cy\r\n'  # Excel: LF in a cell
    )
    assert csv_rows.detect(text)
    message = one_line_error("csv", text)
    assert message == "rows: line 6: 2 cells where the header names 3 (truncated?)"
    thread = parse("csv", text.removesuffix("3;Cy\r\n"))
    assert [(p.author, p.text) for p in thread.posts] == [
        ("Ana", "We need more benches."),
        ("Ben", "Benches attract loitering;\nthough."),
    ]


def test_a_parent_id_naming_no_row_answers_the_post_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    rows = _jsonl_rows()
    rows[6]["parent_id"] = "c99"
    with caplog.at_level(logging.WARNING, logger="argmap.ingest.sources.rows"):
        thread = parse("jsonl", "\n".join(json.dumps(r) for r in rows))
    assert thread.posts[6].parent_id == thread.article.id
    rid = rows[6]["id"]
    assert f"row {rid!r} names a parent_id that is no row of the file; it answers" in caplog.text
    caplog.clear()
    rows[6]["parent_id"] = rows[6]["id"]  # a row naming itself: said as such
    with caplog.at_level(logging.WARNING, logger="argmap.ingest.sources.rows"):
        thread = parse("jsonl", "\n".join(json.dumps(r) for r in rows))
    assert thread.posts[6].parent_id == thread.article.id
    assert f"row {rid!r} names itself as parent_id; it answers the post now" in caplog.text
    assert "no row of the file" not in caplog.text


def test_detection() -> None:
    assert csv_rows.detect(CSV.read_text()) and csv_rows.detect(FLAT.read_text())
    assert jsonl_rows.detect(JSONL.read_text())
    assert not csv_rows.detect(JSONL.read_text()) and not jsonl_rows.detect(CSV.read_text())
    assert not csv_rows.detect("name,comment\nAna,hi\n")
    assert not jsonl_rows.detect('{"id": 1, "author": "a"}\n')


def test_a_csv_missing_required_columns_is_one_line() -> None:
    text = "id,author,posted_at,body\n1,Ana,,Hello\n"
    message = one_line_error("csv", text)
    assert "lacks the column(s) text" in message and "id, author, text" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('id,author,text\n1,Ana,"We need benches\n2,Ben,"cut', "not valid CSV"),
        ('id,author,text\n1,Ana,"We need benches', "truncated"),
        ("id,author,text,parent_id\n1,Ana,Benches\n2,Ben", "truncated"),
        ("id,author,text\n1,Ana,Benches,extra\n", "4 cells where the header names 3"),
        ("id,author,text\n", "no rows after the header"),
        ("id,author,text\n1,Ana,x\n1,Ben,y\n", "id '1' is used twice"),
        ("id,author,text,parent_id\n1,Ana,x,\n2,Ben,y,3\n3,Cy,z,2\n", "form a loop"),
        ("id,author,text,parent_id\n1,Ana,x,2\n2,Ben,y,\n", "first row must be the post"),
        (
            "id,author,text,posted_at\n1,Ana,x,yesterday\n",
            "posted_at: 'yesterday' is not an ISO 8601",
        ),
        (
            "id,author,text,posted_at\n1,Ana,x,1710060000000\n",
            "'1710060000000' is not an ISO 8601 time or Unix seconds (Unix milliseconds? divide "
            "by 1000)",
        ),
        ("id,author,text\n,Ana,x\n", "line 2: id: is empty"),
    ],
    ids=[
        "unclosed quote",
        "ends in a quote",
        "short last row",
        "extra cell",
        "header only",
        "duplicate id",
        "parent loop",
        "first row is a reply",
        "bad time",
        "milliseconds",
        "empty id",
    ],
)
def test_bad_csv_is_one_line(text: str, expected: str) -> None:
    assert expected in one_line_error("csv", text)


@pytest.mark.parametrize(
    ("text", "expected", "cut"),
    [
        (JSONL.read_text()[:-40], "line 8: not valid JSON", True),
        (
            '{"id": 1, "author": "a", "text": "x"}\n{"id": 2, "auth\n{"id": 3, "author": "c", "text": "z"}',
            "line 2: not valid JSON",
            False,
        ),
        ('{"id": 1, "author": "a", "text": "x"}\n[1, 2]\n', "line 2: not a JSON object", False),
        (
            '{"id": 1, "author": "a", "text": "x"}\n{"id": 2, "author": "b"}\n',
            "line 2: lacks text",
            False,
        ),
    ],
    ids=["cut mid-way", "broken middle line", "not an object", "missing text"],
)
def test_bad_jsonl_is_one_line(text: str, expected: str, cut: bool) -> None:
    message = one_line_error("jsonl", text)
    assert expected in message
    assert ("truncated" in message) is cut
