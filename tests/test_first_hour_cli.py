"""The first hour at the command line: help that reads right, and reading commands that say
what is wrong (an empty or mistyped store, an unknown thread) instead of printing nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from argmap.graph import queries
from argmap.graph.catalog import thread_ids
from argmap.graph.embedded import is_running
from argmap.graph.overview import TreeTrust
from argmap.graph.servers import graph_sizes
from argmap.graph.store import Store, open_store
from argmap.graph.writes import write_thread
from argmap.ingest.pipeline import IngestSummary
from typer.main import get_command
from typer.testing import CliRunner

from argmap.cli import app
from argmap.cli.ingest_cmd import summary_line, trust_line
from argmap.core.resources import sample_thread

runner = CliRunner()


def every_command_path() -> list[list[str]]:
    """The argument lists that reach each command and group (``[]``, ``["db"]``, ``["db", "list"]``...)."""
    paths: list[list[str]] = [[]]
    root = get_command(app)

    def walk(group, prefix: list[str]) -> None:
        for name, cmd in group.commands.items():
            paths.append([*prefix, name])
            if hasattr(cmd, "commands"):
                walk(cmd, [*prefix, name])

    walk(root, [])
    return paths


@pytest.mark.parametrize("path", every_command_path(), ids=lambda p: " ".join(p) or "argmap")
def test_help_shows_metavars_not_python_types(path: list[str]) -> None:
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    placeholders = re.findall(r"<(?:bool|str|int|float|path|list\[[^\]]*\])[^>]*>", result.output)
    assert placeholders == [], f"argmap {' '.join(path)} --help shows {placeholders}"


@pytest.mark.parametrize("path", every_command_path(), ids=lambda p: " ".join(p) or "argmap")
def test_the_usage_line_says_one_or_more_once(path: list[str]) -> None:
    """Was ``Usage: argmap ingest [OPTIONS] {SOURCE...}...``: Typer's ``...`` after ours."""
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
    usage = next(line for line in result.output.splitlines() if "Usage:" in line)
    assert "......" not in usage.replace("}", "").replace("]", ""), usage


def test_flags_take_no_value_and_options_name_theirs() -> None:
    out = runner.invoke(app, ["query", "contested", "--help"], env={"COLUMNS": "200"}).output
    json_line = next(line for line in out.splitlines() if "--json" in line)
    assert re.search(r"--json\s+Print", json_line)  # nothing between the flag and its help
    assert re.search(r"--limit\s+N\b", out) and re.search(r"--thread\s+ID\b", out)
    assert "[default: 20]" in out
    dash = runner.invoke(app, ["dashboard", "--help"], env={"COLUMNS": "200"}).output
    port = next(line for line in dash.splitlines() if "--port" in line)
    assert "PORT" in port and "Port to serve on" in port and "8501" in port


def test_version() -> None:
    from importlib.metadata import version

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"argmap {version('argmap')}"


