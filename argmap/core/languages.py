"""Which language a thread is written in, told cheaply: by its script, then by its stop words.

argmap needs the language for two things: search reduces words to their stem in the thread's
language (``graph.search_words``), and HTML pages mark the thread's text with it. A model or a
language-identification package would be heavier than either need: the script settles most
writing systems (Greek, Armenian, Hangul, kana...), and within a script the few dozen most
common words of each language tell it apart on any text longer than a sentence or two. Short
or mixed text gives ``None`` (unknown): then nothing is stemmed, as before.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from argmap.core.scripts import WORD_CHARS

# ISO 639-1 code -> the Snowball algorithm (``snowballstemmer``) for it. Languages detected
# but without one (Japanese, Chinese, Korean, Hebrew, Thai, Ukrainian...) are not stemmed.
STEMMERS = {
    "ar": "arabic",
    "ca": "catalan",
    "cs": "czech",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "fa": "persian",
    "fi": "finnish",
    "fr": "french",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "ne": "nepali",
    "nl": "dutch",
    "no": "norwegian",
    "pl": "polish",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
}

# The most common words of each language, chosen to tell apart languages of one script.
_STOP_WORDS = {
    "Latin": {
        "en": "the and of to is that it for not you with this are was have but they be what",
        "de": "der die das und ist nicht ich sie es zu den mit sich auch auf ein eine dass wir",
        "fr": "le la les et est une des pas que qui dans pour je il ce sont mais nous vous du",
        "es": "el la los las que y en es una por para con no se lo pero del más como muy",
        "it": "il di che e la è non per una sono gli del della anche ma come questo ho si",
        "pt": "o de que e não uma os para com por mas é se ao das dos está isso você muito",
        "nl": "de het een en is van dat niet ik je zijn op te met voor maar ook wat er",
        "sv": "och att är inte jag vad mycket också eller någon skulle hur vi",
        "da": "af hvad mig dig efter nu også meget kun blev sig hvor",
        "no": "av hva meg deg etter nå også mye bare ble seg hvor",
        "fi": "ja on ei se että en mutta kun niin ole myös tai jos ovat hän oli tämä",
        "tr": "ve bir bu da de için ile ne çok ama gibi daha olarak değil var ben",
        "id": "yang dan di ini itu dengan untuk tidak dari ada saya akan juga ke bisa",
        "ro": "și în este nu că pe la cu un o să se mai din care sunt pentru",
        "hu": "a az és hogy nem is egy de van meg csak már ez mint vagy volt",
        "ca": "el la i de que és els les una per amb no però més com això",
        "pl": "i w nie że się na jest to z do jak ale co tak są za od",
        "cs": "a je se na že to v s z do jak ale co tak jsou za od není",
    },
    "Cyrillic": {
        "ru": "и в не на что я с он как это по но из они все так его только было",
        "uk": "і в не на що я з він як це та але які вони все так його тільки було",
        "bg": "и в не на че аз с той как това по но от те са за да се",
    },
    "Arabic": {
        "ar": "في من على أن إلى التي الذي هذا هذه عن كان لا ما هو مع",
        "fa": "و در به از که این را با است برای آن یک می ها نیست",
        "ur": "کے میں کی ہے اور سے کو نہیں یہ کہ پر ہیں بھی",
    },
    "Devanagari": {
        "hi": "के है में की और से को नहीं यह कि पर हैं भी था",
        "ne": "को छ मा र पनि यो त्यो हो थियो गर्न भएको छैन",
    },
}

# Scripts that name their language outright (kana is Japanese even among Han).
_SCRIPT_LANGUAGE = {
    "Greek": "el",
    "Armenian": "hy",
    "Hangul": "ko",
    "Hebrew": "he",
    "Thai": "th",
    "Tamil": "ta",
    "Georgian": "ka",
    "Kana": "ja",
    "Han": "zh",
}

# Words with the marks written on them ("है", "की"): ``\w`` alone cuts them apart.
_WORD = re.compile(f"[{WORD_CHARS}]+")
# Enough words to judge, and no more (a 100k-comment thread is read once, not whole).
_MAX_CHARS = 20_000
_MIN_STOP_WORDS = 3


@lru_cache(maxsize=4096)
def _script(ch: str) -> str | None:
    """The script of a letter, as far as detection needs it (the first word of its name)."""
    if not ch.isalpha():
        return None
    if "\u3040" <= ch <= "\u30ff":
        return "Kana"
    first = unicodedata.name(ch, "").split(" ", 1)[0]
    return {"CJK": "Han"}.get(first, first.title())


def sample(texts: Iterable[str | None]) -> str:
    """The start of ``texts`` that detection reads (about 20,000 characters, whole texts)."""
    out: list[str] = []
    size = 0
    for text in texts:
        if size >= _MAX_CHARS:
            break
        if text:
            out.append(text)
            size += len(text)
    return "\n".join(out)


def detect_language(texts: Iterable[str | None]) -> str | None:
    """The ISO 639-1 code of the language ``texts`` are written in, or ``None`` when unsure.

    The main script decides (over half of the letters); in a script several languages share
    (Latin, Cyrillic, Arabic, Devanagari) the language with the most of its common words
    does, given at least three and half again as many as the runner-up.
    """
    text = sample(texts)
    scripts = Counter(s for s in map(_script, text) if s)
    if not scripts:
        return None
    if scripts["Kana"] and scripts["Kana"] >= (scripts["Kana"] + scripts["Han"]) / 10:
        scripts["Kana"] += scripts.pop("Han", 0)  # Japanese: kana between the Han words
    script, count = scripts.most_common(1)[0]
    if count * 2 <= scripts.total():
        return None
    if script in _SCRIPT_LANGUAGE:
        return _SCRIPT_LANGUAGE[script]
    words = Counter(w.casefold() for w in _WORD.findall(text))
    hits = sorted(
        (
            (sum(words[w] for w in set(stops.split())), lang)
            for lang, stops in _STOP_WORDS[script].items()
        ),
        reverse=True,
    )
    (best, lang), (second, _) = hits[0], hits[1]
    if best < _MIN_STOP_WORDS or best < second * 1.5:
        return None
    return lang
