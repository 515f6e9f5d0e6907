"""Which claim a German, French or Spanish reply answers: similarity in the thread's language.

Anna's comment makes two claims: a chatty one made of function words, and one about fine dust
over the limit. Bernd denies the second one, in words that also repeat the first one's function
words. Read as English, "das ist doch alles nicht so" is shared content and his rebuttal lands on
the chatty claim; read in the thread's language only "Feinstaub" and "Grenzwert" are shared.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from argmap.ingest.extract.offline import OfflineExtractor
from argmap.ingest.extract.similarity import Idf, stems, vector
from argmap.ingest.thread import prepare_thread
from thread_builder import build_thread, post_id

START = datetime(2024, 3, 1, 9, 0)

THREADS = {
    "de": (
        "Die Stadt will die Altstadt für Autos sperren.",
        "Das ist doch alles nicht so, wie man es uns jetzt wieder sagen will, und das wird auch "
        "so bleiben. Der Feinstaub in der Altstadt liegt seit Monaten über dem Grenzwert.",
        "Das stimmt nicht, denn das ist doch alles nicht so, wie man es uns sagen will: Feinstaub "
        "und Grenzwert werden jeden Tag gemessen.",
        "Feinstaub",
    ),
    "fr": (
        "La ville veut fermer le centre historique aux voitures.",
        "Ce n'est pas du tout comme on veut nous le faire croire, et cela ne va pas changer. Les "
        "particules fines dans le centre dépassent le seuil légal depuis des mois.",
        "C'est faux, car ce n'est pas du tout comme on veut nous le faire croire : particules "
        "fines et seuil légal sont mesurés chaque jour.",
        "particules fines",
    ),
    "es": (
        "La ciudad quiere cerrar el casco antiguo a los coches.",
        "No es para nada como nos lo quieren hacer creer, y eso no va a cambiar. Las partículas "
        "finas en el casco superan el límite legal desde hace meses.",
        "Eso no es cierto, porque no es para nada como nos lo quieren hacer creer: partículas "
        "finas y límite legal se miden cada día.",
        "partículas finas",
    ),
}


@pytest.mark.parametrize("language", sorted(THREADS))
def test_a_rebuttal_targets_the_claim_it_shares_content_words_with(language: str) -> None:
    article, anna, bernd, topic = THREADS[language]
    thread = build_thread(
        "t_sim",
        {"author": "Redaktion", "posted_at": START, "text": article},
        [
            {"author": "Anna", "posted_at": START + timedelta(minutes=10), "text": anna},
            {
                "author": "Bernd",
                "posted_at": START + timedelta(minutes=20),
                "text": bernd,
                "parent_id": post_id("t_sim", 1),
            },
        ],
        title="Altstadt",
        source_format="csv",
        reply_tree="source",
    )
    thread = prepare_thread(thread)
    results = list(OfflineExtractor().extract(thread, {}))
    claims = {c.id: c for r in results for c in r.claims}
    [rebuttal] = [
        rel
        for r in results
        for rel in r.relations
        if claims[rel.source].post_id == thread.posts[2].id
    ]
    assert rebuttal.type == "rebuts" and not rebuttal.candidate
    assert topic in claims[rebuttal.target].text
    assert thread.language == language


def test_stems_drop_the_thread_languages_stop_words() -> None:
    text = "Der Feinstaub liegt nicht über dem Grenzwert, das ist doch alles so."
    assert stems(text, "de") == ["feinstaub", "liegt", "grenzwert"]
    assert {"der", "das", "nicht", "all"} <= set(stems(text))  # English reads them as content
    idf = Idf([text], "de")
    assert set(vector(text, idf)) == {"feinstaub", "liegt", "grenzwert"}


@pytest.mark.parametrize("language", ["en", "it", "und", None])
def test_english_and_untold_languages_are_read_as_before(language: str | None) -> None:
    text = "The tram's budgets weren't approved; il tram costa troppo, das ist nicht so."
    assert stems(text, language) == stems(text)
