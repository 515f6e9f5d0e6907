"""Which functions a read may call: Cypher's own, and plugin functions that only compute.

A read transaction runs any function the server has. Cypher's built-in functions only compute
on their arguments and the graph, but a plugin's may not: on a Neo4j with APOC,
``apoc.static.get(...)`` reads values from the server's configuration,
``apoc.cypher.runFirstColumnMany(...)`` runs a query the text check above never sees (``SHOW
USERS``, a procedure off the list), and a later APOC or another plugin may add functions that
reach files or the network. So a function with a namespace (``ns.name(...)``; plugins always
have one) is called only if the namespace is listed here: the built-in namespaces of both
stores and APOC's pure ones (text, lists, maps, numbers, dates, conversions, the graph's own
nodes and relationships). An allow-list, so a namespace a plugin adds later is refused until
someone decides otherwise. Names compare without case, as Neo4j's built-in functions do.
"""

from __future__ import annotations

from argmap.graph.cypher_tokens import Tok, dotted_span

from argmap.core.errors import QueryError

# A function in one of these namespaces (or below one: ``vector.similarity.cosine``) may run.
ALLOWED_FUNCTION_NAMESPACES = frozenset(
    {
        # Neo4j's built-ins: temporal values, spatial points, vector similarity
        "date",
        "datetime",
        "localdatetime",
        "localtime",
        "time",
        "duration",
        "point",
        "vector",
        # FalkorDB's built-ins: strings, lists, vectors
        "string",
        "list",
        "vec",
        # APOC functions that only compute on their arguments or read the graph
        "apoc.text",
        "apoc.coll",
        "apoc.map",
        "apoc.math",
        "apoc.number",
        "apoc.date",
        "apoc.temporal",
        "apoc.convert",
        "apoc.agg",
        "apoc.bitwise",
        "apoc.hashing",
        "apoc.scoring",
        "apoc.json",
        "apoc.label",
        "apoc.any",
        "apoc.node",
        "apoc.nodes",
        "apoc.rel",
        "apoc.path",
        "apoc.meta.cypher",
    }
)
_SHOWN = (
    "Cypher's own functions, and APOC's that only compute, such as apoc.text.*, apoc.coll.* "
    "and apoc.map.*: docs/queries.md lists them"
)


def _allowed(name: str) -> bool:
    parts = name.lower().split(".")
    # The namespace is every part but the last; a namespace below a listed one is allowed too.
    return any(".".join(parts[:n]) in ALLOWED_FUNCTION_NAMESPACES for n in range(1, len(parts)))


def refuse_functions(toks: list[Tok]) -> None:
    """Raise ``QueryError`` when the query tokens ``toks`` call a namespaced function outside
    ``ALLOWED_FUNCTION_NAMESPACES`` (``apoc.static.get('x')``, ``apoc.cypher.runFirstColumn``)."""
    for i, tok in enumerate(toks):
        before = toks[i - 1] if i else None
        # The start of a dotted name; after CALL it names a procedure (``graph.cypher_scope``),
        # after ``.``/``$``/``:`` it is a property, parameter or label.
        if not tok.is_name or (
            before is not None and (before.text in (".", "$", ":") or before.word() == "CALL")
        ):
            continue
        span = dotted_span(toks, i)
        if span is None:
            continue
        name, end = span
        if "." not in name or end >= len(toks) or toks[end].text != "(":
            continue  # a plain function (Cypher's own) or a property, not a namespaced call
        if not _allowed(name):
            raise QueryError(
                f"refused: {name}() is not a function the console may call; the console reads "
                f"the argument graph only (functions it may call: {_SHOWN})"
            )
