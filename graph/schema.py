"""Schema and the few places where FalkorDB's and Neo4j's Cypher dialects differ.

Everything else in argmap is the same openCypher text on both stores.
"""

from __future__ import annotations

import re

from argmap.graph.scope import POST_NOT_SPAM
from argmap.graph.store import Store

# Every label a write MERGEs on ``id``. ``Meta`` (the revision and summary nodes) included:
# without an index its MERGE was a label scan on every ``bump_revision``.
ID_LABELS = ("Thread", "Post", "Person", "Claim", "Review", "ReviewItem", "Meta")


def _falkordb_schema(store: Store) -> None:
    existing = {
        (row["label"], prop)
        # run, not run_read: on a graph that does not exist yet this creates it.
        for row in store.run("CALL db.indexes() YIELD label, properties RETURN label, properties")
        for prop in row["properties"] or ()
    }
    for label in ID_LABELS:
        if (label, "id") not in existing:
            _create_index(store, f"CREATE INDEX FOR (n:{label}) ON (n.id)")
    for label in ("Claim", "Post"):
        if (label, "text") not in existing:
            _create_index(store, f"CALL db.idx.fulltext.createNodeIndex('{label}', 'text')")


def _create_index(store: Store, ddl: str) -> None:
    # Two processes opening a new graph at once (two ingests) both find the index missing;
    # the second to create it is told it exists, which is what it wanted.
    from argmap.core.errors import QueryError

    try:
        store.run(ddl)
    except QueryError as exc:
        if "already indexed" not in str(exc):
            raise


# Neo4j names its schema objects; argmap's are fixed so re-creating them is a no-op.
NEO4J_FULLTEXT = {"Claim": "claim_text", "Post": "post_text"}
_NEO4J_AWAIT_INDEXES_S = 120


def _neo4j_ddl(store: Store, ddl: str) -> None:
    # IF NOT EXISTS checks before it commits: two processes creating the schema at once both
    # pass the check, and the second commit is refused with EquivalentSchemaRuleAlreadyExists
    # (seen on a real Neo4j 5.26). The object it wanted exists, so that is success.
    from argmap.core.errors import QueryError

    try:
        store.run(ddl)
    except QueryError as exc:
        if "AlreadyExists" not in str(exc):
            raise


def _neo4j_schema(store: Store) -> None:
    # IF NOT EXISTS makes every statement idempotent (also when an equivalent constraint exists
    # under another name). Each DDL statement runs in its own transaction, as Neo4j requires.
    for label in ID_LABELS:
        _neo4j_ddl(
            store,
            f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS "
            f"FOR (n:{label}) REQUIRE n.id IS UNIQUE",
        )
    # Claim text only, as on FalkorDB: a search means the same on both stores.
    for label in ("Claim", "Post"):
        _neo4j_ddl(
            store,
            f"CREATE FULLTEXT INDEX {NEO4J_FULLTEXT[label]} IF NOT EXISTS "
            f"FOR (n:{label}) ON EACH [n.text]",
        )
    # New indexes populate in the background; wait so the first search sees every node.
    store.run("CALL db.awaitIndexes($s)", {"s": _NEO4J_AWAIT_INDEXES_S})


def ensure_schema(store: Store) -> None:
    """Create id indexes/constraints and full-text indexes if missing (idempotent)."""
    if store.dialect == "neo4j":
        _neo4j_schema(store)
    else:
        _falkordb_schema(store)


def _fulltext_query(store: Store, label: str) -> str:
    if store.dialect == "neo4j":
        call = (
            f"CALL db.index.fulltext.queryNodes('{NEO4J_FULLTEXT[label]}', $q) YIELD node, score "
        )
    else:
        call = f"CALL db.idx.fulltext.queryNodes('{label}', $q) YIELD node, score "
    # The thread filter ($tids, null for all) comes before the LIMIT, so it never starves a page.
    post = (
        "MATCH (p:Post)-[:MAKES]->(node) " if label == "Claim" else "WITH node, score, node AS p "
    )
    # A claim of a post a reviewer marked spam is out of the debate, as on the Graph page and
    # in exports (its relations were rejected with it; the claim stays only for an undo).
    spam = f" AND {POST_NOT_SPAM}" if label == "Claim" else ""
    return (
        call + post + f"WHERE ($tids IS NULL OR p.thread_id IN $tids){spam} "
        "RETURN node, score, p.author AS author ORDER BY score DESC LIMIT $limit"
    )


def fulltext_claims_query(store: Store) -> str:
    """A query over ``$q``, ``$limit`` and ``$tids`` (threads, or null for all) yielding claim
    ``node``, ``score`` and the post's ``author``, best first.

    ``$q`` is in the store's own search syntax (Lucene on Neo4j, RediSearch on FalkorDB); give
    it ``fulltext_terms(store, text)`` to search for words a user typed.
    """
    return _fulltext_query(store, "Claim")


def fulltext_posts_query(store: Store) -> str:
    """Like ``fulltext_claims_query``, over post text."""
    return _fulltext_query(store, "Post")