def test_search_takes_words_without_quotes(sample_env: Store) -> None:
    result = runner.invoke(app, ["query", "search", "membership", "figures", "--json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    expected = [r.model_dump() for r in queries.search(sample_env, "membership figures")]
    assert found == expected and len(found) > 0


def test_threads_lists_ids_titles_and_counts(sample_env: Store) -> None:
    result = runner.invoke(app, ["threads", "--json"])
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)
    thread = sample_env.run_read("MATCH (t:Thread) RETURN t.id AS id, t.title AS title")[0]
    one = lambda q: sample_env.run_read(q)[0]["n"]  # noqa: E731
    assert row["id"] == thread["id"] and row["title"] == thread["title"]
    assert row["posts"] == one("MATCH (p:Post) RETURN count(p) AS n")
    assert row["claims"] == one("MATCH (c:Claim) RETURN count(c) AS n")
    assert row["relations"] == one("MATCH ()-[r:REBUTS|SUPPORTS]->() RETURN count(r) AS n")
    table = runner.invoke(app, ["threads"], env={"COLUMNS": "200"})
    assert thread["id"] in table.stdout


def test_threads_keeps_ids_and_counts_whole_in_narrow_and_piped_output(sample_env: Store) -> None:
    """The id is what --thread takes: it must survive a narrow terminal (COLUMNS=40) and output
    piped to a file (80 columns). Was: the id was cut to `t_f8eb9d9…` at 80 columns and `t_…` at
    40, and the counts' headers to `c…`."""
    (row,) = json.loads(runner.invoke(app, ["threads", "--json"]).stdout)
    for columns in ("80", "40"):
        table = runner.invoke(app, ["threads"], env={"COLUMNS": columns})
        assert table.exit_code == 0, table.output
        assert row["id"] in table.stdout, columns
        for header in ("comments", "spam", "claims", "relations"):
            assert header in table.stdout, (columns, header)
        assert f" {row['claims']} " in table.stdout, columns


def test_an_unknown_thread_id_is_an_error(sample_env: Store) -> None:
    for args in (["query", "contested"], ["query", "theses"], ["export", "-f", "json"]):
        result = runner.invoke(app, [*args, "--thread", "t_nope"])
        assert result.exit_code == 1, args
        line = result.stderr.strip()
        assert "\n" not in line and "no thread 't_nope'" in line and "argmap threads" in line


def test_reading_an_empty_graph_says_so(argmap_env: Path, store: Store, tmp_path: Path) -> None:
    for args in (["query", "contested"], ["query", "unanswered"], ["export", "-f", "json"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1, args
        assert "holds no thread — ingest one first" in result.stderr
    cypher = runner.invoke(app, ["cypher", "MATCH (n) RETURN n LIMIT 1"])
    assert cypher.exit_code == 0 and "holds no thread" in cypher.stderr
    threads = runner.invoke(app, ["threads"])
    assert threads.exit_code == 1 and "holds no thread" in threads.stderr


def test_a_mistyped_store_is_not_created(argmap_env: Path, tmp_path: Path) -> None:
    typo = tmp_path / "argmpa-data"
    result = runner.invoke(app, ["query", "theses", "--db", str(typo)])
    assert result.exit_code == 1
    assert f"no store at {typo}: check ARGMAP_DB / --db, or ingest" in result.stderr
    assert "holds no thread" not in result.stderr  # there is no store to hold anything
    assert not typo.exists() and not is_running(typo)  # no directory, no background server
    # The console query could not run either: its one line, a non-zero exit, and nothing on
    # stdout for a script reading --json (it would read an empty table as "no rows").
    for as_json in ([], ["--json"]):
        cypher = runner.invoke(app, ["cypher", "RETURN 1 AS one", "--db", str(typo), *as_json])
        assert cypher.exit_code == 1, as_json
        assert cypher.stderr.strip() == (
            f"argmap: error: no store at {typo}: check ARGMAP_DB / --db, or ingest a thread "
            "there first (argmap ingest FILE, or argmap demo)"
        )
        assert cypher.stdout == ""
    assert not typo.exists() and not is_running(typo)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["db", "status"], "is a file, not a store: check ARGMAP_DB / --db"),
        (["query", "theses"], "is a file, not a store: check ARGMAP_DB / --db"),
        (["threads"], "is a file, not a store: check ARGMAP_DB / --db"),
        (["ingest", str(sample_thread())], "is a file, not a store: check ARGMAP_DB / --db"),
        (["db", "reset", "--yes"], "is a file, not a store: check ARGMAP_DB / --db"),
    ],
)
def test_a_store_path_that_is_a_file_is_named_a_file(
    argmap_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], says: str
) -> None:
    """Was: "no store at ...: ingest a thread there first" (ingesting there fails too), and
    ``db status`` said "embedded FalkorDB in ...: not running" and exited 0; ``ingest`` and
    ``db reset`` said "ARGMAP_DB=... is a file" of a --db and noted the file as a store."""
    monkeypatch.setenv("ARGMAP_STATE_DIR", str(tmp_path / "state"))
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    result = runner.invoke(app, [*args, "--db", str(notes)])
    assert result.exit_code == 1, result.output
    line = result.stderr.strip()
    assert "\n" not in line and line.startswith("argmap: error: ") and says in line, line
    assert "ingest a thread there first" not in line and result.stdout == ""
    assert notes.read_text() == "my notes\n"  # the file is left as it was
    noted = [p.read_text() for p in (tmp_path / "state").glob("servers/*")]
    assert not any(str(notes) in text for text in noted)  # not a store `db list` looks for


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (
            ["ingset", "x.txt"],
            "No such command 'ingset'. Did you mean 'ingest'? See `argmap --help`.",
        ),
        (["query", "thesis"], "Did you mean 'theses'? See `argmap query --help`."),
        (["ingest"], "Missing argument 'SOURCE...'. See `argmap ingest --help`."),
        (["ingest", "x.txt", "--fromat", "csv"], "(Possible options: --format)"),
        (["db", "stop", "--al"], "See `argmap db stop --help`."),
        (["--bogus"], "No such option: --bogus. See `argmap --help`."),
        (["dashboard", "--port", "99999"], "'--port'"),
        (["ingest", "x.txt", "--format"], "requires an argument. See `argmap ingest --help`."),
        (["db", "stop", "--db"], "requires an argument. See `argmap db stop --help`."),
    ],
)
def test_a_typo_on_the_command_line_is_one_line_naming_the_help(args: list[str], says: str) -> None:
    """Was Typer's boxed panel under a usage line: five lines on stderr for one typo."""
    result = runner.invoke(app, args, prog_name="argmap")
    assert result.exit_code == 2, result.output
    line = result.stderr.strip()
    assert "\n" not in line and line.startswith("argmap: error: ") and says in line, line
    assert result.stdout == ""


