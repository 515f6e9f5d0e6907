"""The package as a user installs it: one name in site-packages, its data inside, layers kept.

The wheel is built and installed into a fresh virtual environment, then run from a folder outside
the source tree, so nothing the repository has beside the package can stand in for package data.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from argmap.ingest.extract.llm_context import PROMPT_VERSION, load_prompts
from llm_server import ChatServer
from test_dashboard_browser import wait_idle

from argmap.core import json_v1
from argmap.core.errors import ExtractionError

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import source_view  # noqa: E402


def _tool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=600
    )


def test_every_package_folder_is_listed_for_the_wheel() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    found = set()
    for name, folder in source_view.package_dirs().items():
        for init in folder.rglob("__init__.py"):
            rel = init.parent.relative_to(folder)
            sub = ".".join(rel.parts)
            dotted = f"{name}.{sub}" if sub else name
            # a mapped subpackage is found under its own mapping, not again under argmap/
            if not any(
                dotted.startswith(other + ".") or dotted == other
                for other in source_view.package_dirs()
                if len(other) > len(name)
            ):
                found.add(dotted)
            elif dotted in source_view.package_dirs():
                found.add(dotted)
    assert found == listed


def test_the_layers_hold() -> None:
    done = _tool("tools/source_view.py", "lint-imports")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_a_wrong_import_breaks_a_contract(tmp_path: Path) -> None:
    """The contracts can fail: graph importing ingest is caught (checked on a copy of the view)."""
    view = source_view.build_view(tmp_path / "view")
    bad = tmp_path / "graph"
    bad.mkdir()
    for f in (ROOT / "graph").iterdir():
        if f.suffix == ".py":
            (bad / f.name).write_text(f.read_text())
    (bad / "chains.py").write_text(
        (bad / "chains.py").read_text() + "\nfrom argmap.ingest import pipeline  # noqa\n"
    )
    (view / "argmap" / "graph").unlink()
    (view / "argmap" / "graph").symlink_to(bad, target_is_directory=True)
    done = subprocess.run(
        [sys.executable, *source_view.TOOLS["lint-imports"][:2], str(ROOT / "pyproject.toml")],
        cwd=view,
        env={**os.environ, "PYTHONPATH": str(view)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode != 0
    assert "argmap.graph.chains -> argmap.ingest.pipeline" in done.stdout


def test_mypy_is_clean() -> None:
    done = _tool("tools/source_view.py", "mypy")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("Success")


def test_ruff_check_and_format_are_clean() -> None:
    check = _tool("-m", "ruff", "check", ".")
    assert check.returncode == 0, check.stdout
    fmt = _tool("-m", "ruff", "format", "--check", ".")
    assert fmt.returncode == 0, fmt.stdout


def test_the_json_v1_page_is_generated_from_the_models() -> None:
    page = (ROOT / "docs" / "json-v1.md").read_text(encoding="utf-8")
    assert page == json_v1.markdown(), "run: python -m argmap.core.json_v1 > docs/json-v1.md"
    for field in json_v1.PostRow.model_fields:
        assert f"| `{field}` |" in page


def test_the_json_v1_schema_file_is_generated_from_the_models() -> None:
    path = ROOT / "docs" / "json-v1.schema.json"
    assert path.is_file(), "run: python -m argmap.core.json_v1 --schema > docs/json-v1.schema.json"
    assert json.loads(path.read_text(encoding="utf-8")) == json_v1.json_schema()


def test_a_prompt_missing_a_placeholder_fails_at_load_naming_both(tmp_path: Path) -> None:
    for part in ("system", "article", "comment"):
        text = (ROOT / "prompts" / f"extract_{part}.{PROMPT_VERSION}.md").read_text(
            encoding="utf-8"
        )
        if part == "comment":
            text = text.replace("$candidate_ids", "the ids")
        (tmp_path / f"extract_{part}.{PROMPT_VERSION}.md").write_text(text, encoding="utf-8")
    with pytest.raises(ExtractionError) as caught:
        load_prompts(directory=tmp_path)  # type: ignore[arg-type]
    assert f"extract_comment.{PROMPT_VERSION}.md" in str(caught.value) and "$candidate_ids" in str(
        caught.value
    )


# -- the wheel in a fresh virtual environment -----------------------------------------------------


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    (path,) = out.glob("argmap-*.whl")
    return path


def test_the_wheel_installs_one_name_with_its_data(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.startswith("argmap-")}
    assert tops == {"argmap"}
    for needed in (
        f"argmap/prompts/extract_system.{PROMPT_VERSION}.md",
        f"argmap/prompts/extract_comment.{PROMPT_VERSION}.md",
        "argmap/examples/joining-the-iso-2013.txt",
        "argmap/dashboard/app.py",
        "argmap/dashboard/views/overview.py",
        "argmap/graph/store.py",
        "argmap/ingest/pipeline.py",
    ):
        assert needed in names


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh virtual environment with only the wheel (and its dependencies) installed."""
    home = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(home)], check=True, timeout=300)
    done = subprocess.run(
        [str(home / "bin" / "pip"), "install", "-q", str(wheel)],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    yield home


def _outside(
    venv: Path, tmp_path: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ARGMAP_", "OPENAI_", "NEO4J_", "PYTHON", "VIRTUAL_ENV"))
    }
    return subprocess.run(
        [str(venv / "bin" / "argmap"), *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**clean, "ARGMAP_DB": str(tmp_path / "db"), **(env or {})},
        timeout=600,
    )


def test_the_installed_demo_runs_from_any_directory(venv: Path, tmp_path: Path) -> None:
    try:
        done = _outside(venv, tmp_path, "demo", "--no-dashboard")
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("1 article, 172 comments (15 spam left out)")
        found = _outside(venv, tmp_path, "query", "theses", "--json")
        assert found.returncode == 0 and '"claim_id"' in found.stdout
    finally:
        _outside(venv, tmp_path, "db", "stop")


def test_the_installed_llm_path_reads_its_packaged_prompts(
    venv: Path, tmp_path: Path, sample_path: Path
) -> None:
    with ChatServer() as server:
        try:
            env = {"OPENAI_BASE_URL": server.base_url, "ARGMAP_LLM_CACHE": "off"}
            done = _outside(
                venv, tmp_path, "ingest", str(sample_path), "-e", "llm", "-q", "-j", "8", env=env
            )
            assert done.returncode == 0, done.stderr
            assert "extractor: llm/gpt-4o-mini" in done.stdout
            assert server.requests  # the SDK really talked to the server
            system = server.requests[0].body["messages"][0]["content"]
            assert (
                system
                == (ROOT / "prompts" / f"extract_system.{PROMPT_VERSION}.md")
                .read_text(encoding="utf-8")
                .strip()
            )
        finally:
            _outside(venv, tmp_path, "db", "stop")


def test_python_m_argmap_and_imports_work_inside_a_checkout(venv: Path) -> None:
    """Was: after `pip install .` in the clone (the README's first command), `python -m argmap`
    and the README's `from argmap.graph import queries` run there died with ModuleNotFoundError:
    the checkout's argmap/ folder (core and CLI only) came first on sys.path and hid the rest."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ARGMAP_", "OPENAI_", "NEO4J_", "PYTHON", "VIRTUAL_ENV"))
    }
    python = str(venv / "bin" / "python")
    version = subprocess.run(
        [python, "-m", "argmap", "--version"], cwd=ROOT, env=clean, capture_output=True, text=True
    )
    assert version.returncode == 0 and version.stdout.startswith("argmap "), version.stderr
    imported = subprocess.run(
        [python, "-c", "from argmap.graph import queries; from argmap.ingest import pipeline"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
    )
    assert imported.returncode == 0, imported.stderr[-1500:]


def test_the_installed_dashboard_runs_from_inside_a_checkout(venv: Path, tmp_path: Path) -> None:
    """Was: `argmap demo` run in the cloned repository (the README's first command) died at
    start: Streamlit's process put the working directory first on sys.path, and the checkout's
    argmap/ folder (core and CLI only) shadowed the installed package's argmap.dashboard."""
    from tools.browser import CHROMIUM, free_port, launch, wait_healthy

    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ARGMAP_", "OPENAI_", "NEO4J_", "PYTHON", "VIRTUAL_ENV"))
    }
    env = {**clean, "ARGMAP_DB": str(tmp_path / "db"), "ARGMAP_STATE_DIR": str(tmp_path / "st")}
    port, log = free_port(), tmp_path / "demo.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(venv / "bin" / "argmap"), "demo", "--port", str(port)],
            cwd=ROOT,  # the checkout: its argmap/ folder sits right here
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        try:
            wait_healthy(f"http://127.0.0.1:{port}", proc, timeout=120)
        except AssertionError as e:
            raise AssertionError(f"{e}: {log.read_text(errors='replace')[-1500:]}") from None
        if not CHROMIUM.exists():
            return  # the health check above already proves the launcher imported
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = launch(p)
            try:
                page = browser.new_page()
                page.goto(f"http://127.0.0.1:{port}/")
                page.get_by_text("Participants").first.wait_for(timeout=60_000)
                wait_idle(page)  # the whole page, not its first words: an error can come later
                assert "ModuleNotFoundError" not in page.inner_text("body")
            finally:
                browser.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        subprocess.run(
            [str(venv / "bin" / "argmap"), "db", "stop"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            timeout=120,
        )
