"""The offline extractor reads stance cues in the thread's language: a German, French or Spanish
reply that says "Das stimmt nicht", "Je ne suis pas d'accord" or "Estoy de acuerdo" rebuts or
supports what it answers, as "I disagree" and "I agree" do in English.

Each language's cues take the English ones' shape: set phrases that take no side, negated
agreement before agreement, concessions ("I was wrong" agrees), "yes, but" objects; matched
without regard to case or accents, with French spaces before ``! ? : ;``. A thread whose language
is not told (or has no table of its own) keeps the English cues.

The threads in ``tests/data/stance_languages`` were written for these tests (a library closing on
Sundays, a dozen comments each, parents given).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from argmap.graph.store import Store
from argmap.ingest.extract.stance import find_cues, has_negation, stance
from argmap.ingest.pipeline import ingest

THREADS = Path(__file__).parent / "data" / "stance_languages"

REBUTS, SUPPORTS, NONE = -1, 1, 0

CUED = {
    "de": [
        ("Das stimmt so nicht, die Zahlen sind alt.", REBUTS),
        ("DAS STIMMT NICHT!", REBUTS),
        ("Da muss ich widersprechen.", REBUTS),
        ("Ich stimme dir da überhaupt nicht zu.", REBUTS),
        ("Dem kann ich nicht ganz zustimmen.", REBUTS),
        ("Ich bin nicht einverstanden.", REBUTS),
        ("Nein, das ist falsch.", REBUTS),
        ("Das ist nicht richtig.", REBUTS),
        ("Ich sehe das anders.", REBUTS),
        ("Ich glaube nicht, dass das hilft.", REBUTS),
        ("Im Gegenteil, es kommen mehr.", REBUTS),
        ("Ja, aber die Kosten steigen.", REBUTS),
        ("Du hast recht, was die Kosten angeht, aber die Besucher zählen mehr.", REBUTS),
        ("Das stimmt zwar, aber die Kosten sind hoch.", REBUTS),
        ("Ich weiß nicht, ob das stimmt.", REBUTS),
        ("Nicht wirklich.", REBUTS),
        ("Kann ich so nicht bestätigen.", REBUTS),
        ("Ich stimme dir voll zu.", SUPPORTS),
        ("Dem kann ich nur zustimmen.", SUPPORTS),
        ("Genau!", SUPPORTS),
        ("Da hast du völlig recht.", SUPPORTS),
        ("Guter Punkt, das hatte ich übersehen.", SUPPORTS),
        ("Ich lag falsch, die Zahlen sind neu.", SUPPORTS),
        ("Sehe ich genauso.", SUPPORTS),
        ("Da bin ich ganz bei dir.", SUPPORTS),
        ("Ganz meine Meinung.", SUPPORTS),
        ("Das stimmt.", SUPPORTS),
        ("Korrigiere mich, wenn ich mich irre: die Bibliothek öffnet um neun.", NONE),
        ("Nicht nur die Schüler kommen sonntags.", NONE),
        ("Die Bibliothek öffnet um neun Uhr.", NONE),
        ("Sie haben das Recht auf eine offene Bibliothek.", NONE),
        ("Der Rat muss dem Plan noch zustimmen.", NONE),
        ("Ich habe das schon, aber nicht hier.", NONE),
    ],
    "fr": [
        ("Je ne suis pas du tout d'accord.", REBUTS),
        ("Pas d'accord\u00a0!", REBUTS),
        ("C'est faux !", REBUTS),
        ("c'est FAUX", REBUTS),
        ("C'est pas vrai, les chiffres sont anciens.", REBUTS),
        ("Ce n'est pas juste.", REBUTS),
        ("Vous avez tort.", REBUTS),
        ("Non, ce n'est pas le cas.", REBUTS),
        ("Je n'y crois pas.", REBUTS),
        ("Au contraire, il en vient plus.", REBUTS),
        ("Oui, mais les coûts augmentent.", REBUTS),
        ("Vous avez raison sur les coûts, mais les visiteurs comptent plus.", REBUTS),
        ("Absolument pas.", REBUTS),
        ("Tu racontes n'importe quoi.", REBUTS),
        ("Je ne sais pas si c'est vrai.", REBUTS),
        ("Je suis tout à fait d'accord avec vous.", SUPPORTS),
        ("Tout a fait\u202f!", SUPPORTS),
        ("Exactement.", SUPPORTS),
        ("Vous avez raison.", SUPPORTS),
        ("Bonne remarque.", SUPPORTS),
        ("J'avais tort, les chiffres sont récents.", SUPPORTS),
        ("Je partage votre avis.", SUPPORTS),
        ("C'est vrai.", SUPPORTS),
        ("Pas faux.", SUPPORTS),
        ("C'est pas faux, les chiffres sont récents.", SUPPORTS),
        ("Si je ne me trompe pas, la bibliothèque ouvre à neuf heures.", NONE),
        ("La bibliothèque ouvre à neuf heures.", NONE),
        ("On peut y emprunter n'importe quoi.", NONE),
    ],
    "es": [
        ("No estoy de acuerdo contigo.", REBUTS),
        ("No estoy para nada de acuerdo.", REBUTS),
        ("Eso no es cierto.", REBUTS),
        ("Eso es falso.", REBUTS),
        ("Te equivocas.", REBUTS),
        ("No tienes razón.", REBUTS),
        ("¡No!", REBUTS),
        ("Discrepo.", REBUTS),
        ("No creo que ayude.", REBUTS),
        ("Al contrario, vienen más.", REBUTS),
        ("Sí, pero los costes suben.", REBUTS),
        ("Tienes razón en los costes, pero los visitantes cuentan más.", REBUTS),
        ("No sé si es cierto.", REBUTS),
        ("Eso no tiene sentido.", REBUTS),
        ("Estoy totalmente de acuerdo.", SUPPORTS),
        ("¡Exacto!", SUPPORTS),
        ("Tienes toda la razón.", SUPPORTS),
        ("Si, tienes razon.", SUPPORTS),
        ("Buen punto.", SUPPORTS),
        ("Me equivoqué, los datos son nuevos.", SUPPORTS),
        ("Es cierto.", SUPPORTS),
        ("Claro que sí.", SUPPORTS),
        ("Si la biblioteca cierra, los estudiantes irán al café.", NONE),
        ("Sin duda, la biblioteca es importante.", NONE),
        ("La biblioteca abre a las nueve.", NONE),
        ("El plan es bueno pero caro.", NONE),
    ],
}


@pytest.mark.parametrize(
    ("language", "sentence", "sign"),
    [(lang, sentence, sign) for lang, cases in CUED.items() for sentence, sign in cases],
)
def test_a_sentence_rebuts_supports_or_takes_no_side_in_its_threads_language(
    language: str, sentence: str, sign: int
) -> None:
    cues = find_cues(sentence, language)
    net = stance(cues)
    assert (net > 0) - (net < 0) == sign, (sentence, cues)


def test_a_thread_in_another_language_or_none_told_keeps_the_english_cues() -> None:
    for language in (None, "en", "it", "ja"):
        assert find_cues("I disagree, that's wrong.", language) == find_cues(
            "I disagree, that's wrong."
        )
        assert find_cues("Das stimmt nicht.", language) == []


@pytest.mark.parametrize(
    ("language", "denial", "assertion"),
    [
        ("de", "Der Sonntag kostet nicht viel.", "Der Sonntag kostet viel."),
        ("fr", "Le dimanche ne coûte pas cher.", "Le dimanche coûte cher."),
        ("es", "El domingo no cuesta mucho.", "El domingo cuesta mucho."),
    ],
)
def test_a_denial_is_told_by_its_languages_negation(
    language: str, denial: str, assertion: str
) -> None:
    assert has_negation(denial, language)
    assert not has_negation(assertion, language)


# Per thread: (replier, replied-to, type) of every stored rebuttal and support. The comment
# with no stance in its words (the new computers, the repaired roof) gets none.
EXPECTED = {
    "de": {
        ("Ines", "Stadtrat", "REBUTS"),
        ("Tomas", "Ines", "SUPPORTS"),
        ("Karl", "Stadtrat", "REBUTS"),
        ("Lena", "Karl", "SUPPORTS"),
        ("Ole", "Stadtrat", "REBUTS"),
        ("Pia", "Ole", "REBUTS"),
        ("Rolf", "Pia", "SUPPORTS"),
        ("Sara", "Stadtrat", "REBUTS"),
        ("Uwe", "Sara", "SUPPORTS"),
        ("Vera", "Sara", "REBUTS"),
    },
    "fr": {
        ("Inès", "Mairie", "REBUTS"),
        ("Tom", "Inès", "SUPPORTS"),
        ("Karim", "Mairie", "REBUTS"),
        ("Léa", "Karim", "SUPPORTS"),
        ("Olivier", "Mairie", "REBUTS"),
        ("Pauline", "Olivier", "REBUTS"),
        ("René", "Pauline", "SUPPORTS"),
        ("Sarah", "Mairie", "REBUTS"),
        ("Hugo", "Sarah", "SUPPORTS"),
        ("Valérie", "Sarah", "REBUTS"),
    },
    "es": {
        ("Inés", "Ayuntamiento", "REBUTS"),
        ("Tomás", "Inés", "SUPPORTS"),
        ("Carlos", "Ayuntamiento", "REBUTS"),
        ("Lucía", "Carlos", "SUPPORTS"),
        ("Óscar", "Ayuntamiento", "REBUTS"),
        ("Paula", "Óscar", "REBUTS"),
        ("Ramón", "Paula", "SUPPORTS"),
        ("Sara", "Ayuntamiento", "REBUTS"),
        ("Hugo", "Sara", "SUPPORTS"),
        ("Valeria", "Sara", "REBUTS"),
    },
}
NO_STANCE = {"de": "Wim", "fr": "Willy", "es": "Wilfredo"}


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_a_thread_ingested_offline_stores_its_languages_rebuttals_and_supports(
    store: Store, language: str
) -> None:
    summary = ingest(THREADS / f"{language}.csv", store, extractor="offline")
    (thread_id,) = summary.threads
    rows = store.run_read(
        "MATCH (a:Claim)-[r:REBUTS|SUPPORTS]->(b:Claim) "
        "MATCH (pa:Post {id: a.post_id}), (pb:Post {id: b.post_id}) "
        "WHERE pa.thread_id = $thread "
        "RETURN pa.author AS replier, pb.author AS answered, type(r) AS type, "
        "r.rationale AS rationale",
        {"thread": thread_id},
    )
    stored = {(r["replier"], r["answered"], r["type"]) for r in rows}
    assert stored == EXPECTED[language], rows
    # Every one of them is told by a cue in the reply's words, not by the objection prior.
    assert all("reply opens with" in r["rationale"] for r in rows), rows
    assert not [r for r in rows if r["replier"] == NO_STANCE[language]]