def test_a_group_named_alone_still_shows_its_help() -> None:
    result = runner.invoke(app, ["db"], prog_name="argmap")
    assert "Usage: argmap db" in result.output and "argmap: error" not in result.output


def test_a_mistyped_graph_name_lists_the_stores_graphs(
    sample_env: Store, falkordb_dir: Path
) -> None:
    result = runner.invoke(app, ["query", "theses", "--graph", "sample_sesion"])
    assert result.exit_code == 1
    assert "no graph 'sample_sesion'" in result.stderr and sample_env.graph_name in result.stderr
    assert "sample_sesion" not in graph_sizes(falkordb_dir)  # not created by the attempt
    # The console says the same, exits non-zero, and creates no empty graph either (it used to
    # note "holds no thread", run the query on a new empty graph and exit 0).
    for as_json in ([], ["--json"]):
        cypher = runner.invoke(
            app, ["cypher", "RETURN 1 AS one", "--graph", "sample_sesion", *as_json]
        )
        assert cypher.exit_code == 1, as_json
        line = cypher.stderr.strip()
        assert "\n" not in line and "no graph 'sample_sesion'" in line, line
        assert sample_env.graph_name in line and cypher.stdout == ""
    assert "sample_sesion" not in graph_sizes(falkordb_dir)
    # The line says "check ARGMAP_GRAPH / --graph": the command's help shows that option.
    assert "--graph" in runner.invoke(app, ["query", "theses", "--help"]).stdout


def test_export_infers_the_format_from_the_file_name(sample_env: Store, tmp_path: Path) -> None:
    svg = tmp_path / "claim.svg"
    result = runner.invoke(
        app, ["export", "--claim", "most-rebutted", "--hops", "1", "-o", str(svg)]
    )
    assert result.exit_code == 0, result.output
    assert svg.read_text().lstrip().startswith(("<?xml", "<svg"))
    data = tmp_path / "graph.graphml"
    assert runner.invoke(app, ["export", "-o", str(data)]).exit_code == 0
    assert "<graphml" in data.read_text()


def test_hops_without_a_claim_says_it_changed_nothing(sample_env: Store) -> None:
    """Was silent: ``argmap export --hops 1 -o x.png`` drew the whole graph, as without it."""
    said = runner.invoke(app, ["export", "-f", "json", "--hops", "1"])
    assert said.exit_code == 0 and json.loads(said.stdout)["claims"]  # the export still runs
    assert said.stderr.strip() == (
        "argmap: note: --hops counts relation steps around --claim; without --claim the whole "
        "graph is exported (add --claim ID, or --claim most-rebutted)"
    )
    for args in (["--claim", "most-rebutted", "--hops", "1"], []):
        quiet = runner.invoke(app, ["export", "-f", "json", *args])
        assert quiet.exit_code == 0 and "--hops" not in quiet.stderr, args


def test_export_refuses_a_format_that_contradicts_the_file_name(
    sample_env: Store, tmp_path: Path
) -> None:
    out = tmp_path / "x.svg"
    result = runner.invoke(app, ["export", "-f", "png", "-o", str(out)])
    assert result.exit_code == 1
    line = result.stderr.strip()
    assert "\n" not in line and "-f png" in line and "x.svg" in line
    assert not out.exists()
    unknown = runner.invoke(app, ["export", "-o", str(tmp_path / "x.docx")])
    assert unknown.exit_code == 1 and "give -f" in unknown.stderr
    # A name that fits the format, and AIF's own .json, are fine.
    assert (
        runner.invoke(app, ["export", "-f", "aif", "-o", str(tmp_path / "a.json")]).exit_code == 0
    )


def test_a_cypher_syntax_error_says_what_and_where_once(sample_env: Store) -> None:
    """Was FalkorDB's raw text: "errMsg: Invalid input 'R': ... line: 1, column: 10, offset: 9
    errCtx: MATCH (n RETURN n errCtxOffset: 9"."""
    result = runner.invoke(app, ["cypher", "MATCH (n RETURN n"])
    assert result.exit_code == 1 and result.stdout == ""
    line = result.stderr.strip()
    assert line.startswith("argmap: error: query failed: Invalid input 'R'") and "\n" not in line
    assert line.endswith("(line 1, column 10)") and "errCtx" not in line, line


