"""The offline extractor on threads not written in the Latin alphabet: sentences end at their
own script's enders (``。！？`` with no space after them, ``।``, ``؟``), a script without
capitals starts a sentence with any letter, words keep their vowel signs, and Chinese, Japanese
and Hindi posts get claims whose quotes are exactly their words.
"""

from __future__ import annotations

import pytest
from argmap.ingest.extract.sentences import split_sentences
from argmap.ingest.extract.similarity import stems
from offline_threads import assert_grounded, by_post, run
from thread_builder import build_thread

from argmap.core.models import Thread


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def test_cjk_sentences_end_at_full_width_enders_without_a_space() -> None:
    assert sentences("我支持这个规定。去年楼里有电动车起火！你怎么看？") == [
        "我支持这个规定。",
        "去年楼里有电动车起火！",
        "你怎么看？",
    ]
    assert sentences("「個別に相談」は結局、辞めてくれという意味です。」本当です。") == [
        "「個別に相談」は結局、辞めてくれという意味です。」",
        "本当です。",
    ]


def test_scripts_without_capitals_start_a_sentence_with_any_letter() -> None:
    # Devanagari ends a sentence with the danda; Arabic with "." or "؟", the next word in lower
    # case as every Arabic letter is.
    assert sentences("यह योजना सिर्फ़ दिखावा है। असली प्रदूषण पराली से आता है।") == [
        "यह योजना सिर्फ़ दिखावा है।",
        "असली प्रदूषण पराली से आता है।",
    ]
    assert sentences("أنا مع القرار تماماً. وماذا عن الطوارئ؟ هذا دور الممرضة.") == [
        "أنا مع القرار تماماً.",
        "وماذا عن الطوارئ؟",
        "هذا دور الممرضة.",
    ]
    # The German closing quote “ ends a quoted sentence as ” does; lower case still goes on.
    assert sentences("Er sagte „Nein.“ Dann ging er. Und zwar sofort.") == [
        "Er sagte „Nein.“",
        "Dann ging er.",
        "Und zwar sofort.",
    ]
    assert sentences("So it was. and then it went on.") == ["So it was. and then it went on."]


def test_words_keep_their_vowel_signs_and_han_is_read_in_character_pairs() -> None:
    # "हिन्दी" used to fall apart at its vowel signs into the scraps "ह न द".
    assert stems("हिन्दी योजना") == ["हिन्दी", "योजना"]
    assert stems("在宅勤務") == ["在宅", "宅勤", "勤務"]


def _thread(article: str, comments: list[str], authors: tuple[str, ...] = ()) -> Thread:
    tid = "t_scripts"
    names = list(authors) or [f"作者{i}" for i in range(1, len(comments) + 1)]
    return build_thread(
        tid,
        {"author": "編集部", "text": article},
        [{"author": name, "text": text} for name, text in zip(names, comments, strict=True)],
        title="title",
        source_format="test",
        reply_tree="source",
    )


@pytest.mark.parametrize(
    ("article", "comment"),
    [
        (
            "市政府发布通知，禁止电动自行车进入居民楼道和电梯。通知称，去年全市因充电引发的火灾超过一百二十起。",
            "问题不在电动车本身，而在劣质电池。很多人为了省钱买改装电池，这才是火灾的主要原因。",
        ),
        (
            "大手企業の間で、在宅勤務をやめて出社を義務づける動きが広がっている。経営側は対面でこそアイデアが生まれると主張している。",
            "出社の義務化には反対です。片道一時間半の通勤がなくなって、子どもと夕食を食べられるようになりました。",
        ),
        (
            "दिल्ली सरकार ने प्रदूषण कम करने के लिए ऑड-ईवन योजना का प्रस्ताव रखा है। सरकार का दावा है कि प्रदूषण में कमी आई थी।",
            "यह योजना सिर्फ़ दिखावा है। असली प्रदूषण पराली जलाने और निर्माण की धूल से आता है।",
        ),
    ],
    ids=["chinese", "japanese", "hindi"],
)
def test_posts_in_chinese_japanese_and_hindi_get_claims_of_whole_sentences(
    article: str, comment: str
) -> None:
    # Each of these posts used to get no claim at all: a sentence with no spaces was one word
    # ("too short"), and Devanagari's vowel signs made it "not prose".
    thread = _thread(article, [comment])
    results = run(thread)
    assert_grounded(thread, results)
    got = by_post(results)
    for post in thread.posts:
        quotes = [c.quote for c in got[post.id].claims]
        assert quotes, post.text
        assert all(q in sentences(post.text) for q in quotes), quotes


@pytest.mark.parametrize(
    ("author", "comment", "reply", "paraphrase"),
    [
        (
            "孙丽",
            "罚款五百元太重了！送外卖的一天才挣两百多。",
            "孙丽，规定是为了大家的安全，不是为了罚款。",
            "规定是为了大家的安全，不是为了罚款。",
        ),
        (
            "أحمد الخطيب",
            "أنا مع القرار تماماً لأن الطلاب لا يتركون الشاشات طوال اليوم.",
            "أحمد، المعلمون يشتكون من المناهج وليس من الهواتف فقط.",
            "المعلمون يشتكون من المناهج وليس من الهواتف فقط.",
        ),
    ],
    ids=["chinese", "arabic"],
)
def test_a_reply_that_opens_with_a_name_and_its_scripts_comma_is_paraphrased_without_it(
    author: str, comment: str, reply: str, paraphrase: str
) -> None:
    thread = _thread(
        "市政府发布通知，禁止电动自行车进入居民楼道和电梯。", [comment, reply], (author, "张伟")
    )
    results = run(thread)
    assert_grounded(thread, results)
    [claim] = by_post(results)[thread.posts[2].id].claims
    assert claim.quote == reply  # the quote keeps the writer's words; the label drops the name
    assert claim.text == paraphrase


@pytest.mark.parametrize(
    ("article", "reply", "own"),
    [
        (
            "Die Stadt spart jährlich rund 180.000 Euro an Zuschlägen für das Personal.",
            "„Die Stadt spart jährlich rund 180.000 Euro an Zuschlägen für das Personal.“ "
            "Diese Zahl ist falsch und stammt aus dem Jahr 2019.",
            "Diese Zahl ist falsch und stammt aus dem Jahr 2019.",
        ),
        (
            "La mairie économise chaque année des primes importantes pour le personnel.",
            "« La mairie économise chaque année des primes importantes pour le personnel. » "
            "Ce chiffre est faux et date de 2019.",
            "Ce chiffre est faux et date de 2019.",
        ),
        (
            "通知称去年全市因电动车充电引发的火灾超过一百二十起。",
            "「通知称去年全市因电动车充电引发的火灾超过一百二十起。」这个数字包括了很多小事故，并不说明问题。",
            "这个数字包括了很多小事故，并不说明问题。",
        ),
    ],
    ids=["german", "french", "chinese"],
)
def test_words_a_reply_quotes_in_its_languages_marks_are_not_its_claims(
    article: str, reply: str, own: str
) -> None:
    # „…“, « … » and 「…」 quote as “…” does: the quoted sentence is the article's claim.
    thread = _thread(article, [reply])
    results = run(thread)
    assert_grounded(thread, results)
    assert [c.quote for c in by_post(results)[thread.posts[1].id].claims] == [own]
