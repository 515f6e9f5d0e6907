"""Search parity: the words a user would type find the same claims on FalkorDB and Neo4j.

Each store's tokenizer splits text its own way (RediSearch at ASCII punctuation only, so
"model–and" was one token; Lucene keeps "3.5", "example.org" and Han runs whole), and neither
searches inside a token. argmap indexes each claim's words (``graph.search_words``) and reduces
the query to the same words, so every case below holds on both stores. A store an older argmap
wrote (raw text indexed, no copy of the words, or an older copy) is upgraded when it is opened.
Words of other scripts are words too: with their vowel signs (Devanagari), points (Arabic),
and Han, kana and Hangul a word per character, found where the typed characters stand together.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from argmap.graph import queries, review_actions
from argmap.graph.schema import await_falkordb_index, ensure_schema
from argmap.graph.search_words import SEARCH_PROPERTY, search_text
from argmap.graph.store import Store
from argmap.graph.thread_languages import thread_languages
from argument_graphs import write_debate
from test_search import searcher

from argmap.core.errors import ArgmapError

# claim id -> text. Every case below searches these claims.
CLAIMS = {
    "hyphen": "It is a well-known fact.",
    "en_dash": "The model–and the practice.",
    "em_dash": "Members came—and went quickly.",
    "ellipsis": "Wait…what happened here?",
    "dots": "Hold on...whatever you say.",
    "slash": "Members and/or supporters.",
    "straight": "It's what he said, don't ask.",
    "curly": "It’s what she said, don’t ask.",
    "name": "Jean-Paul Sartre wrote it.",
    "numbers": "Version 3.5 sold 1,000 copies in 2013.",
    "percent": "Only 50% agreed.",
    "tags": "Tagged #solidarity by @alice today.",
    "url": "See https://example.org/path/page.html for more.",
    "accent": "The café was crowded.",
    "no_accent": "The cafe was empty.",
    "upper": "The ISO DECIDED THIS.",
    "cjk": "民主集中制 is a principle.",
    "emoji": "Great idea 👍 everyone.",
    "underscore": "Name it snake_case please.",
    "quotes": "The “democratic centralism” question.",
    # Other scripts: vowel signs and points, a letter written two ways, no spaces, particles.
    "german": "Die Schließung ist ein Fehler.",
    "hindi": "दिल्ली सरकार की योजना।",
    "hindi_other": "वाले दिन हालत खराब होगी।",
    "arabic": "هل أُجريت الدراسات هنا؟",
    "russian": "Ёжик в тумане.",
    "japanese": "在宅勤務をやめる動き。",
    "japanese_apart": "勤務先の在宅ルール。",
    "korean": "노동부는 생산성이 떨어지지 않는다.",
    "polish": "Zażółć gęślą jaźń.",
    "turkish": "Kapı açık kaldı.",
}

# (what a user types, the claims it must find on every store)
PARITY = [
    # Words joined by punctuation are words of their own, whatever the punctuation.
    ("known", {"hyphen"}),
    ("well-known", {"hyphen"}),
    ("well known", {"hyphen"}),
    ("model", {"en_dash"}),
    ("and", {"en_dash", "em_dash", "slash"}),  # after an en dash, an em dash, before a slash
    ("practice", {"en_dash"}),
    ("went", {"em_dash"}),
    ("what", {"ellipsis", "straight", "curly"}),  # after "…"; and a word of its own
    ("whatever", {"dots"}),  # after "..."
    ("and/or", {"slash"}),
    ("or supporters", {"slash"}),
    ("Jean-Paul", {"name"}),
    ("Paul Sartre", {"name"}),
    # Apostrophes, straight or curly, in the claim or the query.
    ("it's", {"straight", "curly"}),
    ("it’s", {"straight", "curly"}),
    ("don't", {"straight", "curly"}),
    ("don", {"straight", "curly"}),
    # Numbers: their digit groups are words ("3.5" is "3" and "5").
    ("3.5", {"numbers"}),
    ("1,000", {"numbers"}),
    ("000", {"numbers"}),
    ("2013", {"numbers"}),
    ("50%", {"percent"}),
    ("50", {"percent"}),
    # Marks in front of a word, and addresses.
    ("#solidarity", {"tags"}),
    ("solidarity", {"tags"}),
    ("@alice", {"tags"}),
    ("example.org", {"url"}),
    ("html", {"url"}),
    ("https", {"url"}),
    # Case and accents do not matter.
    ("café", {"accent", "no_accent"}),
    ("cafe", {"accent", "no_accent"}),
    ("CAFÉ", {"accent", "no_accent"}),
    ("iso decided", {"upper"}),
    # Han text has no spaces: each character is a word.
    ("民主集中制", {"cjk"}),
    ("民主", {"cjk"}),
    ("great idea", {"emoji"}),
    # A word keeps its vowel signs: "दिल्ली" is not any word holding its letters.
    ("दिल्ली", {"hindi"}),
    ("योजना", {"hindi"}),
    # Arabic vowel points and hamza seats, "ё" and "ß", are written or left out at will.
    ("أجريت", {"arabic"}),
    ("اجريت", {"arabic"}),
    ("ежик", {"russian"}),
    ("Ёжик", {"russian"}),
    ("schliessung", {"german"}),
    ("Schließung", {"german"}),
    ("zazolc", {"polish"}),  # "ł" is no "l" with an accent: NFKD leaves it
    ("kapi", {"turkish"}),
    # Han, kana and Hangul: the characters typed together stand together in the claim.
    ("在宅勤務", {"japanese"}),
    ("勤務", {"japanese", "japanese_apart"}),
    ("생산성", {"korean"}),  # "생산성이": the noun with its particle
    ("“democratic centralism”", {"quotes"}),
    ("snake_case", {"underscore"}),
    # Short words too: no stop words on either store.
    ("is", {"hyphen", "cjk"}),
    ("s", {"straight", "curly"}),  # the tail of "it's" / "it’s"
    # Not found, by design and on both stores: a word is a run of letters, digits and "_".
    ("1000", set()),  # is not "1,000"
    ("snake", set()),  # is not "snake_case"
]


@pytest.mark.parametrize(("query", "expected"), PARITY, ids=[q for q, _ in PARITY])
def test_every_store_finds_the_claims_a_user_would_expect(
    any_store: Store, query: str, expected: set[str]
) -> None:
    found = searcher(any_store, CLAIMS)
    assert found(query) == expected


def test_a_query_with_no_word_says_so(any_store: Store) -> None:
    searcher(any_store, CLAIMS)
    with pytest.raises(ArgmapError, match="at least one word"):
        queries.search(any_store, "👍 — …")


def _as_an_older_argmap_wrote_it(store: Store) -> None:
    """Index the raw claim text, as argmap did before ``graph.search_words``, and no copy."""
    store.run(f"MATCH (c:Claim) REMOVE c.{SEARCH_PROPERTY}")
    if store.dialect == "neo4j":
        store.run("DROP INDEX claim_search IF EXISTS")
        store.run("CREATE FULLTEXT INDEX claim_text FOR (n:Claim) ON EACH [n.text]")
        store.run("CALL db.awaitIndexes(120)")
    else:
        store.run("CALL db.idx.fulltext.drop('Claim')")
        store.run("CALL db.idx.fulltext.createNodeIndex('Claim', 'text')")
        # Built in the background: an older argmap's index was long built when it is opened.
        await_falkordb_index(store, "Claim", "text")


def test_a_store_an_older_argmap_wrote_finds_the_same_words_once_opened(
    any_store: Store,
) -> None:
    found = searcher(any_store, CLAIMS)
    _as_an_older_argmap_wrote_it(any_store)
    ensure_schema(any_store)  # what opening the store does
    assert found("and") == {"en_dash", "em_dash", "slash"}
    assert found("what") == {"ellipsis", "straight", "curly"}
    assert found("3.5") == {"numbers"}
    missing = any_store.run_read(
        f"MATCH (c:Claim) WHERE c.{SEARCH_PROPERTY} IS NULL RETURN count(c) AS n"
    )
    assert missing[0]["n"] == 0
    if any_store.dialect == "neo4j":  # the raw-text index is gone: it only cost writes
        names = any_store.run_read("SHOW FULLTEXT INDEXES YIELD name RETURN name ORDER BY name")
        assert [r["name"] for r in names] == ["claim_search", "post_text"]
    ensure_schema(any_store)  # again: nothing left to do, nothing changes
    assert found("model–and") == {"en_dash"}


def index_claims_on(store: Store, prop: str) -> None:
    """The claims' full-text index on ``prop``, as an older argmap made it."""
    if store.dialect == "neo4j":
        store.run("DROP INDEX claim_search IF EXISTS")
        store.run(f"CREATE FULLTEXT INDEX claim_search FOR (n:Claim) ON EACH [n.{prop}]")
        store.run("CALL db.awaitIndexes(120)")
    else:
        store.run("CALL db.idx.fulltext.drop('Claim')")
        store.run("CALL db.idx.fulltext.createNodeIndex('Claim', $prop)", {"prop": prop})
        await_falkordb_index(store, "Claim", prop)