def fulltext_terms(store: Store, text: str) -> str:
    """A search for every word of ``text`` (all must match), safe in either store's syntax.

    Both syntaxes give punctuation a meaning (``:`` ``"`` ``(`` ``-`` ``~`` ...) and one
    stray character is a syntax error, so only the words are kept. Lucene ORs words by default,
    RediSearch ANDs them: the explicit ``AND`` gives both stores the same meaning.
    """
    words = re.findall(r"\w+", text)
    if store.dialect == "neo4j":
        # Lucene operators are only operators in upper case; quote-free words are safe.
        return " AND ".join(w.lower() if w in {"AND", "OR", "NOT", "TO"} else w for w in words)
    return " ".join(w.replace("_", "\\_") for w in words)  # as in fulltext_candidates


# Characters RediSearch keeps inside its tokens (it splits at ASCII punctuation only) that
# open or close a word in running text: "“democratic" and "us”" are single tokens there, which a
# plain term misses. Lucene's tokenizer drops them, but keeps "it’s" whole.
_OPENERS = "“‘«„‚‹¿¡…—–"
_CLOSERS = "’”»›…—–"


# A word that is not a contraction's tail: not glued to a word before it by an apostrophe.
_HEAD = re.compile(r"(?<!\w['’])\b\w+")


def fulltext_candidates(store: Store, text: str) -> str:
    """Like ``fulltext_terms``, but matching every claim that holds each word as a whole word
    (and more), for a caller that checks the words itself (``queries.search``).

    The stores' tokenizers disagree with argmap's idea of a word (``\\w+``) and with each other:
    RediSearch splits at ASCII punctuation only, so "members’" and "“democratic" are single
    tokens; Lucene keeps "ISO’s" whole. Each word of three letters or more is a prefix term
    (``members*``), on FalkorDB also after each opening mark (``“members*``). Shorter words
    would expand to much of the index as prefixes and are often a contraction's tail ("’s",
    "’t"), which neither index holds alone: the caller checks them, and they are searched only
    when they are all there is (the word, or the word before a closing mark, ``us”*``), and
    then without a contraction's tail ("it’s" searches for ``it``, ``it’*``). Still
    missed on FalkorDB: a word joined to the one before it by a dash or an ellipsis
    ("model–and"), which RediSearch indexes as one token and cannot search inside; and on both
    stores a lone tail ("s"), found only where the index holds it alone (Lucene: "1990’s").
    """
    # Lower case: Lucene's operators (AND, OR, NOT, TO) are operators only in upper case.
    words = [w.lower() for w in re.findall(r"\w+", text)]
    long = [w for w in words if len(w) >= 3]
    if not long:
        # A contraction's tail ("s" of "it’s", "m" of "I’m") is never a token of its own in
        # either index, so searching for it finds nothing; its head's prefix term finds "it’s".
        heads = [w.lower() for w in _HEAD.findall(text)]
        words = heads or words
    if store.dialect == "neo4j":
        # Lucene keeps "it’s" and "it's" whole: the short word is a prefix of either.
        terms = [f"{w}*" for w in long] or [f"({w} OR {w}’* OR {w}'*)" for w in words]
        return " AND ".join(terms)
    # RediSearch reads a lone "_" inside a group as a syntax error; escaped it is a literal.
    long, words = [w.replace("_", "\\_") for w in long], [w.replace("_", "\\_") for w in words]
    if long:
        terms = ["|".join(f"{o}{w}*" for o in ("", *_OPENERS)) for w in long]
    else:
        ends = ["", *(f"{c}*" for c in _CLOSERS)]
        terms = ["|".join(f"{o}{w}{e}" for o in ("", *_OPENERS) for e in ends) for w in words]
    return " ".join(f"({t})" for t in terms)


def id_seek(store: Store, var: str, label: str) -> str:
    """A clause forcing ``var:label`` to be found by a seek on its ``id`` index (Neo4j only).

    Neo4j re-plans cached queries as the statistics move and once planned the stale-reply-edge
    delete as a scan of the whole ``Post(id)`` index per row (``NodeIndexScan``, 5,000,500 rows
    for a 500-row batch): 23 of 30 s of a 10k first write. The hint rules that plan out; FalkorDB
    has no hints and always seeks. ``var`` and ``label`` come from code, never from a user.
    """
    return f" USING INDEX SEEK {var}:{label}(id)" if store.dialect == "neo4j" else ""


def degree(store: Store, var: str, rel_type: str, direction: str = "in") -> str:
    """An expression for how many ``rel_type`` edges ``var`` has (``"in"`` or ``"out"``).

    Both are the store's own degree lookup: a pattern predicate or comprehension
    instead makes FalkorDB expand every edge (some 30x slower on a 100k-comment thread), and
    Neo4j 5 has no ``indegree()``. ``var`` and ``rel_type`` come from code, never from a user.
    Measure "out" on FalkorDB before using it on a large graph: an out-degree lookup on REBUTS
    was seen to scan per claim on one 100k-comment graph (see ``graph.queries.unanswered``).
    """
    if store.dialect == "neo4j":
        pattern = (
            f"({var})<-[:{rel_type}]-()" if direction == "in" else f"({var})-[:{rel_type}]->()"
        )
        return f"COUNT {{ {pattern} }}"
    return f"{direction}degree({var}, '{rel_type}')"
