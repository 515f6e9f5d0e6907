"""``argmap ingest`` of several sources at once: files, and folders of saved pages.

Each source goes in as it would alone (a comment page joins its thread); each gets a line and
the run a total; a source that cannot be used says its one line and the others still go in
(exit code 1); a folder's files of another kind are skipped with a line each; re-running resumes.
The CLI calls ``ingest.many.ingest_sources``, which Python code can call the same way."""

from __future__ import annotations

import shutil
from pathlib import Path

from argmap.graph.export_json import thread_posts
from argmap.graph.store import Store
from argmap.ingest.many import ingest_sources
from test_cli import node_count
from test_comment_pages import PAGES, READING_ORDER
from typer.testing import CliRunner

from argmap.cli import app

SOURCES = Path(__file__).parent / "fixtures" / "sources"
REDDIT = SOURCES / "reddit_thread.json"
CSV = SOURCES / "comments.csv"
runner = CliRunner()


def ingest(*args: str) -> tuple[int, list[str], list[str]]:
    result = runner.invoke(app, ["ingest", *args, "-q", "--extractor", "offline"])
    return result.exit_code, result.stdout.splitlines(), result.stderr.splitlines()


def test_several_files_go_in_with_a_line_each_and_a_total(argmap_env: Path, store: Store) -> None:
    code, out, err = ingest(str(PAGES[1]), str(PAGES[2]), str(REDDIT))
    assert code == 0, err
    assert [line.split(": ", 1)[0] for line in out] == [
        str(PAGES[1]),
        str(PAGES[2]),
        str(REDDIT),
        "total",
    ]
    # The second comment page joined the first's thread: one post, 6 comments, counted once.
    assert out[1].split(": ", 1)[1].startswith("1 article, 6 comments")
    assert out[3].startswith("total: 2 articles, 12 comments (2 spam left out)")
    threads, posts = thread_posts(store)
    assert len(threads) == 2 and len(posts) == len(READING_ORDER) + 9


def test_a_folder_is_its_files_in_name_order_other_files_skipped(
    argmap_env: Path, store: Store, tmp_path: Path
) -> None:
    saved = tmp_path / "saved"
    saved.mkdir()
    shutil.copy(PAGES[2], saved / "b-page-2.html")
    shutil.copy(PAGES[1], saved / "a-page-1.html")
    (saved / "notes.txt").write_text("Shopping list\n\neggs\nmilk\nbread\n")
    (saved / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (saved / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")  # hidden: not even mentioned
    (saved / "a-page-1_files").mkdir()  # a browser's folder of the page's pictures
    code, out, err = ingest(str(saved))
    assert code == 0, err
    assert [line.split(": ", 1)[0] for line in out] == [
        str(saved / "a-page-1.html"),
        str(saved / "b-page-2.html"),
        "total",
    ]
    assert out[1].split(": ", 1)[1].startswith("1 article, 6 comments")
    assert err == [
        f"argmap: note: {saved / 'notes.txt'}: skipped, not a thread of a format argmap reads",
        f"argmap: note: {saved / 'photo.png'}: skipped, a PNG picture, not a thread",
    ]


def test_a_bad_source_says_its_line_and_the_others_go_in_and_a_rerun_resumes(
    argmap_env: Path, store: Store, tmp_path: Path
) -> None:
    broken = tmp_path / "item.json"
    broken.write_text((SOURCES / "hn_item.json").read_text()[:400])  # cut short
    code, out, err = ingest(str(CSV), str(broken), str(REDDIT))
    assert code == 1
    assert [line.split(": ", 1)[0] for line in out] == [str(CSV), str(REDDIT), "total"]
    errors = [line for line in err if line.startswith("argmap: error: ")]
    assert len(errors) == 2 and errors[0].startswith(f"argmap: error: {broken}: ")
    assert errors[1].startswith("argmap: error: 1 of 3 sources could not be ingested")
    shutil.copy(SOURCES / "hn_item.json", broken)  # saved again, whole
    code, out, err = ingest(str(CSV), str(broken), str(REDDIT))
    assert code == 0, err
    assert "0 extracted now" in out[0] and "0 extracted now" in out[2]
    assert "0 extracted now" not in out[1]


def test_a_folder_with_no_thread_in_it_fails_and_leaves_no_graph(
    argmap_env: Path, tmp_path: Path
) -> None:
    (tmp_path / "notes.txt").write_text("Shopping list\n\neggs\nmilk\nbread\n")
    code, out, err = ingest(str(tmp_path))
    assert code == 1 and out == []
    # One folder named: one source, however many files it holds, and its one line is the error
    # (was followed by a second, "nothing could be ingested (said why above)").
    assert err[-1].startswith(f"argmap: error: {tmp_path}: its one file is not a thread argmap")
    assert sum("argmap: error:" in line for line in err) == 1, err
    (tmp_path / "more notes.txt").write_text("Call the plumber\n")
    code, out, err = ingest(str(tmp_path))
    assert err[-1].startswith(f"argmap: error: {tmp_path}: none of its 2 files is a thread")
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, err = ingest(str(empty))
    assert code == 1 and out == []
    assert err == [
        f"argmap: error: {empty}: the folder holds no files; give a folder of saved threads"
    ]
    assert node_count(argmap_env) == 0


def test_two_sources_neither_readable_say_so_once_each_then_together(
    argmap_env: Path, tmp_path: Path
) -> None:
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("Shopping list\n\neggs\nmilk\n")
    code, out, err = ingest(str(tmp_path / "a.txt"), str(tmp_path / "b.txt"))
    assert code == 1 and out == []
    assert err[-1] == "argmap: error: none of the 2 sources could be ingested (each said why above)"
    assert [line.split(":")[2].strip() for line in err[:-1]] == [
        str(tmp_path / "a.txt"),
        str(tmp_path / "b.txt"),
    ]
    assert node_count(argmap_env) == 0


def test_the_library_takes_several_sources_too(store: Store, tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    seen: list[str] = []
    report = ingest_sources(
        [CSV, missing, REDDIT],
        store,
        extractor="offline",
        on_source=lambda o: seen.append(o.source),
    )
    assert seen == [str(CSV), str(missing), str(REDDIT)]
    [failed] = report.failed
    assert failed.error == f"{missing}: no such file; check the path"
    assert report.total.articles == 2 and report.total.pending == 0
    assert report.total.threads == [o.summary.threads[0] for o in report.ingested if o.summary]


def test_a_dry_run_with_a_bad_source_says_the_estimate_is_of_the_others(
    argmap_env: Path, store: Store, tmp_path: Path
) -> None:
    """Was: "...; the others went in", though a dry run writes nothing."""
    broken = tmp_path / "item.json"
    broken.write_text((SOURCES / "hn_item.json").read_text()[:400])  # cut short
    result = runner.invoke(app, ["ingest", str(CSV), str(broken), "--dry-run", "-e", "llm"])
    assert result.exit_code == 1
    assert result.stdout.startswith("dry run [")  # the estimate of the CSV
    assert result.stderr.splitlines()[-1] == (
        "argmap: error: 1 of 2 sources could not be ingested (each said why above); the "
        "estimate is of the others: fix those and re-run the same command"
    )
    assert node_count(argmap_env) == 0
