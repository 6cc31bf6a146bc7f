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
