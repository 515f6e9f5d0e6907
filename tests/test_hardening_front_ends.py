"""Issue 18: what reaches a user's terminal and who the dashboard answers: control characters
never reach the terminal, the dashboard refuses other hosts and origins. Each test failed
before its fix (the reproduction is in its docstring)."""

from __future__ import annotations

from pathlib import Path

from argmap.graph.store import Store
from argmap.ingest.pipeline import ingest
from hardening_data import ROWS, _jsonl, runner

from argmap.cli import app

# --- 7. terminal escape injection ----------------------------------------------------------


def test_control_characters_never_reach_the_terminal(
    argmap_env: Path, store: Store, tmp_path: Path
) -> None:
    """Was: escape sequences in authors and text printed raw (title change, clear, hyperlinks)."""
    rows = [dict(r) for r in ROWS]
    rows[1]["author"] = "Eve\x1b]0;pwned\x07\x1b[2J"
    rows[1]["text"] = (
        "I disagree. \x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\ here \x9b31m."
    )
    ingest(_jsonl(tmp_path / "t.jsonl", rows), store, extractor="offline")
    for args in (
        ["cypher", "MATCH (p:Post) RETURN p.author AS a, p.text AS t"],
        ["query", "contested"],
        ["query", "interactions", "--include-self"],
    ):
        result = runner.invoke(app, args, terminal_width=200)
        assert result.exit_code == 0, result.output
        assert (
            "\x1b" not in result.output
            and "\x07" not in result.output
            and "\x9b" not in result.output
        )
    shown = runner.invoke(
        app, ["cypher", "MATCH (p:Post) RETURN p.author AS a"], terminal_width=200
    ).output
    assert "\\x1b]0;pwned" in shown  # shown escaped, not dropped


# --- 8. the dashboard answers only to its own host names -------------------------------------


def test_the_dashboard_refuses_other_hosts_and_origins() -> None:
    """Was: any Host was served, so a DNS-rebinding page could drive the console."""
    from argmap.dashboard.guard import refused_reason

    from argmap.core.settings import Settings

    allowed = Settings(ARGMAP_DASHBOARD_ALLOWED_HOSTS="argmap.example.org").allowed_hosts()
    assert refused_reason({"Host": "127.0.0.1:8501"}, allowed) is None
    assert (
        refused_reason({"Host": "localhost:8501", "Origin": "http://localhost:8501"}, allowed)
        is None
    )
    assert refused_reason({"Host": "argmap.example.org"}, allowed) is None
    assert "host name 'evil.example'" in (
        refused_reason({"Host": "evil.example:8501"}, allowed) or ""
    )
    assert "another site" in (
        refused_reason({"Host": "127.0.0.1:8501", "Origin": "http://evil.example"}, allowed) or ""
    )


def test_the_gate_decides_on_the_raw_headers_of_a_request() -> None:
    """dashboard/serve.py's gate: what it refuses before Streamlit sees a request (the real
    server is driven in tests/test_dashboard_http.py)."""
    from argmap.dashboard.guard import closed_path, request_refused

    allowed = ["localhost", "127.0.0.1"]
    ours = [(b"host", b"127.0.0.1:8501"), (b"origin", b"http://127.0.0.1:8501")]
    assert request_refused(ours, allowed) == (None, "127.0.0.1:8501")
    assert request_refused([(b"Host", b"LOCALHOST.:8501")], allowed) == (None, "LOCALHOST.:8501")
    # A sandboxed frame of any site says "null": not one of ours (was: let through).
    reason, _ = request_refused([(b"host", b"127.0.0.1:8501"), (b"origin", b"null")], allowed)
    assert reason and "another site" in reason
    # No Host (HTTP/1.0), two Hosts or two Origins: which would Streamlit believe? Neither.
    for raw in (
        [],
        [(b"host", b"127.0.0.1"), (b"host", b"evil.example")],
        [*ours, (b"origin", b"http://evil.example")],
    ):
        assert request_refused(raw, allowed)[0], raw
    reason, host = request_refused([(b"host", b"127.0.0.1@evil.example")], allowed)
    assert reason and "'evil.example'" in reason
    # Metrics: shut at any base URL path, with or without a trailing slash; open when asked.
    for path in ("/_stcore/metrics", "/_stcore/metrics/", "/argmap/_stcore/metrics"):
        assert closed_path(path, metrics=False) and not closed_path(path, metrics=True)
    for path in ("/", "/search", "/_stcore/health", "/_stcore/host-config", "/_stcore/stream"):
        assert not closed_path(path, metrics=False)
