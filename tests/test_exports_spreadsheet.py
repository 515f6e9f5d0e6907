"""CSV for spreadsheets: ``--spreadsheet-safe`` defuses cells Excel or LibreOffice would run.

By default the CSV tables hold the text verbatim (pandas and R get the exact words); asked to be
spreadsheet-safe, every text cell that starts like a formula (``=`` ``+`` ``-`` ``@``, a tab, a
carriage return: OWASP's list) gets a ``'`` in front, and every other cell stays as it was. The
graph's title, authors, comments, claims and rationales start with those characters
(``export_data.write_formulas``). A spreadsheet-safe file also starts with a UTF-8 byte-order
mark, so that Excel, opening it with a double-click, reads "Ça va — 👍" as UTF-8 and not in the
machine's code page; pandas, Python's csv with ``utf-8-sig`` and argmap itself read it back.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from argmap.graph.eval_labels import load_labels
from argmap.graph.export_csv import defuse
from argmap.graph.exports import ExportError, export, export_bytes
from argmap.graph.store import Store
from argmap.graph.subgraph import Selection
from argmap.ingest.sources import load_threads
from export_data import FORMULAS, Nasty, write_formulas, write_nasty
from test_export_cli import one_line_error, run

Tables = dict[str, list[list[str]]]
# OWASP's formula characters, written out here rather than read from the code under test.
RUNS = ("=", "+", "-", "@", "\t", "\r")
BOM = b"\xef\xbb\xbf"  # UTF-8's byte-order mark, as Excel looks for it
TABLES = ("claims.csv", "posts.csv", "relations.csv")
# Text Excel garbles in a CSV without the mark (a Windows-1252 machine shows "Ã‡a va â€”").
ACCENTED = "Ça va — 👍 chez Zoë"


@pytest.fixture
def formulas(store: Store) -> Nasty:
    return write_formulas(store)


def read_zip(data: bytes) -> Tables:
    """Every table of a CSV zip, row by row, as the csv module reads it back (``utf-8-sig``
    reads UTF-8 with or without the byte-order mark)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {
            name: list(csv.reader(io.StringIO(zf.read(name).decode("utf-8-sig"), newline="")))
            for name in sorted(zf.namelist())
        }