def test_a_store_whose_copies_an_older_argmap_made_gets_new_ones_once_opened(
    any_store: Store,
) -> None:
    found = searcher(any_store, CLAIMS)
    # argmap before search_text_v2: its copy, cut at vowel signs, under ``search_text``.
    any_store.run(f"MATCH (c:Claim) SET c.search_text = c.text REMOVE c.{SEARCH_PROPERTY}")
    index_claims_on(any_store, "search_text")
    ensure_schema(any_store)  # what opening the store does
    assert found("दिल्ली") == {"hindi"}
    assert found("在宅勤務") == {"japanese"}
    left = any_store.run_read(
        "MATCH (c:Claim) WHERE c.search_text IS NOT NULL RETURN count(c) AS n"
    )
    assert left[0]["n"] == 0  # the old copy is gone: nothing reads it
    if any_store.dialect == "neo4j":
        rows = any_store.run_read(
            "SHOW FULLTEXT INDEXES YIELD name, properties WHERE name = 'claim_search' "
            "RETURN properties"
        )
        assert rows[0]["properties"] == [SEARCH_PROPERTY]


def test_claims_an_older_argmap_wrote_into_an_upgraded_store_are_found_once_opened(
    any_store: Store,
) -> None:
    found = searcher(any_store, CLAIMS)  # written by this argmap: index and copies in place
    # An older argmap, run on the store after the upgrade, writes claims without the copy.
    any_store.run(
        f"MATCH (c:Claim) WHERE c.id IN $ids REMOVE c.{SEARCH_PROPERTY}",
        {"ids": ["en_dash", "em_dash"]},
    )
    assert found("went") == set()  # what a user met: the claim is there, search misses it
    ensure_schema(any_store)  # what opening the store does
    assert found("went") == {"em_dash"}
    assert found("and") == {"en_dash", "em_dash", "slash"}


