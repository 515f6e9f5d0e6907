"""The stores a bench runs on, side by side: the embedded FalkorDB and a real Neo4j 5.26.

``open_stores(["falkordb", "neo4j"])`` starts what each needs (a FalkorDB server in a temp dir;
a Neo4j server from ``tools/neo4j`` in another, or the one ``NEO4J_URI`` names) and returns a
``fresh(name, graph)`` function giving an empty store; ``close()`` stops what it started.
Neo4j Community has one database, so a "fresh graph" there is that database emptied.
"""

from __future__ import annotations

import importlib.util
import os
import secrets
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
STORES = ("falkordb", "neo4j")


def _launcher() -> Any:
    name = "argmap_tools_neo4j_server"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / "neo4j" / "server.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


class BenchStores:
    """Started stores; ``fresh(name, graph)`` opens an empty one, ``info`` says what runs."""

    def __init__(self, names: list[str]) -> None:
        from argmap.graph.embedded import ensure_server

        self.names = names
        self.info: dict[str, Any] = {}
        self._tmp = Path(tempfile.mkdtemp(prefix="argmap-bench-stores-"))
        self._neo4j = None
        self._login: dict[str, Any] = {}
        if "falkordb" in names:
            ensure_server(self._tmp / "falkordb")
            self.info["falkordb"] = {"store": "falkordb-embedded"}
        if "neo4j" in names:
            uri = os.environ.get("NEO4J_URI")
            if uri:
                self._uri = uri
                self._login = {"neo4j_password": os.environ.get("NEO4J_PASSWORD")}
                self.info["neo4j"] = {"store": "neo4j (NEO4J_URI)"}
            else:
                launcher = _launcher()
                password = "bench-" + secrets.token_urlsafe(12)
                self._neo4j = launcher.start(self._tmp / "neo4j", launcher.free_port(), password)
                self._uri = self._neo4j.uri
                self._login = {"neo4j_password": password}
                self.info["neo4j"] = {
                    "store": f"neo4j {self._neo4j.version} community (tools/neo4j launcher)",
                    "heap": launcher.DEFAULT_HEAP,
                    "pagecache": launcher.DEFAULT_PAGECACHE,
                    "started_in_s": round(self._neo4j.started_in, 1),
                }

    def fresh(self, name: str, graph: str):
        """An empty store: a new FalkorDB graph, or Neo4j's one database emptied."""
        from argmap.graph.store import open_store

        if name == "falkordb":
            store = open_store(str(self._tmp / "falkordb"), graph)
        else:
            store = open_store(self._uri, **self._login)
        store.clear()
        return store

    def close(self) -> None:
        from argmap.graph.embedded_stop import stop_server

        if "falkordb" in self.names:
            stop_server(self._tmp / "falkordb")
        if self._neo4j is not None:
            self._neo4j.stop()
        shutil.rmtree(self._tmp, ignore_errors=True)


def parse_stores(value: str) -> list[str]:
    """``--stores falkordb,neo4j`` as a list, checked."""
    names = [v.strip() for v in value.split(",") if v.strip()]
    bad = [n for n in names if n not in STORES]
    if bad or not names:
        raise SystemExit(f"--stores takes a comma-separated list of {', '.join(STORES)}")
    return names