def test_cypher_row_counts_are_proper_english(sample_env: Store) -> None:
    result = runner.invoke(
        app, ["cypher", "MATCH (c:Claim) RETURN c.id AS id", "--limit", "1"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "showing the first 1 row;" in result.stderr and "1 rows" not in result.stderr
    assert "1 row in" in result.stdout and "1 rows" not in result.stdout


def test_an_unknown_models_cost_is_unknown() -> None:
    unknown = IngestSummary(model="my-local-model", prompt_tokens=100, completion_tokens=10)
    assert "cost unknown" in summary_line(unknown) and "$" not in summary_line(unknown)
    known = IngestSummary(model="gpt-4o-mini", prompt_tokens=100, completion_tokens=10, priced=True)
    assert re.search(r"\$\d+\.\d{4}", summary_line(known))


def seed_other_graph(falkordb_dir: Path, name: str) -> Store:
    from test_writes import tiny_thread

    other = open_store(str(falkordb_dir), name)
    write_thread(other, tiny_thread())
    return other


def test_db_status_and_reset_name_the_graph_and_keep_the_others(
    argmap_env: Path, store: Store, graph_name: str
) -> None:
    from test_writes import tiny_thread

    write_thread(store, tiny_thread())
    other = seed_other_graph(argmap_env, graph_name + "_other")
    try:
        status = runner.invoke(app, ["db", "status"])
        assert status.exit_code == 0
        assert f"graph {graph_name!r}: " in status.stdout and "3 Post" in status.stdout
        graphs_line = next(
            line for line in status.stdout.splitlines() if line.startswith("graphs:")
        )
        assert graph_name in graphs_line and other.graph_name in graphs_line

        asked = runner.invoke(app, ["db", "reset"], input="n\n")
        assert f"graph {graph_name!r} in {argmap_env}" in asked.output and asked.exit_code == 1
        reset = runner.invoke(app, ["db", "reset", "--yes"])
        assert reset.exit_code == 0
        assert f"graph {graph_name!r} in {argmap_env}: emptied" in reset.stdout
        assert other.graph_name in reset.stdout  # the other graph is named as kept
        left = store.run_read("MATCH (n) WHERE NOT n:Meta RETURN count(n) AS n")[0]["n"]
        kept = other.run_read("MATCH (p:Post) RETURN count(p) AS n")[0]["n"]
        assert left == 0 and kept == 3
    finally:
        other.clear()
        other.close()


def test_a_delete_not_confirmed_says_nothing_was_deleted_and_how_to_skip_the_question(
    argmap_env: Path, store: Store
) -> None:
    """Was click's bare "Aborted.": neither what was kept nor how a script answers."""
    from test_writes import tiny_thread

    write_thread(store, tiny_thread())
    (thread_id,) = thread_ids(store)
    for args, answer, says in (
        (["db", "reset"], "n\n", "argmap: error: nothing deleted (you answered no)"),
        (["threads", "delete", thread_id], "n\n", "nothing deleted (you answered no)"),
        (["db", "reset"], "", "nothing deleted: the question got no answer; pass --yes"),
        (["threads", "delete", thread_id], "", "the question got no answer; pass --yes"),
    ):
        result = runner.invoke(app, args, input=answer)
        assert result.exit_code == 1, (args, result.output)
        line = result.stderr.strip()
        assert "\n" not in line and says in line and "Aborted" not in result.output, line
        assert store.run_read("MATCH (p:Post) RETURN count(p) AS n")[0]["n"] == 3


def test_limits_in_cypher_give_the_first_rows_of_the_full_answer(sample_store: Store) -> None:
    """The Overview asks for its first ten rows; they must be the full list's first ten."""
    from argmap.graph import counts

    every = queries.interactions(sample_store)
    assert len(every) > 5 and queries.interactions(sample_store, limit=5) == every[:5]
    objections = queries.unanswered(sample_store)
    assert queries.unanswered(sample_store, limit=10) == objections[:10]
    assert queries.unanswered_count(sample_store) == len(objections) > 10
    tid = sample_store.run_read("MATCH (t:Thread) RETURN t.id AS id")[0]["id"]
    assert queries.unanswered_count(sample_store, [tid]) == len(objections)
    # The whole store's counts come from statistics; one thread's through its posts: the same.
    assert counts.counts(sample_store) == counts.counts(sample_store, [tid])


def test_the_trust_line_counts_one_rebuilt_comment_in_the_singular() -> None:
    line = trust_line(TreeTrust(rebuilt=1, expected_right=0.9))
    assert (
        line
        == "reply tree rebuilt from the page for 1 comment: about 90% of their parents expected right"
    )


def test_eval_counts_one_of_a_kind_in_the_singular(sample_env: Store, tmp_path: Path) -> None:
    """Was: '90-100%: 1 parents, stated ...' and '1 comments labelled' for a one-row label file."""
    labels = tmp_path / "one.csv"
    labels.write_text("position,parent,stance\n3,2,supports\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", str(labels)])
    assert result.exit_code == 0, result.stderr
    assert "relations, comment level, 1 comment labelled:" in result.stdout
    assert "%: 1 parent, stated" in result.stdout and "1 parents" not in result.stdout
