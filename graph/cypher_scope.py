"""What a read may reach: the argument graph, not the server around it.

A Neo4j read transaction runs more than graph reads: ``SHOW TRANSACTIONS`` (other sessions' query
text and parameters), ``SHOW USERS``, ``SHOW SETTINGS``, ``CALL dbms.listConfig()``,
``CALL dbms.listConnections()``, ``CALL db.clearQueryCaches()`` (which changes server state),
``TERMINATE TRANSACTIONS`` (which stops other clients' work). The
read path therefore calls only the procedures listed here (graph reads, full-text and vector
search, schema introspection) and runs only ``SHOW INDEXES`` / ``SHOW CONSTRAINTS`` among the
``SHOW`` commands; everything else is refused with one line. An allow-list, so a procedure a
server adds later (a plugin's, a new ``dbms.*``) is refused until someone decides otherwise.
Functions are screened the same way (``graph.cypher_functions``: APOC's that reach the server).

The check reads the query as tokens the way Cypher does: comments are skipped, quoted names
(```dbms`.`listConfig```) are unquoted, any Unicode space separates, and ``CALL {...}``
subqueries are looked into, so none of them hides a call. CALL, SHOW and USE are read as clauses
only where a clause can stand (where a query, a UNION part or a subquery begins, or after a whole
clause), so a variable named ``call``, ``show`` or ``use`` is just a variable.
"""

from __future__ import annotations

import re

from argmap.graph.cypher_functions import refuse_functions
from argmap.graph.cypher_tokens import Tok, dotted_name, tokens

from argmap.core.errors import QueryError, ReadOnlyViolation

# Exact names (both servers match procedure names case-sensitively).
ALLOWED_PROCEDURES = frozenset(
    {
        # both
        "db.labels",
        "db.relationshipTypes",
        "db.propertyKeys",
        # Neo4j
        "db.schema.visualization",
        "db.schema.nodeTypeProperties",
        "db.schema.relTypeProperties",
        "db.index.fulltext.queryNodes",
        "db.index.fulltext.queryRelationships",
        "db.index.vector.queryNodes",
        "db.index.vector.queryRelationships",
        # FalkorDB: its schema listings, search, and graph algorithms (all read the graph)
        "db.indexes",
        "db.constraints",
        "db.meta.stats",
        "db.idx.fulltext.queryNodes",
        "db.idx.fulltext.queryRelationships",
        "db.idx.vector.queryNodes",
        "db.idx.vector.queryRelationships",
        "algo.pageRank",
        "algo.BFS",
        "algo.SPpaths",
        "algo.SSpaths",
        "algo.WCC",
        "algo.betweenness",
        "algo.labelPropagation",
        "algo.MSF",
    }
)
# Words that may sit between SHOW and INDEXES/CONSTRAINTS (SHOW FULLTEXT INDEXES, SHOW NODE KEY
# CONSTRAINTS, ...).
_SCHEMA_KINDS = frozenset(
    "ALL RANGE TEXT POINT FULLTEXT LOOKUP VECTOR BTREE UNIQUE UNIQUENESS NODE RELATIONSHIP REL "
    "KEY EXIST EXISTS EXISTENCE PROPERTY TYPE".split()
)
_SCHEMA_LISTS = frozenset({"INDEX", "INDEXES", "CONSTRAINT", "CONSTRAINTS"})
# Words that follow an expression, never a clause keyword: ``RETURN call AS c``, ``WITH show
# ORDER BY show.id``, ``WHERE use IS NULL``, ``CASE call WHEN 1 ...``. After CALL/SHOW/USE one
# makes the word a variable (unless a ``.`` follows: ``CALL in.foo()`` names a procedure).
_AFTER_EXPRESSION = frozenset(
    "AS ORDER SKIP OFFSET LIMIT UNION WHERE RETURN WITH MATCH OPTIONAL UNWIND CALL AND OR XOR IS "
    "IN STARTS ENDS CONTAINS ASC DESC ASCENDING DESCENDING YIELD THEN ELSE END WHEN FOREACH "
    "FINISH SET REMOVE DELETE DETACH CREATE MERGE LOAD".split()
)
# Symbols a clause never follows: each wants an operand next (``[call IN list | call]``,
# ``RETURN a, call``). ``*`` is not one (``WITH * CALL ...``), nor ``)`` ``]`` ``}``.
_OPERAND_NEXT = frozenset("( , [ = < > + - / % ^ | ! ~".split())
# Words after which a query (or a part of a UNION, or a subquery after ``{``) begins.
_QUERY_PREFIX = frozenset({"EXPLAIN", "PROFILE"})
_ALLOWED_SHOW = "SHOW INDEXES and SHOW CONSTRAINTS"
_TRANSACTIONS = frozenset({"TRANSACTION", "TRANSACTIONS"})
# A refused procedure named for a change (index DDL, db.clearQueryCaches) is refused as a write,
# as the console's own text check would.
_WRITING = re.compile(r"create|drop|delete|merge|remove|set|write|clear|kill|terminate", re.I)


def _is_keyword_at(toks: list[Tok], i: int, word: str) -> bool:
    """Whether ``toks[i]`` is the clause keyword ``word``, not a property, parameter, label,
    map key or alias spelled the same."""
    if toks[i].word() != word:
        return False
    before = toks[i - 1] if i else None
    if before is not None and before.text in (".", "$", ":"):
        return False
    # After AS it is an alias, unless that AS is itself an alias (``WITH 1 AS as CALL ...``).
    if before is not None and before.word() == "AS" and not (i >= 2 and toks[i - 2].word() == "AS"):
        return False
    after = toks[i + 1] if i + 1 < len(toks) else None
    return not (after is not None and after.text == ":")


