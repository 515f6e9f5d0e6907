"""Schema and the few places where FalkorDB's and Neo4j's Cypher dialects differ.

Everything else in argmap is the same openCypher text on both stores.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable

from argmap.graph.scope import POST_NOT_SPAM
from argmap.graph.search_words import (
    OLD_SEARCH_PROPERTIES,
    SEARCH_PROPERTY,
    search_text,
    search_words,
    stem,
)
from argmap.graph.store import Store
from argmap.graph.thread_languages import backfill_thread_languages, thread_languages

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
    if ("Post", "text") not in existing:
        _create_index(store, "CALL db.idx.fulltext.createNodeIndex('Post', 'text')")
    # Every open, not only when the index is new: an older argmap run on an upgraded store
    # writes claims without the copy (a scan of the claims finding none when there are none).
    backfill_search_text(store)
    if ("Claim", SEARCH_PROPERTY) not in existing:
        if any(("Claim", old) in existing for old in ("text", *OLD_SEARCH_PROPERTIES)):
            # An older argmap indexed the raw text, or an older copy; one index per label, so
            # it goes.
            _drop_index(store, "CALL db.idx.fulltext.drop('Claim')")
        # FalkorDB's default keeps stop words ("it", "and" are words a user may look for); the
        # options can't be set here anyway, as the label's id index already fixed them.
        _create_index(store, f"CALL db.idx.fulltext.createNodeIndex('Claim', '{SEARCH_PROPERTY}')")
        await_falkordb_index(store, "Claim", SEARCH_PROPERTY)


def await_falkordb_index(store: Store, label: str, prop: str) -> None:
    """Return once FalkorDB's index of ``label`` is built and holds ``prop`` (at most 120 s)."""
    # FalkorDB fills a new index over existing nodes in the background (an upgraded store's
    # claims), serving the label's previous index meanwhile (the raw text: a search misses
    # words). Wait, as Neo4j's db.awaitIndexes does, until the one index of the label is
    # operational and holds ``prop``: a drop and a create each rebuild it, and the create's
    # version may not be listed yet right after the call.
    deadline = time.monotonic() + _AWAIT_INDEXES_S
    while time.monotonic() < deadline:
        rows = store.run(
            "CALL db.indexes() YIELD label, properties, status WHERE label = $label "
            "RETURN properties, status",
            {"label": label},
        )
        if len(rows) == 1 and rows[0]["status"] == "OPERATIONAL" and prop in rows[0]["properties"]:
            return
        time.sleep(0.05)


def backfill_search_text(store: Store) -> None:
    """Give every claim without one the indexed copy of its text (``graph.search_words``), and
    every thread without one its language (``graph.thread_languages``), which the copy stems in.

    A store an older argmap wrote has none, nor do claims an older argmap writes into a store
    this one upgraded; ``ensure_schema`` calls this on every open, so those claims are found
    too. Idempotent: two processes may both run it.
    """
    backfill_thread_languages(store)  # the copy stems words in their thread's language
    rows = store.run(
        f"MATCH (c:Claim) WHERE c.{SEARCH_PROPERTY} IS NULL "
        "OPTIONAL MATCH (p:Post {id: c.post_id}) RETURN c.id AS id, c.text AS text, "
        "p.thread_id AS thread_id"
    )
    languages = thread_languages(store) if rows else {}
    todo = [
        {"id": r["id"], "s": search_text(r["text"], languages.get(r["thread_id"] or ""))}
        for r in rows
    ]
    # The copy an older argmap kept under another name is read by nothing now.
    drop = "".join(f" REMOVE c.{old}" for old in OLD_SEARCH_PROPERTIES)
    for i in range(0, len(todo), 1000):
        store.run(
            f"UNWIND $rows AS r MATCH (c:Claim {{id: r.id}}){id_seek(store, 'c', 'Claim')} "
            f"SET c.{SEARCH_PROPERTY} = r.s{drop}",
            {"rows": todo[i : i + 1000]},
        )


def _falkordb_ddl(store: Store, ddl: str, done_already: str) -> None:
    # Two processes opening one graph at once (two ingests, an upgrade) both find the schema
    # to change; the second is told it is done ("already indexed", "no such index"): it is.
    from argmap.core.errors import QueryError

    try:
        store.run(ddl)
    except QueryError as exc:
        if done_already not in str(exc):
            raise


