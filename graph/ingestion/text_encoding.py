"""Reading a file's text whatever encoding a spreadsheet saved it in, and undoing mojibake.

Trackers come from spreadsheets: some are UTF-8, some the Windows code page of whoever saved
them, and many hold text that was once UTF-8, was read as cp1252 and was saved again, so that
"Constructor’s" became "Constructorâ€™s". Both are repaired here with well-kept libraries
rather than rules of our own:

- **Encoding.** UTF-8 (with or without a byte-order mark) is taken when the bytes are valid
  UTF-8. Otherwise charset-normalizer guesses; since it cannot tell the Latin code pages apart
  on a few accented letters (cp1250 and cp1252 decode "café" alike), a guess in that family is
  read as cp1252, the code page of English-language spreadsheets saved on Windows, when the
  bytes are valid cp1252. An encoding the mapping names is used as named, never guessed.
- **Mojibake.** Each value that is not plain ASCII goes through ftfy's encoding repair only
  (quotes, ligatures, widths and line breaks are left as written); a value it changes is
  counted, with ftfy's explanation of how ("encode sloppy-windows-1252, decode utf-8").
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

import charset_normalizer
import ftfy

_LATIN_PAGES = frozenset({
    "cp1250", "cp1252", "cp1254", "cp1257", "latin_1", "iso8859_2", "iso8859_3", "iso8859_4", "iso8859_9",
    "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15", "iso8859_16", "cp775", "cp850", "cp852",
    "mac_latin2", "mac_iceland", "mac_roman",
})
_ONLY_ENCODING = ftfy.TextFixerConfig(
    unescape_html=False, remove_terminal_escapes=False, fix_latin_ligatures=False, fix_character_width=False,
    uncurl_quotes=False, fix_line_breaks=False, fix_surrogates=False, remove_control_chars=False,
    normalization=None, explain=True,
)


@dataclass(frozen=True)
class DecodedText:
    """A file's text and how it was read."""

    text: str
    encoding: str
    detected: bool
    """Whether the encoding was guessed from the bytes rather than UTF-8 or named by the mapping."""


class UndecodableText(ValueError):
    """The bytes are not text in the named encoding, or in any the detector knows."""


def decode(content: bytes, encoding: str | None = None) -> DecodedText:
    """The text of `content`: in `encoding` when given, else UTF-8 when valid, else the
    detected encoding (see the module). Raises UndecodableText, or LookupError for an
    unknown encoding name."""
    if encoding is not None:
        codecs.lookup(encoding)
        return DecodedText(content.decode(encoding), encoding, detected=False)
    try:
        return DecodedText(content.decode("utf-8-sig"), "utf-8", detected=False)
    except UnicodeDecodeError as not_utf8:
        best = charset_normalizer.from_bytes(content).best()
        if best is None:
            raise UndecodableText(f"not UTF-8 ({not_utf8.reason} at byte {not_utf8.start}), and no other "
                                  "encoding fits; give the file's encoding") from not_utf8
        guessed = best.encoding
        if guessed in _LATIN_PAGES and _decodes(content, "cp1252"):
            guessed = "cp1252"
        return DecodedText(content.decode(guessed), guessed, detected=True)


def _decodes(content: bytes, encoding: str) -> bool:
    try:
        content.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def repair(value: str) -> tuple[str, str | None]:
    """The value with mojibake undone, and how (None when it needed nothing)."""
    if value.isascii():
        return value, None
    fixed = ftfy.fix_and_explain(value, _ONLY_ENCODING)
    if fixed.text == value or not fixed.explanation:
        return value, None
    return fixed.text, ", ".join(f"{step} {argument}" for step, argument in fixed.explanation)
