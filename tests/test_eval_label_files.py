"""`argmap eval` reads the label files people write from the README, or refuses them in one line.

A scholar's labels come out of a spreadsheet, a script or a hand-typed JSON file: semicolons or
tabs, "Parent ID" headers, Excel's Windows-1252, pandas' ``3.0``, empty trailing rows, a JSON array.
Each such file of the sample's own labels scores exactly as the bundled CSV does. A file that
cannot mean what it says (counted from 0, top-level parents left empty, a parent after its
comment, one comment twice, positions past the thread's last comment, a header and no rows, a
workbook or an export given as the labels) is refused, naming the row and the fix, never scored
wrong."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from argmap.graph.store import Store
from typer.testing import CliRunner

from argmap.cli import app

STANCE = Path(__file__).resolve().parent / "data" / "sample_stance.csv"
FIELDS = ["position", "parent", "is_spam", "stance", "relations", "confidence", "reason"]
runner = CliRunner()

Row = dict[str, str]


def _rows() -> list[Row]:
    return list(csv.DictReader(io.StringIO(STANCE.read_text(encoding="utf-8"))))


def _csv(rows: list[Row], fields: list[str] = FIELDS, sep: str = ",", end: str = "\n") -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fields, delimiter=sep, lineterminator=end, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def _renamed(old: str, new: str) -> str:
    return _csv(
        [{new if k == old else k: v for k, v in r.items()} for r in _rows()],
        [new if f == old else f for f in FIELDS],
    )


def _spreadsheet_headers() -> str:
    names = {"parent": "Parent ID", "is_spam": "Is Spam", "stance": " Stance "}
    rows = [{names.get(k, k): v for k, v in r.items()} for r in _rows()]
    return _csv(rows, [names.get(f, f) for f in FIELDS])


def _as_json(rows: list[Row]) -> list[dict[str, Any]]:
    numbers = ("position", "parent", "is_spam")
    return [{k: (int(v) if k in numbers and v else v or None) for k, v in r.items()} for r in rows]


def _as_relations(top: str) -> str:
    """Each stance towards the parent written as a relation instead, the article named ``top``."""
    out = []
    for r in _rows():
        if r["stance"] in ("rebuts", "supports"):
            target = top if r["parent"] == "0" else r["parent"]
            r = {**r, "stance": "", "relations": f"{r['stance']}:{target}"}
        out.append(r)
    return _csv(out)


def _eval(path: Path, *args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["eval", str(path), "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


FIGURES = ("labels", "parents", "spam", "relation_labels", "rebuts", "supports", "stance")

# name -> (file name, bytes of the variant, bytes of the labels it must score like)
VARIANTS: dict[str, tuple[str, Callable[[], bytes], Callable[[], bytes] | None]] = {
    "headers as a spreadsheet writes them": (
        "labels.csv",
        lambda: _spreadsheet_headers().encode(),
        None,
    ),
    "reply_to for parent": ("l.csv", lambda: _renamed("parent", "reply_to").encode(), None),
    "semicolons, CRLF": ("l.csv", lambda: _csv(_rows(), sep=";", end="\r\n").encode(), None),
    "tabs in a .tsv": ("l.tsv", lambda: _csv(_rows(), sep="\t").encode(), None),
    "Excel's empty rows": ("l.csv", lambda: (_csv(_rows()) + ",,,,,,\n,,,,,,\n").encode(), None),
    "pandas' floats": (
        "l.csv",
        lambda: _csv(
            [{**r, "parent": r["parent"] + ".0", "is_spam": r["is_spam"] + ".0"} for r in _rows()]
        ).encode(),
        None,
    ),
    "Excel's Windows-1252 with curly quotes": (
        "l.csv",
        lambda: _csv([{**r, "reason": "\u201cit\u2019s\u201d"} for r in _rows()]).encode("cp1252"),
        None,
    ),
    "UTF-16 with a BOM": ("l.csv", lambda: _csv(_rows()).encode("utf-16"), None),
    "a JSON array": ("l.json", lambda: json.dumps(_as_json(_rows())).encode(), None),
    "an article row first": (
        "l.csv",
        lambda: _csv([{"position": "0", "reason": "the article"}, *_rows()]).encode(),
        None,
    ),
    "Excel's sep= line and blank lines above the header": (
        "l.csv",
        lambda: ("\r\n\r\nsep=;\r\n" + _csv(_rows(), sep=";", end="\r\n")).encode(),
        None,
    ),
    "objects written with indent=2, one after another": (
        "l.jsonl",
        lambda: "".join(json.dumps(r, indent=2) + "\n" for r in _as_json(_rows())).encode(),
        None,
    ),
    "relations naming the article by word": (
        "l.csv",
        lambda: _as_relations("article").encode(),
        lambda: _as_relations("0").encode(),
    ),
}


@pytest.mark.parametrize("name", list(VARIANTS))
def test_a_variant_of_the_sample_labels_scores_exactly_as_the_original(
    sample_env: Store, tmp_path: Path, name: str
) -> None:
    file_name, variant, like = VARIANTS[name]
    original = tmp_path / "original.csv"
    original.write_bytes(like() if like else STANCE.read_bytes())
    path = tmp_path / file_name
    path.write_bytes(variant())
    want, got = _eval(original), _eval(path)
    assert want["parents"]["labelled"] == 187 and want["relation_labels"] == 172
    assert {k: got[k] for k in FIGURES} == {k: want[k] for k in FIGURES}


def _zero_based() -> str:
    rows = [
        {
            **r,
            "position": str(int(r["position"]) - 1),
            "parent": "-1" if r["parent"] == "0" else str(int(r["parent"]) - 1),
        }
        for r in _rows()
    ]
    return _csv(rows)


def _top_level_null() -> str:
    rows = [{**r, "parent": None if r["parent"] == 0 else r["parent"]} for r in _as_json(_rows())]
    return "".join(json.dumps(r) + "\n" for r in rows)


def _indented_export() -> str:
    """What ``argmap export -f json`` writes, as a scholar passes it for the labels by mistake."""
    return json.dumps({"format": "argmap-json", "version": 1, "threads": []}, indent=2)


REFUSED: dict[str, tuple[str, Callable[[], str | bytes], str]] = {
    "counted from 0": (
        "l.csv",
        _zero_based,
        "l.csv:2: position 0 is the article, not a comment: comments are numbered 1..187",
    ),
    "top-level parents left empty": (
        "l.jsonl",
        _top_level_null,
        "l.jsonl:1: parent empty, and no row gives the article (0) as a parent: write 0",
    ),
    "the thread's CSV with a stance column: the first comment blamed, not the article": (
        "l.csv",
        lambda: "position,parent,stance\n0,,\n1,,rebuts\n4,3,rebuts\n",
        "l.csv:3: parent empty, and no row gives the article (0) as a parent: write 0 (or "
        "article) for a comment that answers the article, ? for a parent you did not label "
        "(1 row with it empty)",
    ),
    "a parent after its comment": (
        "l.csv",
        lambda: "position,parent\n4,3\n5,9\n",
        "l.csv:3: the parent of comment 5 is 9 (Pham Binh), which does not come before it",
    ),
    "one comment twice, spelt two ways, saying different things": (
        "l.csv",
        lambda: "position,parent\n3,0\n03,1\n",
        "l.csv:3: 03 is comment 3, labelled already as 3 on line 2",
    ),
    "nothing to score": (
        "l.csv",
        lambda: "position,reply,label\n3,0,rebuts\n",
        "l.csv: nothing to score: name a column parent, is_spam, stance or relations",
    ),
    "a note above the header (named with its line)": (
        "l.csv",
        lambda: "\n# my labels\nposition,parent\n4,3\n",
        "l.csv:2: no 'position' or 'id' column in the header ('# my labels')",
    ),
    "a row after blank lines and a sep= line keeps its line number": (
        "l.csv",
        lambda: "\n\nsep=,\nposition,parent,stance\n4,3,rebuts\n5,4,bad\n",
        "l.csv:6: stance 'bad': write rebuts, supports or none",
    ),
    "a header and no rows": (
        "l.csv",
        lambda: "position,parent,is_spam,stance\r\n",
        "l.csv: no labels in it, only a header row: add one row per comment",
    ),
    "labels of a longer thread (positions past the last comment)": (
        "l.csv",
        lambda: "position,parent\n4,3\n188,0\n189,188\n",
        "l.csv:3: position 188 is past the last comment of thread t_f8eb9d9970546085 "
        "('Thinking of Joining the ISO?', 187 comments; 2 rows name positions past it): are "
        "these labels for another thread?",
    ),
    "a position that is no place": (
        "l.jsonl",
        lambda: '{"position": 4, "parent": 3}\n{"position": -3, "parent": 0}\n',
        "l.jsonl:2: position '-3': write the comment's place in the thread, 1..n",
    ),
    "a spreadsheet workbook": (
        "l.xlsx",
        lambda: b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml",
        "l.xlsx: is a spreadsheet workbook (.xlsx, .ods or .xls), not CSV: save the sheet as CSV",
    ),
    "an argmap export given as the labels": (
        "l.json",
        _indented_export,
        "l.json: is an argmap JSON export (a graph), not labels: give it as --export ",
    ),
    "labels wrapped in an object": (
        "l.json",
        lambda: '{"labels": [{"position": 4, "parent": 3}]}',
        "l.json: one JSON object holding a list of objects under 'labels': write the labels one "
        "object per line (JSON Lines), or as that list alone (a JSON array)",
    ),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_a_label_file_that_cannot_mean_what_it_says_is_refused_in_one_line(
    sample_env: Store, tmp_path: Path, name: str
) -> None:
    file_name, text, message = REFUSED[name]
    path = tmp_path / file_name
    content = text()
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    result = runner.invoke(app, ["eval", str(path)])
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("argmap: error: ") and message in line


def test_the_report_names_each_disagreement_by_author_and_first_words(
    sample_env: Store, tmp_path: Path
) -> None:
    path = tmp_path / "l.csv"
    # Comment 25 (Jon Hoch) answers 24 in the labels; the rebuild says 23. 999 is no post.
    path.write_text(
        "position,parent,relations\n25,24,\n3,0,rebuts:0; supports:999\n", encoding="utf-8"
    )
    report = _eval(path)
    [parent] = [d for d in report["disagreements"] if d["kind"] == "parent"]
    assert parent["author"] == "Jon Hoch" and parent["post_id"].startswith("p_")
    assert parent["excerpt"].startswith("If you think how many folks")
    assert report["unmatched_targets"] == ["999"]
    assert report["supports_baseline"]["fn"] == 0  # the label's one support is not towards 0
    text = runner.invoke(app, ["eval", str(path)]).stdout
    assert '25 (Jon Hoch) "If you think how many folks were involved ..." parent:' in text
    assert f"relation targets not in the thread, left out: 999 ({path}:3)" in text
    assert "baseline every-comment-supports-its-parent" in text


def test_in_json_a_null_parent_is_an_empty_cell_and_a_missing_one_is_not_labelled(
    sample_env: Store, tmp_path: Path
) -> None:
    path = tmp_path / "l.jsonl"
    # Spam rows without a parent key, replies with theirs: no top-level row is needed.
    path.write_text('{"position": 180, "is_spam": 1}\n{"position": 4, "parent": 3}\n')
    report = _eval(path)
    assert report["parents"]["labelled"] == 1 and report["spam"]["labelled"] == 1
    # A null parent beside replies that name theirs: did it mean the article?
    path.write_text('{"position": 1, "parent": null}\n{"position": 4, "parent": 3}\n')
    result = runner.invoke(app, ["eval", str(path)])
    assert result.exit_code == 1 and "l.jsonl:1: parent empty" in result.stderr
    # "?", as that refusal advises, says "not labelled" outright: nothing to ask.
    for name, text in (
        (
            "l.jsonl",
            '{"position": 1, "parent": "?", "stance": "rebuts"}\n{"position": 4, "parent": 3}\n',
        ),
        ("l.csv", "position,parent,stance\n1,?,rebuts\n4,3,\n"),
    ):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        report = _eval(path)
        assert report["parents"]["labelled"] == 1 and report["relation_labels"] == 1


def test_a_stance_towards_a_parent_the_thread_lacks_is_left_out_not_scored_elsewhere(
    sample_env: Store, tmp_path: Path
) -> None:
    path = tmp_path / "l.csv"
    path.write_text("position,parent,stance\n4,3,rebuts\n5,999,rebuts\n", encoding="utf-8")
    report = _eval(path)
    assert report["unmatched_parents"] == ["999"]
    # Comment 5's stance is towards no post we know: not scored against the graph's parent.
    assert report["relation_labels"] == 1 and report["stance"]["labelled"] == 1


def test_an_id_the_thread_lacks_is_left_out_and_named_with_the_row_to_fix(
    sample_env: Store, tmp_path: Path
) -> None:
    path = tmp_path / "l.csv"
    # 4 is no id of the sample's, so it is comment 4; "c9" (a typo, or a pingback) is nothing.
    path.write_text("id,parent\n4,3\nc9,0\n", encoding="utf-8")
    report = _eval(path)
    assert report["unmatched"] == ["c9"] and report["unmatched_rows"] == {"c9": f"{path}:3"}
    assert report["parents"]["labelled"] == 1
    text = runner.invoke(app, ["eval", str(path)]).stdout
    assert f"not in the thread, left out: c9 ({path}:3)" in text
