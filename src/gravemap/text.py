"""Persian and Arabic script and digits: the one place where letters fold and digits convert.

Reports, spreadsheets and gazetteer names mix Arabic and Persian letter forms (ي/ی, ك/ک, ة/ه)
and three sets of digits (ASCII, Persian ۰-۹, Arabic-Indic ٠-٩). Every module that compares,
parses or shows such text uses these functions, so that a rule changes in one place.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "ARABIC_MARKS",
    "ascii_digits",
    "escape_controls",
    "escape_controls_in_json",
    "fold_persian_letters",
    "persian_digits",
    "persian_display",
]

# Persian (U+06F0-9) and Arabic-Indic (U+0660-9) digits, and the Arabic decimal separator.
_TO_ASCII_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩٫", "01234567890123456789.")
_ARABIC_THOUSANDS = "\u066c"  # ٬
_TO_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
# Arabic letter forms that Persian writes differently (yeh, kaf, teh marbuta and heh forms).
_TO_PERSIAN_LETTERS = str.maketrans(
    {"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "ۀ": "ه", "ہ": "ه", "ھ": "ه"}
)
#: Harakat, superscript alef and tatweel: marks a name is the same without.
ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")


def ascii_digits(text: str) -> str:
    """`text` with Persian and Arabic-Indic digits (and the Arabic decimal sign) made ASCII."""
    return text.translate(_TO_ASCII_DIGITS).replace(_ARABIC_THOUSANDS, "")


def persian_digits(text: str) -> str:
    """`text` with ASCII digits written as Persian digits (for the Persian page and messages)."""
    return text.translate(_TO_PERSIAN_DIGITS)


def fold_persian_letters(text: str) -> str:
    """Arabic letter forms as Persian writes them (ي→ی, ك→ک, ة ۀ ہ ھ→ه); nothing else changes."""
    return text.translate(_TO_PERSIAN_LETTERS)


def persian_display(name: str) -> str:
    """A Persian-script name as Persian writes it: Persian letters, no vowel marks, one space."""
    name = fold_persian_letters(unicodedata.normalize("NFC", name))
    return " ".join(ARABIC_MARKS.sub("", name).split())


# What a terminal acts on rather than shows: C0 and C1 controls (ESC starts the OSC and CSI
# sequences that retitle windows, hide text or forge links), DEL, the bidi overrides, marks and
# isolates that reorder a line, the Unicode line separators, and lone surrogates (which cannot
# be encoded for output at all).
_TERMINAL_CONTROLS = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str, *, keep_newlines: bool = False) -> str:
    """`text` safe to print to a terminal: every control character written as `\\xNN`/`\\uNNNN`.

    Used for every message gravemap prints, since messages quote file names, ids and field
    names from files that may be hostile. `keep_newlines` keeps line breaks (for messages of
    several lines built by gravemap itself; each line's own text is escaped before joining).
    """
    if text.isascii() and text.isprintable():
        return text
    if keep_newlines:
        return "\n".join(_TERMINAL_CONTROLS.sub(_escaped, line) for line in text.split("\n"))
    return _TERMINAL_CONTROLS.sub(_escaped, text)


def escape_controls_in_json(text: str) -> str:
    """JSON text with every terminal control written as a `\\uXXXX` escape: the same data
    for `jq` or any JSON reader, but inert on a terminal (JSON itself escapes only C0)."""
    if text.isascii() and "\x7f" not in text:
        return text
    # json.dumps has escaped C0 already; what is left of C0 is the layout's own line breaks.
    return _TERMINAL_CONTROLS.sub(
        lambda m: m.group() if m.group() < " " else f"\\u{ord(m.group()):04x}", text
    )