def _create_index(store: Store, ddl: str) -> None:
    _falkordb_ddl(store, ddl, "already indexed")


def _drop_index(store: Store, ddl: str) -> None:
    _falkordb_ddl(store, ddl, "no such index")


# Neo4j names its schema objects; argmap's are fixed so re-creating them is a no-op.
NEO4J_FULLTEXT = {"Claim": "claim_search", "Post": "post_text"}
_AWAIT_INDEXES_S = 120


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
    _neo4j_ddl(store, "CREATE FULLTEXT INDEX post_text IF NOT EXISTS FOR (n:Post) ON EACH [n.text]")
    # Claims: the copy of their words (``graph.search_words``), as on FalkorDB, so a search
    # means the same on both stores. Claims an older argmap wrote (before the upgrade, or since,
    # run on the upgraded store) get the copy on every open.
    backfill_search_text(store)
    existing = store.run("SHOW FULLTEXT INDEXES YIELD name, properties RETURN name, properties")
    claim_index = [r for r in existing if r["name"] == NEO4J_FULLTEXT["Claim"]]
    if claim_index and claim_index[0]["properties"] != [SEARCH_PROPERTY]:
        # An older argmap's index of an older copy of the words: rebuilt on the new one.
        _neo4j_ddl(store, f"DROP INDEX {NEO4J_FULLTEXT['Claim']} IF EXISTS")
        claim_index = []
    if not claim_index:
        _neo4j_ddl(
            store,
            f"CREATE FULLTEXT INDEX {NEO4J_FULLTEXT['Claim']} IF NOT EXISTS "
            f"FOR (n:Claim) ON EACH [n.{SEARCH_PROPERTY}] "
            "OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-no-stop-words'}}",
        )
    _neo4j_ddl(store, "DROP INDEX claim_text IF EXISTS")  # an older argmap's, on the raw text
    # New indexes populate in the background; wait so the first search sees every node.
    store.run("CALL db.awaitIndexes($s)", {"s": _AWAIT_INDEXES_S})


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
        "RETURN node, score, p.author AS author, p.thread_id AS thread_id "
        "ORDER BY score DESC LIMIT $limit"
    )


def fulltext_claims_query(store: Store) -> str:
    """A query over ``$q``, ``$limit`` and ``$tids`` (threads, or null for all) yielding claim
    ``node``, ``score``, the post's ``author`` and ``thread_id``, best first.

    ``$q`` is in the store's own search syntax (Lucene on Neo4j, RediSearch on FalkorDB) over
    the claims' search words (``graph.search_words``); give it ``fulltext_candidates(store,
    text)`` to search for words a user typed.
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
    return " ".join(w.replace("_", "\\_") for w in words)  # RediSearch: "_" alone is an error


def fulltext_candidates(store: Store, text: str, languages: Iterable[str | None] = ()) -> str:
    """A query for the claims' index (``fulltext_claims_query``) matching every claim that
    holds each word of ``text``, as ``graph.search_words`` reads words in any of ``languages``
    (stemmed in each), and maybe a few more (FalkorDB stems English on its own: "known" also
    finds "knowing"), for a caller that checks the words itself (``queries.search``).

    The index holds each claim's words only, space-separated (``SEARCH_PROPERTY``), so either
    store's tokenizer sees exactly those words and the query is the same words: punctuation a
    user types never reaches the store's query syntax.
    """
    langs = set(languages) | {None}
    # Each word as it is stored in a thread of each language: one of them must be there.
    forms = [sorted({stem(lang, w) for lang in langs}) for w in dict.fromkeys(search_words(text))]
    if store.dialect == "neo4j":
        # Lucene's operators (AND, OR, NOT, TO) are operators only in upper case; words are
        # folded to lower case. Lucene ORs words by default: AND all of them.
        return " AND ".join(f"({' OR '.join(f)})" if len(f) > 1 else f[0] for f in forms)
    # RediSearch ANDs words; it reads a lone "_" as a syntax error, escaped it is a literal.
    escaped = [[w.replace("_", "\\_") for w in f] for f in forms]
    return " ".join(f"({'|'.join(f)})" if len(f) > 1 else f[0] for f in escaped)


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