def zip_files(data: bytes) -> dict[str, bytes]:
    """The bytes of every file in a CSV zip."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in sorted(zf.namelist())}


@pytest.fixture
def accented(store: Store, tmp_path: Path) -> tuple[Nasty, Path, Path]:
    """The hostile export graph (accents, curly quotes, Chinese, Hebrew, no cell a spreadsheet
    would run) titled ``ACCENTED``, exported as CSV into a plain and a spreadsheet-safe
    directory."""
    written = write_nasty(store, title=ACCENTED)
    plain = export(store, "csv", Selection(), tmp_path / "plain")
    safe = export(store, "csv", Selection(), tmp_path / "safe", spreadsheet_safe=True)
    return written, plain, safe


def column(tables: Tables, table: str, name: str) -> list[str]:
    header, *rows = tables[table]
    return [row[header.index(name)] for row in rows]


def test_by_default_cells_are_verbatim(store: Store, formulas: Nasty) -> None:
    thread, claims, rels = formulas
    tables = read_zip(export_bytes(store, "csv", Selection())[0])
    assert sorted(column(tables, "posts.csv", "author")) == sorted(p.author for p in thread.posts)
    assert sorted(column(tables, "posts.csv", "text")) == sorted(p.text for p in thread.posts)
    assert sorted(column(tables, "claims.csv", "quote")) == sorted(c.quote for c in claims)
    assert set(column(tables, "claims.csv", "thread_title")) == {thread.title}
    assert sorted(column(tables, "relations.csv", "rationale")) == sorted(r.rationale for r in rels)
    assert set(FORMULAS) <= set(column(tables, "posts.csv", "text"))


def test_a_carriage_return_stays_inside_its_cell(store: Store, formulas: Nasty) -> None:
    """A bare CR ends a line for the csv reader: the cell holding one must be quoted."""
    tables = read_zip(export_bytes(store, "csv", Selection())[0])
    for rows in tables.values():
        assert {len(row) for row in rows} == {len(rows[0])}
    assert FORMULAS[5] in column(tables, "posts.csv", "text")
    assert FORMULAS[5] in column(tables, "relations.csv", "rationale")


def test_spreadsheet_safe_defuses_formula_text_and_changes_nothing_else(
    store: Store, formulas: Nasty
) -> None:
    thread, claims, rels = formulas
    plain = read_zip(export_bytes(store, "csv", Selection())[0])
    safe = read_zip(export_bytes(store, "csv", Selection(), spreadsheet_safe=True)[0])
    assert plain.keys() == safe.keys()
    defused = 0
    for name, rows in plain.items():
        assert len(safe[name]) == len(rows) and safe[name][0] == rows[0], name  # same header
        for before, after in zip(rows[1:], safe[name][1:], strict=True):
            assert len(after) == len(before)
            for cell, got in zip(before, after, strict=True):
                expected = "'" + cell if cell.startswith(RUNS) else cell
                assert got == expected, (name, cell)
                defused += got != cell
    # Every formula the thread holds was defused: title, authors, texts, quotes, rationales.
    assert set(column(safe, "posts.csv", "author")) == {"'" + p.author for p in thread.posts}
    assert {"'" + f for f in FORMULAS} <= set(column(safe, "posts.csv", "text"))
    assert set(column(safe, "claims.csv", "thread_title")) == {"'" + thread.title}
    assert set(column(safe, "relations.csv", "rationale")) == {"'" + r.rationale for r in rels}
    assert defused >= 4 * len(claims)
    # Numbers stay numbers: offsets, positions and confidences are the plain export's.
    for table, name in [
        ("claims.csv", "start"),
        ("claims.csv", "end"),
        ("posts.csv", "position"),
        ("relations.csv", "confidence"),
    ]:
        assert column(safe, table, name) == column(plain, table, name)


def test_a_negative_number_is_not_text_to_defuse() -> None:
    assert defuse(-0.25) == -0.25 and defuse(-3) == -3
    assert defuse("-3 votes") == "'-3 votes"
    assert defuse(None) is None and defuse(False) is False
    assert defuse("Plain = fine") == "Plain = fine"


def test_the_directory_form_is_defused_too(store: Store, formulas: Nasty, tmp_path: Path) -> None:
    out = export(store, "csv", Selection(), tmp_path / "tables", spreadsheet_safe=True)
    with (out / "posts.csv").open(encoding="utf-8", newline="") as fh:
        texts = [row["text"] for row in csv.DictReader(fh)]
    assert {"'" + f for f in FORMULAS} <= set(texts)


def test_spreadsheet_safe_files_start_with_a_utf8_byte_order_mark_and_plain_ones_do_not(
    store: Store, accented: tuple[Nasty, Path, Path]
) -> None:
    """With no cell to defuse, a spreadsheet-safe file is the plain file after EF BB BF: the
    same UTF-8 bytes, in the zip and in a directory."""
    _, plain, safe = accented
    for name in TABLES:
        assert not (plain / name).read_bytes().startswith(BOM), name
        assert (safe / name).read_bytes() == BOM + (plain / name).read_bytes(), name
    plain_zip = zip_files(export_bytes(store, "csv", Selection())[0])
    safe_zip = zip_files(export_bytes(store, "csv", Selection(), spreadsheet_safe=True)[0])
    assert sorted(safe_zip) == list(TABLES)
    for name in TABLES:
        assert not plain_zip[name].startswith(BOM), name
        assert safe_zip[name] == BOM + plain_zip[name], name
    assert ACCENTED.encode("utf-8") in safe_zip["claims.csv"]


def test_pandas_and_python_csv_read_the_header_of_a_spreadsheet_safe_file(
    accented: tuple[Nasty, Path, Path],
) -> None:
    (thread, _, _), plain, safe = accented
    for name in TABLES:
        with (plain / name).open(encoding="utf-8", newline="") as fh:
            header = next(csv.reader(fh))
        assert header[0] == ("source" if name == "relations.csv" else "id"), name
        assert (safe / name).read_bytes().startswith(BOM), name
        assert list(pd.read_csv(safe / name).columns) == header, name
        with (safe / name).open(encoding="utf-8-sig", newline="") as fh:
            assert csv.DictReader(fh).fieldnames == header, name
        # Why the default file has no mark: read as plain "utf-8", it sticks to the first name.
        with (safe / name).open(encoding="utf-8", newline="") as fh:
            assert next(csv.reader(fh))[0] == "\ufeff" + header[0], name
    table = pd.read_csv(safe / "claims.csv", keep_default_na=False)
    assert set(table["thread_title"]) == {ACCENTED}
    posts = pd.read_csv(safe / "posts.csv", keep_default_na=False)
    assert sorted(posts["author"]) == sorted(p.author for p in thread.posts)


def test_argmap_ingests_the_posts_of_its_own_spreadsheet_safe_export(
    accented: tuple[Nasty, Path, Path],
) -> None:
    """``argmap ingest posts.csv``: the CSV source reads id, author, text, posted_at and
    parent_id from the export's columns, the byte-order mark no part of the first."""
    (thread, _, _), _, safe = accented
    assert (safe / "posts.csv").read_bytes().startswith(BOM)
    [back] = load_threads(safe / "posts.csv")
    assert [(p.author, p.text, p.posted_at) for p in back.posts] == [
        (p.author, p.text, p.posted_at) for p in thread.posts
    ]
    assert back.reply_tree == "source"