def test_an_edited_paraphrase_is_found_by_its_new_words(any_store: Store) -> None:
    found = searcher(any_store, CLAIMS)
    review_actions.edit_claim(any_store, "en_dash", "Ann", text="A self-evident truth…surely")
    assert found("evident") == found("surely") == {"en_dash"}
    assert found("practice") == set()


# Word forms: one thread per language (its language told from its text), claim id -> text.
FORMS = {
    "en": {
        "en_plural": "The rebuttals were argued at length, and they are not what you think.",
        "en_singular": "A rebuttal is not the same as an argument for it.",
        "en_university": "The university was not open for the people.",
        "en_universe": "The universe is not what it was.",
        "en_policy": "That policy is not what they said.",
        "en_police": "The police have the news.",
    },
    "de": {
        "de_plural": "Die Schließungen sind nicht das Problem, und das ist gut.",
        "de_singular": "Eine Schließung ist nicht das Ende der Welt.",
    },
    "ru": {
        "ru_plural": "Эти закрытия не нужны, и это все знают.",
        "ru_singular": "Закрытие было не так плохо, как он думал.",
    },
    "ja": {
        "ja": "在宅勤務をやめる動きがある。",
        "ja_apart": "勤務先の在宅ルールは問題です。",
    },
    # Too short to tell its language: its words are kept whole, as before stemming.
    "unknown": {"unknown": "Rebuttals!"},
}

FORM_PARITY = [
    # Another form of the word finds it, in the language of the claim's thread.
    ("rebuttal", {"en_plural", "en_singular"}),
    ("rebuttals", {"en_plural", "en_singular", "unknown"}),
    ("argue", {"en_plural"}),
    ("arguing", {"en_plural"}),
    ("Schließungen", {"de_plural", "de_singular"}),
    ("schliessung", {"de_plural", "de_singular"}),
    ("закрытие", {"ru_plural", "ru_singular"}),
    ("закрытия", {"ru_plural", "ru_singular"}),
    # No false friends: words that only share letters stay apart.
    ("argument", {"en_singular"}),  # "argued" is "argu", "argument" stays "argument"
    ("university", {"en_university"}),  # Snowball 3: "universiti", not "univers"
    ("universe", {"en_universe"}),
    ("policy", {"en_policy"}),
    ("police", {"en_police"}),
    ("new", set()),  # "news" is a word of its own
    # Han and kana are not stemmed: the characters typed together stand together.
    ("在宅勤務", {"ja"}),
    ("勤務", {"ja", "ja_apart"}),
]


