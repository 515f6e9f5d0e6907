"""docker-compose.yml is valid, and says what docs/stores.md promises: checked by a real
Compose tool.

``docker-compose config`` (Debian's ``docker-compose`` package, Compose v1) validates the file
against the Compose specification's JSON schema and resolves ``${...}`` variables, without a
Docker daemon. CI installs it (``.ci/run``); elsewhere the tests that need it say so and skip.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
SENTINEL = "sentinel-Pa55word-for-tests"


def compose_tool() -> str:
    tool = shutil.which("docker-compose")
    if tool is None:
        reason = (
            "docker-compose not installed (apt-get install --no-install-recommends docker-compose)"
        )
        if os.environ.get("CI"):
            pytest.fail(f"{reason}: CI must validate docker-compose.yml")
        pytest.skip(reason)
    return tool


def compose_config(tmp_path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``docker-compose config`` on the repo's file, with exactly ``env`` (no .env, no shell vars)."""
    env_file = tmp_path / "empty.env"
    env_file.write_text("")
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL")}
    return subprocess.run(
        [
            compose_tool(),
            "--project-directory",
            str(ROOT),
            "-f",
            str(COMPOSE),
            "--env-file",
            str(env_file),
            "config",
        ],
        env=base | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def resolved(tmp_path: Path) -> dict[str, Any]:
    result = compose_config(tmp_path, {"NEO4J_PASSWORD": SENTINEL})
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_the_compose_file_is_valid(resolved: dict[str, Any]) -> None:
    assert set(resolved["services"]) == {"neo4j", "app", "ingest-sample"}


def test_without_a_password_compose_refuses_to_start(tmp_path: Path) -> None:
    result = compose_config(tmp_path, {})
    assert result.returncode != 0
    assert "set NEO4J_PASSWORD in .env" in result.stderr


def test_neo4j_service(resolved: dict[str, Any]) -> None:
    neo4j = resolved["services"]["neo4j"]
    assert neo4j["image"].startswith("neo4j:5.26.")
    assert neo4j["environment"]["NEO4J_AUTH"] == f"neo4j/{SENTINEL}"
    assert neo4j["healthcheck"]["test"][0] in ("CMD", "CMD-SHELL")
    # Its data lives in a named volume, so `docker compose down` keeps the graph.
    assert "neo4j-data" in resolved["volumes"]
    assert any(v.startswith("neo4j-data:/data") for v in neo4j["volumes"])
    # Published on loopback only.
    assert neo4j["ports"] and all(p.startswith("127.0.0.1:") for p in neo4j["ports"])


def test_app_service_serves_the_dashboard_against_neo4j(resolved: dict[str, Any]) -> None:
    app = resolved["services"]["app"]
    assert app["build"]["context"] == str(ROOT)
    assert app["depends_on"]["neo4j"]["condition"] == "service_healthy"
    env = app["environment"]
    assert env["ARGMAP_DB"] == "bolt://neo4j:7687"
    assert env["NEO4J_PASSWORD"] == SENTINEL
    assert app["command"][:2] == ["argmap", "dashboard"]
    assert app["ports"] and all(p.startswith("127.0.0.1:") for p in app["ports"])
    sample = resolved["services"]["ingest-sample"]
    assert sample["command"][:2] == ["argmap", "ingest"]
    assert (ROOT / sample["command"][2]).is_file()  # the sample the image carries


# Where argmap keeps its own files in the image (platformdirs' user data dir of user argmap).
ARGMAP_DATA_DIR = "/home/argmap/.local/share/argmap"


def test_argmaps_own_files_outlive_a_run_rm_container(resolved: dict[str, Any]) -> None:
    """The LLM answer cache and the record of each ``ingest --batch`` submission live in
    argmap's data directory; in a ``run --rm`` container they went with it, so the next run
    paid for every answer, and submitted a recorded batch, again."""
    assert "argmap-data" in resolved["volumes"]
    for name in ("app", "ingest-sample"):
        volumes = resolved["services"][name]["volumes"]
        assert any(v.startswith(f"argmap-data:{ARGMAP_DATA_DIR}") for v in volumes), name
    # A fresh volume takes the owner of the directory it is mounted on: the image's user's.
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert f"mkdir -p {ARGMAP_DATA_DIR}" in dockerfile
    assert "chown -R argmap:argmap /home/argmap/.local" in dockerfile


def test_no_password_is_committed() -> None:
    """Every password in the compose file comes from the environment; .env.example has none."""
    text = COMPOSE.read_text()
    for line in text.splitlines():
        if (
            re.search(r"PASSWORD|NEO4J_AUTH", line)
            and ":" in line
            and not line.lstrip().startswith("#")
        ):
            value = line.split(":", 1)[1]
            assert "${NEO4J_PASSWORD" in value, line
    example = dict(
        line.split("=", 1)
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert example["NEO4J_PASSWORD"] == ""
    assert ".env" in (ROOT / ".dockerignore").read_text().split()


def test_dockerfile_runs_argmap_as_a_user() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11", text, re.M)
    assert re.search(r"^USER (?!root)\w+", text, re.M)
    assert re.search(r'^CMD \["argmap", "dashboard"', text, re.M)


# The launcher's settings that a container must share with it; the rest are about where the
# test server listens (loopback, no TLS, a quick stop), which a container decides for itself.
SHARED_SETTINGS = (
    "server.memory.pagecache.size",
    "db.memory.transaction.total.max",
    "db.memory.transaction.max",
    "dbms.security.auth_enabled",
    "dbms.usage_report.enabled",
)


def container_settings(environment: dict[str, str]) -> dict[str, str]:
    """neo4j.conf settings from the image's NEO4J_* variables (``_`` is ``.``, ``__`` is ``_``)."""
    return {
        key[len("NEO4J_") :].replace("__", "\0").replace("_", ".").replace("\0", "_"): str(value)
        for key, value in environment.items()
        if key.startswith("NEO4J_") and key != "NEO4J_AUTH"
    }


def test_compose_runs_the_neo4j_the_tests_run_with_the_same_settings() -> None:
    """Read from the files themselves (no Compose tool needed), so they cannot drift."""
    from neo4j_session import load_launcher

    launcher = load_launcher()
    pom = (ROOT / "tools" / "neo4j" / "pom.xml").read_text()
    assert f"<neo4j.version>{launcher.NEO4J_VERSION}</neo4j.version>" in pom
    neo4j = yaml.safe_load(COMPOSE.read_text())["services"]["neo4j"]
    assert neo4j["image"] == f"neo4j:{launcher.NEO4J_VERSION}-community"
    got = container_settings(neo4j["environment"])
    conf = dict(line.split("=", 1) for line in launcher.config_lines(7687))
    want = {k: conf[k] for k in SHARED_SETTINGS}
    want["server.memory.heap.initial_size"] = launcher.DEFAULT_HEAP_INITIAL
    want["server.memory.heap.max_size"] = launcher.DEFAULT_HEAP
    assert got == want
    # Auth on, with the password from the environment, as the launcher takes it.
    assert neo4j["environment"]["NEO4J_AUTH"].startswith("neo4j/${NEO4J_PASSWORD")


def test_a_spend_limit_and_a_price_in_env_reach_the_containers(tmp_path: Path) -> None:
    """``ARGMAP_MAX_COST`` set in .env held on the host but not in the containers: an LLM
    ingest run with compose spent without the limit the user had set."""
    stated = {"ARGMAP_MAX_COST": "2.5", "ARGMAP_PRICE_INPUT": "0", "ARGMAP_PRICE_OUTPUT": "0"}
    result = compose_config(tmp_path, {"NEO4J_PASSWORD": SENTINEL, **stated})
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    for name in ("app", "ingest-sample"):
        env = services[name]["environment"]
        assert {k: env[k] for k in stated} == stated, name
        assert env["ARGMAP_STANCE_MODEL"] == "none"


def test_settings_the_compose_file_leaves_empty_mean_unset(resolved: dict[str, Any]) -> None:
    """Unset on the host, compose passes them on empty; argmap reads that as no limit and no
    price, not as an error that would stop every command in the container."""
    from argmap.core.settings import Settings

    env = resolved["services"]["app"]["environment"]
    blank = {k: v for k, v in env.items() if k.startswith(("ARGMAP_MAX", "ARGMAP_PRICE"))}
    assert blank and all(v in ("", None) for v in blank.values())
    settings = Settings(**{k: v or "" for k, v in blank.items()})
    assert settings.max_cost is None and settings.price() is None
