"""argmap: turn a comment thread into an argument graph.

Layers, bottom to top: ``argmap.core`` (models, ids, errors, settings, the JSON v1 contract),
``argmap.graph`` (stores, queries, analysis, exports), ``argmap.ingest`` (sources, reply trees,
extraction, the pipeline), then ``argmap.cli`` and ``argmap.dashboard``.

From Python (a script, a notebook): ``argmap.graph.store.open_store`` opens a store (use it in a
``with`` block), ``argmap.ingest.pipeline.ingest`` loads a source, ``argmap.graph.queries`` holds
the named queries and ``argmap.graph.exports.export`` writes every format; docs/python.md
("From Python") names the function behind each CLI command.
"""

from pkgutil import extend_path
from typing import Any

# Inside a checkout after `pip install .` (the README's first command), Python finds the
# checkout's argmap/ folder (core and CLI only) before the installed package, so
# `python -m argmap` and `from argmap.graph import ...` failed there: the installed copy is
# searched too, for the subpackages package-dir maps from other folders. An editable install,
# or an installed one used elsewhere, finds one argmap/ folder and is unchanged.
__path__ = extend_path(__path__, __name__)


def __getattr__(name: str) -> Any:
    # Looked up on first use: importlib.metadata costs a tenth of a second, and the CLI installs
    # its signal handlers only after this package is imported (argmap.cli.main).
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("argmap")
        except PackageNotFoundError:  # running from a source tree that was never installed
            return "0+unknown"
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