def _prefix_end(toks: list[Tok]) -> int:
    """Where the first clause starts: after EXPLAIN, PROFILE and ``CYPHER 5 runtime=slotted``."""
    i = 0
    while i < len(toks):
        word = toks[i].word()
        if word in _QUERY_PREFIX:
            i += 1
        elif word == "CYPHER":
            i += 1
            if i < len(toks) and toks[i].kind == "other" and toks[i].text.isdigit():
                i += 1  # the language version
            while i + 2 < len(toks) and toks[i].is_name and toks[i + 1].text == "=":
                i += 3  # an option: name=value
        else:
            return i
    return i


def _at_query_start(toks: list[Tok], i: int, start: int) -> bool:
    """Whether ``toks[i]`` is where a query, a UNION's (or NEXT's) next part or a subquery
    begins: there a name is always a clause keyword (no clause begins with a variable)."""
    if i <= start:
        return True
    before = toks[i - 1]
    if before.text in ("{", ";") or before.word() in ("UNION", "NEXT"):  # NEXT: Cypher 25
        return True
    return before.word() == "ALL" and i >= 2 and toks[i - 2].word() == "UNION"


def _is_clause_at(toks: list[Tok], i: int, word: str, start: int) -> bool:
    """Whether ``toks[i]`` is the clause ``word`` (CALL, SHOW, USE) rather than a variable,
    property, parameter, label, map key or alias spelled the same.

    A clause comes where a query or subquery begins, or after a complete clause: never after a
    symbol that wants an operand, never before a word only an expression is followed by
    (``RETURN call AS c``) or before a symbol other than a subquery's ``{``/``(``.
    """
    if not _is_keyword_at(toks, i, word):
        return False
    after = toks[i + 1] if i + 1 < len(toks) else None
    if after is None:
        return False
    if not after.is_name:
        # CALL { ... } / CALL (x) { ... }: a subquery; ``call + 1``, ``show.id``: a variable.
        return word == "CALL" and after.text in ("{", "(")
    if _at_query_start(toks, i, start):
        return True
    if toks[i - 1].text in _OPERAND_NEXT:
        return False
    dotted = i + 2 < len(toks) and toks[i + 2].text == "."
    return dotted or after.word() not in _AFTER_EXPRESSION


def _show_words(toks: list[Tok], i: int) -> list[str]:
    """The words of a SHOW command after ``toks[i]`` (up to YIELD/WHERE/RETURN or a symbol)."""
    words: list[str] = []
    for tok in toks[i + 1 :]:
        if tok.kind != "name" or tok.word() in ("YIELD", "WHERE", "RETURN"):
            break
        words.append(tok.word())
    return words


def refuse_outside_graph(query: str) -> None:
    """Raise ``QueryError`` when ``query`` calls a procedure not in ``ALLOWED_PROCEDURES``, runs a
    SHOW command other than SHOW INDEXES/CONSTRAINTS, switches database with USE, calls a
    function outside ``graph.cypher_functions``' namespaces, or terminates transactions
    (``ReadOnlyViolation``)."""
    toks = tokens(query)
    refuse_functions(toks)  # apoc.static.get(), apoc.cypher.runFirstColumn*() (see there)
    start = _prefix_end(toks)
    for i in range(len(toks)):
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if nxt is None or not nxt.is_name:
            continue  # CALL { ... } / CALL (x) { ... } is a subquery, looked into as it goes on
        if _is_clause_at(toks, i, "CALL", start):
            name = dotted_name(toks, i + 1)
            if name is not None and name not in ALLOWED_PROCEDURES:
                if _WRITING.search(name):
                    raise ReadOnlyViolation(
                        f"refused: CALL {name} writes, and the console is read-only: "
                        "the console reads the argument graph only"
                    )
                raise QueryError(
                    f"refused: CALL {name} is not a graph read; the console reads the argument "
                    "graph only (procedures it may call: db.labels, db.relationshipTypes, "
                    "db.propertyKeys, db.schema.*, full-text and vector search; "
                    f"{_ALLOWED_SHOW})"
                )
        elif _is_clause_at(toks, i, "SHOW", start):
            words = _show_words(toks, i)
            if not (words and words[-1] in _SCHEMA_LISTS and set(words[:-1]) <= _SCHEMA_KINDS):
                shown = " ".join(["SHOW", *words[:3]])
                raise QueryError(
                    f"refused: {shown} is about the server, not the graph; the console reads "
                    f"the argument graph only (of the SHOW commands, {_ALLOWED_SHOW})"
                )
        elif _is_keyword_at(toks, i, "TERMINATE") and nxt.word() in _TRANSACTIONS:
            # Neo4j runs it in a read transaction: it would stop other clients' work.
            raise ReadOnlyViolation(
                "refused: TERMINATE TRANSACTIONS stops other clients' work, and the console only "
                "reads the graph"
            )
        elif _is_clause_at(toks, i, "USE", start):
            raise QueryError(
                f"refused: USE {nxt.text} switches database; the console reads the argument "
                "graph only, in the database argmap is pointed at"
            )
