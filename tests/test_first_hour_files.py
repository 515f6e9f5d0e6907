"""The first hour with files that are no thread, through the real ``argmap`` in a subprocess:
a folder skips what is not a thread (an empty file as a PDF) and ingests the rest; a PDF, a
picture or an archive named alone is said to be no thread argmap reads, with the formats it
does read, not sent to ``--format``; Python's own files in a folder pass without a word."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from argmap.graph.store import Store

from argmap.core.resources import sample_thread

ARGMAP = shutil.which("argmap")
FORMATS = (
    "argmap-json, reddit-json, hn-json, kialo, wordpress-wxr, wordpress-html, jsonl, csv, "
    "wordpress-text (argmap ingest --help)"
)
# A PDF whose first kilobyte is ASCII, NUL-free (as many PDF 1.4 writers make them).
ASCII_PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" * 40
# A PDF with the customary binary comment on its second line: not UTF-8.
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< >>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"word/document.xml"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"


def argmap(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The real CLI, with the test's store and graph (``argmap_env`` set them in os.environ)."""
    assert ARGMAP, "the argmap command is not installed in this environment"
    return subprocess.run(
        [ARGMAP, *args], capture_output=True, text=True, timeout=300, cwd=cwd, check=False
    )


def posts(store: Store) -> int:
    return store.run_read("MATCH (p:Post) RETURN count(p) AS n")[0]["n"]


def test_a_folders_empty_file_is_skipped_like_a_pdf_and_the_rest_goes_in(
    argmap_env: Path, store: Store, tmp_path: Path
) -> None:
    """Was: the empty file an error ("the file is empty"), the PDF an error too ("is not UTF-8
    text": its binary comment line), the run exiting 1 though the thread went in."""
    saved = tmp_path / "saved"
    saved.mkdir()
    shutil.copy(sample_thread(), saved / "a-thread.txt")
    (saved / "b-empty.txt").write_text("")
    (saved / "c-blank.txt").write_text("  \n\n")
    (saved / "d-paper.pdf").write_bytes(PDF)
    result = argmap("ingest", str(saved), "-q", "-e", "offline")
    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stderr.splitlines() if "skipped" in line]
    assert notes == [
        f"argmap: note: {saved / 'b-empty.txt'}: skipped, the file is empty",
        f"argmap: note: {saved / 'c-blank.txt'}: skipped, the file is empty",
        f"argmap: note: {saved / 'd-paper.pdf'}: skipped, a PDF document, not a thread",
    ]
    assert "argmap: error" not in result.stderr
    assert result.stdout.startswith(f"{saved / 'a-thread.txt'}: 1 article, 172 comments")
    assert posts(store) == 188


def test_a_folder_of_only_an_empty_file_fails_without_sending_to_format(
    argmap_env: Path, store: Store, tmp_path: Path
) -> None:
    (tmp_path / "empty.txt").write_text("")
    result = argmap("ingest", str(tmp_path), "-q", "-e", "offline")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"argmap: note: {tmp_path / 'empty.txt'}: skipped, the file is empty",
        f"argmap: error: {tmp_path}: its one file is not a thread argmap could read; "
        "check the folder",
    ]
    # A text file no detector takes may be a thread: there --format can help, and is named.
    (tmp_path / "notes.txt").write_text("Shopping list\n\neggs\nmilk\n")
    result = argmap("ingest", str(tmp_path), "-q", "-e", "offline")
    assert result.stderr.splitlines()[-1].endswith("(or name the format with --format)")
    assert posts(store) == 0


def test_an_empty_file_named_alone_stays_an_error_with_its_one_line(
    argmap_env: Path, store: Store, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    result = argmap("ingest", str(empty), "-q", "-e", "offline")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == f"argmap: error: {empty}: the file is empty; give a thread file\n"


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("paper.pdf", PDF, "a PDF document"),
        ("ascii.pdf", ASCII_PDF, "a PDF document"),
        ("photo.png", PNG, "a PNG picture"),
        ("photo.jpg", JPEG, "a JPEG picture"),
        ("thread.docx", ZIP, "a zip archive (or a .docx, .xlsx, .odt, .epub)"),
        ("blob.bin", b"\x01\x02\x00\x03" * 100, "a binary file"),
    ],
    ids=["pdf", "ascii-pdf", "png", "jpeg", "docx", "nul-bytes"],
)
def test_a_binary_file_named_alone_is_no_thread_and_the_formats_are_named(
    argmap_env: Path, store: Store, tmp_path: Path, name: str, data: bytes, kind: str
) -> None:
    """Was "unknown format: ...; use --format to name one" (the ASCII PDF, the zip) or "is not
    UTF-8 text; convert it to UTF-8" (the PDF, the pictures): no format reads any of them."""
    path = tmp_path / name
    path.write_bytes(data)
    result = argmap("ingest", str(path), "-q", "-e", "offline")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == (
        f"argmap: error: {path}: looks like {kind}, not a thread argmap reads; give the thread "
        f"in one of the formats it reads: {FORMATS}\n"
    )
    assert "--format" not in result.stderr and posts(store) == 0


def test_the_bundled_samples_folder_says_nothing_of_its_init_py(
    argmap_env: Path, store: Store, tmp_path: Path
) -> None:
    """Was: "data/examples/__init__.py: skipped, not a thread of a format argmap reads" (the
    folder is the package argmap.examples, which needs that file). Python files and
    ``__pycache__`` are left out without a word, as hidden files are; the README is noted."""
    examples = tmp_path / "examples"
    shutil.copytree(sample_thread().parent, examples)
    (examples / "__pycache__").mkdir(exist_ok=True)
    (examples / "__pycache__" / "__init__.cpython-311.pyc").write_bytes(b"\xa7\r\r\n")
    (examples / "helper.pyc").write_bytes(b"\xa7\r\r\n\x00")
    assert (examples / "__init__.py").exists() and (examples / "README.md").exists()
    result = argmap("ingest", str(examples), "-q", "-e", "offline")
    assert result.returncode == 0, result.stderr
    skipped = [line for line in result.stderr.splitlines() if "skipped" in line]
    assert skipped == [
        f"argmap: note: {examples / 'README.md'}: skipped, not a thread of a format argmap reads"
    ]
    assert ".py" not in result.stderr and posts(store) == 188


def test_a_folder_of_only_python_files_says_so(
    argmap_env: Path, store: Store, tmp_path: Path
) -> None:
    """Was "the folder holds no files" of a folder that holds some (left out without a word)."""
    (tmp_path / "__init__.py").write_text("")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    result = argmap("ingest", str(tmp_path), "-q", "-e", "offline")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == (
        f"argmap: error: {tmp_path}: the folder holds only hidden or Python files; give a folder "
        "of saved threads\n"
    )
