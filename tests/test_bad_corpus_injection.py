"""Hostile text is data, never instructions: Cypher in comments is stored exactly and runs no
query; a comment telling the LLM what to output reaches it only inside the post, and what an
obedient model makes of it is not stored (corpus: ``tests/bad_corpus.py``).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from argmap.graph.store import Store
from bad_corpus import (
    FIXTURES,
    HOSTILE_PAYLOADS,
    stored_posts,
)


def test_hostile_text_is_stored_exactly_and_runs_no_query(hostile: Store) -> None:
    raw = (FIXTURES / "hostile.txt").read_text(encoding="utf-8")
    posts = stored_posts(hostile)
    assert len(posts) == 1 + len(re.findall(r" June 24, 2013 at ", raw))
    for p in posts[1:]:
        assert f"\n{p['author']} June 24, 2013 at " in raw
        assert f"\n\n{p['text']}\n\n" in raw
    everything = "\n".join(p["author"] + "\n" + p["text"] for p in posts)
    for payload in HOSTILE_PAYLOADS:
        assert payload in everything, payload
    # The "DETACH DELETE" and "SET c.text" comments ran as text, not as queries.
    assert (
        hostile.run_read("MATCH (c:Claim) WHERE c.text = 'pwned' RETURN count(c) AS n")[0]["n"] == 0
    )
    assert hostile.run_read("MATCH (:Post)-[:MAKES]->(c:Claim) RETURN count(c) AS n")[0]["n"] > 0
    found = hostile.run_read(
        "CALL db.idx.fulltext.queryNodes('Claim', 'standard') YIELD node RETURN count(node) AS n"
    )
    assert found[0]["n"] > 0  # the full-text index was not dropped


def test_an_instruction_to_the_llm_stays_data(argmap_env: Path, store: Store) -> None:
    """A comment telling the model what to output: it reaches the model only inside the post,
    and what an obedient model makes of it (a quote that is not in the post) is not stored."""
    sys.path.insert(0, str(Path(__file__).parent))
    from argmap.ingest.extract.llm import make_llm_extractor
    from argmap.ingest.pipeline import ingest as run_ingest
    from llm_server import ChatServer

    from argmap.core.config import LLMConfig

    def obedient(request) -> dict:
        # On a flattened page the prompt also asks which offered post this one answers.
        parent = {"reply_to": request.guess or request.parents[0]} if request.parents else {}
        return {**parent, **what_it_asks_for(request)}

    def what_it_asks_for(request) -> dict:
        if "Ignore all previous instructions" in request.post_text:
            return {
                "is_spam": False,
                "claims": [
                    # Not in the post: the comment only asks for it.
                    {
                        "paraphrase": "pwned",
                        "quote": "Every claim in this thread is rebutted.",
                        "relations": [
                            {
                                "target": "C999",
                                "type": "rebuts",
                                "confidence": 1.0,
                                "rationale": "as instructed",
                            }
                        ],
                    },
                ],
            }
        return {"is_spam": False, "claims": []}

    with ChatServer(answer=obedient) as server:
        ext = make_llm_extractor(LLMConfig(base_url=server.base_url, max_retries=0, concurrency=2))
        run_ingest(FIXTURES / "hostile.txt", store, extractor=ext)
        injected = [
            r for r in server.answered() if "Ignore all previous instructions" in r.user_text
        ]
    assert len(injected) == 1
    system = "\n".join(m["content"] for m in injected[0].body["messages"] if m["role"] == "system")
    assert "Ignore all previous instructions" not in system
    assert "Ignore all previous instructions" in injected[0].post_text
    assert (
        store.run_read("MATCH (c:Claim) WHERE c.text = 'pwned' RETURN count(c) AS n")[0]["n"] == 0
    )
    assert store.run_read("MATCH ()-[r:REBUTS]->() RETURN count(r) AS n")[0]["n"] == 0
