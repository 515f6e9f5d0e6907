"""Sentence segmentation with character offsets, for the offline extractor.

Rules, not a model: a line break always ends a sentence (comments use lines as paragraphs and list
items); inside a line, ``.``/``!``/``?``/``…`` followed by closing quotes or brackets, whitespace
and something that can start a sentence ends one, unless the word before the period is an
abbreviation ("e.g.", "U.S.", "Mr."), an initial ("J. Smith"), or a list number ("1.").
Other scripts' enders count too: ``。！？`` end a sentence with or without a space after them
(Chinese and Japanese use none), ``।`` ``؟`` ``۔`` as ``.`` does; in a script without capitals
(Arabic, Devanagari, Han...) any letter can start the next sentence.
"""

from __future__ import annotations

import re

from argmap.core.scripts import CLOSERS, OPENERS, SPACED_ENDERS, UNSPACED_ENDERS, caseless_letter

# Abbreviations after which a period does not end a sentence (compared lower-cased, no dots).
ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st mt vs v etc eg ie cf al approx dept est fig gen gov inc ltd co corp "
    "jan feb mar apr jun jul aug sep sept oct nov dec no nos vol pp p ch sec art ed eds rev "
    "col lt sgt capt cmdr adm ave blvd rd ft".split()
)
# Abbreviations that may also end a sentence: only a following capital is taken as a new one.
MAY_END = frozenset({"etc", "al", "inc", "ltd", "co", "corp", "jr", "sr"})

_TERMINATOR = re.compile(
    # French sets a (thin) space before its closing guillemet: "… personnel. » Ce chiffre".
    rf"(?:\.{{2,}}|…|[.!?{SPACED_ENDERS}{UNSPACED_ENDERS}])+(?:[ \u00a0\u202f]?[»›])?"
    rf"[{re.escape(CLOSERS)}]*"
)
_LIST_MARKER = re.compile(r"(?:\(?\d{1,3}[.)]|[-*•>–—]|\(?[a-zA-Z][.)])\s+")
_WORD_CHAR = re.compile(r"[\w.'’-]")
_NEXT_WORD = re.compile(r"\s*(\S)?")
_OPENERS = OPENERS


def _word_before(line: str, end: int) -> int:
    """Where the word (letters, digits, ``.'’-``) ending at ``line[end]`` starts.

    Scanned backwards from ``end``: a regex anchored at ``end`` but searched from the start of
    the line would try every position before it, at every full stop of a long paragraph."""
    start = end
    while start > 0 and _WORD_CHAR.match(line[start - 1]):
        start -= 1
    return start


def _ends_sentence(line: str, term_start: int, term_end: int, line_start_content: int) -> bool:
    """Whether the terminator at ``line[term_start:term_end]`` closes a sentence."""
    term = line[term_start:term_end]
    if any(ch in UNSPACED_ENDERS for ch in term):
        return True  # "。" "！" "？" end a sentence: Chinese and Japanese put no space after them
    if term_end < len(line) and not line[term_end].isspace():
        return False  # "3.5", "example.com/x", "?p=1": not a boundary
    nxt = _NEXT_WORD.match(line, term_end)
    if nxt is None or nxt.group(1) is None:
        return True
    first = nxt.group(1)
    if not (first.isupper() or first.isdigit() or first in _OPENERS or caseless_letter(first)):
        return False  # "... and then", "etc. and": the sentence goes on
    if term.startswith(".") and not term.startswith(".."):
        start = _word_before(line, term_start)
        word = line[start:term_start]
        bare = word.replace(".", "").replace("'", "").replace("’", "").casefold()
        if bare in ABBREVIATIONS and bare not in MAY_END:
            return False
        if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word):
            return False  # "U.S", "e.g", "a.m" (the final period is the terminator)
        if len(word) == 1 and word.isalpha() and word.isupper():
            return False  # an initial: "J. Smith"
        if word.isdigit() and start == line_start_content:
            return False  # "1. First point" at the start of a line
    return True


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` spans of the sentences of ``text``, in order, trimmed of whitespace.

    A list marker at the start of a line ("1. ", "- ") is left out of the span, so the span holds
    only the words of the sentence.
    """
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        line_start = offset
        offset += len(line)
        body = line.rstrip("\r\n")
        content = len(body) - len(body.lstrip())
        marker = _LIST_MARKER.match(body, content)
        begin = marker.end() if marker else content
        for m in _TERMINATOR.finditer(body, begin):
            if _ends_sentence(body, m.start(), m.end(), content):
                s, e = _trim(text, line_start + begin, line_start + m.end())
                if e > s:
                    spans.append((s, e))
                begin = m.end()
        s, e = _trim(text, line_start + begin, line_start + len(body))
        if e > s:
            spans.append((s, e))
    return spans