def form_searcher(store: Store) -> Callable[[str], set[str]]:
    """Write one thread per language of ``FORMS``; return: the claims a search finds."""
    for thread_id, texts in FORMS.items():
        write_debate(store, claims=list(texts), texts=texts, thread_id=thread_id)
    return lambda words: {r.claim_id for r in queries.search(store, words)}


@pytest.mark.parametrize(("query", "expected"), FORM_PARITY, ids=[q for q, _ in FORM_PARITY])
def test_every_store_finds_other_forms_of_a_word_in_its_threads_language(
    any_store: Store, query: str, expected: set[str]
) -> None:
    found = form_searcher(any_store)
    assert found(query) == expected


def test_an_empty_thread_choice_stems_in_every_threads_language(any_store: Store) -> None:
    """``thread_ids=[]`` is every thread (as for every query): their languages included."""
    form_searcher(any_store)
    for choice in (None, [], ["de", "en"]):
        rows = queries.search(any_store, "Schließungen", thread_ids=choice)
        assert {r.claim_id for r in rows} == {"de_plural", "de_singular"}, choice


def test_each_thread_is_told_its_language(any_store: Store) -> None:
    form_searcher(any_store)
    assert thread_languages(any_store) == {
        "en": "en",
        "de": "de",
        "ru": "ru",
        "ja": "ja",
        "unknown": None,
    }


def test_a_store_whose_copies_were_not_stemmed_gets_stemmed_ones_once_opened(
    any_store: Store,
) -> None:
    found = form_searcher(any_store)
    # argmap before search_text_v3: copies of the words unstemmed, threads without a language.
    for row in any_store.run_read("MATCH (c:Claim) RETURN c.id AS id, c.text AS text"):
        any_store.run(
            f"MATCH (c:Claim {{id: $id}}) SET c.search_text_v2 = $s REMOVE c.{SEARCH_PROPERTY}",
            {"id": row["id"], "s": search_text(row["text"])},
        )
    any_store.run("MATCH (t:Thread) REMOVE t.language")
    index_claims_on(any_store, "search_text_v2")
    ensure_schema(any_store)  # what opening the store does
    assert found("rebuttal") == {"en_plural", "en_singular"}
    assert found("Schließungen") == {"de_plural", "de_singular"}
    assert found("在宅勤務") == {"ja"}
    left = any_store.run_read(
        "MATCH (c:Claim) WHERE c.search_text_v2 IS NOT NULL RETURN count(c) AS n"
    )
    assert left[0]["n"] == 0  # the old copy is gone: nothing reads it
    assert thread_languages(any_store)["de"] == "de"


def test_an_edited_paraphrase_is_stemmed_in_its_threads_language(any_store: Store) -> None:
    found = form_searcher(any_store)
    review_actions.edit_claim(any_store, "de_singular", "Ann", text="Die Öffnungen sind gut.")
    assert found("Öffnung") == {"de_singular"}
    assert found("Schließung") == {"de_plural"}


def test_a_thread_whose_new_posts_tell_its_language_restems_its_claims(any_store: Store) -> None:
    found = form_searcher(any_store)
    write_debate(any_store, claims=["short"], texts={"short": "Schließungen!"}, thread_id="grow")
    assert thread_languages(any_store, ["grow"]) == {"grow": None}  # too short to tell
    assert found("Schließung") == {"de_plural", "de_singular"}
    # A re-ingest brings more posts (only they are extracted): the thread is German, and the
    # claim extracted before is stemmed in German too.
    more = {"long": "Die Schließung ist nicht das Problem, und das ist gut."}
    write_debate(any_store, claims=list(more), texts=more, thread_id="grow")
    assert thread_languages(any_store, ["grow"]) == {"grow": "de"}
    assert found("Schließung") == {"de_plural", "de_singular", "short", "long"}
