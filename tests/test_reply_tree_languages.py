"""Reply trees of German, French and Spanish threads: content words read in the thread's language.

Each thread below is written so that the reply words alone get wrong in English: Clara answers
Anna (she talks about the tram and the budget Anna named) right after Bernd, whose comment shares
only function words with hers ("das ist doch alles nicht so", "ce n'est pas du tout comme",
"eso no es así"). Read as English those count as shared content and pull her under Bernd; read
in the thread's language they are stop words and the content words decide.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from argmap.ingest.sources import load_threads
from argmap.ingest.text_cues import content_terms
from argmap.ingest.thread import prepare_thread, reconstruct_parents
from thread_builder import build_thread

from argmap.core.models import Thread
from argmap.core.resources import sample_thread

START = datetime(2024, 3, 1, 9, 0)

THREADS = {
    "de": (
        "Verkehrsplan",
        "Der Gemeinderat stimmt nächste Woche über den neuen Verkehrsplan ab. Was halten Sie davon?",
        "Eine Straßenbahn quer durch die Altstadt kostet Millionen, dafür reicht kein Budget.",
        "Anna, das ist doch nicht so, wie du es darstellst. Man muss das alles nicht wieder so "
        "schwarz sehen, oder?",
        "Das ist doch alles nicht so, man muss nur wieder genauer hinschauen: Straßenbahn und "
        "Altstadt stehen längst im Budget.",
    ),
    "fr": (
        "Plan de circulation",
        "Le conseil municipal vote la semaine prochaine sur le nouveau plan de circulation. "
        "Qu'en pensez-vous ?",
        "Un tramway en plein centre historique coûte des millions, aucun budget n'y suffira.",
        "Anne, ce n'est pas du tout comme tu le présentes. Il ne faut pas encore une fois tout "
        "voir en noir, non ?",
        "Ce n'est pas du tout comme ça, il faut encore une fois regarder de plus près : tramway "
        "et centre historique sont déjà dans le budget.",
    ),
    "es": (
        "Plan de tráfico",
        "El ayuntamiento vota la semana que viene el nuevo plan de tráfico. ¿Qué opinan ustedes?",
        "Un tranvía por todo el casco antiguo cuesta millones, ningún presupuesto alcanza.",
        "Ana, eso no es así como tú lo pintas. No hay que verlo todo otra vez tan negro, ¿no?",
        "Eso no es así para nada, hay que mirarlo otra vez con más calma: tranvía y casco "
        "antiguo ya están en el presupuesto.",
    ),
}
TRUE_PARENTS = [None, 0, 1, 1]  # Anna answers the article, Bernd and Clara answer Anna


AUTHORS = {"de": "Anna Bernd Clara", "fr": "Anne Bruno Claire", "es": "Ana Beto Clara"}


def thread(title: str, article: str, *comments: str, language: str = "de") -> Thread:
    """An article and comments ten minutes apart, flattened as a page (no tree given)."""
    authors = [*AUTHORS[language].split(), "Dora"]
    return build_thread(
        "t_lang",
        {"author": "Redaktion", "posted_at": START, "text": article},
        [
            {"author": authors[i], "posted_at": START + timedelta(minutes=10 * (i + 1)), "text": t}
            for i, t in enumerate(comments)
        ],
        title=title,
        source_format="wordpress-text",
        published_at=START,
    )


def rebuilt(t: Thread) -> list[int | None]:
    index = {p.id: i for i, p in enumerate(t.posts)}
    return [index.get(p.parent_id or "") for p in t.posts]


@pytest.mark.parametrize("language", sorted(THREADS))
def test_function_words_no_longer_pull_a_reply_under_the_wrong_comment(language: str) -> None:
    raw = thread(*THREADS[language], language=language)
    # Read as English, the shared function words put Clara under Bernd: the case is a real one.
    assert reconstruct_parents(raw.posts)[3] == 2
    prepared = prepare_thread(raw)
    assert rebuilt(prepared) == TRUE_PARENTS
    assert prepared.language == language  # told once, for the extractor and the store too


def test_an_english_thread_is_rebuilt_as_before() -> None:
    [sample] = load_threads(sample_thread())  # prepared: language told, tree rebuilt
    assert sample.language == "en"
    flags = [p.is_spam for p in sample.posts]
    english = reconstruct_parents(sample.posts, flags)
    assert rebuilt(sample) == english
    assert reconstruct_parents(sample.posts, flags, language="en") == english


def test_a_thread_of_no_clear_language_is_read_as_before() -> None:
    # German, French and Spanish comments in one thread: no language has the most stop words by
    # half again, so none is told, and the words are read as they always were (English).
    title, article, anna, _, _ = THREADS["de"]
    mixed = thread(title, article, anna, THREADS["fr"][3], THREADS["es"][4])
    prepared = prepare_thread(mixed)
    assert prepared.language == "und"
    assert rebuilt(prepared) == reconstruct_parents(mixed.posts)


@pytest.mark.parametrize("language", ["en", "it", "und", None])
def test_other_languages_keep_the_english_reading(language: str | None) -> None:
    text = THREADS["de"][4] + " " + THREADS["fr"][4]
    assert content_terms(text, language) == content_terms(text)


def test_content_words_drop_stop_words_and_share_stems() -> None:
    german = content_terms("Die Straßenbahnen sind nicht das Problem der Straßenbahn.", "de")
    assert set(german) == {"strassenbahn", "probl"}
    assert german["strassenbahn"] == 2
    # French elision: "l'impôt" and "d'impôts" are the word "impôt".
    assert set(content_terms("Qu'il paie l'impôt, pas d'impôts en plus.", "fr")) == {"pai", "impôt"}
    assert set(content_terms("Los presupuestos y el presupuesto no alcanzan.", "es")) == {
        "presupuest",
        "alcanz",
    }
