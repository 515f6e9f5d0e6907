"""How a text file's bytes become text: one rule for thread files (``argmap ingest``) and label
files (``argmap eval``).

A byte-order mark names its encoding (UTF-8 or UTF-16); else UTF-8 when the bytes are UTF-8;
else a saved HTML or XML page's own declared charset; else Windows-1252, the "ANSI" that Excel's
plain "CSV" and Notepad write on a Western Windows machine. A fixed fallback rather than a
detector (charset-normalizer): a detector guesses from the few accented letters a short CSV
holds and reads "naïve" as cp1250's "naďve", while one stated rule, named in a note, reads the
same on every run and ``--encoding`` corrects it. A file that is UTF-8 but for a few bytes is
refused rather than read so (its every accent would turn to "Ã©"). ``encoding``, when given,
replaces the rule for every file without a byte-order mark.
"""

from __future__ import annotations

import codecs
import re
from typing import NamedTuple

from argmap.core.errors import ArgmapError

UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
LEGACY = "cp1252"
LEGACY_NAME = "Windows-1252 (Excel's CSV)"
CODEC_NAMES = "https://docs.python.org/3/library/codecs.html#standard-encodings"
# Text holds none of these C0 controls; a file of them read as Windows-1252 is not text at all.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# A page declares its charset in its first kilobytes (HTML5 asks for the first 1024 bytes).
_DECLARATION_BYTES = 4096


class UndecodableText(ArgmapError):
    """A file's bytes are not text in the encoding given, or in any the rule assumes."""


class Decoded(NamedTuple):
    """A file's text, and the line to tell its user when it was not UTF-8."""

    text: str
    note: str | None  # set when the file was not UTF-8: the encoding assumed, and how to override


def checked_encoding(name: str) -> str:
    """Python's name for the text encoding ``name`` (``latin-1`` -> ``iso8859-1``);
    ``UndecodableText`` with one line for a name Python does not know as a text encoding."""
    try:
        # base64, zlib: codecs, but of bytes to bytes (an empty input is not checked).
        b"a".decode(name)
    except UnicodeDecodeError:
        pass  # utf-16, utf-32: a text encoding that one byte is too short for
    except LookupError:
        raise UndecodableText(
            f"--encoding {name!r}: no such text encoding; give one Python knows (utf-8, cp1252, "
            f"latin-1, cp1251, shift_jis ...; the list: {CODEC_NAMES})"
        ) from None
    return codecs.lookup(name).name


def decode_text(data: bytes, origin: str, encoding: str | None = None) -> Decoded:
    """``data``, the bytes of the file ``origin``, as text by the module's rule (``encoding``, a
    name ``checked_encoding`` took, for a file without a byte-order mark)."""
    if data.startswith(UTF16_BOMS):
        # Excel's "Unicode text", PowerShell's `>`: UTF-16 with its byte-order mark.
        try:
            return Decoded(data.decode("utf-16"), None)
        except UnicodeDecodeError:
            raise UndecodableText(f"{origin}: is not valid UTF-16 text; save it as UTF-8") from None
    if data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8"
    if encoding is not None:
        try:
            text = data.decode("utf-8-sig" if codecs.lookup(encoding).name == "utf-8" else encoding)
        except UnicodeDecodeError as exc:
            raise UndecodableText(
                f"{origin}: is not {encoding} text (byte {data[exc.start]:#04x} at offset "
                f"{exc.start}); give its encoding with --encoding, or save it as UTF-8"
            ) from None
        return Decoded(text, None)
    try:
        return Decoded(data.decode("utf-8"), None)
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    declared = _declared(data)
    if declared is not None:
        text, name = declared
        return Decoded(
            text,
            f"{origin}: not UTF-8; read as {name}, the charset it declares; give --encoding to "
            "choose another",
        )
    if _mostly_utf8(data):
        # Read as Windows-1252, every accent and curly quote of it would turn to "Ã©", "â€œ".
        raise UndecodableText(
            f"{origin}: is UTF-8 text but for some bytes (the first at offset {first_bad}): cut "
            "short or pasted together from two files? fix those bytes, or give --encoding"
        )
    legacy = _legacy(data)
    if legacy is None:
        raise UndecodableText(
            f"{origin}: is not UTF-8 text, nor {LEGACY_NAME}; give its encoding with --encoding "
            "(cp1251, shift_jis ...), or save it as UTF-8"
        )
    return Decoded(
        legacy, f"{origin}: not UTF-8; read as {LEGACY_NAME}; give --encoding to choose another"
    )


def _declared(data: bytes) -> tuple[str, str] | None:
    """The text of a saved page (it starts with ``<``) in the charset it declares (``<meta
    charset>``, an XML declaration), and that charset's name, if its bytes are in it; else None."""
    if not data.lstrip()[:1] == b"<":
        return None
    # Here only: a UTF-8 file, nearly every one, never needs the HTML parser's package.
    from bs4.dammit import EncodingDetector

    name = EncodingDetector.find_declared_encoding(data[:_DECLARATION_BYTES], is_html=True)
    if not name:
        return None
    try:
        return data.decode(checked_encoding(name)), name
    except (UndecodableText, UnicodeDecodeError):
        return None  # a declaration that is wrong, or UTF-8 (these bytes are not): the fallback


def _mostly_utf8(data: bytes) -> bool:
    """Whether more of the bytes past ASCII make UTF-8 characters than not: a Windows-1252 text's
    accents are lone bytes, which UTF-8 never is; two of them make one only by chance."""
    loose = data.decode("utf-8", errors="replace")
    bad = loose.count("\ufffd")
    return sum(ord(ch) > 127 for ch in loose) - bad > bad


def _legacy(data: bytes) -> str | None:
    try:
        text = data.decode(LEGACY)
    except UnicodeDecodeError:  # 0x81, 0x8d, 0x8f, 0x90, 0x9d: no Windows-1252 character
        return None
    return None if _CONTROL.search(text) else text
