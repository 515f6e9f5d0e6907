"""A text file that is not UTF-8 is read by one rule, for threads (``argmap ingest``) and labels
(``argmap eval``) alike: UTF-8 with or without a BOM, UTF-16 with its BOM, a saved page's
declared charset, else Windows-1252 (Excel's plain "CSV" on Windows) with one note naming it;
``--encoding NAME`` chooses another for every file of the run, and a name Python does not know
is one line. Was: a Windows-1252 thread refused ("is not UTF-8 text; convert it to UTF-8"),
while the label reader took one without a word."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from argmap.graph.export_json import thread_posts
from argmap.graph.store import Store

from argmap.core.text_encoding import UndecodableText, checked_encoding, decode_text

STANCE = Path(__file__).resolve().parent / "data" / "sample_stance.csv"
# Excel's curly quotes and an en dash are 0x93, 0x94, 0x92, 0x96 in Windows-1252: C1 controls
# in Latin-1, bytes of no character in UTF-8.
ARTICLE = "The caf\u00e9 should open earlier \u2013 it\u2019s \u201cobvious\u201d."
THREAD = (
    "id,author,parent_id,title,text\n"
    f'a,Ren\u00e9,,Caf\u00e9 hours,"{ARTICLE}"\n'
    'b,Zo\u00eb,a,,"I disagree: opening earlier costs more than it earns."\n'
    'c,Ann,b,,"But the morning crowd is large, so it pays for itself."\n'
)
NOTE = "not UTF-8; read as Windows-1252 (Excel's CSV); give --encoding to choose another"


def argmap(*args: str) -> subprocess.CompletedProcess[str]:
    """``argmap ARGS`` as a user runs it, on the test's store (``argmap_env``)."""
    return subprocess.run(
        [sys.executable, "-m", "argmap", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
        timeout=300,
    )


def texts(store: Store) -> set[str]:
    _, posts = thread_posts(store)
    return {p["text"] for p in posts}


@pytest.mark.parametrize(
    "data",
    [THREAD.encode(), THREAD.encode("utf-8-sig"), THREAD.encode("utf-16")],
    ids=["UTF-8", "UTF-8 with a BOM", "UTF-16 with a BOM"],
)
def test_unicode_files_are_read_as_they_say_without_a_note(data: bytes) -> None:
    assert decode_text(data, "f.csv") == (THREAD, None)


def test_a_file_that_is_not_utf8_is_read_as_windows_1252_with_a_note_naming_it() -> None:
    assert decode_text(THREAD.encode("cp1252"), "f.csv") == (THREAD, f"f.csv: {NOTE}")


def test_a_saved_page_is_read_in_the_charset_it_declares() -> None:
    page = '<html><head><meta charset="{}"></head><body><p>{}</p></body></html>'
    cp1252 = page.format("windows-1252", ARTICLE)
    text, note = decode_text(cp1252.encode("cp1252"), "p.html")
    assert text == cp1252 and note is not None and "read as windows-1252" in note
    # Not Windows-1252 by chance: a Czech page's ř is 0xf8 in ISO-8859-2, ø in Windows-1252.
    czech = page.format("iso-8859-2", "\u0159\u00e1d")
    assert decode_text(czech.encode("iso-8859-2"), "p.html")[0] == czech


def test_a_saved_windows_1252_page_is_read_as_a_thread_file(tmp_path: Path) -> None:
    """Was: refused, "is not UTF-8 text; convert it to UTF-8 and retry"."""
    from argmap.ingest.sources import read_source_text

    page = f'<html><head><meta charset="windows-1252"></head><body><p>{ARTICLE}</p></body></html>'
    path = tmp_path / "saved.html"
    path.write_bytes(page.encode("cp1252"))
    notes: list[str] = []
    assert read_source_text(path, notes=notes) == (page, str(path))
    assert notes == [
        f"{path}: not UTF-8; read as windows-1252, the charset it declares; give --encoding to "
        "choose another"
    ]


def test_an_encoding_given_is_used_without_a_note_and_a_bom_still_wins() -> None:
    latin1 = checked_encoding("latin-1")
    text, note = decode_text(THREAD.encode("cp1252"), "f.csv", latin1)
    assert "\x93obvious\x94" in text and note is None
    assert decode_text(THREAD.encode("utf-8-sig"), "f.csv", latin1) == (THREAD, None)
    with pytest.raises(UndecodableText, match=r"f\.csv: is not utf-8 text \(byte 0xe9"):
        decode_text(THREAD.encode("cp1252"), "f.csv", checked_encoding("utf8"))


def test_bytes_of_no_windows_1252_character_are_refused_naming_the_way_out() -> None:
    with pytest.raises(UndecodableText) as refused:
        decode_text(b"id,author,text\n1,Ann,caf\xe9 \x81\n", "f.csv")
    assert str(refused.value) == (
        "f.csv: is not UTF-8 text, nor Windows-1252 (Excel's CSV); give its encoding with "
        "--encoding (cp1251, shift_jis ...), or save it as UTF-8"
    )


def test_a_utf8_file_with_a_few_bad_bytes_is_refused_not_read_as_windows_1252() -> None:
    # A UTF-8 file with one byte of another (a line pasted from a Windows-1252 file): read as
    # Windows-1252 every other accent would be "Ã©".
    data = THREAD.encode() + 'd,Ed,c,,"Na\u00efve."\n'.encode("cp1252")
    with pytest.raises(UndecodableText) as refused:
        decode_text(data, "f.csv")
    assert str(refused.value) == (
        f"f.csv: is UTF-8 text but for some bytes (the first at offset {len(THREAD.encode()) + 11}"
        "): cut short or pasted together from two files? fix those bytes, or give --encoding"
    )
    # A Windows-1252 text whose accents happen to pair as UTF-8 once ("daß“" is DF 93) is not.
    legacy = "Er sagte, da\u00df\u201c es gehe; na\u00efve, caf\u00e9, Zo\u00eb.\n"
    assert decode_text(legacy.encode("cp1252"), "f.txt")[0] == legacy


@pytest.mark.parametrize("name", ["klingon", "base64"])
def test_a_name_that_is_no_text_encoding_is_refused(name: str) -> None:
    with pytest.raises(UndecodableText, match=f"--encoding '{name}': no such text encoding"):
        checked_encoding(name)


def test_a_windows_1252_csv_thread_goes_in_whole_with_one_note(
    argmap_env: Path, store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "cafe.csv"
    path.write_bytes(THREAD.encode("cp1252"))
    result = argmap("ingest", str(path), "-q", "--extractor", "offline")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [f"argmap: note: {path}: {NOTE}"]
    assert ARTICLE in texts(store)
    [thread], _ = thread_posts(store)
    assert thread["title"] == "Caf\u00e9 hours"


def test_encoding_latin1_reads_the_same_bytes_its_way(
    argmap_env: Path, store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "cafe.csv"
    path.write_bytes(THREAD.encode("cp1252"))
    result = argmap("ingest", str(path), "-q", "--extractor", "offline", "--encoding", "latin-1")
    assert result.returncode == 0, result.stderr
    assert "note" not in result.stderr  # chosen, not assumed
    assert ARTICLE.encode("cp1252").decode("latin-1") in texts(store)


def test_an_unknown_encoding_is_one_line_and_nothing_is_written(
    argmap_env: Path, store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "cafe.csv"
    path.write_bytes(THREAD.encode("cp1252"))
    result = argmap("ingest", str(path), "--extractor", "offline", "--encoding", "klingon")
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("argmap: error: --encoding 'klingon': no such text encoding; give ")
    assert "docs.python.org" in line
    assert texts(store) == set()


def test_a_folder_with_one_windows_1252_file_goes_in_whole(
    argmap_env: Path, store: Store, tmp_path: Path
) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "a.csv").write_bytes(THREAD.encode("cp1252"))
    (folder / "b.csv").write_text(
        "id,author,parent_id,title,text\n"
        'x,Ann,,Tea,"Tea should be free at work."\n'
        'y,Bob,x,,"It costs the firm too much."\n'
        'z,Cy,y,,"But it keeps people at their desks."\n'
    )
    result = argmap("ingest", str(folder), "-q", "--extractor", "offline")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [f"argmap: note: {folder / 'a.csv'}: {NOTE}"]
    threads, posts = thread_posts(store)
    assert sorted(t["title"] for t in threads) == ["Caf\u00e9 hours", "Tea"]
    assert len(posts) == 6 and ARTICLE in texts(store)


def _labels(tmp_path: Path) -> Path:
    """The sample's stance labels with Excel's curly quotes in a reason, saved as Windows-1252."""
    text = STANCE.read_text().replace("axe to grind", "\u201caxe to grind\u201d")
    path = tmp_path / "labels.csv"
    path.write_bytes(text.encode("cp1252"))
    return path


def test_a_windows_1252_label_file_is_read_with_the_same_note(
    sample_env: Store, tmp_path: Path
) -> None:
    path = _labels(tmp_path)
    result = argmap("eval", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [f"argmap: note: {path}: {NOTE}"]
    assert argmap("eval", str(STANCE)).stdout == result.stdout


def test_eval_takes_encoding_and_refuses_an_unknown_one_in_one_line(
    sample_env: Store, tmp_path: Path
) -> None:
    path = _labels(tmp_path)
    chosen = argmap("eval", str(path), "--encoding", "cp1252")
    assert chosen.returncode == 0 and chosen.stderr == ""
    unknown = argmap("eval", str(path), "--encoding", "klingon")
    assert unknown.returncode == 1
    [line] = unknown.stderr.splitlines()
    assert line.startswith("argmap: error: --encoding 'klingon': no such text encoding")


def test_a_label_file_of_no_windows_1252_character_is_refused_as_a_thread_file_is(
    sample_env: Store, tmp_path: Path
) -> None:
    path = tmp_path / "labels.csv"
    path.write_bytes(STANCE.read_bytes().replace(b"axe", b"\x81xe"))
    result = argmap("eval", str(path))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"argmap: error: {path}: is not UTF-8 text, nor Windows-1252 (Excel's CSV); give its "
        "encoding with --encoding (cp1251, shift_jis ...), or save it as UTF-8"
    ]