def test_argmap_eval_reads_a_spreadsheet_safe_posts_csv_as_labels(
    accented: tuple[Nasty, Path, Path],
) -> None:
    """posts.csv corrected in a spreadsheet is a label file: each post by its ``position``,
    its ``parent_id`` and ``is_spam``."""
    (thread, _, _), _, safe = accented
    assert (safe / "posts.csv").read_bytes().startswith(BOM)
    labels = load_labels(safe / "posts.csv")
    assert [(x.comment, x.parent, x.is_spam) for x in labels] == [
        (str(p.position), p.parent_id, p.is_spam) for p in thread.posts
    ]
    assert all(x.parent_is_id for x in labels[1:])  # the graph's post id, not a place


def test_other_formats_refuse_it_with_one_line(store: Store, formulas: Nasty, tmp_path) -> None:
    with pytest.raises(ExportError, match="csv only"):
        export(store, "json", Selection(), tmp_path / "x.json", spreadsheet_safe=True)
    assert list(tmp_path.iterdir()) == []


def test_the_cli_takes_spreadsheet_safe(
    argmap_env: Path, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_formulas(store)
    monkeypatch.chdir(tmp_path)
    assert run("-f", "csv", "-o", "plain.zip").exit_code == 0
    result = run("-f", "csv", "--spreadsheet-safe", "-o", "safe.zip")
    assert result.exit_code == 0, result.stderr
    plain = read_zip((tmp_path / "plain.zip").read_bytes())
    safe = read_zip((tmp_path / "safe.zip").read_bytes())
    assert FORMULAS[0] in column(plain, "posts.csv", "text")
    assert "'" + FORMULAS[0] in column(safe, "posts.csv", "text")
    assert FORMULAS[0] not in column(safe, "posts.csv", "text")
    for name, data in zip_files((tmp_path / "safe.zip").read_bytes()).items():
        assert data.startswith(BOM), name
    for name, data in zip_files((tmp_path / "plain.zip").read_bytes()).items():
        assert not data.startswith(BOM), name
    line = one_line_error(run("-f", "png", "--spreadsheet-safe", "-o", "x.png"))
    assert "--spreadsheet-safe is for csv only" in line
    assert not (tmp_path / "x.png").exists()
