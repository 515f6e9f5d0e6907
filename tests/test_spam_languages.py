"""Spam marks in German and French threads: content words and names read in the thread's language.

The spam signals compare a comment's content words with the thread's, and count an author as
known when someone else names them. Read as English, a German or French thread's function words
("allerdings", "als", "ihr", "les") counted as content (a short reply full of them looked
off-topic) and as name words (an author called "Die Besten Angebote" was named by every sentence
opening with "Die"). Both threads are our own words.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

import pytest
from argmap.ingest.spam import spam_signals
from argmap.ingest.thread import prepare_thread
from thread_builder import build_thread

from argmap.core.models import Thread

START = datetime(2024, 3, 1, 8, 0)
ARTICLE = (
    "Die Stadt will die Bibliothek ab April auch am Sonntag öffnen, dafür gibt es unter der "
    "Woche weniger Personal."
)
SUBJECTS = ("Die Bibliothek", "Der Sonntag", "Das Personal", "Die Öffnung", "Der Haushalt")
SUBJECTS += ("Die Familien", "Die Stadt", "Der Lesesaal")
PREDICATES = (
    "braucht mehr Geld im Haushalt",
    "hilft vor allem Familien am Sonntag",
    "kostet zu viel Personal unter der Woche",
    "ist am Sonntag immer voll",
    "wird von Studenten gern genutzt",
    "sollte auch abends öffnen",
)
PEOPLE = "Ines Tomas Karl Petra Jonas Lena Mehmet Sabine Uwe Clara Felix Nora".split()


def _thread(article: str, rows: list[tuple[str, str]]) -> Thread:
    """An article and comments an hour apart, flattened as a page (the tree is rebuilt)."""
    return build_thread(
        "t_spam_lang",
        {"author": "Redaktion", "posted_at": START, "text": article},
        [
            {"author": a, "posted_at": START + timedelta(hours=i + 1), "text": t}
            for i, (a, t) in enumerate(rows)
        ],
        title="Bibliothek",
        source_format="wordpress-text",
        published_at=START,
    )


def test_a_short_german_reply_is_not_off_topic_for_its_function_words() -> None:
    # Forty-eight comments on the library make the thread's vocabulary; in the middle, a
    # genuine short disagreement by a name with digits (rare here: a weak sign of a made-up one).
    comments = [
        (PEOPLE[k % len(PEOPLE)], f"{s} {p}.")
        for k, (s, p) in enumerate(itertools.product(SUBJECTS, PREDICATES))
    ]
    reply = "Das sehe ich allerdings völlig anders als ihr hier alle."
    comments.insert(20, ("jan1987", reply))
    prepared = prepare_thread(_thread(ARTICLE, comments))
    assert prepared.language == "de"
    (post,) = [p for p in prepared.posts if p.author == "jan1987"]
    # Read as English, "allerdings anders als ihr hier alle" were six words nobody else used:
    # off-topic 0.93, and with the name the comment was spam.
    assert not post.is_spam
    assert not any(p.is_spam for p in prepared.posts)


SPAM = (
    "Great post, thanks for sharing this valuable information! I bookmarked your site and "
    "will visit again."
)
# Each thread writes its article word capitalised at most sentence starts, as short replies do.
NAMED_BY_FUNCTION_WORDS = {
    "de": (
        ARTICLE,
        [
            ("Ines", "Die Öffnung am Sonntag hilft vor allem Familien mit Kindern."),
            ("Tomas", "Die Frage ist doch, wer die Überstunden des Personals bezahlt."),
            ("Karl", "Die Überstunden zahlt die Stadt, das steht im Haushalt."),
            ("Ines", "Die Familien nutzen den Sonntag, das zeigen die Zahlen aus Köln."),
            ("Die Besten Angebote", SPAM),
            ("Tomas", "Die Zahlen aus Köln kenne ich nicht, aber der Haushalt ist knapp."),
        ],
        "Die Besten Angebote",
    ),
    "fr": (
        "La ville veut ouvrir la bibliothèque le dimanche dès avril, avec moins de personnel "
        "en semaine.",
        [
            ("Inès", "Les familles viendront le dimanche avec les enfants."),
            ("Thomas", "Les heures du dimanche coûtent cher, qui paie le personnel ?"),
            ("Karim", "Les heures sont payées par la ville, c'est dans le budget."),
            ("Inès", "Les chiffres de Lyon montrent des salles pleines le dimanche."),
            ("Les Bons Plans", SPAM),
            ("Thomas", "Les chiffres de Lyon, je ne les connais pas, mais le budget est serré."),
        ],
        "Les Bons Plans",
    ),
}


@pytest.mark.parametrize("language", sorted(NAMED_BY_FUNCTION_WORDS))
def test_an_author_named_by_function_words_is_named_by_nobody(language: str) -> None:
    article, comments, spammer = NAMED_BY_FUNCTION_WORDS[language]
    prepared = prepare_thread(_thread(article, comments))
    assert prepared.language == language
    (post,) = [p for p in prepared.posts if p.author == spammer]
    # Read as English, "Die"/"Les" opening most sentences made it a name: the praise template
    # counted as a known person's comment and was kept.
    assert post.is_spam
    assert spam_signals(prepared.posts, language)[post.position]["named"] == 0.0
    assert [p.author for p in prepared.posts if p.is_spam] == [spammer]
