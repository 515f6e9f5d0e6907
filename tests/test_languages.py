"""Telling a thread's language from its text (``argmap.core.languages``): by script, then by the
most common words of the languages sharing it; unsure is ``None``, never a guess."""

from __future__ import annotations

import pytest
import snowballstemmer

from argmap.core.languages import STEMMERS, detect_language

TOLD = [
    ("en", "The point is that it was not what they said, and you know it."),
    ("de", "Die Schließung ist ein Fehler, und das ist nicht gut. Ich sage es dir auch."),
    ("fr", "Le gouvernement a dit que les élections ne sont pas pour nous et il est là."),
    ("sv", "Det är inte vad jag menade, och det är bra."),
    ("da", "Det er ikke hvad jeg mente, men det er kun mig."),
    ("no", "Det er ikke hva jeg mente, men det er bare meg."),
    ("ru", "Ёжик в тумане. Я не знаю, что это и как он это сделал."),
    ("ar", "هل أجريت الدراسات في هذا المجال؟ من الذي قال هذا على الموقع"),
    ("hi", "दिल्ली सरकार की योजना है और यह नहीं है कि"),  # words with their vowel signs
    ("ja", "在宅勤務をやめる動き。これは問題です。"),  # kana among the Han
    ("zh", "民主集中制是一个原则。"),
    ("ko", "노동부는 생산성이 떨어지지 않는다."),
    ("el", "Η απόφαση δεν είναι σωστή."),
]


@pytest.mark.parametrize(("language", "text"), TOLD, ids=[lang for lang, _ in TOLD])
def test_a_threads_language_is_told_from_its_script_and_common_words(
    language: str, text: str
) -> None:
    assert detect_language(["A title", text]) == language


@pytest.mark.parametrize(
    "texts",
    [
        ["Ok."],  # too few words to tell
        [],
        ["👍 123"],  # no letters
        ["The point is that it was not.", "Die Schließung ist nicht das, was wir sagen."],
    ],
)
def test_text_that_does_not_say_its_language_is_unknown(texts: list[str]) -> None:
    assert detect_language(texts) is None


def test_every_language_stemmed_has_its_snowball_algorithm() -> None:
    assert set(STEMMERS.values()) <= set(snowballstemmer.algorithms())
