"""argmap: turn a comment thread into an argument graph.

Layers, bottom to top: ``argmap.core`` (models, ids, errors, settings, the JSON v1 contract),
``argmap.graph`` (stores, queries, analysis, exports), ``argmap.ingest`` (sources, reply trees,
extraction, the pipeline), then ``argmap.cli`` and ``argmap.dashboard``.

From Python (a script, a notebook): ``argmap.graph.store.open_store`` opens a store (use it in a
``with`` block), ``argmap.ingest.pipeline.ingest`` loads a source, ``argmap.graph.queries`` holds
the named queries and ``argmap.graph.exports.export`` writes every format; the README's
"From Python" section names the function behind each CLI command.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("argmap")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
