"""What the text rules need to know about writing systems other than the Latin alphabet.

The offline rules were written on English: words are runs of ``\\w`` separated by spaces, a
sentence ends at ``.``/``!``/``?`` followed by a space and a capital. Three things break that:

- Combining marks are part of words in many scripts (the Devanagari vowel signs in "हिन्दी",
  Arabic and Hebrew vowel points), yet Python's ``\\w`` does not match them, so "हिन्दी" fell
  apart into the letters ``ह न द``. ``WORD_CHARS`` is ``\\w`` with the marks.
- Han and kana are written without spaces: a Japanese sentence is one "word" to ``split()``.
  ``word_count`` counts two such characters as a word (about the average word length of
  Chinese and Japanese), and ``unspaced_bigrams`` gives the overlapping character pairs that
  CJK search engines index instead of words.
- Most scripts have no capitals (Arabic, Hebrew, Devanagari, Han, kana, Hangul), and CJK and
  Devanagari have their own sentence enders (``。！？``, ``।``), which need no space after them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable


def _marks() -> str:
    """The combining marks of the blocks where words carry them, as a regex class body."""
    ranges = [(0x0300, 0x1DFF), (0x20D0, 0x20FF), (0x3099, 0x309A), (0xFE20, 0xFE2F)]
    chars = [
        chr(cp)
        for low, high in ranges
        for cp in range(low, high + 1)
        if unicodedata.category(chr(cp)).startswith("M")
    ]
    return "".join(re.escape(ch) for ch in chars)


# ``\w`` plus combining marks, for use inside a character class: ``rf"[{WORD_CHARS}]+"``.
MARKS = _marks()
WORD_CHARS = r"\w" + MARKS
# Han ideographs (with extensions and compatibility forms) and kana: written without spaces.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
KANA = "\u3040-\u30ff"
UNSPACED = KANA + HAN
_UNSPACED_RUN = re.compile(f"[{UNSPACED}]+")
# Sentence enders that need no space after them (CJK full stop, full-width ! ? and the
# half-width full stop) and ones that do (Devanagari danda, Arabic question mark, Urdu full
# stop, Armenian full stop): what ``.!?`` are in the Latin alphabet.
UNSPACED_ENDERS = "。！？｡"
SPACED_ENDERS = "।॥؟۔։"
# Closing quotes and brackets that may follow an ender: "。」" ends a quoted sentence.
CLOSERS = "\"'”’“‘»)]」』）】〕〉》›"  # “ ‘ close German „…“ ‚…‘
# What may open a sentence besides a capital: quotes and brackets of any script, ¿ ¡.
OPENERS = "\"'“‘«([¿¡„‚「『（【〔〈《‹"


def caseless_letter(ch: str) -> bool:
    """Whether ``ch`` is a letter of a script without capitals (Arabic, Devanagari, Han...).

    Such a letter can start a sentence as a capital does in the Latin alphabet."""
    return ch.isalpha() and not ch.isupper() and not ch.islower()


def is_letter(ch: str) -> bool:
    """Whether ``ch`` is a letter or one of the marks written on letters (a vowel sign)."""
    return ch.isalpha() or unicodedata.category(ch).startswith("M")


def unspaced_chars(text: str) -> int:
    """How many characters of ``text`` are Han or kana (written without spaces)."""
    return sum(len(run) for run in _UNSPACED_RUN.findall(text))


def word_count(text: str) -> int:
    """How many words ``text`` has: its space-separated words, with each run of Han or kana
    counted as one word per two characters (a Chinese or Japanese word is one to three)."""
    runs = [] if text.isascii() else _UNSPACED_RUN.findall(text)
    if not runs:
        return len(text.split())  # as the rules always counted (a lone "—" too)
    # Only tokens with a letter or digit: the "。" a run leaves behind is no word.
    spaced = sum(any(c.isalnum() for c in w) for w in _UNSPACED_RUN.sub(" ", text).split())
    return spaced + sum((len(run) + 1) // 2 for run in runs)


def is_unspaced(token: str) -> bool:
    """Whether ``token`` is all Han or kana."""
    return bool(token) and _UNSPACED_RUN.fullmatch(token) is not None


def unspaced_bigrams(token: str) -> list[str]:
    """The overlapping pairs of characters of a Han/kana run ("在宅勤務": "在宅", "宅勤",
    "勤務"); a single character stands for itself. Tokens of other scripts are left as they
    are (``[token]``)."""
    if len(token) < 2 or not _UNSPACED_RUN.fullmatch(token):
        return [token]
    return [token[i : i + 2] for i in range(len(token) - 1)]


def split_unspaced(token: str) -> list[str]:
    """``token`` cut where it passes between Han/kana and other letters ("田中さん" stays,
    "AI導入" is ``["AI", "導入"]``): mixed tokens have no space at such a boundary."""
    if token.isascii():
        return [token]
    return [part for part in re.split(f"([{UNSPACED}]+)", token) if part]


_HAN_NAME = re.compile(f"[{HAN}]{{2,4}}")


# How Chinese addresses someone by family name: "王先生" (Mr Wang), "王老师" (teacher Wang). The
# writer's sex is not known, so every title counts; one family-name character, as most are.
HAN_TITLES = ("先生", "女士", "小姐", "老师", "同学", "兄", "姐")


def han_titled(name: str) -> frozenset[str]:
    """The ways a Han name of three or four characters is addressed by family name and title
    ("王建国" -> "王先生", "王老师", ...); none for two (the family name is half the name, and
    "陈静" is called by it whole)."""
    if not _HAN_NAME.fullmatch(name) or len(name) < 3:
        return frozenset()
    return frozenset(name[0] + title for title in HAN_TITLES)


def han_names(authors: Iterable[str]) -> frozenset[str]:
    """The authors' names written in two to four Han characters ("陈静", "王建国"), with the
    family-name-and-title forms a reply calls them by ("王先生说得对")."""
    names = {a for a in (" ".join(x.split()) for x in authors) if _HAN_NAME.fullmatch(a)}
    return frozenset(names.union(*(han_titled(n) for n in names)))


def cut_names(
    text: str, spans: list[tuple[int, int]], names: Collection[str]
) -> list[tuple[int, int]]:
    """``spans`` (of words in ``text``) with each Han word that starts with one of ``names`` and
    goes on cut after the name, longest name first: Chinese runs a name into the words after it
    ("陈静说得对" is "陈静" and "说得对")."""
    ordered = sorted(names, key=len, reverse=True)
    out: list[tuple[int, int]] = []
    for start, end in spans:
        word = text[start:end]
        name = next((n for n in ordered if len(word) > len(n) and word.startswith(n)), None)
        if name is not None and _HAN_NAME.match(word):
            out += [(start, start + len(name)), (start + len(name), end)]
        else:
            out.append((start, end))
    return out
