"""CSV for spreadsheets: ``--spreadsheet-safe`` defuses cells Excel or LibreOffice would run.

By default the CSV tables hold the text verbatim (pandas and R get the exact words); asked to be
spreadsheet-safe, every text cell that starts like a formula (``=`` ``+`` ``-`` ``@``, a tab, a
carriage return: OWASP's list) gets a ``'`` in front, and every other cell stays as it was. The
graph's title, authors, comments, claims and rationales start with those characters
(``export_data.write_formulas``).
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from argmap.graph.export_csv import defuse
from argmap.graph.exports import ExportError, export, export_bytes
from argmap.graph.store import Store
from argmap.graph.subgraph import Selection
from export_data import FORMULAS, Nasty, write_formulas
from test_export_cli import one_line_error, run

Tables = dict[str, list[list[str]]]
# OWASP's formula characters, written out here rather than read from the code under test.
RUNS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def formulas(store: Store) -> Nasty:
    return write_formulas(store)


def read_zip(data: bytes) -> Tables:
    """Every table of a CSV zip, row by row, as the csv module reads it back."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {
            name: list(csv.reader(io.StringIO(zf.read(name).decode("utf-8"), newline="")))
            for name in sorted(zf.namelist())
        }


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
    line = one_line_error(run("-f", "png", "--spreadsheet-safe", "-o", "x.png"))
    assert "--spreadsheet-safe is for csv only" in line
    assert not (tmp_path / "x.png").exists()
