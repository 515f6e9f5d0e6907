"""Reply-tree reconstruction on threads in scripts without capitals or spaces: a reply that
names the writer it answers ("प्रिया जी, ...", "فاطمة، ...", "佐藤さん、...", "李老师，...", "지은 씨, ...") is
put under that writer, as "Hi Ana, ..." is in English (``test_thread.py``).
"""

from __future__ import annotations

import pytest
from test_thread import parents

# (first writer, their comment, second writer, their comment, third writer, a reply that
# names the second writer). Nothing else ties the reply to the second comment (no shared
# words): unaddressed, it would answer the article, as the first two do.
ADDRESSED = {
    "hindi": (
        "राहुल शर्मा",
        "यह योजना सिर्फ़ दिखावा है और इससे कुछ नहीं बदलेगा।",
        "प्रिया वर्मा",
        "मेट्रो में पहले से ही बहुत भीड़ है।",
        "अमित सिंह",
        "प्रिया जी, रिपोर्ट के अनुसार गाड़ियों का हिस्सा बीस प्रतिशत है।",
    ),
    "arabic": (
        "أحمد الخطيب",
        "أنا مع القرار تماماً لأن الطلاب لا يتركون الشاشات.",
        "فاطمة الزهراء",
        "ابنتي مصابة بالسكري وتحتاج إلى الاتصال بي.",
        "يوسف منصور",
        "فاطمة، المعلمون يشتكون من أمور أخرى أيضاً.",
    ),
    "japanese": (
        "田中 一郎",
        "出社の義務化には反対です。",
        "佐藤 花子",
        "新人の教育は難しいです。",
        "山本 健太",
        "佐藤さん、通勤時間は人によって違います。",
    ),
    "chinese, the name run into the words after it": (
        "王建国",
        "我支持这个规定，去年楼里就有电动车起火。",
        "陈静",
        "问题不在电动车本身，而在劣质电池。",
        "刘洋",
        "陈静说得对。应该严查卖这种东西的商家，而不是罚普通居民。",
    ),
    "chinese, by family name and title": (
        "王建国",
        "我支持这个规定，去年楼里就有电动车起火。",
        "李明华",
        "问题不在电动车本身，而在劣质电池。",
        "刘洋",
        "李老师，应该严查卖这种东西的商家，而不是罚普通居民。",
    ),
    "chinese, family name and title run into the words after them": (
        "王建国",
        "我支持这个规定，去年楼里就有电动车起火。",
        "李明华",
        "问题不在电动车本身，而在劣质电池。",
        "刘洋",
        "李先生说得对。应该严查卖这种东西的商家，而不是罚普通居民。",
    ),
    "korean": (
        "정하늘",
        "일하는 시간이 줄어도 생산성은 떨어지지 않습니다.",
        "이지은",
        "우리 가게는 하루만 비어도 문을 닫아야 해요.",
        "박서준",
        "지은 씨, 그 연구는 사무직만 다뤘어요.",
    ),
}


@pytest.mark.parametrize("rows", ADDRESSED.values(), ids=ADDRESSED.keys())
def test_a_reply_naming_a_writer_answers_that_writer_in_any_script(rows: tuple[str, ...]) -> None:
    first, first_text, second, second_text, third, reply = rows
    thread = [(first, 30, first_text), (second, 60, second_text), (third, 90, reply)]
    assert parents(thread) == [None, 0, 0, 2]


@pytest.mark.parametrize(
    "quoted",
    [
        "„Busse stecken jeden Morgen hinter Lieferwagen fest.“",
        "« Busse stecken jeden Morgen hinter Lieferwagen fest. »",
    ],
    ids=["german", "french"],
)
def test_a_quote_in_german_or_french_marks_points_to_the_post_it_comes_from(quoted: str) -> None:
    rows = [
        ("Ana", 30, "Busse stecken jeden Morgen hinter Lieferwagen fest."),
        (
            "Ben",
            60,
            "Die Straßenbahn wurde verlängert und die Fahrgastzahlen haben sich verdoppelt.",
        ),
        ("Cara", 90, f"{quoted}\n\nNur freitags."),
    ]
    assert parents(rows)[3] == 1
