"""Files that are not text, told by their first bytes: a PDF, an office document, a picture, an
archive. No format argmap reads is one of these, so such a file is named for what it is rather
than sent on to the format detectors (whose "use --format" cannot help it).

A PDF can be ASCII for its first kilobytes (``%PDF-1.4`` and plain object headers), so a NUL
byte alone does not find it: the magic numbers below come first.
"""

from __future__ import annotations

ZIP = b"PK\x03\x04"  # also what .xlsx, .ods, .docx are
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old Office files: .xls, .doc, .ppt

# (first bytes, what the file is): each a format's published signature, none of them text a
# thread could start with.
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (ZIP, "a zip archive (or a .docx, .xlsx, .odt, .epub)"),
    (b"PK\x05\x06", "a zip archive"),
    (OLE, "an old Office document (.doc, .xls, .ppt)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG picture"),
    (b"\xff\xd8\xff", "a JPEG picture"),
    (b"GIF87a", "a GIF picture"),
    (b"GIF89a", "a GIF picture"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x7fELF", "a program"),
)

# How far in a NUL byte makes a file binary (UTF-8 text has none; UTF-16 is told apart first).
SNIFF_BYTES = 8192


def binary_kind(data: bytes) -> str | None:
    """What ``data`` (a file's bytes, or its head) is when it is not text, in a few words; None
    for anything that may be text."""
    for magic, kind in MAGIC:
        if data.startswith(magic):
            return kind
    if b"\x00" in data[:SNIFF_BYTES]:
        return "a binary file"
    return None
